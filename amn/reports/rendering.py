"""The annual report's outputs, all from one Report (amn.reports.builder): the HTML page
body, a standalone HTML file, the PDF (WeasyPrint) and the JSON export.

The PDF embeds its fonts (Noto Naskh Arabic / Amiri where installed, DejaVu Sans otherwise:
Debian's default, with Arabic glyphs) and its charts as PNG; its text layer holds the Arabic
text in logical order. Latin runs inside Arabic text are isolated in <bdi dir="ltr">
(WeasyPrint reorders adjacent Latin words inside a right-to-left block otherwise).
"""

import dataclasses

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from amn.reports.builder import Report
from amn.reports.charts import PNG, SVG, report_charts

STYLESHEET = "reports/report.css"
FORMATS = ("html", "pdf", "json")


def _stylesheet() -> str:
    with open(finders.find(STYLESHEET), encoding="utf-8") as css:
        return css.read()


def report_context(report: Report, *, charts: str = SVG, downloads=()) -> dict:
    """Template context of reports/_report.html: the report, its charts (SVG for screens,
    PNG for the PDF) and download links [(label, href)]."""
    return {"report": report, "charts": report_charts(report, kind=charts), "downloads": downloads}


def report_html(report: Report, *, for_pdf: bool = False) -> str:
    """The report as one standalone HTML document (stylesheet inlined, charts as data: URIs:
    SVG, or PNG with `for_pdf`)."""
    context = report_context(report, charts=PNG if for_pdf else SVG)
    context["stylesheet"] = "" if for_pdf else _stylesheet()
    with translation.override(report.language):
        return render_to_string("reports/document.html", context)


def report_pdf(report: Report) -> bytes:
    """The report as an A4 PDF with embedded fonts.

    Returns:
        bytes of the PDF.
    """
    import weasyprint  # imported here: loading it costs ~1 s, and only PDFs need it

    document = weasyprint.HTML(
        string=report_html(report, for_pdf=True), base_url=str(settings.BASE_DIR)
    )
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=_stylesheet())])


def _provenance(provenance) -> dict | None:
    if provenance is None:
        return None
    data = dataclasses.asdict(provenance)
    if data["entered_on"] is not None:
        data["entered_on"] = data["entered_on"].isoformat()
    return data


def report_json(report: Report) -> dict:
    """The report's figures as JSON-ready data, raw numbers (never formatted).

    Returns:
        {"year", "org_unit" (unit code), "org_unit_name", "language", "snapshot_checksum",
        "published_at" (ISO or None), "scale", "figures": [{"indicator", "name",
        "section", "value", "unit_of_measure", "previous_value", "change", "definition",
        "counting_rule", "provenance" ({"kind", "source", "entered_by", "entered_on"} or
        None), "previous_provenance" (the same, for previous_value), "as_published",
        "restated"}]}; values None where there are no records.
    """
    figures = []
    for line in report.figures:
        figure = line.figure
        figures.append(
            {
                "indicator": figure.code,
                "name": figure.name,
                "section": figure.section,
                "value": figure.value,
                "unit_of_measure": figure.unit_of_measure,
                "previous_value": figure.previous_value,
                "change": figure.change,
                "definition": figure.definition,
                "counting_rule": figure.counting_rule,
                "provenance": _provenance(figure.provenance),
                "previous_provenance": _provenance(figure.previous_provenance),
                "as_published": figure.as_published,
                "restated": figure.restated,
            }
        )
    return {
        "year": report.year,
        "org_unit": report.unit.code,
        "org_unit_name": report.unit_name,
        "language": report.language,
        "snapshot_checksum": report.snapshot_checksum,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "scale": report.scale,
        "figures": figures,
    }
