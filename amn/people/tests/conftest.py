"""Fixtures of the people tests."""

import json

import pytest

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
from amn.cases import reference as cases_reference
from amn.geo.models import Commune, Province, Region

# (code, French name, Arabic name): two communes share the name "Oulad Aissa".
COMMUNES = (
    ("03.231.01.0", "Fès", "فاس"),
    ("06.141.01.0", "Casablanca", "الدار البيضاء"),
    ("04.421.01.0", "Rabat", "الرباط"),
    ("02.411.01.23", "Oujda", "وجدة"),
    ("01.411.05.11", "Oulad Aissa", "أولاد عيسى"),
    ("05.255.05.07", "Oulad Aissa", "أولاد عيسى"),
)


def geography_build() -> dict[str, Commune]:
    """One region and province holding the COMMUNES (search_name as amn.geo loads it)."""
    from amn.core.text_search import search_fold

    region = Region.objects.create(
        code="99", name_fr="Région", name_ar="جهة", population_2024=1, households_2024=1
    )
    province = Province.objects.create(
        code="99.999",
        name_fr="Province",
        name_ar="إقليم",
        population_2024=1,
        households_2024=1,
        region=region,
        type="province",
    )
    return {
        code: Commune.objects.create(
            code=code,
            name_fr=fr,
            name_ar=ar,
            population_2024=1,
            households_2024=1,
            province=province,
            slug=search_fold(fr).replace(" ", "-"),
            type="urban",
            search_name=f"{search_fold(fr)} {search_fold(ar)}",
        )
        for code, fr, ar in COMMUNES
    }


@pytest.fixture(scope="module")
def registry_world(world, django_db_blocker):  # noqa: F811 (the fixture above)
    """The demo world plus the ICCS table and the COMMUNES, in the world's module
    transaction (rolled back with it)."""
    with django_db_blocker.unblock():
        cases_reference.load_reference(actor=None)
        communes = geography_build()
    return world, communes


def jsonl(*objects) -> list[str]:
    """JSON lines of `objects` (dicts are dumped; strings are kept as they are)."""
    return [o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objects]


def person_line(n: int, **fields) -> dict:
    """A valid registry line: person_id P<n>, CNIE X<n>, Arabic and Latin names."""
    line = {
        "person_id": f"P{n}",
        "cnie": f"X{n}",
        "family_name_ar": "الإدريسي",
        "given_name_ar": "عمر",
        "family_name_lat": "El Idrissi",
        "given_name_lat": "Omar",
        "sex": "M",
        "birth_date": "1980-05-17",
        "birth_place": "03.231.01.0",
        "father_given_name": "أحمد",
        "mother_given_name": "Fatima",
    }
    line.update(fields)
    return {k: v for k, v in line.items() if v is not None}
