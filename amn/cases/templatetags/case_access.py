"""Template filters that show case links only to the roles that read cases."""

from django import template

from amn.access.scoping import READERS

register = template.Library()


@register.filter
def may_read_cases(user) -> bool:
    """{% if user|may_read_cases %}: True for signed-in staff whose role reads criminal
    cases (access.scoping.READERS["cases.case"]); the pages enforce it again."""
    return getattr(user, "is_authenticated", False) and user.role in READERS["cases.case"]
