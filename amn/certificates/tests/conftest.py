"""Fixtures of the certificate tests."""

import pytest
from django.core.cache import cache

from amn.certificates import notifications
from amn.certificates.tests.factories import cworld, fast_password_hashing  # noqa: F401


@pytest.fixture(autouse=True)
def clean_state(settings):
    """Each test starts with empty rate-limit counters, an empty SMS outbox and in-memory
    e-mail and SMS backends."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AMN_SMS_BACKEND = "amn.certificates.notifications.LocmemSmsBackend"
    settings.AMN_PUBLIC_BASE_URL = "https://amn.example.ma"
    cache.clear()
    notifications.outbox.clear()
    yield
    cache.clear()
