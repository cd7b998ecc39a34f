"""Persons involved linked to the person registry: the search within the actor's units
(audited), linking an existing person or adding a new one from the case entry form, the
age at the time and the nationality taken from the registry, and refusals placed on the
person's row."""

import datetime

import pytest
from django.utils import translation

from amn.audit.models import AuditEvent
from amn.cases.choices import PartyRole
from amn.cases.corrections import case_update
from amn.cases.models import Case, CaseParty
from amn.cases.selectors import party_person_search
from amn.cases.services import (
    CaseInput,
    NewPersonInput,
    OffenceInput,
    PartyInput,
    RefusedValue,
    case_record,
    registry_age,
)
from amn.people.models import Person
from amn.people.services import person_create

pytestmark = pytest.mark.django_db

D = datetime.date
OCCURRED = D(2025, 3, 8)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def persons(world, scoped_cases):
    """Registry persons of our own (the demo registry changes): two in Fès, one in Agadir."""
    units = world.units

    def create(unit, **fields):
        return person_create(actor=None, recorded_by=units[unit], **fields)

    return {
        "zerhouni": create(
            "ws-fes-d1",
            family_name_latin="Zerhouni",
            given_name_latin="Anas",
            family_name_ar="الزرهوني",
            given_name_ar="أنس",
            sex="M",
            birth_date=D(1990, 3, 9),
            nationality="MA",
            cnie_number="ZX100001",
        ),
        "year_only": create(
            "ws-fes-d1",
            family_name_latin="Zerhouni",
            given_name_latin="Salma",
            sex="F",
            birth_year=1975,
            nationality="SN",
        ),
        "agadir": create(
            "ws-agadir-d1",
            family_name_latin="Zaoui",
            given_name_latin="Brahim",
            sex="M",
            birth_date=D(1992, 7, 2),
            cnie_number="ZJ200001",
        ),
    }


def case_input(world, *parties) -> CaseInput:
    return CaseInput(
        recording_unit_id=world.units["ws-fes-d1"].pk,
        occurred_on=OCCURRED,
        recorded_on=D(2025, 3, 9),
        offences=[OffenceInput("0401")],
        parties=list(parties),
    )


# -- the registry search --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ZX100001", {"zerhouni"}),
        ("zx 100 001", {"zerhouni"}),  # normalised like every CNIE number
        ("zerhouni", {"zerhouni", "year_only"}),
        ("ZERHOUNI sal", {"year_only"}),  # every word starts a name
        ("الزرهوني", {"zerhouni"}),
        ("ZJ200001", set()),  # recorded in Agadir: outside the Fès officer's units
        ("Zaoui", set()),
        ("z", set()),  # too short to search
    ],
)
def test_the_search_finds_persons_of_the_actor_units(world, persons, query, found):
    results = party_person_search(actor=world.users["officer.fes"], query=query)

    assert {key for key, person in persons.items() if person in results} == found


def test_national_roles_search_every_unit(world, persons):
    results = party_person_search(actor=world.users["admin"], query="ZJ200001")
    assert results == [persons["agadir"]]


def test_the_search_is_audited_without_the_query(world, persons):
    party_person_search(actor=world.users["officer.fes"], query="Zerhouni")

    event = AuditEvent.objects.get(action="search", target="people.person")
    assert event.actor == world.users["officer.fes"]
    assert event.detail == {"purpose": "case party", "by": "name", "found": 2}
    assert "Zerhouni" not in str(event.detail)


# -- the services ---------------------------------------------------------------------------


def test_a_linked_person_gives_sex_nationality_and_age_at_the_time(world, persons):
    case = case_record(
        actor=world.users["officer.fes"],
        data=case_input(world, PartyInput(PartyRole.SUSPECT, person_id=persons["zerhouni"].pk)),
    )

    party = case.parties.get()
    assert party.person_id == persons["zerhouni"].pk
    # born 1990-03-09: still 34 on 2025-03-08, the day the case occurred
    assert (party.sex, party.nationality, party.age_at_time) == ("M", "MA", 34)


