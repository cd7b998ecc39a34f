"""The statistics engine: one code path computes any indicator for any org-unit subtree and
period, with the same period a year earlier and the change between them.

How a figure is computed (the rules shown next to every figure are in the catalogue):
- the unit subtree is resolved first to its list of unit ids (materialised-path prefix), so
  record tables are filtered on their own unit column, without joins;
- the records of one table counted by one date are read by ONE aggregate query per
  period (the period, then the comparison period), whatever the number of indicators
  asked (the whole catalogue reads each table about once a period): each record filter is
  an aggregate with its own condition (ICCS code ranges, substance …), and the
  disaggregation key is the only grouping key; regions and provinces are grouped by
  commune (or by unit, for records placed at their unit's seat) in SQL and mapped to
  their province and region here, so every region and the national total come from the
  same ~1,500 grouped rows;
- the records of a whole tree are read through covering indexes that lead with the
  grouping column (amn.cases.models: commune for offences and cases, unit for arrests and
  seizures), so SQLite groups them in index order without sorting the year's records;
- the comparison period is not read when it starts before the first recorded offence;
- only valid records count (amn.indicators.sources);
- rates per inhabitants divide by the RGPH 2024 population covered: every commune for a
  unit whose tree covers the country (a root unit of a national type: the whole country,
  36,828,330 inhabitants), otherwise the communes where the subtree recorded valid
  offences in that period; a region or province cell takes the covered communes in it;
- the previous value is None when the comparison period starts before the first recorded
  offence (no records to compare with), and `change` is (value − previous) ÷ previous ×
  100, in percent, None when the previous value is None or 0.

Nothing here checks who asks: callers go through amn.indicators.selectors.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import get_month_names
from django.db.models import (
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from amn.cases.models import IccsCategory, NationalCategory, Offence
from amn.core.locale_format import babel_locale, format_country
from amn.core.localized_fields import localized
from amn.geo.models import Commune
from amn.indicators.choices import Aggregate, Disaggregation
from amn.indicators.definitions import (
    Definition,
    IndicatorDefinitionError,
    Population,
    RecordFilter,
)
from amn.indicators.periods import Period
from amn.orgunits.models import OrgUnit

D = Disaggregation
TOTAL = "__total__"

# Age groups of persons (UNODC/ICCS practice: minors apart), as (label key, first, last age).
AGE_GROUPS = (
    ("0-17", 0, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, 200),
)

# Each measure takes a filter condition (None: every record of the group). Records are
# counted as COUNT(1), which a covering index answers, where COUNT(id) of a table with a
# UUID key would fetch every row (SQLite keeps that key outside its other indexes); Django
# refuses COUNT(*) with a filter.
RECORDS = Value(1)
MEASURES = {
    Aggregate.COUNT: lambda condition: Count(RECORDS, filter=condition),
    Aggregate.COUNT_DISTINCT_CASE: lambda condition: Count(
        "case_id", filter=condition, distinct=True
    ),
    Aggregate.SUM_STANDARD_QUANTITY: lambda condition: Sum("standard_quantity", filter=condition),
    Aggregate.SUM_MEMBERS_ARRESTED: lambda condition: Sum("members_arrested", filter=condition),
    Aggregate.SUM_PEOPLE_SERVED: lambda condition: Sum("people_served", filter=condition),
    Aggregate.SUM_POSTS_OFFERED: lambda condition: Sum("posts_offered", filter=condition),
    Aggregate.COUNT_DISTINCT_MOBILE_UNIT: lambda condition: Count(
        "tour__mobile_unit_id", filter=condition, distinct=True
    ),
    Aggregate.COUNT_DISTINCT_STAFF: lambda condition: Count(
        "staff_id", filter=condition, distinct=True
    ),
}
COUNTING_AGGREGATES = frozenset(
    {
        Aggregate.COUNT,
        Aggregate.COUNT_DISTINCT_CASE,
        Aggregate.COUNT_DISTINCT_MOBILE_UNIT,
        Aggregate.COUNT_DISTINCT_STAFF,
    }
)


class CalendarMonth(Func):
    """The month (1–12) of a date. Django's ExtractMonth calls a Python function per row on
    SQLite; strftime is SQLite's own, several times faster on a year of records."""

    template = "EXTRACT(MONTH FROM %(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(strftime('%%m', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class Unindexed(Func):
    """The column itself; on SQLite written `+column`, which SQLite's planner does not
    answer from an index (its documented way to steer the plan). Other databases keep
    the plain column and their own statistics-based plan."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class FigureError(IndicatorDefinitionError):
    """A figure cannot be computed as asked (a disaggregation the indicator does not allow,
    a national category that does not exist …); the message says why."""


@dataclass(frozen=True)
class Scope:
    """An org-unit subtree resolved for counting.

    Attributes:
        unit: the subtree's root unit.
        unit_ids: ids of every unit of the subtree.
        seat_communes: unit id → seat commune id (or None), to place records without a
            commune of their own (seizures, networks) in a region.
        covers_nation: True for a root unit of a national type (the directorate-general).
    """

    unit: OrgUnit
    unit_ids: tuple[int, ...]
    seat_communes: dict[int, int | None]
    covers_nation: bool


def scope_of(unit: OrgUnit) -> Scope:
    """Resolve `unit`'s subtree (one query; `unit.unit_type` should be selected with it)."""
    rows = OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", "commune_id")
    seats = dict(rows)
    return Scope(
        unit=unit,
        unit_ids=tuple(seats),
        seat_communes=seats,
        covers_nation=unit.depth == 1 and unit.unit_type.is_national,
    )


