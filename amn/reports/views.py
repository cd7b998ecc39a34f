"""Pages of the annual report.

Public (no sign-in, /reports/<year>/): the national report in the active language (or
?lang=ar|fr|en), with ?numerals=arab for Arabic-Indic digits; its PDF and JSON. Each output
is computed once and cached (amn.reports.selectors.PUBLIC_CACHE_SECONDS); a computation is
rate limited per client like the public statistics (a national year takes seconds).

Staff (/staff/reports/<year>/<unit_code>/): the report of any unit of the reader's scope
(roles that read figures), each figure linked to the records behind it; its PDF and JSON;
a "publish" button for administrators and national analysts (POST …/publish/).
"""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amn.backoffice.decorators import staff_required
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit
from amn.indicators.selectors import may_read_figures
from amn.indicators.services import may_publish
from amn.indicators.yearly import check_year
from amn.reports.builder import LANGUAGES, ReportInputError, check_language
from amn.reports.forms import ReportChoiceForm
from amn.reports.rendering import report_context, report_json, report_pdf
from amn.reports.selectors import (
    PUBLIC_CACHE_SECONDS,
    PUBLIC_GROUP,
    PUBLIC_RATE,
    latest_report_year,
    public_cache_key,
    public_unit_get,
    report_get,
    report_unit_get,
)
from amn.reports.services import report_publish


def _choices(request) -> tuple[str, str]:
    """The language (?lang=, else the active one) and numerals (?numerals=, default latn)."""
    language = request.GET.get("lang") or (translation.get_language() or "ar").split("-")[0]
    return language, request.GET.get("numerals") or "latn"


def _error(request, message: str, status: int, language: str | None = None):
    active = language if language in LANGUAGES else None
    with translation.override(active or translation.get_language()):
        return render(request, "reports/error.html", {"error": message}, status=status)


def _output(report, output: str, *, downloads=()):
    """The report rendered as `output`: "pdf" bytes, "json" data, or the "html" body
    (reports/_report.html, a SafeString of our own template)."""
    if output == "pdf":
        return report_pdf(report)
    if output == "json":
        return report_json(report)
    with translation.override(report.language):
        return render_to_string("reports/_report.html", report_context(report, downloads=downloads))


def _respond(request, output: str, body, *, year: int, language: str, name: str, **page):
    if output == "pdf":
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    if output == "json":
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    with translation.override(language):
        return render(request, "reports/page.html", {"year": year, "body": body} | page)


def _downloads(base: str, language: str, numerals: str) -> list[tuple[str, str]]:
    """Links to the PDF and JSON of the report shown, in its language and numbering (the
    public body is cached: the links may not depend on the visitor's own language)."""
    query = urlencode({"lang": language, "numerals": numerals})
    return [(_("PDF"), f"{base}report.pdf?{query}"), (_("JSON"), f"{base}report.json?{query}")]


def _public(request, year: int, output: str):
    language, numerals = _choices(request)
    try:
        check_language(language, numerals)
        check_year(year)  # before the cache key: an absurd year never reaches the database
        unit = public_unit_get(code=request.GET.get("unit"))
    except ReportInputError as problem:
        return _error(request, str(problem), 400)
    except (Http404, DomainError) as problem:
        return _error(request, str(problem), 404, language)
    key = public_cache_key(year=year, language=language, numerals=numerals, output=output)
    body = cache.get(key)
    if body is None:
        # Only a computation counts against the client's rate.
        rate_limit(request, group=PUBLIC_GROUP, rate=PUBLIC_RATE)
        try:
            report = report_get(
                year=year, unit=unit, language=language, numerals=numerals, public=True
            )
        except DomainError as problem:
            return _error(request, str(problem), 404, language)
        base = reverse("reports_public:report", args=[year])
        downloads = _downloads(base, language, numerals)
        body = _output(report, output, downloads=downloads)
        cache.set(key, body, PUBLIC_CACHE_SECONDS)
    name = f"amn-report-{year}-{unit.code}-{language}"
    return _respond(request, output, body, year=year, language=language, name=name)


