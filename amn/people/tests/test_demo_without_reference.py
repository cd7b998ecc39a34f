"""The demo without reference data (the shared test world): the registry is left out."""

import pytest

from amn.people import demo
from amn.people.models import Person

pytestmark = pytest.mark.django_db


def test_without_reference_data_the_registry_is_left_out(world):
    """The shared test world has no communes: only the four demo persons exist."""
    assert not Person.objects.filter(registry_id__startswith="DEMO-").exists()
    assert Person.objects.count() == len(demo.DEMO_PERSONS)
    assert "skipped" in demo.load_demo()
