"""Reads of the annual report: which unit a reader may report on, and the report itself,
built from ONE computation of the year's figures (amn.indicators.yearly.year_figures) and
the unit changes of the year and the next (amn.orgunits.selectors.unit_events_in_year).

Who reads which report: anyone reads the national report (the tree root's), with small
counts of its regional breakdowns suppressed as on the public statistics page; staff who
read figures (amn.indicators.selectors.may_read_figures) read the report of any unit in
their scope, unsuppressed, each figure linked to the records behind it.
"""

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amn.indicators import yearly
from amn.indicators.choices import IndicatorKind
from amn.indicators.engine import Engine
from amn.indicators.models import AggregateEntry, GeneratedYear, Indicator, Snapshot
from amn.indicators.selectors import (
    figure_unit_get,
    may_read_figures,
    suppression_threshold,
    tree_root,
)
from amn.orgunits.models import OrgUnit
from amn.orgunits.selectors import unit_events_in_year
from amn.reports.builder import LANGUAGES, Report, check_language, report_build
from amn.reports.numbers import NUMERALS

# The public national report is computed once per year, language, numbering and format
# and kept this long (a national year takes seconds to compute); publishing clears it.
PUBLIC_CACHE_SECONDS = 600
# A computation of the public report counts against the client's rate (page, PDF, JSON and
# API together), as the public statistics do (amn.indicators.selectors.PUBLIC_RATE).
PUBLIC_GROUP = "reports.public"
PUBLIC_RATE = "10/m"
PUBLIC_OUTPUTS = ("html", "pdf", "json")


def report_unit_get(*, actor, code: str | None) -> OrgUnit:
    """The unit a report covers.

    Args:
        actor: a staff User (scoped), or None for the command line (every unit).
        code: a unit code; None gives the national root (tree_root()) for the command line
            and national roles, the actor's own unit otherwise.
    Raises:
        PermissionDenied: the actor's role does not read figures.
        Http404: unknown unit, or outside the actor's units (the message names the code).
    """
    return figure_unit_get(actor=actor, code=code)


def public_unit_get(*, code: str | None) -> OrgUnit:
    """The unit of a public report: the national root only.

    Raises:
        Http404: another unit (its report is for staff), or no unit tree.
    """
    root = tree_root()
    if code not in (None, "", root.code):
        raise Http404(_("Only the national report is public."))
    return root


def month_leads() -> frozenset[str]:
    """The indicators the report charts by month: in each section, the first indicator
    computed from records that allows a breakdown by month (amn.reports.charts draws
    the month chart of a section's first figure that has one)."""
    leads: dict[str, str] = {}
    indicators = Indicator.objects.filter(kind=IndicatorKind.RECORDS).order_by("rank", "code")
    for code, section, disaggregations in indicators.values_list(
        "code", "section", "disaggregations"
    ):
        if "month" in (disaggregations or []):
            leads.setdefault(section, code)
    return frozenset(leads.values())


def _public_codes() -> set[str]:
    return set(Indicator.objects.filter(is_public=True).values_list("code", flat=True))


def report_get(
    *,
    year: int,
    unit: OrgUnit,
    language: str,
    numerals: str = "latn",
    actor=None,
    public: bool = False,
) -> Report:
    """Build the report of `year` for `unit`'s subtree in `language`.

    The caller has checked access (report_unit_get / public_unit_get).

    Args:
        year: the calendar year; unit: the subtree's root.
        language: "ar", "fr" or "en"; numerals: "latn" or "arab".
        actor: the staff reader (figures link to their records when the actor reads
            figures), or None (command line, public).
        public: the public national report: public indicators only, small region counts
            suppressed (settings.AMN_SUPPRESSION_THRESHOLD), no record links.
    Returns:
        Report.
    Raises:
        ReportInputError: a language or numerals not offered.
        FigureError (amn.indicators.engine): a year no report can be about.
    """
    check_language(language, numerals)
    # Public reports hide small cells and draw no month chart (builder.report_build).
    months_for = frozenset() if public else month_leads()
    with translation.override(language):
        figures = yearly.year_figures(year=year, unit=unit, months_for=months_for)
    if public:
        public_codes = _public_codes()
        figures = type(figures)(
            year=figures.year,
            unit=figures.unit,
            figures=tuple(f for f in figures.figures if f.code in public_codes),
            snapshot_checksum=figures.snapshot_checksum,
            published_at=figures.published_at,
            scale=figures.scale,
        )
    events = unit_events_in_year(year=year).filter(unit__path__startswith=unit.path)
    planned = unit_events_in_year(year=year + 1).filter(unit__path__startswith=unit.path)
    return report_build(
        figures,
        language=language,
        numerals=numerals,
        events=list(events),
        planned=list(planned),
        records_links=not public and actor is not None and may_read_figures(actor),
        suppression_threshold=suppression_threshold() if public else None,
        public=public,
    )


def latest_report_year() -> int:
    """The year the public report opens on: the latest year published from Amn or generated
    (the demo), else the last year of recorded offences, else last calendar year."""
    candidates = [
        *Snapshot.objects.filter(external=False)
        .order_by("-year")
        .values_list("year", flat=True)[:1],
        *GeneratedYear.objects.order_by("-year").values_list("year", flat=True)[:1],
    ]
    if not candidates:
        years = Engine().records_years()
        candidates = [years[1] if years else timezone.localdate().year - 1]
    return max(candidates)


def public_cache_key(
    *, year: int, language: str, numerals: str, output: str, stamp: int | None = None
) -> str:
    """The cache key of one public output (output: "html" body, "pdf" bytes, "json"). It
    holds the latest aggregate entry of the year and the year before (`stamp`, read when
    not given: one indexed query), so that an entered or corrected figure shows at once;
    new records show within PUBLIC_CACHE_SECONDS."""
    if stamp is None:
        stamp = _entries_stamp(year)
    return f"reports.public:{year}:{stamp}:{language}:{numerals}:{output}"


def _entries_stamp(year: int) -> int:
    latest = (
        AggregateEntry.objects.filter(year__in=(year, year - 1))
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest or 0


def public_cache_clear(*, year: int) -> None:
    """Forget every cached public output of `year` (after publishing its figures)."""
    stamp = _entries_stamp(year)
    cache.delete_many(
        [
            public_cache_key(
                year=year, language=language, numerals=numerals, output=output, stamp=stamp
            )
            for language in LANGUAGES
            for numerals in NUMERALS
            for output in PUBLIC_OUTPUTS
        ]
    )
