"""Template filter for the navigation: whether a user's role reads HR records."""

from django import template

from amn.hr.selectors import may_read_hr as _may_read_hr

register = template.Library()


@register.filter
def may_read_hr(user) -> bool:
    """{% if user|may_read_hr %}: True for staff whose role reads personnel records
    (amn.access.scoping.READERS["hr.staffmember"])."""
    return _may_read_hr(user)
