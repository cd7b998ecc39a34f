"""Fixtures of the indicator tests."""

import pytest
from django.utils import translation

from amn.indicators.tests.factories import stats_world  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are matched in English (Arabic is the default language, and translated)."""
    with translation.override("en"):
        yield
