"""Rate limits of the public certificate pages and API, as django-ratelimit rates counted by
amn.core.ratelimits in the shared cache: a client (its IP address) may submit 20
applications per hour, one CNIE number 5 per day; tracking allows 30 lookups and verification
120 per client per hour (reference/birth-date and serial/control-key guessing).
"""

import hashlib
import hmac

from django.conf import settings

APPLY_RATE_PER_CLIENT = "20/h"
APPLY_RATE_PER_CNIE = "5/d"
LOOKUP_RATE_PER_CLIENT = "30/h"
VERIFY_RATE_PER_CLIENT = "120/h"


def client_digest(value: str) -> str:
    """A keyed digest (HMAC-SHA256 under SECRET_KEY, 32 hex characters) of an IP address,
    so that it is not kept in clear in the verification log."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"amn.certificates|{value}".encode(), hashlib.sha256
    ).hexdigest()[:32]