def test_a_birth_year_alone_gives_the_age_reached_that_year(world, persons):
    person = persons["year_only"]
    assert registry_age(person, OCCURRED) == (49, 50)

    case = case_record(
        actor=world.users["officer.fes"],
        data=case_input(
            world,
            PartyInput(PartyRole.VICTIM, person_id=person.pk),
            PartyInput(PartyRole.WITNESS, person_id=person.pk, age_at_time=49),
        ),
    )

    assert sorted(case.parties.values_list("age_at_time", "nationality")) == [
        (49, "SN"),
        (50, "SN"),
    ]


@pytest.mark.parametrize(
    ("party", "field", "message"),
    [
        ({"key": "agadir"}, "person", "not in your units' registry"),
        ({"key": "zerhouni", "sex": "F"}, "sex", "another sex"),
        ({"key": "zerhouni", "nationality": "FR"}, "nationality", "nationality MA"),
        ({"key": "zerhouni", "age_at_time": 40}, "age_at_time", "was 34 when"),
        ({"key": "year_only", "age_at_time": 47}, "age_at_time", "was 49 or 50 when"),
    ],
)
@translation.override("en")
def test_a_link_that_contradicts_the_registry_is_refused_on_its_row(
    world, persons, party, field, message
):
    party = dict(party)
    person = persons[party.pop("key")]
    data = case_input(
        world,
        PartyInput(PartyRole.VICTIM),
        PartyInput(PartyRole.SUSPECT, person_id=person.pk, **party),
    )

    before = (Case.objects.count(), CaseParty.objects.count())

    with pytest.raises(RefusedValue, match=message) as refused:
        case_record(actor=world.users["officer.fes"], data=data)

    assert (refused.value.row, refused.value.field) == (1, field)
    assert (Case.objects.count(), CaseParty.objects.count()) == before


def test_a_new_registry_person_is_created_with_the_case(world, persons):
    before = Person.objects.count()
    case = case_record(
        actor=world.users["officer.fes"],
        data=case_input(
            world,
            PartyInput(
                PartyRole.ARRESTED,
                sex="F",
                nationality="FR",
                arrested_on=D(2025, 3, 9),
                new_person=NewPersonInput(
                    family_name="Martin", given_name="نادية", birth_date=D(2000, 1, 1)
                ),
            ),
        ),
    )

    assert Person.objects.count() == before + 1
    party = case.parties.get()
    person = Person.objects.get(pk=party.person_id)
    assert (person.family_name_latin, person.given_name_ar, person.given_name_latin) == (
        "Martin",
        "نادية",
        "",
    )
    assert (person.sex, person.nationality, person.recorded_by) == (
        "F",
        "FR",
        world.units["ws-fes-d1"],
    )
    assert (party.age_at_time, party.nationality) == (25, "FR")
    assert case.arrests.get().party == party


@translation.override("en")
def test_a_refused_new_person_leaves_nothing_behind(world, persons):
    before = (Person.objects.count(), Case.objects.count())
    data = case_input(
        world,
        PartyInput(
            PartyRole.SUSPECT, new_person=NewPersonInput(family_name="Y", cnie_number="ZX100001")
        ),
    )

    with pytest.raises(RefusedValue, match="already recorded") as refused:
        case_record(actor=world.users["officer.fes"], data=data)

    assert (refused.value.row, refused.value.field) == (0, "person")
    assert (Person.objects.count(), Case.objects.count()) == before


def test_linking_and_creating_at_once_is_refused(world, persons):
    data = case_input(
        world,
        PartyInput(
            PartyRole.SUSPECT,
            person_id=persons["zerhouni"].pk,
            new_person=NewPersonInput(family_name="Other"),
        ),
    )
    with pytest.raises(RefusedValue):
        case_record(actor=world.users["officer.fes"], data=data)


