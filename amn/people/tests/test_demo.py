"""The demo registry: loads through the import path, idempotent, with the cases the
certificate demo needs (homonyms, year-only births, cleared convictions)."""

import pytest

from amn.geo.models import Commune, Province
from amn.people import demo
from amn.people.models import JudicialRecord, Person, PersonMatchKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_places(registry_world):
    """Every birth place of the demo registry, as communes of the test province."""
    province = Province.objects.get(code="99.999")
    for n, code in enumerate(sorted({row[9] for row in demo.DEMO_REGISTRY if row[9]})):
        Commune.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": f"Place {n}",
                "name_ar": f"مكان {n}",
                "population_2024": 1,
                "households_2024": 1,
                "province": province,
                "slug": f"place-{n}",
                "type": "urban",
                "search_name": f"place {n} مكان {n}",
            },
        )
    return registry_world[0]


def test_the_demo_registry_loads_once(demo_places):
    summary = demo.load_demo()

    assert f"demo registry: {len(demo.DEMO_REGISTRY)} persons" in summary
    registry = Person.objects.filter(registry_id__startswith="DEMO-")
    assert 30 <= registry.count() == len(demo.DEMO_REGISTRY) <= 60
    convictions = JudicialRecord.objects.filter(person__registry_id__startswith="DEMO-")
    assert convictions.count() >= 8
    assert convictions.filter(cleared_on__isnull=False).count() >= 2
    assert PersonMatchKey.objects.filter(person__registry_id="DEMO-0001").exists()

    again = demo.load_demo()

    assert "demo registry: 0 persons" in again
    assert "demo persons: 0 created" in again
    assert registry.count() == len(demo.DEMO_REGISTRY)


def test_the_demo_registry_has_year_only_births_and_homonyms(demo_places):
    demo.load_demo()
    registry = Person.objects.filter(registry_id__startswith="DEMO-")

    assert registry.filter(birth_year__isnull=False, birth_date__isnull=True).count() >= 5
    amranis = registry.filter(family_name_ar="العمراني", given_name_ar="محمد")
    assert amranis.count() >= 3
    assert len({(p.father_given_name, p.birth_place_id) for p in amranis}) == amranis.count()
    assert registry.filter(family_name_latin="").exists()  # Arabic script only
    assert registry.filter(family_name_ar="").exists()  # Latin script only
