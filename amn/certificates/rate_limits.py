"""Rate limits of the public certificate pages, counted in Django's cache (fixed windows).

A client (its IP address) may submit APPLICATIONS_PER_CLIENT applications per hour, and
one CNIE number may appear in APPLICATIONS_PER_CNIE submissions per day; the tracking and
verification pages allow LOOKUPS_PER_CLIENT attempts per client per hour (reference and
birth date guessing, serial and control-key guessing). Cache keys hold keyed digests, not
the IP or CNIE in clear. Production needs a cache shared by every web worker (Redis or
the database cache); the default local-memory cache counts per process.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `window` seconds, under the cache-key prefix `name`."""

    name: str
    count: int
    window: int


APPLICATIONS_PER_CLIENT = Limit("cert-apply-ip", 20, HOUR)
APPLICATIONS_PER_CNIE = Limit("cert-apply-cnie", 5, DAY)
LOOKUPS_PER_CLIENT = Limit("cert-lookup-ip", 30, HOUR)
VERIFICATIONS_PER_CLIENT = Limit("cert-verify-ip", 120, HOUR)

# The same limits as django-ratelimit rates (amn.core.ratelimits), used by the pages.
APPLY_RATE_PER_CLIENT = "20/h"
APPLY_RATE_PER_CNIE = "5/d"
LOOKUP_RATE_PER_CLIENT = "30/h"
VERIFY_RATE_PER_CLIENT = "120/h"


def client_digest(value: str) -> str:
    """A keyed digest (HMAC-SHA256 under SECRET_KEY, 32 hex characters) of an IP address
    or CNIE, so that neither is kept in clear in the cache or the verification log."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"amn.certificates|{value}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def hit(limit: Limit, subject: str) -> bool:
    """Count one hit of `subject` (an IP address or a CNIE) against `limit`.

    Returns:
        True when the hit is within the limit, False when it exceeds it (the hit still
        counts, so hammering does not reopen the window).
    """
    key = f"{limit.name}:{client_digest(subject)}"
    if cache.add(key, 1, timeout=limit.window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window)
        return True
    return count <= limit.count