def test_a_correction_unlinks_and_keeps_a_link_outside_the_actor_units(world, persons):
    case = case_record(
        actor=world.users["admin"],
        data=case_input(
            world,
            PartyInput(PartyRole.SUSPECT, person_id=persons["agadir"].pk),
            PartyInput(PartyRole.VICTIM, person_id=persons["zerhouni"].pk),
        ),
    )
    suspect, victim = case.parties.order_by("role")
    suspect, victim = (suspect, victim) if suspect.role == "suspect" else (victim, suspect)
    data = case_input(
        world,
        PartyInput(PartyRole.SUSPECT, person_id=persons["agadir"].pk, sex="M", age_at_time=32),
        PartyInput(PartyRole.VICTIM, person_id=None),
    )

    case_update(
        actor=world.users["officer.fes"],
        case=case,
        data=data,
        offence_ids=[case.offences.get().pk],
        party_ids=[suspect.pk, victim.pk],
    )

    assert CaseParty.objects.get(pk=suspect.pk).person_id == persons["agadir"].pk
    assert CaseParty.objects.get(pk=victim.pk).person_id is None


# -- the entry form -------------------------------------------------------------------------


def form_data(world, **party) -> dict:
    data = {
        "recording_unit": str(world.units["ws-fes-d1"].pk),
        "commune": "",
        "occurred_on": "2025-03-08",
        "reported_on": "",
        "recorded_on": "2025-03-09",
        "status": "open",
        "narrative": "",
        "offences-TOTAL_FORMS": "1",
        "offences-INITIAL_FORMS": "0",
        "offences-MIN_NUM_FORMS": "1",
        "offences-MAX_NUM_FORMS": "20",
        "offences-0-iccs": "0401",
        "offences-0-clearance": "not_cleared",
        "offences-0-cleared_on": "",
        "offences-0-exceptional_reason": "",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20",
    }
    row = {
        "role": "suspect",
        "sex": "",
        "age_at_time": "",
        "nationality": "",
        "arrested_on": "",
        "person_query": "",
        "person": "",
        "new_family_name": "",
        "new_given_name": "",
        "new_birth_date": "",
        "new_birth_year": "",
        "new_cnie": "",
    } | party
    return data | {f"parties-0-{name}": value for name, value in row.items()}


def test_a_registry_search_shows_the_form_again_with_the_person_picked(
    world, persons, client, english
):
    client.force_login(world.users["officer.fes"])
    data = form_data(world, person_query="zx100001", role="")
    data["registry_search"] = "parties-0"
    cases_before = Case.objects.count()

    response = client.post("/staff/cases/new/", data)

    assert response.status_code == 200
    assert Case.objects.count() == cases_before
    row = response.context["entry"].parties.forms[0]
    assert row["person"].value() == str(persons["zerhouni"].pk)  # the one answer, picked
    body = response.content.decode()
    assert "ZERHOUNI Anas · الزرهوني أنس · CNIE ZX100001 · born 1990-03-09" in body
    assert "1 person found in your units" in body
    assert response.context["errors"] == [] and "This field is required" not in body


def test_a_search_with_several_answers_lets_the_user_pick(world, persons, client, english):
    client.force_login(world.users["officer.fes"])
    data = form_data(world, person_query="Zerhouni")
    data["registry_search"] = "parties-0"

    response = client.post("/staff/cases/new/", data)

    row = response.context["entry"].parties.forms[0]
    offered = {value for value, _label in row.fields["person"].choices}
    assert {str(persons["zerhouni"].pk), str(persons["year_only"].pk)} <= offered
    assert row["person"].value() == ""
    assert "2 persons found" in response.content.decode()


def test_the_picked_person_is_linked_on_saving(world, persons, client, english):
    client.force_login(world.users["officer.fes"])

    response = client.post(
        "/staff/cases/new/", form_data(world, person=str(persons["zerhouni"].pk))
    )

    assert response.status_code == 302
    party = CaseParty.objects.get(person=persons["zerhouni"])
    assert (party.sex, party.age_at_time, party.nationality) == ("M", 34, "MA")
    reads = AuditEvent.objects.filter(
        action="view", target="people.person", target_id=str(persons["zerhouni"].pk)
    )
    assert reads.exists()  # resolving the picked person read it through access_person


