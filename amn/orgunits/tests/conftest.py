"""Fixtures of the police-unit tests: unit types, two real communes and a small unit tree."""

import pytest

from amn.geo.choices import CommuneType, ProvinceType
from amn.geo.models import Commune, Province, Region
from amn.orgunits import reference, services
from amn.orgunits.models import OrgUnit, UnitType
from amn.orgunits.tests.factories import DAY_2024, DECISION, unit_create


@pytest.fixture
def types(db) -> dict[str, UnitType]:
    reference.load_reference(actor=None)
    return {unit_type.code: unit_type for unit_type in UnitType.objects.all()}


@pytest.fixture
def communes(db) -> dict[str, Commune]:
    """Agadir and Aït Melloul as in RGPH 2024 (the rest of the census is not needed here)."""
    souss = Region.objects.create(
        code="09",
        name_fr="Souss-Massa",
        name_ar="سوس-ماسة",
        population_2024=3020431,
        households_2024=785208,
    )
    agadir_ida = Province.objects.create(
        code="09.001",
        name_fr="Agadir-Ida-Ou-Tanane",
        name_ar="أكادير-إدا وتنان",
        type=ProvinceType.PREFECTURE,
        region=souss,
        population_2024=721431,
        households_2024=197248,
    )
    inezgane = Province.objects.create(
        code="09.273",
        name_fr="Inezgane-Aït Melloul",
        name_ar="إنزكان-آيت ملول",
        type=ProvinceType.PREFECTURE,
        region=souss,
        population_2024=636916,
        households_2024=161551,
    )
    return {
        "agadir": Commune.objects.create(
            code="09.001.01.01",
            slug="agadir",
            name_fr="Agadir",
            name_ar="أكادير",
            type=CommuneType.URBAN,
            province=agadir_ida,
            population_2024=504768,
            households_2024=143553,
            population_2014=421844,
        ),
        "ait-melloul": Commune.objects.create(
            code="09.273.01.05",
            slug="ait-melloul",
            name_fr="Ait Melloul",
            name_ar="آيت ملول",
            type=CommuneType.URBAN,
            province=inezgane,
            population_2024=210870,
            households_2024=53781,
            population_2014=171847,
        ),
    }


@pytest.fixture
def units(types, communes) -> dict[str, OrgUnit]:
    """dgsn → ws-agadir → {cr-ait-melloul → cr-ait-melloul-d1, ws-agadir-d1, ws-agadir-d2
    (closed)}; dgsn → ws-fes."""
    tree: dict[str, OrgUnit] = {}
    for code, parent, unit_type, commune in (
        ("dgsn", None, "directorate-general", None),
        ("ws-agadir", "dgsn", "security-wilaya", "agadir"),
        ("cr-ait-melloul", "ws-agadir", "regional-commissariat", "ait-melloul"),
        ("cr-ait-melloul-d1", "cr-ait-melloul", "police-district", "ait-melloul"),
        ("ws-agadir-d1", "ws-agadir", "police-district", "agadir"),
        ("ws-agadir-d2", "ws-agadir", "police-district", "agadir"),
        ("ws-fes", "dgsn", "security-wilaya", None),
    ):
        tree[code] = unit_create(code, tree.get(parent), types[unit_type], communes.get(commune))
    services.unit_close(
        actor=None, unit=tree["ws-agadir-d2"], effective_on=DAY_2024, decision_reference=DECISION
    )
    return {code: OrgUnit.objects.get(code=code) for code in tree}
