"""Template filter for the navigation: whether a user's role reads permits and visas."""

from django import template

from amn.permits.permissions import may_read_permits as _may_read_permits

register = template.Library()


@register.filter
def may_read_permits(user) -> bool:
    """{% if user|may_read_permits %}: True for staff whose role reads residence permits and
    visas (amn.permits.permissions.PERMIT_READERS)."""
    return _may_read_permits(user)
