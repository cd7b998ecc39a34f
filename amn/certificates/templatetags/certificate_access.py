"""Template filters that show the certificate review links only to reviewers."""

from django import template

from amn.certificates.selectors import may_review

register = template.Library()


@register.filter
def may_review_certificates(user) -> bool:
    """{% if user|may_review_certificates %}: True for active staff posted to a unit whose
    role reviews certificate applications (services.REVIEWER_ROLES); the pages enforce it
    again."""
    return may_review(user)
