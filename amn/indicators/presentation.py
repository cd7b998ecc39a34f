"""Figures as people read them (CLI table, dashboard), in the active language; CSV and JSON
keep raw numbers (Figure.as_dict)."""

from django.utils.translation import gettext as _

from amn.core.locale_format import format_number
from amn.indicators.choices import Counting, UnitOfMeasure


def figure_text(value, decimals: int) -> str:
    """A value for reading: "—" when undefined, a suppressed cell ("<5") as is, otherwise
    the number in the active language's format with the indicator's decimals."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return format_number(value, decimals=decimals)


def change_text(change: float | None) -> str:
    """A percent change with its sign ("+20,0 %", "−10,0 %"), or "—"."""
    if change is None:
        return "—"
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return f"{sign}{format_number(abs(change), decimals=1)}\u00a0%"


def unit_of_measure_label(value: str) -> str:
    """The unit of measure's name in the active language ("%" for percent)."""
    if value == UnitOfMeasure.PERCENT:
        return "%"
    return str(UnitOfMeasure(value).label)


def counting_label(counting: str | None) -> str:
    """'counted in offences' / 'counted in cases' for indicators that offer the choice."""
    if counting is None:
        return ""
    return _("counted in %(unit)s") % {"unit": Counting(counting).label}
