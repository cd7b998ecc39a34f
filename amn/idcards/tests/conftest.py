"""Fixtures of the CNIE tests: the demo world (amn.access.tests.factories), the Fès office
and its agent, a slot, a partner; rate limits reset; background jobs run at once on demand.
Builders of pre-applications and cards are in amn.idcards.tests.builders."""

import pytest

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
from amn.idcards.tests.fixtures import fes, fes_agent, fes_slot, partner  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def immediate_tasks(settings):
    """Run background jobs at once (notices) instead of queueing them in the database."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.AMN_SMS_BACKEND = "amn.certificates.notifications.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from amn.certificates import notifications

    notifications.outbox.clear()
    yield notifications.outbox
    notifications.outbox.clear()
