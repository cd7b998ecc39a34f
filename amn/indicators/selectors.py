"""Reads of the indicator catalogue and of figures: unit-scoped for staff, suppressed for the
public, unrestricted for the command line (which acts as the system).

Who may read figures: the staff roles that read case records (access.scoping.READERS
"cases.case"), for the units of their scope (their unit's subtree; every unit for national
roles). Out-of-scope and unknown units answer alike (Http404), so existence does not leak.
"""

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amn.access.scoping import READERS, is_national, restrict, unit_in_scope
from amn.audit.services import audit_event_record
from amn.indicators.choices import IndicatorKind
from amn.indicators.definitions import Definition, definition_of
from amn.indicators.engine import Engine, Figure, FigureError, scope_of
from amn.indicators.models import AggregateEntry, Indicator
from amn.indicators.periods import Period
from amn.indicators.services import PUBLISHER_ROLES
from amn.indicators.yearly import check_year
from amn.orgunits.models import OrgUnit

DEFAULT_SUPPRESSION_THRESHOLD = 5
# A national computation takes seconds on a year of records: each client (IP address) may
# ask the public figures this often, page and API together (amn.core.ratelimits: 429).
PUBLIC_RATE = "10/m"
PUBLIC_GROUP = "indicators.public"
ROOT_UNIT_TYPE = "directorate-general"


@dataclass(frozen=True)
class FigureQuery:
    """What is asked: a period (year, optionally one quarter or month), a unit code (None:
    the default unit), an indicator code (None: every indicator allowing `by`), a
    disaggregation and, for indicators that offer it, the counting unit."""

    year: int
    quarter: int | None = None
    month: int | None = None
    unit: str | None = None
    indicator: str | None = None
    by: str | None = None
    counting: str | None = None

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter, self.month)


def suppression_threshold() -> int:
    """settings.AMN_SUPPRESSION_THRESHOLD (default 5): public cells below it are hidden."""
    return int(getattr(settings, "AMN_SUPPRESSION_THRESHOLD", DEFAULT_SUPPRESSION_THRESHOLD))


def indicator_list(*, public: bool = False, computed: bool = False) -> QuerySet[Indicator]:
    """The catalogue in its order; `public`: only indicators published on the public API;
    `computed`: only those the engine computes from records (not entered aggregates)."""
    indicators = Indicator.objects.all()
    if computed:
        indicators = indicators.filter(kind=IndicatorKind.RECORDS)
    return indicators.filter(is_public=True) if public else indicators


def indicator_get(*, code: str, public: bool = False) -> Indicator:
    """One indicator by code.

    Raises:
        Http404: no such indicator (or, with `public`, not a public one).
    """
    indicator = indicator_list(public=public).filter(code=code).first()
    if indicator is None:
        raise Http404(_("No indicator %(code)s.") % {"code": code})
    return indicator


def tree_root() -> OrgUnit:
    """The root of the police-unit tree: the depth-1 unit of type directorate-general.

    Raises:
        Http404: no such unit (units not loaded yet).
    """
    root = (
        OrgUnit.objects.select_related("unit_type")
        .filter(depth=1, unit_type__code=ROOT_UNIT_TYPE)
        .order_by("path")
        .first()
    )
    if root is None:
        raise Http404(_("No police-unit tree yet: load the units or give a unit code."))
    return root


def may_read_figures(actor) -> bool:
    """True when `actor` may read figures at all (before unit scope)."""
    return (
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role in READERS["cases.case"]
        and actor.unit_id is not None
    )


def figure_unit_get(*, actor, code: str | None) -> OrgUnit:
    """The unit whose subtree is counted.

    Args:
        actor: a User, or None for the command line (every unit).
        code: a unit code; None gives the actor's own unit, or the tree root for national
            roles and the command line.
    Raises:
        PermissionDenied: the actor's role does not read figures.
        Http404: unknown unit, or outside the actor's units.
    """
    if actor is not None and not may_read_figures(actor):
        raise PermissionDenied(_("Your role does not read crime figures."))
    if code is None:
        if actor is None or is_national(actor):
            return tree_root()
        code = actor.unit.code
    unit = OrgUnit.objects.select_related("unit_type").filter(code=code).first()
    if unit is None or (actor is not None and not unit_in_scope(actor, unit)):
        raise Http404(_("No police unit %(code)s in your units.") % {"code": code})
    return unit


def _check_year(engine: Engine, year: int) -> None:
    years = engine.records_years()
    if years is None:
        raise FigureError(
            _("No case records yet: there are no figures for %(year)d.") % {"year": year}
        )
    first, last = years
    if first == last and year != first:
        raise FigureError(
            _("No records for %(year)d: recorded offences are all of %(first)d.")
            % {"year": year, "first": first}
        )
    if not first <= year <= last:
        raise FigureError(
            _("No records for %(year)d: recorded offences cover %(first)d–%(last)d.")
            % {"year": year, "first": first, "last": last}
        )


def _computed(indicator: Indicator) -> Indicator:
    """`indicator`, when the engine computes it.

    Raises:
        FigureError: an entered indicator (its figures are aggregate entries).
    """
    if indicator.is_entered:
        raise FigureError(
            _("Indicator %(code)s is entered as an aggregate, not computed from records.")
            % {"code": indicator.code}
        )
    return indicator


def _definitions(query: FigureQuery, *, public: bool) -> list[Definition]:
    if query.indicator is not None:
        definition = definition_of(_computed(indicator_get(code=query.indicator, public=public)))
        return [definition.with_counting(query.counting)]
    definitions = []
    for indicator in indicator_list(public=public, computed=True):
        definition = definition_of(indicator)
        if definition.counting is not None:
            definition = definition.with_counting(query.counting)
        if query.by is None or query.by in definition.disaggregations:
            definitions.append(definition)
    if not definitions:
        raise FigureError(_("No indicator can be broken down by %(by)s.") % {"by": query.by})
    return definitions


