"""The demo world without the census geography, built once per test module.

`demo_world_build()` creates the unit types, the demo unit tree of `amn.orgunits.demo`
(seats left empty, so the geography need not be loaded), the demo accounts and persons of
`amn.accounts.demo` and `amn.people.demo`, and two extra analysts that the demo lacks.

The `world` fixture wraps that build in a transaction held open for the whole test module
and rolled back at its end; each test runs in a savepoint inside it (pytest-django's `db`),
so tests see the same rows and still cannot leak changes to each other. Tests must not
mutate the instances it returns (reload them instead).
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings

from amn.accounts import demo as accounts_demo
from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.services import staff_account_create
from amn.orgunits import demo as orgunits_demo
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitType
from amn.orgunits.reference import load_reference
from amn.orgunits.services import unit_create
from amn.people import demo as people_demo
from amn.people.models import Person

DEMO_PASSWORD = accounts_demo.DEMO_PASSWORD

# Extra staff beside the demo accounts: (username, role, unit code).
EXTRA_STAFF = (
    ("analyst.fes", Role.ANALYST, "ws-fes"),  # an analyst at a wilaya: not national
    ("analyst.dpj", Role.ANALYST, "dgsn-dpj"),  # an analyst at a central directorate
    ("agent.agadir.wilaya", Role.FRONT_DESK_AGENT, "ws-agadir"),
)

# CNIE numbers of the demo persons, by recording unit.
FES_D1_PERSON = "C100001"  # Alaoui Said, born 1988-03-14
FES_D1_YEAR_ONLY_PERSON = "C100002"  # Bennani Khadija, born 1975 (year only)
AGADIR_D1_PERSON = "J200001"  # Amazian Brahim
RABAT_D1_PERSON = "A300001"  # Tazi Meryem


@dataclass(frozen=True)
class DemoWorld:
    units: dict[str, OrgUnit]
    users: dict[str, User]
    persons: dict[str, Person]  # by CNIE number


def demo_tree_build() -> dict[str, OrgUnit]:
    """Unit types and the demo units standing before 2025, without seats (commune=None)."""
    load_reference(actor=None)
    types = {t.code: t for t in UnitType.objects.all()}
    units: dict[str, OrgUnit] = {}
    for (
        code,
        parent,
        unit_type,
        _seat,
        ar,
        fr,
        en,
        serves_public,
    ) in orgunits_demo.UNITS_BEFORE_2025:
        units[code] = unit_create(
            actor=None,
            code=code,
            name_ar=ar,
            name_fr=fr,
            name_en=en,
            unit_type=types[unit_type],
            parent=units.get(parent),
            commune=None,
            effective_on=None,
            date_precision=DatePrecision.UNKNOWN,
            decision_reference=orgunits_demo.INITIAL,
            serves_public=serves_public,
        )
    return {u.code: u for u in OrgUnit.objects.select_related("unit_type")}


def demo_world_build() -> DemoWorld:
    units = demo_tree_build()
    accounts_demo.load_demo()
    people_demo.load_demo()
    for username, role, unit_code in EXTRA_STAFF:
        staff_account_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=units[unit_code],
        )
    return DemoWorld(
        units=units,
        users={u.username: u for u in User.objects.select_related("unit__unit_type")},
        persons={p.cnie_number: p for p in Person.objects.select_related("recorded_by")},
    )


@pytest.fixture(scope="module", autouse=True)
def fast_password_hashing():
    """Hash passwords with MD5 in tests: PBKDF2 costs ~0.3 s per account (tests only)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def world(fast_password_hashing, django_db_setup, django_db_blocker):
    """The demo world (see the module docstring), shared by the tests of one module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = demo_world_build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
