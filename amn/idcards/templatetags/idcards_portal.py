"""{% cnie_my_requests user %}: the signed-in citizen's CNIE applications, for the
portal's "My requests" page (amn/portal/templates/portal/my_requests.html)."""

from django import template

from amn.idcards.selectors import citizen_application_list

register = template.Library()


@register.inclusion_tag("idcards/_my_requests.html")
def cnie_my_requests(user):
    """Render the applications made from `user`'s account (newest first, at most 20)."""
    return {"applications": list(citizen_application_list(citizen=user)[:20])}
