"""The current request's audit context (IP address, request id), set by the middleware."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """Client IP (REMOTE_ADDR, or None) and request id (UUID string) of the current request."""

    ip_address: str | None
    request_id: str


current: ContextVar[RequestContext | None] = ContextVar("amn_request_context", default=None)


def current_request_id() -> str | None:
    """The current request's id, used by django-auditlog as its correlation id (cid) so that
    a LogEntry and our AuditEvents of the same request share one id."""
    request = current.get()
    return request.request_id if request else None


class RequestIdLogFilter:
    """Logging filter: sets `record.request_id` to the current request's id ("-" outside a
    request), so that log lines carry the correlation id shown on error pages."""

    def filter(self, record) -> bool:
        record.request_id = current_request_id() or "-"
        return True