@dataclass
class Tally:
    """One cell's aggregate in the period and the comparison period, with the number of
    records behind each (for small-count suppression)."""

    current: Decimal | int = 0
    previous: Decimal | int = 0
    current_records: int = 0
    previous_records: int = 0

    def add(self, other: "Tally") -> None:
        self.current += other.current
        self.previous += other.previous
        self.current_records += other.current_records
        self.previous_records += other.previous_records

    @property
    def is_empty(self) -> bool:
        return not (self.current or self.previous)


@dataclass(frozen=True)
class Figure:
    """One published number: an indicator for a unit subtree, a period and, optionally, one
    cell of a disaggregation.

    Attributes:
        value, previous_value: int for whole numbers, float otherwise (rounded to the
            indicator's decimals), None when undefined (a ratio over zero, no previous
            records); previous_value is the same cell one year earlier.
        change: percent change from previous_value to value (1 decimal), or None.
        by, key, label: the disaggregation, the cell's key ("04", "2025-03", "06",
            "drug_offences", "M" …; None for records without it) and its name in the
            active language; all None/"" for a total.
        basis, previous_basis: the smallest number of records behind the value (numerator,
            and denominator for ratios of records), used by small-count suppression.
        is_count: the value is a number of records.
    """

    indicator: str
    org_unit: str
    period: str
    value: int | float | None
    unit_of_measure: str
    previous_value: int | float | None
    change: float | None
    by: str | None = None
    key: str | None = None
    label: str = ""
    basis: int = 0
    previous_basis: int | None = 0
    is_count: bool = True
    counting: str | None = None

    def as_dict(self) -> dict:
        """The published keys: indicator, org_unit, period, value, unit_of_measure,
        previous_value, change, and the disaggregation (e.g. "region": "04") when any."""
        data = {
            "indicator": self.indicator,
            "org_unit": self.org_unit,
            "period": self.period,
            "value": self.value,
            "unit_of_measure": self.unit_of_measure,
            "previous_value": self.previous_value,
            "change": self.change,
        }
        if self.by:
            data[self.by] = self.key
        return data


def _summed(tallies) -> "Tally":
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def _in_period(date_field: str, period: Period) -> Q:
    return Q(**{f"{date_field}__gte": period.start, f"{date_field}__lt": period.end})


def rounded_value(value, decimals: int) -> int | float | None:
    if value is None:
        return None
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return int(number) if decimals == 0 else float(number)


