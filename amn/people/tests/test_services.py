"""Writes of the person registry: person_create."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from amn.access.tests.factories import FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON
from amn.core.errors import DomainError
from amn.people.matching import person_identity_record, person_match_keys
from amn.people.models import JudicialRecord, Person, PersonMatchKey
from amn.people.services import conviction_record, person_create, person_update

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


# ---------------------------------------------------------------- registry fields, match keys


def _keys(person) -> set[str]:
    return set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))


def test_person_create_stores_the_registry_fields_and_match_keys(registry_world):
    world, communes = registry_world
    person = person_create(
        actor=None,
        recorded_by=world.units["ws-fes-d1"],
        family_name_ar="الإدريسي",
        given_name_ar="عمر",
        family_name_latin="El Idrissi",
        birth_year=1958,
        birth_place=communes["03.231.01.0"],
        father_given_name="أحمد",
        mother_given_name="Fatima",
        registry_id="R-77",
        cnie_number="bk 77",
    )

    stored = Person.objects.get(pk=person.pk)
    assert (stored.birth_place, stored.father_given_name, stored.mother_given_name) == (
        communes["03.231.01.0"],
        "أحمد",
        "Fatima",
    )
    assert stored.registry_id == "R-77"
    record = person_identity_record(stored)
    assert (record.person_id, record.birth_place, record.cnie) == ("R-77", "03.231.01.0", "BK77")
    assert _keys(stored) == person_match_keys(record)
    assert "C|BK77" in _keys(stored)


def test_person_update_rewrites_the_match_keys(registry_world):
    world, _communes = registry_world
    person = person_create(
        actor=None,
        recorded_by=world.units["ws-fes-d1"],
        family_name_latin="Bennani",
        given_name_latin="Khadija",
        birth_year=1975,
    )
    before = _keys(person)

    person_update(actor=None, person=person, birth_year=None, birth_date=datetime.date(1976, 2, 1))

    after = _keys(Person.objects.get(pk=person.pk))
    assert after != before
    assert after == person_match_keys(person_identity_record(Person.objects.get(pk=person.pk)))
    assert any(key.startswith("1976|") for key in after)


def test_person_update_refuses_a_cnie_of_another_person(create, world):
    person = create(cnie_number="K1")

    with pytest.raises(DomainError):
        person_update(actor=None, person=person, cnie_number=FES_D1_PERSON)
    assert Person.objects.get(pk=person.pk).cnie_number == "K1"


def test_person_update_refuses_unknown_fields(create):
    person = create()

    with pytest.raises(DomainError):
        person_update(actor=None, person=person, recorded_by=None)


@pytest.mark.parametrize(
    "fields",
    [
        {"family_name_ar": "Idrissi"},  # Latin letters in the Arabic field
        {"given_name_latin": "عمر"},
        {"father_given_name": "Ahmed1"},
        {"registry_id": "has space"},
        {"birth_year": 2999},
        {"birth_date": datetime.date(2999, 1, 1)},
    ],
)
def test_person_create_applies_the_exchange_rules(create, fields):
    count = Person.objects.count()

    with pytest.raises(DomainError):
        create(**fields)
    assert Person.objects.count() == count


def test_person_create_refuses_a_registry_id_already_recorded(create):
    create(registry_id="R-1")

    with pytest.raises(DomainError):
        create(registry_id="R-1")


def test_conviction_record(registry_world):
    world, _communes = registry_world
    person = world.persons[FES_D1_PERSON]

    conviction = conviction_record(
        actor=None,
        person=person,
        court="المحكمة الابتدائية بفاس",
        judgment_date=datetime.date(2010, 1, 5),
        iccs_code="0401",
        sentence="ستة أشهر حبسا نافذا",
        cleared_on=datetime.date(2015, 1, 5),
    )

    assert JudicialRecord.objects.get(pk=conviction.pk).offence_id == "0401"


@pytest.mark.parametrize(
    "changes",
    [
        {"iccs_code": "9999"},
        {"judgment_date": datetime.date(1980, 1, 1)},  # before the birth (1988-03-14)
        {"cleared_on": datetime.date(2009, 1, 1)},
        {"court": ""},
    ],
)
def test_conviction_record_refuses_bad_values(registry_world, changes):
    world, _communes = registry_world
    values = {
        "court": "court",
        "judgment_date": datetime.date(2010, 1, 5),
        "iccs_code": "0401",
        "sentence": "fine",
    }
    values.update(changes)

    with pytest.raises(DomainError):
        conviction_record(actor=None, person=world.persons[FES_D1_PERSON], **values)


def test_database_refuses_a_clearance_before_the_judgment(registry_world):
    world, _communes = registry_world
    with pytest.raises(IntegrityError), transaction.atomic():
        JudicialRecord.objects.create(
            person=world.persons[FES_D1_PERSON],
            court="c",
            judgment_date=datetime.date(2010, 1, 5),
            offence_id="0401",
            sentence="s",
            cleared_on=datetime.date(2010, 1, 4),
        )
