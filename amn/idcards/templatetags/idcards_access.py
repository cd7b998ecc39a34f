"""{{ user|may_read_cnie }} and {{ user|may_read_calendar }}: whether the navigation shows
the CNIE worklist and the appointment calendar to this user (amn.idcards.roles,
amn.appointments.roles)."""

from django import template

from amn.appointments.roles import may_read_calendar as _may_read_calendar
from amn.idcards.roles import may_read

register = template.Library()


@register.filter
def may_read_cnie(user) -> bool:
    """True for active staff whose role reads CNIE applications."""
    return may_read(user)


@register.filter
def may_read_calendar(user) -> bool:
    """True for active staff whose role reads appointment calendars."""
    return _may_read_calendar(user)
