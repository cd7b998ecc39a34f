"""GET /api/v1/people/<uuid>: the permission matrix and the error envelope."""

import uuid

import pytest

from amn.access.tests.factories import (
    AGADIR_D1_PERSON,
    FES_D1_PERSON,
    FES_D1_YEAR_ONLY_PERSON,
    RABAT_D1_PERSON,
)
from amn.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(person) -> str:
    return f"/api/v1/people/{person.id}"


def _assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


def test_anonymous_gets_401_unauthenticated(world, client):
    response = client.get(_url(world.persons[FES_D1_PERSON]))

    _assert_envelope(response, 401, "unauthenticated")
    assert set(response.json()) == {"error"}


def test_citizen_gets_401_unauthenticated(world, client):
    client.force_login(world.users["citizen@example.ma"])

    response = client.get(_url(world.persons[FES_D1_PERSON]))

    _assert_envelope(response, 401, "unauthenticated")
    assert "Alaoui" not in response.content.decode()


def test_other_unit_gets_404_not_found(world, client):
    """The key rule: an Agadir front-desk agent cannot read a Fès person through the API."""
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["agent.agadir"])

    response = client.get(_url(person))

    _assert_envelope(response, 404, "not_found")
    body = response.content.decode()
    assert person.family_name_latin not in body
    assert person.family_name_ar not in body


def test_out_of_scope_answers_exactly_like_a_missing_record(world, client):
    client.force_login(world.users["agent.agadir"])

    hidden = client.get(_url(world.persons[FES_D1_PERSON]))
    missing = client.get(f"/api/v1/people/{uuid.uuid4()}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize(
    ("username", "cnie", "status"),
    [
        ("agent.agadir", FES_D1_PERSON, 404),
        ("agent.fes", AGADIR_D1_PERSON, 404),
        ("supervisor.rabat", FES_D1_PERSON, 404),
        ("agent.agadir", AGADIR_D1_PERSON, 200),
        ("agent.fes", FES_D1_PERSON, 200),
        ("officer.fes", FES_D1_PERSON, 200),  # parent unit
        ("officer.fes", FES_D1_YEAR_ONLY_PERSON, 200),
        ("officer.fes", RABAT_D1_PERSON, 404),
        ("admin", AGADIR_D1_PERSON, 200),  # national roles
        ("analyst.hq", FES_D1_PERSON, 200),
        ("analyst.hq", RABAT_D1_PERSON, 200),
        ("analyst.fes", FES_D1_PERSON, 200),  # a wilaya analyst: its subtree only
        ("analyst.fes", AGADIR_D1_PERSON, 404),
    ],
)
def test_person_get_matrix(world, client, username, cnie, status):
    person = world.persons[cnie]
    client.force_login(world.users[username])

    response = client.get(_url(person))

    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == str(person.id)
    else:
        _assert_envelope(response, 404, "not_found")


def test_person_get_body(world, client):
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["officer.fes"])

    body = client.get(_url(person)).json()

    assert body == {
        "id": str(person.id),
        "family_name_ar": "العلوي",
        "given_name_ar": "سعيد",
        "family_name_latin": "Alaoui",
        "given_name_latin": "Said",
        "sex": "M",
        "birth_date": "1988-03-14",
        "birth_year": None,
        "nationality": "MA",
        "recorded_by": "ws-fes-d1",
    }


def test_year_only_birth_stays_a_year(world, client):
    client.force_login(world.users["agent.fes"])

    body = client.get(_url(world.persons[FES_D1_YEAR_ONLY_PERSON])).json()

    assert (body["birth_date"], body["birth_year"]) == (None, 1975)


def test_malformed_uuid_is_refused_with_the_envelope(world, client):
    client.force_login(world.users["admin"])

    response = client.get("/api/v1/people/not-a-uuid")

    _assert_envelope(response, 422, "invalid")


def test_malformed_uuid_from_anonymous_is_unauthenticated(world, client):
    _assert_envelope(client.get("/api/v1/people/not-a-uuid"), 401, "unauthenticated")


def test_api_read_is_audited_with_the_request_id(world, client):
    person = world.persons[AGADIR_D1_PERSON]
    client.force_login(world.users["agent.agadir"])

    response = client.get(_url(person))

    event = AuditEvent.objects.get(target="people.person", target_id=str(person.id))
    assert event.action == "view"
    assert event.actor == world.users["agent.agadir"]
    assert event.request_id == response["X-Request-ID"]


def test_refused_api_read_is_audited_as_denied(world, client):
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["agent.agadir"])

    client.get(_url(person))

    events = AuditEvent.objects.filter(target_id=str(person.id))
    assert list(events.values_list("action", flat=True)) == ["denied"]
