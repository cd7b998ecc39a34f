"""Template filters of the annual report (amn.reports.rendering)."""

from django import template

register = template.Library()


@register.filter
def charts_of(charts: dict, code: str) -> list:
    """{{ charts|charts_of:line.code }}: the charts of one indicator (amn.reports.charts),
    an empty list when it has none."""
    return (charts or {}).get(code, [])
