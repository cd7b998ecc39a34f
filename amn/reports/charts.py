"""Charts of the annual report: a bar chart by region and a chart by month for each figure
that has those breakdowns, drawn by amn.indicators.charts (Vega-Altair, vl-convert, mirrored
for Arabic, Moroccan number format).

The HTML takes them as SVG. The PDF takes them as PNG: WeasyPrint does not shape Arabic text
inside SVG, while vl-convert's own renderer (resvg) does, so the same SVG is rasterised here.
Each section charts its lead figure — the first, in catalogue order, with cells by region
(and the first with cells by month): drawing costs about 0.25 s a chart and a PDF page of
charts about as much again, and a chart per figure would take most of the report's time
budget (30 s for the national report); every figure keeps its table by region.
Each chart is drawn once per report and format (cached on Report.charts).
"""

import base64
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from amn.indicators import charts
from amn.reports.builder import Report, ReportFigure

SVG, PNG = "svg", "png"
SVG_PREFIX = "data:image/svg+xml;base64,"
PNG_SCALE = 2.0  # pixels per SVG unit: sharp when printed at the page's width


@dataclass(frozen=True)
class Chart:
    """One chart: `uri` a data: URI (SVG or PNG) and `alt` its text alternative."""

    uri: str
    alt: str


def _png(svg_uri: str) -> str:
    import vl_convert

    svg = base64.b64decode(svg_uri.removeprefix(SVG_PREFIX)).decode("utf-8")
    png = vl_convert.svg_to_png(svg, scale=PNG_SCALE)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _draw(line: ReportFigure, year: int, *, regions: bool, months: bool) -> list[Chart]:
    figure = line.figure
    drawn = []
    if regions:
        uri = charts.bar_chart(
            list(line.chart_regions),
            title=_("%(indicator)s by region, %(period)s")
            % {"indicator": figure.name, "period": year},
            unit=line.unit or "%",
            decimals=figure.decimals,
        )
        alt = _("Bar chart of %(name)s by region; the table below gives the same figures.")
        drawn.append(Chart(uri, alt % {"name": figure.name}))
    if months:
        uri = charts.month_chart(
            list(line.chart_months),
            title=_("%(indicator)s by month") % {"indicator": figure.name},
            unit=line.unit or "%",
            decimals=figure.decimals,
            previous_label=str(year - 1),
        )
        alt = _("Bar chart of %(name)s by month, beside the same months a year earlier.")
        drawn.append(Chart(uri, alt % {"name": figure.name}))
    return drawn


def report_charts(report: Report, *, kind: str = SVG) -> dict[str, list[Chart]]:
    """The charts of each section's lead figures (see the module docstring), keyed by
    indicator code (other figures are absent).

    Args:
        kind: SVG (the HTML) or PNG (the PDF).
    Returns:
        dict code → list of Chart, region chart first.
    """
    if kind in report.charts:
        return report.charts[kind]
    if kind == PNG:
        drawn = {
            code: [Chart(_png(chart.uri), chart.alt) for chart in charts_of]
            for code, charts_of in report_charts(report, kind=SVG).items()
        }
    else:
        drawn = {}
        with translation.override(report.language):
            for section in report.sections:
                region_lead = next((f for f in section.figures if f.chart_regions), None)
                month_lead = next((f for f in section.figures if f.chart_months), None)
                for line in {region_lead, month_lead} - {None}:
                    drawn[line.code] = _draw(
                        line, report.year, regions=line is region_lead, months=line is month_lead
                    )
    report.charts[kind] = drawn
    return drawn
