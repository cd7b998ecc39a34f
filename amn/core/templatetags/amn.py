"""Template filters of the shell: locale formatting, bidi isolation, localized fields."""

from django import template
from django.utils.html import format_html

from amn.core import locale_format
from amn.core.localized_fields import localized

register = template.Library()


@register.filter
def amn_number(value, decimals=None):
    """{{ value|amn_number }} or {{ value|amn_number:1 }}: see locale_format.format_number."""
    return locale_format.format_number(value, decimals=decimals)


@register.filter
def amn_percent(value, decimals=1):
    """{{ value|amn_percent }}: a percentage in percent units, see format_percent."""
    return locale_format.format_percent(value, decimals=decimals)


@register.filter
def amn_date(value, style="long"):
    """{{ value|amn_date }} or {{ value|amn_date:"short" }}: see format_date."""
    return locale_format.format_date(value, style=style)


@register.filter
def amn_country(code):
    """{{ person.nationality|amn_country }}: the country's name, see format_country."""
    return locale_format.format_country(code)


@register.filter
def bidi(value):
    """Isolate a Latin run (ID, e-mail, French name, digits) inside Arabic text.

    Returns escaped HTML: <bdi dir="ltr">value</bdi>.
    """
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def tr(obj, base="name"):
    """{{ unit|tr:"name" }}: the active language's `name_<lang>` of a model, with fallback."""
    return localized(obj, base)
