"""Fixtures of the mobileunits tests: the demo world (amn.access.tests.factories) and the
test fleet built in it."""

import pytest
from django.utils import timezone

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
from amn.mobileunits.tests.factories import fleet_build


@pytest.fixture
def fleet(world, db):  # noqa: F811 (the world fixture)
    """The test fleet (factories.Fleet), dated around today (Africa/Casablanca)."""
    return fleet_build(world, timezone.localdate())
