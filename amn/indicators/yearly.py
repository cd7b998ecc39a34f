"""A year's figures for one org-unit subtree: every indicator of the catalogue, from its
records, its dated aggregate entry or the figure published for that year — what the annual
report (amn.reports) is made of.

Where a figure comes from (its Provenance):
- "records": computed by the engine (amn.indicators.engine) from the records of the year;
- "entered": an AggregateEntry (amn.indicators.models) typed by a named user from a cited
  source — for figures with no records behind them in Amn (countries at a conference …);
- "published": the value frozen in a published Snapshot of that year (earlier years whose
  records are not in Amn: the DGSN figures of ../shared/data/dgsn, loaded by
  `amn load-published`).

The previous value is the same indicator a year earlier, taken the same way (records when
the previous year has records of that kind, else its entry or its published figure).
A published snapshot of the asked year freezes each figure: when today's computation differs
(a correction, a unit reorganisation), the figure carries both — `as_published` and the
restated `value` — and is never silently changed.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from amn.core.localized_fields import localized
from amn.indicators.choices import Disaggregation as D
from amn.indicators.definitions import definition_of
from amn.indicators.engine import (
    Engine,
    Figure,
    FigureError,
    percent_change,
    rounded_value,
    scope_of,
)
from amn.indicators.models import AggregateEntry, GeneratedYear, Indicator, Snapshot
from amn.indicators.periods import Period
from amn.orgunits.models import OrgUnit

RECORDS = "records"
ENTERED = "entered"
PUBLISHED = "published"


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from.

    Attributes:
        kind: RECORDS, ENTERED or PUBLISHED.
        source: the citation of an entered or published figure (document, article, URL);
            "" for records.
        entered_by: who typed an entered figure, as role and unit ("Analyst, Direction
            générale …"; "" when loaded by the command line or not entered).
        entered_on: the day an entered figure was typed, or a snapshot published from Amn
            (None for records and for figures published before Amn; the source's own date
            is in `source`).
    """

    kind: str
    source: str = ""
    entered_by: str = ""
    entered_on: datetime.date | None = None


