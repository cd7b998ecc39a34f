"""Rate limits of public endpoints, counted by django-ratelimit in the shared cache (Redis in
production, local memory in the demo), and the 429 answer.

Limits are per client (IP address) and per identity (a CNIE number, a reference, a
username): the identity is hashed by django-ratelimit before it becomes a cache key, so no
personal data is stored in clear in the cache.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage, is_ratelimited
from django_ratelimit.exceptions import Ratelimited

RETRY_AFTER_SECONDS = 60
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 — a key for clients without an address, not a bind


def client_ip(request: HttpRequest) -> str:
    """The client address rate limits count against (settings.RATELIMIT_IP_META_KEY): the
    N-th address from the right of X-Forwarded-For when N trusted proxies are declared
    (AXES_IPWARE_PROXY_COUNT, as for the sign-in lockout), else REMOTE_ADDR; a missing or
    malformed address (a Unix socket) counts as one shared unknown client, never a 500."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return UNKNOWN_CLIENT


def rate_limited(
    request: HttpRequest,
    *,
    group: str,
    rate: str,
    key: str | Callable[[str, HttpRequest], str] = "ip",
    count: bool = True,
) -> bool:
    """Whether `key` is over `rate` in `group`, counting this request when `count` (pass
    count=False to look before acting, e.g. to count failed attempts only).

    Args:
        group: the name of what is limited, e.g. "certificates.apply".
        rate: django-ratelimit rate, e.g. "10/m", "20/h", "5/d".
        key: "ip", or a django-ratelimit key ("user", "post:cnie"), or a callable
            (group, request) -> str giving the identity (an empty identity is never limited).
    Returns:
        bool: True when over the limit.
    """
    if callable(key):
        identity = key(group, request)
        if not identity:
            return False
        key = lambda _group, _request: identity  # noqa: E731 — django-ratelimit's key shape
    if count:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    # Looking before acting: is there room for one more?
    usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def rate_limit(
    request: HttpRequest,
    *,
    group: str,
    rate: str,
    key: str | Callable[[str, HttpRequest], str] = "ip",
) -> None:
    """Count one request of `group` for `key` and refuse it when over `rate` (arguments as
    `rate_limited`).

    Raises:
        Ratelimited: over the limit (answered 429 by RatelimitMiddleware or the API).
    """
    if rate_limited(request, group=group, rate=rate, key=key):
        raise Ratelimited()


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 429 answer: JSON envelope under /api/, a translated page elsewhere, with
    Retry-After."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": {
                    "code": "rate_limited",
                    "message": _("Too many requests: try again in a minute."),
                }
            },
            status=429,
        )
    else:
        response = render(request, "429.html", status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


__all__ = ["Ratelimited", "rate_limit", "rate_limited", "too_many_requests"]
