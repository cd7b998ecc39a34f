"""The current request's audit context (IP address, request id), set by the middleware."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    request_id: str


current: ContextVar[RequestContext | None] = ContextVar("amn_request_context", default=None)