@dataclass(frozen=True)
class YearFigure:
    """One indicator for the year and unit subtree.

    Attributes:
        code, section, rank: the catalogue's code, report section
            (amn.indicators.choices.ReportSection) and order.
        name, definition, counting_rule: in the active language.
        unit_of_measure: amn.indicators.choices.UnitOfMeasure value; decimals: places.
        value, previous_value: int for whole numbers, float otherwise, None when there is
            nothing to state (no records, no entry: the report says so, never 0).
        change: percent change previous → value, 1 decimal, None when undefined.
        provenance, previous_provenance: where each comes from (None when absent).
        as_published: the value frozen in this year's published snapshot (None when not
            published); restated: as_published exists and differs from value.
        by_region: the engine's figures by region (empty when the indicator has no records
            or cannot be broken down by region).
        by_month: the engine's figures by month (same conditions).
    """

    code: str
    section: str
    rank: int
    name: str
    definition: str
    counting_rule: str
    unit_of_measure: str
    decimals: int
    value: int | float | None
    previous_value: int | float | None
    change: float | None
    provenance: Provenance | None
    previous_provenance: Provenance | None = None
    as_published: int | float | None = None
    restated: bool = False
    by_region: tuple[Figure, ...] = ()
    by_month: tuple[Figure, ...] = ()

    @property
    def has_value(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class YearFigures:
    """Every indicator for a year and unit subtree, in catalogue order.

    Attributes:
        year: the calendar year; unit: the subtree's root unit.
        figures: one YearFigure per catalogue indicator.
        snapshot_checksum: SHA-256 (hex) of the canonical JSON of the figures as published
            (the snapshot's checksum) or, when the year is not published for this unit, of
            the figures as computed now (see canonical_checksum).
        published_at: when this year's snapshot was published (None when not published).
        scale: the demo scale the year's generated records were made at (None for real
            records), stated by the report.
    """

    year: int
    unit: OrgUnit
    figures: tuple[YearFigure, ...]
    snapshot_checksum: str
    published_at: datetime.datetime | None = None
    scale: float | None = None

    def get(self, code: str) -> YearFigure | None:
        """The figure of indicator `code`, or None when the catalogue has no such code."""
        return next((figure for figure in self.figures if figure.code == code), None)

    def in_section(self, section: str) -> list[YearFigure]:
        """The figures of one report section, in catalogue order."""
        return [figure for figure in self.figures if figure.section == section]

    @property
    def has_data(self) -> bool:
        """True when at least one figure has a value."""
        return any(figure.has_value for figure in self.figures)


def canonical_checksum(rows: list[dict]) -> str:
    """SHA-256 hex of `rows` ({"indicator", "value", "previous_value", "unit_of_measure"}
    per figure) as canonical JSON (sorted keys, no spaces, numbers as strings)."""

    def plain(value):
        if isinstance(value, float | Decimal | int) and not isinstance(value, bool):
            return str(value)
        return value

    canonical = [{key: plain(value) for key, value in sorted(row.items())} for row in rows]
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


FIRST_YEAR = 1956  # the DGSN was created on 16 May 1956 (dahir n° 1-56-115)
EXTENSIVE_EXCLUDED = frozenset({"percent", "per_100000_inhabitants"})


def check_year(year: int) -> None:
    """Refuse a year no report can be about.

    Raises:
        FigureError: `year` before 1956 (the directorate's creation) or after this year.
    """
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise FigureError(
            _("No report for %(year)s: years run from %(first)d to %(last)d.")
            % {"year": year, "first": FIRST_YEAR, "last": this_year}
        )


def year_figures(
    *,
    year: int,
    unit: OrgUnit,
    breakdowns: bool = True,
    months_for: frozenset[str] | None = None,
) -> YearFigures:
    """Every catalogue indicator for `year` and `unit`'s subtree (see the module docstring).

    Args:
        year: calendar year (check_year); unit: the subtree's root (any unit).
        breakdowns: also compute the by-region and by-month figures of record indicators.
        months_for: the indicators whose by-month figures are wanted (None: every one
            allowing it). A month grouping reads a year of records again: the report asks
            only the figures it charts by month (amn.reports.selectors).
    Returns:
        YearFigures; nothing here checks who asks (callers do).
    Raises:
        FigureError: an unknown year.
    Cost: the engine reads each record table once per pass (totals with regions, then
    months) and period; entries and snapshots are three small queries.
    """
    check_year(year)
    indicators = list(Indicator.objects.order_by("rank", "code"))
    places = {indicator.code: indicator.decimals for indicator in indicators}
    engine = Engine()
    scope = scope_of(unit)
    period = Period(year)
    computed = {i.code: definition_of(i) for i in indicators if not i.is_entered}
    totals, regions, months = _engine_figures(
        engine, list(computed.values()), scope, period, breakdowns, months_for
    )
    entries = _latest_entries(unit, (year, year - 1))
    current = _current_snapshot(year, unit)
    # Figures published before Amn (external) stand in for a year without records; only a
    # publication from Amn's own figures freezes them (as published, restated).
    external_now = (
        _snapshot_values(current, places) if current is not None and current.external else {}
    )
    snapshot = current if current is not None and not current.external else None
    published = _snapshot_values(snapshot, places)
    previous_published = _snapshot_values(_current_snapshot(year - 1, unit), places)
    generated = GeneratedYear.objects.filter(year=year).first()
    scale = float(generated.scale) if generated is not None else None
    figures = []
    for indicator in indicators:
        code = indicator.code
        if indicator.is_entered:
            value, provenance = entries.get((code, year), (None, None))
            previous, previous_provenance = entries.get((code, year - 1), (None, None))
        else:
            definition = computed[code]
            total = totals[code]
            value, provenance = None, None
            if engine.has_records(definition.numerator, period):
                value, provenance = total.value, Provenance(RECORDS)
            previous, previous_provenance = None, None
            if engine.has_records(definition.numerator, period.previous):
                previous, previous_provenance = total.previous_value, Provenance(RECORDS)
        if value is None and code in external_now:
            value, provenance = _scaled(external_now[code], indicator, scale)
        if previous is None and code in previous_published:
            previous, previous_provenance = _scaled(previous_published[code], indicator, scale)
        as_published = published[code][0] if code in published else None
        figures.append(
            YearFigure(
                code=code,
                section=indicator.section,
                rank=indicator.rank,
                name=localized(indicator, "name"),
                definition=localized(indicator, "definition"),
                counting_rule=localized(indicator, "counting_rule"),
                unit_of_measure=indicator.unit_of_measure,
                decimals=indicator.decimals,
                value=value,
                previous_value=previous,
                change=percent_change(value, previous),
                provenance=provenance,
                previous_provenance=previous_provenance,
                as_published=as_published,
                restated=as_published is not None and as_published != value,
                by_region=tuple(regions.get(code, ())) if value is not None else (),
                by_month=tuple(months.get(code, ())) if value is not None else (),
            )
        )
    checksum = (
        snapshot.checksum
        if snapshot is not None
        else canonical_checksum([figure_row(figure) for figure in figures])
    )
    return YearFigures(
        year=year,
        unit=unit,
        figures=tuple(figures),
        snapshot_checksum=checksum,
        published_at=snapshot.published_at if snapshot is not None else None,
        scale=scale,
    )


def figure_row(figure: YearFigure) -> dict:
    """The fields of `figure` a snapshot freezes and its checksum covers."""
    return {
        "indicator": figure.code,
        "value": figure.value,
        "previous_value": figure.previous_value,
        "unit_of_measure": figure.unit_of_measure,
    }


def _engine_figures(
    engine: Engine, definitions, scope, period: Period, breakdowns: bool, months_for
):
    """({code: total Figure}, {code: [region Figures]}, {code: [month Figures]})."""
    totals: dict[str, Figure] = {}
    regions: dict[str, list[Figure]] = {}
    months: dict[str, list[Figure]] = {}
    by_region = [d for d in definitions if breakdowns and D.REGION in d.disaggregations]
    plain = [d for d in definitions if d not in by_region]
    if by_region:
        for figure in engine.figures_many(
            by_region, scope=scope, period=period, by=D.REGION, with_total=True
        ):
            if figure.by is None:
                totals[figure.indicator] = figure
            else:
                regions.setdefault(figure.indicator, []).append(figure)
    if plain:
        for figure in engine.figures_many(plain, scope=scope, period=period):
            totals[figure.indicator] = figure
    by_month = [
        d
        for d in definitions
        if breakdowns
        and D.MONTH in d.disaggregations
        and (months_for is None or d.code in months_for)
    ]
    if by_month:
        for figure in engine.figures_many(by_month, scope=scope, period=period, by=D.MONTH):
            months.setdefault(figure.indicator, []).append(figure)
    return totals, regions, months


def _latest_entries(unit: OrgUnit, years) -> dict:
    """{(indicator code, year): (value, Provenance)} from the latest entry of each."""
    found: dict = {}
    rows = (
        AggregateEntry.objects.filter(org_unit=unit, year__in=years)
        .select_related("indicator", "entered_by__unit")
        .order_by("entered_at", "pk")
    )
    for entry in rows:
        # Who, as the report may show it to the public: the role and unit, not the person's
        # name (the entry keeps the account, and the change trail its history).
        who = ""
        if entry.entered_by is not None:
            staff = entry.entered_by
            unit = localized(staff.unit, "name") if staff.unit_id else ""
            who = ", ".join(part for part in (str(staff.get_role_display()), unit) if part)
        found[(entry.indicator.code, entry.year)] = (
            rounded_value(entry.value, entry.indicator.decimals),
            Provenance(
                ENTERED,
                f"{entry.source} ({entry.source_date.isoformat()})",
                who,
                timezone.localdate(entry.entered_at),
            ),
        )
    return found


def _current_snapshot(year: int, unit: OrgUnit) -> Snapshot | None:
    return Snapshot.objects.filter(year=year, org_unit=unit, superseded_at__isnull=True).first()


def _snapshot_values(snapshot: Snapshot | None, decimals: dict[str, int]) -> dict:
    """{indicator code: (value, Provenance)} of a snapshot's figures with a value, rounded
    to each indicator's decimals (`decimals`: code → places; 3 for a code no longer in the
    catalogue)."""
    if snapshot is None:
        return {}
    values = {}
    for row in snapshot.figures.exclude(value=None):
        provenance = Provenance(
            PUBLISHED,
            row.source,
            "",
            None if snapshot.external else timezone.localdate(snapshot.published_at),
        )
        values[row.indicator_code] = (
            rounded_value(row.value, decimals.get(row.indicator_code, 3)),
            provenance,
        )
    return values


def _scaled(published: tuple, indicator, scale: float | None):
    """A published value, brought to the scale of the year's generated records.

    A generated year stands for the country at `scale` of its volumes: a published count or
    quantity (of that year or the year before) is multiplied by it to compare like with
    like, and the source says so; rates and percentages are not.
    """
    value, provenance = published
    if scale is None or indicator.unit_of_measure in EXTENSIVE_EXCLUDED:
        return value, provenance
    scaled = rounded_value(Decimal(str(value)) * Decimal(str(scale)), indicator.decimals)
    note = _("%(source)s — × %(scale)s, the scale of the generated records") % {
        "source": provenance.source,
        "scale": scale,
    }
    return scaled, Provenance(PUBLISHED, note, "", provenance.entered_on)
