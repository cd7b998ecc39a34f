"""Charts of figures: Vega-Lite specs built with Altair, rendered to SVG offline by
vl-convert (no browser, no network), returned as data: URIs for an <img> (the page's
Content-Security-Policy allows data: images and no inline styles).

Right-to-left languages mirror the charts: bars grow from the right, the category axis
stands on the right and months run from right to left. Numbers use the Moroccan grouping
of the active language (3.685.964; decimal comma) like amn.core.locale_format.
"""

import base64

from django.utils import translation

from amn.core.locale_format import babel_locale
from amn.indicators.engine import Figure

# d3-format locales (vl-convert `format_locale`) matching amn.core.formats.
NUMBER_LOCALES = {
    "ar": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0DH"]},
    "fr": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0DH"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " MAD"]},
}
BAR_COLOUR = "#0b4f6c"  # --brand of amn.css
PREVIOUS_COLOUR = "#9fb3c8"


def _svg_data_uri(spec: dict) -> str:
    import vl_convert

    language = babel_locale().split("_")[0]
    svg = vl_convert.vegalite_to_svg(spec, format_locale=NUMBER_LOCALES[language])
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _value_axis(decimals: int, **options):
    """A value axis with the number format of the figures; whole numbers get whole ticks."""
    if decimals == 0:
        options["tickMinStep"] = 1
    return options | {"format": f",.{decimals}f"}


def bar_chart(figures: list[Figure], *, title: str, unit: str, decimals: int) -> str:
    """Horizontal bars, one per cell (e.g. region), longest first.

    Args:
        figures: cells of one indicator (Figure.label names each bar; undefined values are
            left out); title: the chart title; unit: the value axis title.
        decimals: decimal places of the axis labels.
    Returns:
        str: a data:image/svg+xml URI.
    """
    import altair as alt

    rtl = translation.get_language_bidi()
    rows = [{"label": f.label, "value": f.value} for f in figures if f.value is not None]
    chart = (
        alt.Chart(alt.Data(values=rows), title=title, width=420)
        .mark_bar(color=BAR_COLOUR)
        .encode(
            y=alt.Y(
                "label:N",
                sort="-x",
                title=None,
                axis=alt.Axis(orient="right" if rtl else "left", labelLimit=240),
            ),
            x=alt.X(
                "value:Q",
                title=unit,
                scale=alt.Scale(reverse=rtl),
                axis=alt.Axis(**_value_axis(decimals)),
            ),
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q")],
        )
    )
    return _svg_data_uri(chart.to_dict())


def month_chart(
    figures: list[Figure], *, title: str, unit: str, decimals: int, previous_label: str
) -> str:
    """Bars per month of the period beside the same months a year earlier.

    Args:
        figures: the month cells of one indicator, in calendar order.
        previous_label: legend name of the comparison year.
    Returns:
        str: a data:image/svg+xml URI.
    """
    import altair as alt

    rtl = translation.get_language_bidi()
    months = [f.label for f in figures]
    rows = []
    for figure in figures:
        rows.append({"month": figure.label, "series": figure.period, "value": figure.value})
        if figure.previous_value is not None:
            rows.append(
                {"month": figure.label, "series": previous_label, "value": figure.previous_value}
            )
    series = [figures[0].period] if figures else []
    if any(row["series"] == previous_label for row in rows):
        series.append(previous_label)
    chart = (
        alt.Chart(alt.Data(values=rows), title=title, width=alt.Step(14))
        .mark_bar()
        .encode(
            x=alt.X(
                "month:N",
                sort=list(reversed(months)) if rtl else months,
                title=None,
                axis=alt.Axis(labelAngle=-45),
            ),
            xOffset=alt.XOffset("series:N", sort=series),
            y=alt.Y(
                "value:Q",
                title=unit,
                axis=alt.Axis(**_value_axis(decimals, orient="right" if rtl else "left")),
            ),
            color=alt.Color(
                "series:N",
                sort=series,
                title=None,
                scale=alt.Scale(domain=series, range=[BAR_COLOUR, PREVIOUS_COLOUR][: len(series)]),
                legend=alt.Legend(orient="top"),
            ),
        )
    )
    return _svg_data_uri(chart.to_dict())
