"""Unit scoping: who sees which person records (selectors and the scoping chokepoint)."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from amn.access.scoping import is_national, restrict, unit_scope
from amn.access.tests.factories import (
    AGADIR_D1_PERSON,
    FES_D1_PERSON,
    FES_D1_YEAR_ONLY_PERSON,
    RABAT_D1_PERSON,
)
from amn.accounts.models import User
from amn.audit.models import AuditEvent
from amn.people.models import Person
from amn.people.selectors import access_person, person_list

pytestmark = pytest.mark.django_db

EVERYONE = {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON, AGADIR_D1_PERSON, RABAT_D1_PERSON}
FES = {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON}


def _actor(world, username):
    return AnonymousUser() if username is None else world.users[username]


@pytest.mark.parametrize(
    ("username", "national"),
    [
        ("admin", True),  # administrator at the directorate-general
        ("analyst.hq", True),  # analyst at the directorate-general
        ("analyst.dpj", True),  # analyst at a central directorate
        ("analyst.fes", False),  # analyst at a security wilaya
        ("officer.fes", False),
        ("agent.agadir", False),
        ("supervisor.rabat", False),
        ("citizen@example.ma", False),
        (None, False),
    ],
)
def test_is_national(world, username, national):
    assert is_national(_actor(world, username)) is national


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("admin", EVERYONE),
        ("analyst.hq", EVERYONE),
        ("analyst.dpj", EVERYONE),
        ("analyst.fes", FES),  # a wilaya analyst sees its subtree only
        ("officer.fes", FES),  # wilaya sees the records of its districts
        ("agent.fes", FES),
        ("agent.agadir", {AGADIR_D1_PERSON}),
        ("agent.agadir.wilaya", {AGADIR_D1_PERSON}),
        ("supervisor.rabat", {RABAT_D1_PERSON}),
        ("hr.rabat", set()),  # HR officers do not read the person registry
        ("planner.rabat", set()),
        ("citizen@example.ma", set()),
        (None, set()),
    ],
)
def test_person_list_is_limited_to_the_actor_subtree(world, username, visible):
    persons = person_list(actor=_actor(world, username))

    assert {p.cnie_number for p in persons} == visible


def test_a_district_does_not_see_its_parent_wilaya_records(world):
    """Scope goes down the tree only: a record of ws-fes itself is hidden from ws-fes-d1."""
    wilaya_record = Person.objects.create(
        recorded_by=world.units["ws-fes"], family_name_latin="Wilaya", cnie_number="Z999999"
    )

    assert wilaya_record in person_list(actor=world.users["officer.fes"])
    assert wilaya_record not in person_list(actor=world.users["agent.fes"])


def test_an_inactive_staff_member_sees_nothing(world):
    User.objects.filter(username="admin").update(is_active=False)
    admin = User.objects.get(username="admin")

    assert not is_national(admin)
    assert not person_list(actor=admin).exists()


def test_unit_scope_for_non_staff_matches_no_row(world):
    everyone = Person.objects.all()

    assert restrict(everyone, AnonymousUser(), unit_field="recorded_by").count() == 0
    assert (
        restrict(everyone, world.users["citizen@example.ma"], unit_field="recorded_by").count() == 0
    )
    assert unit_scope(world.users["admin"], "recorded_by") == unit_scope(
        world.users["analyst.hq"], "recorded_by"
    )


def test_access_person_returns_an_in_scope_record(world):
    person = world.persons[FES_D1_PERSON]

    assert access_person(actor=world.users["agent.fes"], person_id=person.id) == person


def test_access_person_answers_not_found_out_of_scope(world):
    """The key rule: an Agadir front-desk agent cannot read a Fès person, even by id."""
    person = world.persons[FES_D1_PERSON]

    with pytest.raises(Http404):
        access_person(actor=world.users["agent.agadir"], person_id=person.id)
    with pytest.raises(Http404):
        access_person(actor=world.users["agent.agadir"], person_id=str(person.id))


@pytest.mark.parametrize("person_id", [uuid.uuid4(), "not-a-uuid", "", "1' OR '1'='1"])
def test_access_person_answers_not_found_for_unknown_or_malformed_ids(world, person_id):
    with pytest.raises(Http404):
        access_person(actor=world.users["admin"], person_id=person_id)


def test_access_person_audits_reads_and_refusals(world):
    person = world.persons[FES_D1_PERSON]

    with pytest.raises(Http404):
        access_person(actor=world.users["agent.agadir"], person_id=person.id)
    refused = AuditEvent.objects.get(target_id=str(person.id))
    assert (refused.action, refused.actor) == ("denied", world.users["agent.agadir"])

    access_person(actor=world.users["officer.fes"], person_id=person.id, reason="case 12")
    event = AuditEvent.objects.get(target_id=str(person.id), action="view")
    assert (event.action, event.target, event.reason) == ("view", "people.person", "case 12")
    assert event.actor == world.users["officer.fes"]
    assert event.actor_unit == world.units["ws-fes"]
