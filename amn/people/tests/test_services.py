"""Writes of the person registry: person_create."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from amn.access.tests.factories import FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON
from amn.core.errors import DomainError
from amn.people.models import Person
from amn.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def create(world):
    """person_create by the Fès district agent, with a family name unless told otherwise."""

    def _create(**fields):
        fields.setdefault("family_name_latin", "Idrissi")
        return person_create(
            actor=world.users["agent.fes"], recorded_by=world.units["ws-fes-d1"], **fields
        )

    return _create


def test_person_create_stores_the_record(create, world):
    person = create(
        family_name_ar="الإدريسي",
        given_name_ar="عمر",
        given_name_latin="Omar",
        sex="M",
        birth_date=datetime.date(1990, 5, 17),
        nationality="ma",
        cnie_number="BK123456",
    )

    person.refresh_from_db()
    assert person.recorded_by == world.units["ws-fes-d1"]
    assert (person.family_name_ar, person.family_name_latin) == ("الإدريسي", "Idrissi")
    assert person.birth_date == datetime.date(1990, 5, 17)
    assert person.birth_year is None
    assert person.nationality == "MA"
    assert person.cnie_number == "BK123456"


def test_person_create_refuses_both_birth_date_and_birth_year(create):
    count = Person.objects.count()

    with pytest.raises(DomainError):
        create(birth_date=datetime.date(1958, 1, 1), birth_year=1958)
    assert Person.objects.count() == count


def test_database_refuses_both_birth_date_and_birth_year(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            recorded_by=world.units["ws-fes-d1"],
            family_name_latin="Both",
            birth_date=datetime.date(1958, 1, 1),
            birth_year=1958,
        )


def test_year_only_birth_stays_a_year(create):
    person = create(birth_year=1958)

    stored = Person.objects.get(pk=person.pk)
    assert stored.birth_year == 1958
    assert stored.birth_date is None


def test_demo_year_only_birth_stayed_a_year(world):
    stored = Person.objects.get(cnie_number=FES_D1_YEAR_ONLY_PERSON)

    assert (stored.birth_date, stored.birth_year) == (None, 1975)


def test_person_create_needs_a_family_name(create):
    with pytest.raises(DomainError):
        create(family_name_latin="", given_name_latin="Omar")


def test_person_create_accepts_an_arabic_family_name_only(create):
    person = create(family_name_latin="", family_name_ar="الإدريسي")

    assert Person.objects.get(pk=person.pk).family_name_ar == "الإدريسي"


@pytest.mark.parametrize(
    "spelling",
    [
        "C100001",
        "c100001",
        "C 100 001",
        " c100001 ",
        "C١٠٠٠٠١",
        "c ١٠٠ ٠٠١",
        "C۱۰۰۰۰۱",
    ],
)
def test_person_create_refuses_a_duplicate_cnie(create, spelling):
    """C100001 is already recorded (the demo's Alaoui Said)."""
    assert Person.objects.filter(cnie_number=FES_D1_PERSON).exists()
    count = Person.objects.count()

    with pytest.raises(DomainError):
        create(cnie_number=spelling)
    assert Person.objects.count() == count


@pytest.mark.parametrize("spelling", ["C\u00a0100001", "C\t100001", "C\u202f100001"])
def test_person_create_refuses_a_duplicate_cnie_with_other_blanks(create, spelling):
    """BUG: only ASCII spaces are removed; a no-break space (common in pasted Arabic text)
    or a tab slips a second record of the same CNIE into the registry."""
    with pytest.raises(DomainError):
        create(cnie_number=spelling)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("ab 123456", "AB123456"),
        ("ab١٢٣٤٥٦", "AB123456"),
        ("", None),
        (None, None),
    ],
)
def test_cnie_is_stored_normalised(create, given, stored):
    person = create(cnie_number=given)

    assert Person.objects.get(pk=person.pk).cnie_number == stored


def test_several_persons_without_cnie_are_allowed(create):
    first = create(cnie_number="")
    second = create(cnie_number=None)

    assert Person.objects.filter(pk__in=[first.pk, second.pk], cnie_number=None).count() == 2
