"""The JSON API (django-ninja, OpenAPI at /api/v1/docs) with one error envelope:
{"error": {"code": str, "message": str}}."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from amn.api.envelope import AmnAPI
from amn.appointments.api import router as appointments_router
from amn.cases.api import router as cases_router
from amn.certificates.api import router as certificates_router
from amn.core.errors import DomainError
from amn.core.ratelimits import Ratelimited, too_many_requests
from amn.idcards.api import router as idcards_router
from amn.indicators.api import router as indicators_router
from amn.mobileunits.api import router as mobileunits_router
from amn.orgunits.api import router as orgunits_router
from amn.people.api import router as people_router
from amn.permits.api import router as permits_router
from amn.reports.api import router as reports_router

api = AmnAPI(title="Amn API", version="1", urls_namespace="api")
api.add_router("/units", orgunits_router)
api.add_router("/people", people_router)
api.add_router("/indicators", indicators_router)
api.add_router("/cases", cases_router)
api.add_router("/certificates", certificates_router)
api.add_router("/cnie", idcards_router)
api.add_router("/appointments", appointments_router)
api.add_router("/permits", permits_router)
api.add_router("/mobile-units", mobileunits_router)
api.add_router("/reports", reports_router)


def _envelope(request, status: int, code: str, message: str, **extra):
    return api.create_response(
        request, {"error": {"code": code, "message": message, **extra}}, status=status
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    """404 for absent and out-of-scope records alike (existence does not leak)."""
    return _envelope(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    """401 when no staff session accompanies the request."""
    return _envelope(request, 401, "unauthenticated", _("Sign in as a staff member."))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """422 with the per-field errors of the request's parameters or body."""
    return _envelope(request, 422, "invalid", _("Invalid request."), fields=exc.errors)


@api.exception_handler(DomainError)
def refused(request, exc):
    """409 when a service's business rule refuses the operation (DomainError)."""
    return _envelope(request, 409, "refused", str(exc))


@api.exception_handler(Ratelimited)
def rate_limited(request, exc):
    """429 with Retry-After when a client or an identity is over its rate limit."""
    return too_many_requests(request, exc)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Any other HTTP error raised by an endpoint, in the same envelope."""
    return _envelope(request, exc.status_code, "error", str(exc))


urlpatterns = api.urls
