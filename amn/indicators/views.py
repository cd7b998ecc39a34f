"""Pages of the indicators: for staff, the catalogue and one dashboard per indicator
(never suppressed); for the public, the statistics page (small counts suppressed, rate
limited)."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amn.backoffice.decorators import staff_required
from amn.core.errors import DomainError
from amn.core.locale_format import format_date
from amn.core.localized_fields import localized
from amn.core.ratelimits import rate_limit
from amn.indicators import charts
from amn.indicators.definitions import definition_of
from amn.indicators.engine import Engine, Figure
from amn.indicators.forms import AggregateEntryForm, FigureForm, PublicFigureForm
from amn.indicators.presentation import unit_of_measure_label
from amn.indicators.selectors import (
    PUBLIC_GROUP,
    PUBLIC_RATE,
    FigureQuery,
    entry_list,
    figure_list,
    figure_unit_get,
    indicator_dashboard,
    indicator_get,
    indicator_list,
    indicator_records,
    may_read_figures,
    public_rows,
    suppression_threshold,
)
from amn.indicators.services import PUBLISHER_ROLES, aggregate_entry_record


def _check_reader(user) -> None:
    if not may_read_figures(user):
        raise PermissionDenied(_("Your role does not read crime figures."))


@staff_required
def index(request):
    """GET /staff/indicators/: the indicator catalogue (roles that read figures)."""
    _check_reader(request.user)
    context = {"indicators": indicator_list(), "may_enter": request.user.role in PUBLISHER_ROLES}
    return render(request, "indicators/index.html", context)


@staff_required
def dashboard(request, code: str):
    """GET /staff/indicators/<code>/?year=&unit=&counting=: one indicator for a unit of
    the actor's scope and a year: total with the previous year and the change, the
    counting rule, a chart and a table by region, a chart by month. Never suppressed.
    404 for an unknown indicator; unknown or out-of-scope units are reported on the page."""
    _check_reader(request.user)
    indicator = indicator_get(code=code)
    context = {"indicator": indicator}
    if indicator.is_entered:
        context["error"] = _(
            "This figure is entered as an aggregate, with its source: see the report."
        )
        return render(request, "indicators/dashboard.html", context)
    try:
        definition = definition_of(indicator)
    except DomainError as problem:  # an administrator's edit the engine cannot compute
        context["error"] = str(problem)
        return render(request, "indicators/dashboard.html", context)
    engine = Engine()
    years = engine.records_years()
    if years is None:
        context["error"] = _("No case records yet.")
        return render(request, "indicators/dashboard.html", context)
    form = FigureForm(
        request.GET or None, years=years, offers_counting=definition.counting is not None
    )
    context["form"] = form
    if form.is_bound and not form.is_valid():
        return render(request, "indicators/dashboard.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    query = FigureQuery(
        year=data.get("year") or years[1],
        unit=data.get("unit") or None,
        indicator=code,
        counting=data.get("counting") or None,
    )
    try:
        dashboard = indicator_dashboard(actor=request.user, query=query, engine=engine)
    except (Http404, DomainError) as problem:
        context["error"] = str(problem)
        return render(request, "indicators/dashboard.html", context)
    unit = unit_of_measure_label(indicator.unit_of_measure)
    name = localized(indicator, "name")
    context.update(dashboard=dashboard, unit_label=unit)
    if dashboard.by_region:
        context["region_chart"] = charts.bar_chart(
            dashboard.by_region,
            title=_("%(indicator)s by region, %(period)s")
            % {"indicator": name, "period": dashboard.total.period},
            unit=unit,
            decimals=indicator.decimals,
        )
    if dashboard.by_month:
        context["month_chart"] = charts.month_chart(
            dashboard.by_month,
            title=_("%(indicator)s by month") % {"indicator": name},
            unit=unit,
            decimals=indicator.decimals,
            previous_label=str(query.year - 1),
        )
    return render(request, "indicators/dashboard.html", context)


@dataclass(frozen=True)
class PublicCell:
    """One published figure as the public page shows it: the Figure, its published row
    (public_rows) and its Indicator, with `hidden_*` telling which values small-count
    suppression hid."""

    figure: Figure
    row: dict
    indicator: object

    @property
    def hidden_value(self) -> bool:
        return self.row["value"] != self.figure.value

    @property
    def hidden_previous(self) -> bool:
        return self.row["previous_value"] != self.figure.previous_value


def public_statistics(request):
    """GET /statistics/?year=&indicator=: the public indicators of the national tree for a
    year (default: the last year with records), with the year before, the change and each
    indicator's counting rule; with `indicator`, that indicator by region. No sign-in.
    Cells resting on fewer records than AMN_SUPPRESSION_THRESHOLD are hidden ("<5"), and
    the rule says so next to the figures. Rate limited per client (PUBLIC_RATE, shared
    with the public values API): over it, 429."""
    rate_limit(request, group=PUBLIC_GROUP, rate=PUBLIC_RATE)
    engine = Engine()
    years = engine.records_years()
    indicators = {indicator.code: indicator for indicator in indicator_list(public=True)}
    context = {"threshold": suppression_threshold(), "indicators": indicators}
    if years is None or not indicators:
        context["error"] = _("No figures are published yet.")
        return render(request, "indicators/public.html", context)
    regional = [
        (code, localized(indicator, "name"))
        for code, indicator in indicators.items()
        if "region" in (indicator.disaggregations or [])
    ]
    form = PublicFigureForm(request.GET or None, years=years, indicators=regional)
    context["form"] = form
    if form.is_bound and not form.is_valid():
        return render(request, "indicators/public.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or years[1]
    try:
        totals = figure_list(actor=None, query=FigureQuery(year=year), public=True, engine=engine)
        context["totals"] = _public_cells(totals, indicators)
        if data.get("indicator"):
            query = FigureQuery(year=year, indicator=data["indicator"], by="region")
            cells = figure_list(actor=None, query=query, public=True, engine=engine)
            context["breakdown"] = indicators[data["indicator"]]
            context["regions"] = _public_cells(cells, indicators)
    except (Http404, DomainError) as problem:
        context["error"] = str(problem)
        return render(request, "indicators/public.html", context, status=400)
    context["year"] = year
    return render(request, "indicators/public.html", context)


def _public_cells(figures: list[Figure], indicators: dict) -> list[PublicCell]:
    return [
        PublicCell(figure, row, indicators[figure.indicator])
        for figure, row in zip(figures, public_rows(figures), strict=True)
    ]


RECORDS_PER_PAGE = 50


@staff_required
def records(request, code: str):
    """GET /staff/indicators/<code>/records/?year=&unit=&page=: the records behind the
    indicator's figure for a year and a unit of the actor's scope (the figure's own query),
    50 a page. Audited as a listing. 404 for an unknown indicator or an out-of-scope unit;
    400 for a missing or bad year, or an entered indicator."""
    _check_reader(request.user)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return HttpResponseBadRequest(_("year: give the year of the figure, e.g. ?year=2025"))
    try:
        behind = indicator_records(
            actor=request.user, code=code, year=year, unit_code=request.GET.get("unit") or None
        )
    except DomainError as problem:
        return HttpResponseBadRequest(str(problem))
    model = behind.records.model
    columns = [model._meta.get_field(name.split("__")[0]).verbose_name for name in behind.fields]
    page = Paginator(behind.records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [[_cell(getattr(record, name)) for name in behind.fields] for record in page]
    return render(
        request,
        "indicators/records.html",
        {"behind": behind, "columns": columns, "rows": rows, "page": page},
    )


def _cell(value):
    """A record's field as shown: dates and units in the reader's language, choices by
    their label."""
    if isinstance(value, datetime.date):
        return format_date(value)
    if hasattr(value, "name_ar"):
        return localized(value, "name")
    return value


@staff_required
def entries(request):
    """GET/POST /staff/indicators/entries/: the figures entered as aggregates for the units
    of the actor's scope (administrators and analysts), and the form entering one (the
    latest entry of an indicator, year and unit is the figure; earlier ones stay)."""
    listed = entry_list(actor=request.user)
    form = AggregateEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = figure_unit_get(actor=request.user, code=data["unit"] or None)
            aggregate_entry_record(
                actor=request.user,
                indicator_code=data["indicator"].code,
                year=data["year"],
                unit=unit,
                value=data["value"],
                source=data["source"],
                source_date=data["source_date"],
            )
        except (DomainError, Http404) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, _("The figure is entered."))
            return redirect("indicators:entries")
    page = Paginator(listed, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "indicators/entries.html", {"form": form, "page": page})
