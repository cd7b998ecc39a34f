"""Give every request an id and remember its client IP for audit events."""

import uuid

from auditlog.middleware import AuditlogMiddleware

from amn.audit import context


class RequestContextMiddleware:
    """Set `request.request_id` and the audit context; echo the id in `X-Request-ID`.

    The client IP is REMOTE_ADDR: Amn is served directly or behind a proxy that rewrites
    REMOTE_ADDR, so a client-supplied X-Forwarded-For is never trusted here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        token = context.current.set(
            context.RequestContext(
                ip_address=request.META.get("REMOTE_ADDR") or None, request_id=request.request_id
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.current.reset(token)
        response.headers["X-Request-ID"] = request.request_id
        return response


class TrustedAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, but recording REMOTE_ADDR only: the stock one believes
    a client-supplied X-Forwarded-For, which would let anyone forge the audit IP."""

    @staticmethod
    def _get_remote_addr(request):
        return request.META.get("REMOTE_ADDR")

    @staticmethod
    def _get_remote_port(request):
        return None