def figure_list(
    *,
    actor,
    query: FigureQuery,
    public: bool = False,
    engine: Engine | None = None,
    with_total: bool = False,
) -> list[Figure]:
    """Compute the figures asked by `query`.

    Args:
        actor: the staff User asking (unit-scoped), or None for the command line.
        query: see FigureQuery.
        public: public indicators only (the unit scope does not apply: units are public);
            pass the result through `public_rows` before showing it.
        engine: an Engine to share reference lookups between calls (one run).
        with_total: with `query.by`, each indicator's total (by None) before its cells;
            free for regions and provinces (see Engine.figures_many).
    Returns:
        list[Figure], indicators in catalogue order, cells in engine order.
    Raises:
        PermissionDenied, Http404 (unknown or out-of-scope unit, unknown indicator),
        FigureError (a year without records, a disaggregation or counting not allowed),
        DomainError (an impossible period).
    """
    engine = engine or Engine()
    period = query.period
    unit = figure_unit_get(actor=None if public else actor, code=query.unit)
    definitions = _definitions(query, public=public)
    _check_year(engine, period.year)
    return engine.figures_many(
        definitions, scope=scope_of(unit), period=period, by=query.by, with_total=with_total
    )


def public_rows(figures: list[Figure], *, threshold: int | None = None) -> list[dict]:
    """Published rows (Figure.as_dict) with small-count suppression.

    A cell whose value rests on fewer than `threshold` records (settings
    AMN_SUPPRESSION_THRESHOLD, default 5) is hidden: a count shows "<5"; a ratio, rate or
    quantity shows null. The same rule applies to the previous value; `change` is null
    when either side is hidden. Staff outputs never go through this.
    """
    threshold = suppression_threshold() if threshold is None else threshold
    hidden = f"<{threshold}"
    rows = []
    for figure in figures:
        row = figure.as_dict()
        for key, basis in (("value", figure.basis), ("previous_value", figure.previous_basis)):
            if row[key] is not None and basis is not None and basis < threshold:
                row[key] = hidden if figure.is_count else None
                row["change"] = None
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Dashboard:
    """What an indicator's page shows: the unit, the total, the cells by region and by
    month (None when the indicator does not allow that breakdown)."""

    unit: OrgUnit
    total: Figure
    by_region: list[Figure] | None
    by_month: list[Figure] | None


def indicator_dashboard(*, actor, query: FigureQuery, engine: Engine | None = None) -> Dashboard:
    """Figures of one indicator (`query.indicator`) for its staff page.

    Raises:
        as figure_list.
    """
    engine = engine or Engine()
    definition = definition_of(_computed(indicator_get(code=query.indicator)))
    unit = figure_unit_get(actor=actor, code=query.unit)

    def cells(by: str, *, with_total: bool) -> list[Figure] | None:
        if by not in definition.disaggregations:
            return None
        asked = dataclasses.replace(query, by=by)
        return figure_list(actor=actor, query=asked, engine=engine, with_total=with_total)

    total = None
    # The total comes first with the regions (their sum), at no extra query.
    by_region = cells("region", with_total=True)
    if by_region is not None:
        total, *by_region = by_region
    by_month = cells("month", with_total=total is None)
    if total is None and by_month is not None:
        total, *by_month = by_month
    if total is None:
        (total,) = figure_list(actor=actor, query=query, engine=engine)
    return Dashboard(unit=unit, total=total, by_region=by_region, by_month=by_month)


@dataclass(frozen=True)
class RecordsBehind:
    """The records a figure counts: the indicator, the unit subtree, the year, the records
    (a QuerySet of the numerator's table, newest first) and the fields to show."""

    indicator: Indicator
    unit: OrgUnit
    year: int
    records: QuerySet
    fields: tuple[str, ...]


def indicator_records(*, actor, code: str, year: int, unit_code: str | None) -> RecordsBehind:
    """The records behind an indicator's figure for `year` and a unit of `actor`'s scope —
    the query that produced the figure (its numerator: the same table, filters, validity,
    unit subtree and period), for staff to check a number. Audited as a listing (the
    indicator, year and unit; never the records' contents).

    Raises:
        PermissionDenied: a role that does not read figures.
        Http404: unknown indicator or unit, a unit out of scope.
        FigureError: an entered indicator (no records behind it), an unknown year.
    """
    unit = figure_unit_get(actor=actor, code=unit_code)
    indicator = _computed(indicator_get(code=code))
    check_year(year)
    definition = definition_of(indicator)
    spec = definition.numerator
    records = Engine().records_of(spec, scope=scope_of(unit), period=Period(year))
    audit_event_record(
        actor=actor,
        action="list",
        target=spec.table.model._meta.label_lower,
        detail={"indicator": code, "year": year, "unit": unit.code},
    )
    ordered = records.order_by(f"-{spec.date}", "pk")
    return RecordsBehind(indicator, unit, year, ordered, spec.table.list_fields)


def entry_list(*, actor) -> QuerySet:
    """The aggregate entries of the units in `actor`'s scope, latest first (every unit for
    national roles), with their indicator, unit and author.

    Raises:
        PermissionDenied: a role that does not publish figures.
    """
    if not getattr(actor, "is_authenticated", False) or actor.role not in PUBLISHER_ROLES:
        raise PermissionDenied(_("Your role does not enter figures."))
    entries = AggregateEntry.objects.select_related("indicator", "org_unit", "entered_by")
    return restrict(entries, actor, unit_field="org_unit").order_by("-entered_at", "-pk")
