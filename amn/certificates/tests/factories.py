"""A small world for the certificate tests: a few communes, a police tree with stations
that serve the public, reviewers and supervisors in two cities, an HR officer, and a
registry person with a conviction. Built once per module inside a transaction rolled back
at its end (like amn.access.tests.factories); each test runs in a savepoint.
"""

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings

from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.services import staff_account_create
from amn.cases.models import IccsCategory
from amn.certificates import services
from amn.geo.choices import CommuneType, ProvinceType
from amn.geo.models import Commune, Province, Region
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitType
from amn.orgunits.reference import load_reference
from amn.orgunits.services import unit_create
from amn.people.identity import (
    Candidate,
    CheckOutcome,
    CheckResult,
    FieldComparison,
    PartialDate,
)
from amn.people.models import JudicialRecord, Person

PASSWORD = "amn-test-2025"

# code, name_fr, name_ar, province code
COMMUNES = (
    ("09.001.01.01", "Agadir", "أكادير", "09.001"),
    ("09.273.01.05", "Aït Melloul", "آيت ملول", "09.273"),
    ("04.421.01.0", "Rabat", "الرباط", "04.421"),
)
PROVINCES = (
    ("09.001", "Agadir-Ida-Ou-Tanane", "أكادير إداوتنان", "09"),
    ("09.273", "Inezgane-Aït Melloul", "إنزكان آيت ملول", "09"),
    ("04.421", "Rabat", "الرباط", "04"),
)
REGIONS = (("09", "Souss-Massa", "سوس ماسة"), ("04", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"))

# code, parent, type, commune code, serves the public
UNITS = (
    ("dgsn", None, "directorate-general", "04.421.01.0", False),
    ("ws-agadir", "dgsn", "security-wilaya", "09.001.01.01", True),
    ("ws-agadir-d1", "ws-agadir", "police-district", "09.001.01.01", True),
    ("ws-agadir-ccc", "ws-agadir", "command-coordination-centre", "09.001.01.01", False),
    ("ws-rabat", "dgsn", "security-wilaya", "04.421.01.0", True),
)

# username, role, unit
STAFF = (
    ("agent.agadir", Role.FRONT_DESK_AGENT, "ws-agadir-d1"),
    ("agent2.agadir", Role.FRONT_DESK_AGENT, "ws-agadir-d1"),
    ("supervisor.agadir", Role.SUPERVISOR, "ws-agadir"),
    ("supervisor2.agadir", Role.SUPERVISOR, "ws-agadir"),
    ("supervisor.rabat", Role.SUPERVISOR, "ws-rabat"),
    ("hr.agadir", Role.HR_OFFICER, "ws-agadir"),
    ("admin", Role.ADMINISTRATOR, "dgsn"),
)


@dataclass(frozen=True)
class CertWorld:
    units: dict[str, OrgUnit]
    communes: dict[str, Commune]
    users: dict[str, User]
    convicted: Person  # a registry person with one conviction still on record
    cleared: Person  # a registry person whose only conviction was cleared


def cert_world_build() -> CertWorld:
    load_reference(actor=None)
    regions = {
        code: Region.objects.create(
            code=code, name_fr=fr, name_ar=ar, population_2024=1, households_2024=1
        )
        for code, fr, ar in REGIONS
    }
    provinces = {
        code: Province.objects.create(
            code=code,
            name_fr=fr,
            name_ar=ar,
            region=regions[region],
            type=ProvinceType.PROVINCE,
            population_2024=1,
            households_2024=1,
        )
        for code, fr, ar, region in PROVINCES
    }
    from amn.core.text_search import search_fold

    communes = {
        code: Commune.objects.create(
            code=code,
            name_fr=fr,
            name_ar=ar,
            province=provinces[province],
            slug=code.replace(".", "-"),
            type=CommuneType.URBAN,
            search_name=f"{search_fold(fr)} {search_fold(ar)}",
            population_2024=1,
            households_2024=1,
        )
        for code, fr, ar, province in COMMUNES
    }
    types = {t.code: t for t in UnitType.objects.all()}
    units: dict[str, OrgUnit] = {}
    for code, parent, unit_type, commune, public in UNITS:
        units[code] = unit_create(
            actor=None,
            code=code,
            name_ar=f"وحدة {code}",
            name_fr=f"Unité {code}",
            name_en=f"Unit {code}",
            unit_type=types[unit_type],
            parent=units.get(parent),
            commune=communes[commune],
            effective_on=None,
            date_precision=DatePrecision.UNKNOWN,
            decision_reference="test",
            serves_public=public,
        )
    units = {u.code: u for u in OrgUnit.objects.select_related("unit_type")}
    for username, role, unit in STAFF:
        staff_account_create(
            actor=None,
            username=username,
            password=PASSWORD,
            role=role,
            unit=units[unit],
            first_name=username.split(".")[0].title(),
        )
    offence = IccsCategory.objects.create(
        code="0401", level=2, label_en="Robbery", label_fr="Vol qualifié", label_ar="سرقة"
    )
    convicted = Person.objects.create(
        family_name_ar="أمزيان",
        given_name_ar="إبراهيم",
        family_name_latin="Amazian",
        given_name_latin="Brahim",
        birth_date=datetime.date(1992, 7, 2),
        birth_place=communes["09.001.01.01"],
        father_given_name="أحمد",
        recorded_by=units["ws-agadir-d1"],
    )
    JudicialRecord.objects.create(
        person=convicted,
        court="المحكمة الابتدائية بأكادير",
        judgment_date=datetime.date(2015, 5, 4),
        offence=offence,
        sentence="ستة أشهر حبسا نافذا",
    )
    cleared = Person.objects.create(
        family_name_latin="Soussi",
        given_name_latin="Karim",
        birth_year=1970,
        recorded_by=units["ws-rabat"],
    )
    JudicialRecord.objects.create(
        person=cleared,
        court="TPI Rabat",
        judgment_date=datetime.date(1995, 1, 1),
        offence=offence,
        sentence="fine",
        cleared_on=datetime.date(2005, 1, 1),
    )
    return CertWorld(
        units=units,
        communes=communes,
        users={u.username: u for u in User.objects.select_related("unit__unit_type")},
        convicted=convicted,
        cleared=cleared,
    )


@pytest.fixture(scope="module", autouse=True)
def fast_password_hashing():
    """MD5 password hashing for the module (tests only)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def cworld(fast_password_hashing, django_db_setup, django_db_blocker):
    """The certificate world (module docstring), shared by the tests of one module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = cert_world_build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def application_input(world: CertWorld, **changes) -> services.ApplicationInput:
    """A valid application (electronic delivery, born in Agadir), with `changes`."""
    values = {
        "cnie": "JB123456",
        "given_name_ar": "يوسف",
        "family_name_ar": "العلوي",
        "given_name_lat": "Youssef",
        "family_name_lat": "Alaoui",
        "birth": PartialDate(1990, 5, 17),
        "birth_place": world.communes["09.001.01.01"],
        "purpose": "EMPLOYMENT",
        "delivery": "ELECTRONIC",
        "consent": True,
        "email": "youssef@example.ma",
        "phone": "+212612345678",
        "father_given_name": "محمد",
        "mother_given_name": "فاطمة",
        "language": "ar",
    }
    values.update(changes)
    return services.ApplicationInput(**values)


def field(name, agreement, weight=1.0):
    return FieldComparison(name, agreement, weight, f"{name} {agreement}")


def result_no_record(score=0.0) -> CheckResult:
    """A clean check result (no candidate)."""
    return CheckResult(CheckOutcome.NO_RECORD, score, [])


def result_with(person: Person, outcome=CheckOutcome.POSSIBLE_MATCH, score=0.6) -> CheckResult:
    """A check result naming `person` as the candidate."""
    return CheckResult(
        outcome,
        score,
        [
            Candidate(
                str(person.pk),
                score,
                [field("given_name", "exact", 3.1), field("birth_date", "disagree", -2.0)],
            )
        ],
    )


def fake_registry(monkeypatch, result_or_error):
    """Make amn.people.matching.registry_check return `result_or_error` (or raise it when
    it is an exception); returns the list of applicants it was called with."""
    calls = []

    def check(applicant, *, limit=5):
        calls.append(applicant)
        if isinstance(result_or_error, BaseException):
            raise result_or_error
        return result_or_error

    import amn.people.matching as matching

    monkeypatch.setattr(matching, "registry_check", check)
    return calls


def submit(world, *, actor=None, **changes):
    """Submit an application through the service as an anonymous visitor."""
    from django.contrib.auth.models import AnonymousUser

    return services.application_submit(
        actor=actor or AnonymousUser(),
        data=application_input(world, **changes),
        submission_key=uuid.uuid4(),
    )
