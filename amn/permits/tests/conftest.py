"""Fixtures of the permits tests: the demo world (amn.access.tests.factories), an empty
cache (the tracking page counts failures in it) and English pages."""

import pytest
from django.core.cache import cache

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    """Messages compared as text are compared in English (Arabic is the default)."""
    client.cookies["django_language"] = "en"
    return client
