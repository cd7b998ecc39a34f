"""The annual report over the API: the report's figures as JSON, public for the national
unit, staff-scoped for any other unit."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import translation
from ninja import Query, Router
from ninja.errors import AuthenticationError, HttpError

from amn.access.scoping import unit_in_scope
from amn.api.envelope import ENVELOPE_SCHEMA_NAME, ERROR_DESCRIPTIONS
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit
from amn.indicators.selectors import may_read_figures, tree_root
from amn.reports.builder import ReportInputError
from amn.reports.rendering import report_json
from amn.reports.schemas import ReportOut, ReportQueryIn
from amn.reports.selectors import (
    PUBLIC_CACHE_SECONDS,
    PUBLIC_GROUP,
    PUBLIC_RATE,
    public_cache_key,
    report_get,
    report_unit_get,
)

router = Router(tags=["reports"])
# Public for the national unit, staff-only for the others: the staff refusals are documented
# here, the envelope documents the rest (amn.api.envelope).
STAFF_REFUSALS = {
    str(status): {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ENVELOPE_SCHEMA_NAME}"}}
        },
    }
    for status in (401, 403)
}


@router.get(
    "/{year}",
    response=ReportOut,
    auth=None,
    openapi_extra={"responses": STAFF_REFUSALS},
)
def report(request, year: int, filters: Query[ReportQueryIn]):
    """The report of `year` (figures, definitions, provenance, snapshot checksum) in `lang`
    (ar, fr, en; default: the active language). Without `unit`, or with the national
    root's code: public (rate limited per client: 429 over it), public indicators only;
    staff who read figures get every indicator. Another unit: staff only — 401 without a
    staff session, 403 for a role that does not read figures, 404 for an unknown or
    out-of-scope unit. 404 for a year without figures, 400 for a language not offered."""
    user = request.user
    staff = may_read_figures(user)
    root = tree_root()
    code = filters.unit or root.code
    language = filters.lang or (translation.get_language() or "ar").split("-")[0]
    if code == root.code and not (staff and unit_in_scope(user, root)):
        key = public_cache_key(year=year, language=language, numerals="latn", output="json")
        cached = cache.get(key)
        if cached is None:
            rate_limit(request, group=PUBLIC_GROUP, rate=PUBLIC_RATE)
            cached = report_json(_built(year=year, unit=root, language=language))
            cache.set(key, cached, PUBLIC_CACHE_SECONDS)
        return cached
    if not getattr(user, "is_staff_member", False):
        raise AuthenticationError()
    try:
        unit = report_unit_get(actor=user, code=code)
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    return report_json(_built(year=year, unit=unit, language=language, actor=user))


def _built(*, year: int, unit, language: str, actor=None):
    """The report (public when no actor), with its refusals as HTTP errors."""
    try:
        return report_get(
            year=year, unit=unit, language=language, actor=actor, public=actor is None
        )
    except ReportInputError as problem:
        raise HttpError(400, str(problem)) from None
    except DomainError as problem:
        raise HttpError(404, str(problem)) from None