def percent_change(value, previous) -> float | None:
    if value is None or previous is None or previous == 0:
        return None
    percent = (Decimal(str(value)) - Decimal(str(previous))) / Decimal(str(previous)) * 100
    return float(percent.quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass
class _Communes:
    """Every commune's population and its province and region, with their names."""

    population: dict[int, int] = field(default_factory=dict)
    province: dict[int, str] = field(default_factory=dict)
    region: dict[int, str] = field(default_factory=dict)
    names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


class Engine:
    """Computes figures. One Engine serves one run (a command, a request): it caches the
    reference lookups (national categories, communes, years of records) between the
    indicators it computes."""

    def __init__(self):
        self._categories: dict[str, dict] | None = None
        self._communes: _Communes | None = None
        self._sections: dict[str, IccsCategory] | None = None
        self._years: tuple[int, int] | bool | None = False
        self._first_years: dict[tuple[str, str], int | None] = {}
        self._present: dict[tuple, bool] = {}

    # -- reference lookups (each one query, at most once per Engine) -------------------------

    def records_years(self) -> tuple[int, int] | None:
        """(first, last) calendar year of recorded offences, valid or not; None when there
        are none. Two index-only queries."""
        if self._years is False:
            dates = Offence.objects.order_by("recorded_on").values_list("recorded_on", flat=True)
            first = dates.first()
            self._years = None if first is None else (first.year, dates.last().year)
        return self._years

    def categories(self) -> dict[str, dict]:
        """National categories: code → {"names": {lang: name}, "prefixes": [ICCS codes]}."""
        if self._categories is None:
            self._categories = {}
            rows = NationalCategory.objects.order_by("code").values_list(
                "code", "name_ar", "name_fr", "name_en", "iccs_codes"
            )
            for code, name_ar, name_fr, name_en, iccs in rows:
                entry = self._categories.setdefault(
                    code,
                    {"names": {"ar": name_ar, "fr": name_fr, "en": name_en}, "prefixes": []},
                )
                if iccs:
                    entry["prefixes"].append(iccs)
        return self._categories

    def iccs_sections(self) -> dict[str, IccsCategory]:
        """ICCS sections (level 1) by code."""
        if self._sections is None:
            self._sections = {s.code: s for s in IccsCategory.objects.filter(level=1)}
        return self._sections

    def communes(self) -> _Communes:
        """Every commune's population, province and region (one query of ~1,500 rows)."""
        if self._communes is None:
            communes = _Communes()
            rows = Commune.objects.values_list(
                "id",
                "population_2024",
                "province__code",
                "province__name_ar",
                "province__name_fr",
                "province__region__code",
                "province__region__name_ar",
                "province__region__name_fr",
            )
            for pk, population, p_code, p_ar, p_fr, r_code, r_ar, r_fr in rows:
                communes.population[pk] = population
                communes.province[pk] = p_code
                communes.region[pk] = r_code
                communes.names[(D.PROVINCE, p_code)] = {"ar": p_ar, "fr": p_fr, "en": p_fr}
                communes.names[(D.REGION, r_code)] = {"ar": r_ar, "fr": r_fr, "en": r_fr}
            self._communes = communes
        return self._communes

    # -- the one code path ------------------------------------------------------------------

    def figures(
        self, definition: Definition, *, scope: Scope, period: Period, by: str | None = None
    ) -> list[Figure]:
        """Compute one indicator: figures_many with a single definition."""
        return self.figures_many([definition], scope=scope, period=period, by=by)

    def figures_many(
        self,
        definitions: list[Definition],
        *,
        scope: Scope,
        period: Period,
        by: str | None = None,
        with_total: bool = False,
    ) -> list[Figure]:
        """Compute indicators for `scope` and `period`, in total or by `by`.

        Record filters over the same table and date are computed together, in one
        aggregate query (the whole catalogue reads each table about once), and a filter
        shared by several indicators (offences recorded …) is computed once.

        Args:
            definitions: from amn.indicators.definitions.definition_of (counting applied).
            scope: from scope_of; period: the period; by: a Disaggregation value or None.
            with_total: with `by`, put each indicator's total before its cells; regions and
                provinces partition the records, so their total is the sum of the cells and
                costs no query (every region and the national total in one pass).
        Returns:
            list[Figure]: per definition in order, one total, or one per cell in a stable
            order (regions, provinces, ICCS sections by code; months and quarters of the
            period in order; national categories by code; records lacking the key last).
        Raises:
            FigureError: `by` not allowed for an indicator, unknown national category.
        """
        for definition in definitions:
            if by is not None and by not in definition.disaggregations:
                raise FigureError(
                    _("Indicator %(code)s cannot be broken down by %(by)s.")
                    % {"code": definition.code, "by": by}
                )
        specs = list(
            dict.fromkeys(
                spec
                for definition in definitions
                for spec in (definition.numerator, definition.denominator)
                if isinstance(spec, RecordFilter)
            )
        )
        tallies = self._tally_many(specs, scope, period, by)
        population: dict = {}
        if any(isinstance(d.denominator, Population) for d in definitions):
            population = self._population(scope, period, by)
        if with_total and by is not None:
            if by in (D.REGION, D.PROVINCE):
                for cells in (*tallies.values(), population):
                    cells[TOTAL] = _summed(cells.values())
            else:
                # Population is already the scope's total here (see _denominator_cell).
                totals = self._tally_many(specs, scope, period, None)
                for spec, cells in totals.items():
                    tallies[spec][TOTAL] = cells[TOTAL]
        figures = []
        for definition in definitions:
            numerator = tallies[definition.numerator]
            denominator: dict = {}
            if isinstance(definition.denominator, RecordFilter):
                denominator = tallies[definition.denominator]
            elif isinstance(definition.denominator, Population):
                denominator = population
            keys = self._keys(by, definition, scope, period, numerator, denominator)
            if with_total and by is not None:
                keys = [TOTAL, *keys]
            for key in keys:
                figures.append(
                    self._figure(
                        definition,
                        scope=scope,
                        period=period,
                        by=by,
                        key=key,
                        numerator=numerator.get(key, Tally()),
                        denominator=self._denominator_cell(definition, denominator, key, by),
                        has_previous=self.has_previous(definition.numerator, period),
                    )
                )
        return figures

    @staticmethod
    def _denominator_cell(definition: Definition, denominator: dict, key, by) -> Tally:
        """A cell's denominator; every cell that is not a place shares the population of
        the whole scope."""
        if key in denominator:
            return denominator[key]
        if isinstance(definition.denominator, Population) and by not in (D.REGION, D.PROVINCE):
            return denominator.get(TOTAL, Tally())
        return Tally()

    def _figure(
        self, definition, *, scope, period, by, key, numerator, denominator, has_previous
    ) -> Figure:
        value = self._value(definition, numerator.current, denominator.current)
        previous = None
        if has_previous:
            previous = self._value(definition, numerator.previous, denominator.previous)
        basis, previous_basis = numerator.current_records, numerator.previous_records
        if isinstance(definition.denominator, RecordFilter):
            basis = min(basis, denominator.current_records)
            previous_basis = min(previous_basis, denominator.previous_records)
        return Figure(
            indicator=definition.code,
            org_unit=scope.unit.code,
            period=period.label,
            value=value,
            unit_of_measure=definition.unit_of_measure,
            previous_value=previous,
            change=percent_change(value, previous),
            by=None if key == TOTAL else by,
            key=None if key == TOTAL else self._key_text(by, key, period),
            label="" if key == TOTAL else self._label(by, key),
            basis=basis,
            previous_basis=previous_basis if has_previous else None,
            is_count=definition.is_count,
            counting=definition.counting,
        )

    def _value(self, definition: Definition, numerator, denominator):
        if definition.denominator is None:
            return rounded_value(numerator or 0, definition.decimals)
        if not denominator:
            return None
        ratio = Decimal(numerator or 0) / Decimal(denominator) * definition.scale
        return rounded_value(ratio, definition.decimals)

    def _prefixes(self, spec: RecordFilter) -> list[str]:
        """The ICCS prefixes `spec` restricts offences to (its own and its category's)."""
        prefixes = list(spec.iccs_prefixes)
        if spec.national_category is not None:
            category = self.categories().get(spec.national_category)
            if category is None:
                raise FigureError(
                    _("No national category %(code)s: run `amn load-reference`.")
                    % {"code": spec.national_category}
                )
            prefixes += category["prefixes"]
        return prefixes

    def _record_q(self, spec: RecordFilter) -> Q:
        condition = Q()
        if spec.restricts_iccs:
            condition &= _prefixes_q(self._prefixes(spec))
        if spec.substance is not None:
            condition &= Q(substance=spec.substance)
        if spec.network_kind is not None:
            condition &= Q(kind=spec.network_kind)
        if spec.party_role is not None:
            condition &= Q(role=spec.party_role)
        if spec.channel is not None:
            condition &= Q(channel=spec.channel)
        return condition

    def has_previous(self, spec: RecordFilter, period: Period) -> bool:
        """True when the comparison period of `period` can hold records of `spec`'s table:
        it does not start before the first year of that table's records (crime tables:
        the first recorded offence)."""
        first = self.first_year(spec)
        return first is not None and period.previous.year >= first

    def has_records(self, spec: RecordFilter, period: Period) -> bool:
        """True when `spec`'s table holds any record (valid or not, any unit) dated in
        `period`: a figure of 0 is then a fact, otherwise there is nothing to state. One
        query per table, date and period of this Engine."""
        key = (spec.source, spec.date, period.start, period.end)
        if key not in self._present:
            records = spec.table.model.objects.order_by()
            self._present[key] = records.filter(_in_period(spec.date, period)).exists()
        return self._present[key]

    def first_year(self, spec: RecordFilter) -> int | None:
        """The first calendar year of the records of `spec`'s table (None: no records).
        Crime tables share the first year of recorded offences; one query per service
        table and Engine."""
        table = spec.table
        if table.app == "cases":
            years = self.records_years()
            return None if years is None else years[0]
        key = (spec.source, spec.date)
        if key not in self._first_years:
            first = table.model.objects.aggregate(first=Min(spec.date))["first"]
            self._first_years[key] = None if first is None else first.year
        return self._first_years[key]

    def _tally_many(self, specs: list[RecordFilter], scope: Scope, period: Period, by) -> dict:
        """{spec: {cell key: Tally}}, with ONE aggregate query per (table, date) pair and
        period; the cell key is TOTAL without `by`. A comparison period before the table's
        first records (has_previous) is not read: its tallies stay 0."""
        groups: dict[tuple[str, str], list[RecordFilter]] = defaultdict(list)
        for spec in specs:
            groups[(spec.source, spec.date)].append(spec)
        tallies: dict = {}
        for members in groups.values():
            cells: dict = {spec: defaultdict(Tally) for spec in members}
            self._tally_group(members, scope, period, by, cells, current=True)
            if self.has_previous(members[0], period):
                self._tally_group(members, scope, period.previous, by, cells, current=False)
            tallies.update({spec: dict(found) for spec, found in cells.items()})
        return tallies

    def records_of(self, spec: RecordFilter, *, scope: Scope, period: Period):
        """The records `spec` counts for `scope` and `period` (a QuerySet): the figure's
        own query, without its aggregate."""
        return self._records([spec], scope, period)

    def _records(self, members: list[RecordFilter], scope: Scope, period: Period):
        """The valid records of the members' table in scope and in `period`, narrowed to
        the records some member counts."""
        first = members[0]
        table, date = first.table, first.date
        # A whole tree over a year holds most of a table: reading the table through (SQLite:
        # a covering index in the grouping column's order) beats fetching rows one by one
        # through the date or unit index, so those columns are wrapped to keep SQLite's
        # planner off the indexes that lead with them.
        whole = scope.unit.depth == 1 and period.quarter is None and period.month is None
        records = (
            table.model.objects.filter(table.valid)
            .order_by()
            .alias(
                record_date=Unindexed(F(date), output_field=DateField()) if whole else F(date),
                record_unit=Unindexed(F(table.unit_field), output_field=IntegerField())
                if whole
                else F(table.unit_field),
            )
            .filter(_in_period("record_date", period), record_unit__in=scope.unit_ids)
        )
        conditions = [self._record_q(spec) for spec in members]
        if all(conditions):
            either = Q()
            for condition in conditions:
                either |= condition
            records = records.filter(either)
        return records

    def _tally_group(
        self,
        members: list[RecordFilter],
        scope: Scope,
        period: Period,
        by,
        cells: dict,
        *,
        current: bool,
    ) -> None:
        """ONE aggregate query computing every member (same table and date) over `period`,
        added to `cells` ({spec: {cell key: Tally}}) as the current or the previous side.

        Each member's own condition (ICCS codes, substance …) filters its aggregate only.
        The disaggregation key is the only grouping key, which a covering index can
        deliver in order (see the module docstring); the period is a range of the query,
        not a condition of each aggregate, so that every record is tested against a
        member's condition once.
        """
        first = members[0]
        records = self._records(members, scope, period)
        group = {}
        if by not in (None, D.CATEGORY):
            group["cell"] = self._group_expression(by, first)
        conditions = [self._record_q(spec) for spec in members]
        parts: list[tuple[RecordFilter, object, str]] = []  # (member, cell key, alias)
        expressions = {}
        for i, (spec, condition) in enumerate(zip(members, conditions, strict=True)):
            splits = [(None, condition)]
            if by == D.CATEGORY:
                splits = [
                    (code, condition & _prefixes_q(category["prefixes"]))
                    for code, category in self.categories().items()
                ]
            for j, (key, split) in enumerate(splits):
                alias = f"s{i}_{j}"
                expressions[alias] = MEASURES[spec.aggregate](split or None)
                if spec.aggregate not in COUNTING_AGGREGATES:
                    expressions[f"{alias}_n"] = Count(RECORDS, filter=split or None)
                parts.append((spec, key, alias))
        if group:
            rows = records.values(**group).annotate(**expressions)
        else:
            rows = [records.aggregate(**expressions)]
        for row in rows:
            if by is None:
                cell = TOTAL
            elif by != D.CATEGORY:
                cell = self._cell(by, row["cell"], first.table, scope)
            for spec, key, alias in parts:
                value = row[alias] or 0
                records_behind = row.get(f"{alias}_n", value)
                tally = (
                    Tally(current=value, current_records=records_behind)
                    if current
                    else Tally(previous=value, previous_records=records_behind)
                )
                cells[spec][cell if by != D.CATEGORY else key].add(tally)

    def _group_expression(self, by: str, spec: RecordFilter):
        table = spec.table
        if by in (D.REGION, D.PROVINCE):
            # The plain column: a whole tree's records are then grouped in the order of the
            # covering index that leads with it, without sorting them.
            return F(table.commune_field or table.unit_field)
        if by in (D.MONTH, D.QUARTER):  # quarters are folded from months in _cell
            return CalendarMonth(spec.date)
        if by == D.ICCS:
            return Substr("iccs_id", 1, 2)
        return F(dict(table.person_fields)[by])

    def _cell(self, by: str, value, table, scope: Scope):
        """The cell key of one grouped row's value."""
        if by in (D.REGION, D.PROVINCE):
            commune_id = value if table.commune_field else scope.seat_communes.get(value)
            places = self.communes().region if by == D.REGION else self.communes().province
            return places.get(commune_id)
        if by == D.QUARTER:
            return (value - 1) // 3 + 1
        if by == D.AGE_GROUP:
            if value is None:
                return None
            return next(label for label, first, last in AGE_GROUPS if first <= value <= last)
        return value or None

    def _population(self, scope: Scope, period: Period, by: str | None) -> dict:
        """{cell key: Tally(current population, previous population)} (RGPH 2024)."""
        communes = self.communes()
        if scope.covers_nation:
            covered = {pk: (True, True) for pk in communes.population}
        else:
            current = _in_period("recorded_on", period)
            previous = _in_period("recorded_on", period.previous)
            rows = (
                Offence.objects.filter(is_valid=True, recording_unit_id__in=scope.unit_ids)
                .filter(current | previous)
                .order_by()
                .values("commune_id")
                .annotate(cur=Count("pk", filter=current), prev=Count("pk", filter=previous))
            )
            covered = {
                row["commune_id"]: (row["cur"] > 0, row["prev"] > 0)
                for row in rows
                if row["commune_id"] is not None
            }
        cells: dict = defaultdict(Tally)
        for pk, (in_current, in_previous) in covered.items():
            if by == D.REGION:
                key = communes.region[pk]
            elif by == D.PROVINCE:
                key = communes.province[pk]
            else:
                key = TOTAL
            population = communes.population[pk]
            cells[key].add(Tally(population * in_current, population * in_previous))
        return dict(cells)

    def _keys(
        self, by, definition: Definition, scope, period: Period, numerator: dict, denominator: dict
    ):
        """The cells to publish, in order: every cell that can hold records (every month of
        the period, every national category, every ICCS section the indicator can count,
        both sexes, every age group, every region or province of the national tree), plus
        any other cell that has records (regions of a subtree, nationalities, unknowns)."""
        if by is None:
            return [TOTAL]
        if by == D.MONTH:
            return list(period.months)
        if by == D.QUARTER:
            return sorted({(month - 1) // 3 + 1 for month in period.months})
        if by == D.CATEGORY:
            return list(self.categories())
        present = {
            key
            for cells in (numerator, denominator)
            for key, tally in cells.items()
            if key != TOTAL and not tally.is_empty
        }
        if by in (D.REGION, D.PROVINCE) and scope.covers_nation:
            places = self.communes().region if by == D.REGION else self.communes().province
            present |= set(places.values())
        elif by == D.ICCS:
            sections = set(self.iccs_sections())
            if definition.numerator.restricts_iccs:
                sections &= {prefix[:2] for prefix in self._prefixes(definition.numerator)}
            present |= sections
        elif by == D.SEX:
            present |= {"F", "M"}
        elif by == D.AGE_GROUP:
            order = [label for label, _first, _last in AGE_GROUPS]
            return order + ([None] if None in present else [])
        return sorted(present - {None}) + ([None] if None in present else [])

    def _key_text(self, by: str, key, period: Period) -> str | None:
        if key is None:
            return None
        if by == D.MONTH:
            return f"{period.year}-{key:02d}"
        if by == D.QUARTER:
            return f"{period.year}-Q{key}"
        return str(key)

    def _label(self, by: str, key) -> str:
        """The cell's name in the active language."""
        if key is None:
            return _("Unknown")
        language = babel_locale().split("_")[0]
        if by in (D.REGION, D.PROVINCE):
            return self.communes().names[(by, key)][language] or key
        if by == D.MONTH:
            return get_month_names("wide", locale=babel_locale())[key]
        if by == D.QUARTER:
            return _("Quarter %(number)d") % {"number": key}
        if by == D.ICCS:
            section = self.iccs_sections().get(key)
            return localized(section, "label") if section else key
        if by == D.CATEGORY:
            return self.categories()[key]["names"][language] or key
        if by == D.SEX:
            return {"M": _("Male"), "F": _("Female")}.get(key, key)
        if by == D.NATIONALITY:
            return format_country(key)
        return key


def _successor(code: str) -> str | None:
    """The smallest digit string above every code starting with `code` ("0609" → "0610",
    "09" → "10"); None when there is none ("99")."""
    digits = code.rstrip("9")
    if not digits:
        return None
    return digits[:-1] + str(int(digits[-1]) + 1) + "0" * (len(code) - len(digits))


def _prefixes_q(prefixes: list[str]) -> Q:
    """Offences whose ICCS code starts with one of `prefixes` (none: no offence).

    A prefix is a range of codes (0601 ≤ code < 0602): digit strings sort alike under
    every collation, and comparisons cost far less than LIKE on millions of rows.
    """
    if not prefixes:
        return Q(pk__isnull=True)  # false for every row, and unlike pk__in=[] it compiles
    condition = Q()
    for prefix in sorted(set(prefixes)):
        upper = _successor(prefix)
        bounds = Q(iccs__code__gte=prefix)  # no join: the code is the category's key
        if upper is not None:
            bounds &= Q(iccs__code__lt=upper)
        condition |= bounds
    return condition