def test_a_person_outside_the_actor_units_cannot_be_slipped_in(world, persons, client, english):
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/new/", form_data(world, person=str(persons["agadir"].pk)))

    assert response.status_code == 200
    assert "Select a valid choice" in response.context["entry"].parties.forms[0].errors["person"][0]
    assert not CaseParty.objects.filter(person=persons["agadir"]).exists()
    assert AuditEvent.objects.filter(
        action="denied", target="people.person", target_id=str(persons["agadir"].pk)
    ).exists()


def test_a_new_registry_person_from_the_form(world, persons, client, english):
    client.force_login(world.users["officer.fes"])
    data = form_data(
        world,
        person="new",
        sex="M",
        nationality="MA",
        new_family_name="Bennis",
        new_given_name="Omar",
        new_birth_year="1980",
        new_cnie="zb 123456",
    )

    response = client.post("/staff/cases/new/", data)

    assert response.status_code == 302
    person = Person.objects.get(cnie_number="ZB123456")
    assert (person.family_name_latin, person.birth_year, person.birth_date) == (
        "Bennis",
        1980,
        None,
    )
    assert CaseParty.objects.get(person=person).age_at_time == 45


@pytest.mark.parametrize(
    ("party", "field", "message"),
    [
        ({"person": "new"}, "new_family_name", "Give the new person's family name."),
        (
            {"person": "new", "new_family_name": "X", "new_birth_date": "1980-01-01",
             "new_birth_year": "1980"},
            "new_birth_year",
            "not both",
        ),
        ({"new_family_name": "Bennis"}, "person", "Choose “New registry person”"),
        ({"person": "new", "new_family_name": "X", "new_cnie": "12-34"}, "new_cnie", "letters"),
        ({"person": "new", "new_family_name": "X", "new_cnie": "ZX100001"}, "person",
         "already recorded"),
        ({"person": "new", "new_family_name": "X1"}, "person", "no digits"),
    ],
)  # fmt: skip
def test_new_person_rows_are_checked_field_by_field(
    world, persons, client, english, party, field, message
):
    client.force_login(world.users["officer.fes"])
    before = (Person.objects.count(), Case.objects.count())

    response = client.post("/staff/cases/new/", form_data(world, **party))

    assert response.status_code == 200
    errors = response.context["entry"].parties.forms[0].errors
    assert any(message in error for error in errors[field]), errors
    assert (Person.objects.count(), Case.objects.count()) == before


def test_the_correction_form_shows_the_linked_person(world, persons, client, english):
    case = case_record(
        actor=None,
        data=case_input(world, PartyInput(PartyRole.VICTIM, person_id=persons["zerhouni"].pk)),
    )
    client.force_login(world.users["officer.fes"])

    response = client.get(f"/staff/cases/{case.pk}/edit/")

    row = response.context["entry"].parties.forms[0]
    assert row["person"].value() == str(persons["zerhouni"].pk)
    assert "ZERHOUNI Anas" in response.content.decode()


def test_persons_carry_their_case_copies_and_follow_its_corrections(world, persons):
    case = case_record(
        actor=None,
        data=case_input(world, PartyInput(PartyRole.VICTIM, sex="F", age_at_time=30)),
    )
    party = case.parties.get()
    assert (party.recorded_on, party.recording_unit_id, party.commune_id, party.is_valid) == (
        D(2025, 3, 9),
        world.units["ws-fes-d1"].pk,
        None,
        True,
    )
    data = case_input(world, PartyInput(PartyRole.VICTIM, sex="F", age_at_time=30))
    data.recorded_on = D(2025, 3, 1)  # before it occurred: dates out of order, to the inbox
    data.recording_unit_id = world.units["ws-fes"].pk

    case_update(
        actor=None,
        case=case,
        data=data,
        offence_ids=[case.offences.get().pk],
        party_ids=[party.pk],
    )

    party.refresh_from_db()
    assert (party.recorded_on, party.recording_unit_id, party.is_valid) == (
        D(2025, 3, 1),
        world.units["ws-fes"].pk,
        False,
    )
