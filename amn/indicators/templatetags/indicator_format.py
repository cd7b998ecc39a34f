"""Template filters of the indicator pages (see amn.indicators.presentation)."""

from django import template

from amn.indicators import presentation

register = template.Library()


@register.filter
def figure_change(change):
    """{{ figure.change|figure_change }}: "+20,0 %", "−10,0 %" or "—"."""
    return presentation.change_text(change)


@register.filter
def unit_of_measure(value):
    """{{ figure.unit_of_measure|unit_of_measure }}: the unit's name in the active language."""
    return presentation.unit_of_measure_label(value)


@register.filter
def counting(value):
    """{{ figure.counting|counting }}: "counted in offences" / "counted in cases" or ""."""
    return presentation.counting_label(value)


@register.filter
def figure_value(value, decimals=0):
    """{{ row.value|figure_value:2 }}: a published value in the active language's format,
    a suppressed count ("<5") as is, "—" when undefined."""
    return presentation.figure_text(value, int(decimals or 0))