def public_latest(request):
    """GET /reports/: the latest year's national report (selectors.latest_report_year)."""
    return redirect("reports_public:report", latest_report_year())


def public_report(request, year: int):
    """GET /reports/<year>/?lang=&numerals=: the national report as a page; 404 for a year
    without figures (the message says which years have them), 400 for a language or
    numerals not offered, 429 over the rate."""
    return _public(request, year, "html")


def public_report_pdf(request, year: int):
    """GET /reports/<year>/report.pdf: the national report as a PDF (same parameters)."""
    return _public(request, year, "pdf")


def public_report_json(request, year: int):
    """GET /reports/<year>/report.json: the national report's figures as JSON (the API's
    shape, amn.reports.rendering.report_json)."""
    return _public(request, year, "json")


def _staff(request, year: int, unit_code: str, output: str):
    if not may_read_figures(request.user):
        raise PermissionDenied(_("Your role does not read crime figures."))
    language, numerals = _choices(request)
    unit = report_unit_get(actor=request.user, code=unit_code)  # Http404 out of scope
    try:
        report = report_get(
            year=year, unit=unit, language=language, numerals=numerals, actor=request.user
        )
    except ReportInputError as problem:
        return _error(request, str(problem), 400)
    except DomainError as problem:
        return _error(request, str(problem), 404, language)
    downloads = _downloads(reverse("reports:report", args=[year, unit.code]), language, numerals)
    publish_url = (
        reverse("reports:publish", args=[year, unit.code])
        if may_publish(request.user, unit)
        else ""
    )
    return _respond(
        request,
        output,
        _output(report, output, downloads=downloads),
        year=year,
        language=language,
        name=f"amn-report-{year}-{unit.code}-{language}",
        publish_url=publish_url,
    )


@staff_required
def staff_report(request, year: int, unit_code: str):
    """GET /staff/reports/<year>/<unit_code>/?lang=&numerals=: the report of a unit of your
    scope; 403 for a role that does not read figures, 404 for an unknown or out-of-scope
    unit or a year without figures."""
    return _staff(request, year, unit_code, "html")


@staff_required
def staff_report_pdf(request, year: int, unit_code: str):
    """GET /staff/reports/<year>/<unit_code>/report.pdf: the same report as a PDF."""
    return _staff(request, year, unit_code, "pdf")


@staff_required
def staff_report_json(request, year: int, unit_code: str):
    """GET /staff/reports/<year>/<unit_code>/report.json: the same report as JSON."""
    return _staff(request, year, unit_code, "json")


@staff_required
@require_POST
def staff_report_publish(request, year: int, unit_code: str):
    """POST /staff/reports/<year>/<unit_code>/publish/: freeze the year's figures of the
    unit (administrators and analysts whose scope holds it; others 403, units out of
    scope 404), then back to the report."""
    unit = report_unit_get(actor=request.user, code=unit_code)
    if not may_publish(request.user, unit):
        raise PermissionDenied(_("Only administrators and analysts of the unit publish reports."))
    try:
        snapshot = report_publish(actor=request.user, year=year, unit=unit)
    except DomainError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request,
            _("The figures of %(year)d are published (checksum %(checksum)s).")
            % {"year": year, "checksum": snapshot.checksum[:12]},
        )
    return redirect("reports:report", year, unit.code)


@staff_required
def staff_index(request):
    """GET /staff/reports/?year=&unit=: choose a year and a unit of your scope (default:
    yours, or the national root for national roles), then go to its report."""
    if not may_read_figures(request.user):
        raise PermissionDenied(_("Your role does not read crime figures."))
    form = ReportChoiceForm(request.GET or None)
    if form.is_valid():
        unit = report_unit_get(actor=request.user, code=form.cleaned_data["unit"] or None)
        return redirect("reports:report", form.cleaned_data["year"], unit.code)
    return render(request, "reports/index.html", {"form": form})
