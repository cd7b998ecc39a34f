"""POST /api/v1/people/check: permission matrix, validation, output, audit."""

import json

import pytest

from amn.audit.models import AuditEvent
from amn.people.api import query_fingerprint
from amn.people.registry_io import identity_parse
from amn.people.services import registry_import
from amn.people.tests.conftest import jsonl, person_line

pytestmark = pytest.mark.django_db

URL = "/api/v1/people/check"
APPLICANT = {
    "family_name_lat": "Bennani",
    "given_name_lat": "Khadija",
    "family_name_ar": "بناني",
    "birth_date": "1975",
    "birth_place": "Fès",
    "mother_given_name": "Zohra",
    "sex": "F",
}


@pytest.fixture
def registry(registry_world):
    world, _communes = registry_world
    line = person_line(
        1,
        family_name_lat="Bennani",
        given_name_lat="Khadija",
        family_name_ar="بناني",
        given_name_ar="خديجة",
        birth_date="1975",
        mother_given_name="Zohra",
        sex="F",
    )
    report = registry_import(actor=None, lines=jsonl(line), recorded_by=world.units["dgsn"])
    assert report.imported == 1
    return world


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (None, 401),
        ("citizen@example.ma", 401),  # the staff API does not admit citizens at all
        ("hr.rabat", 403),  # staff whose role does not read the person registry
        ("planner.rabat", 403),
        ("agent.agadir", 200),  # front desk: national check, whatever the unit
        ("agent.fes", 200),
        ("supervisor.rabat", 200),
        ("analyst.hq", 200),
        ("admin", 200),
    ],
)
def test_permission_matrix(registry, client, username, status):
    if username:
        client.force_login(registry.users[username])

    response = _post(client, APPLICANT)

    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"error"}
        assert "Bennani" not in response.content.decode()
        assert not AuditEvent.objects.filter(action="search").exists()


def test_the_answer_is_the_command_line_json(registry, client):
    client.force_login(registry.users["agent.fes"])

    body = _post(client, APPLICANT).json()

    assert set(body) == {"outcome", "score", "candidates"}
    assert body["outcome"] in ("POSSIBLE_MATCH", "RECORD_FOUND")
    best = body["candidates"][0]
    assert best["person_id"] == "P1"
    assert set(best) == {"person_id", "score", "fields"}
    assert all(set(f) == {"field", "agreement", "weight", "detail"} for f in best["fields"])


def test_a_check_is_audited_as_a_search_with_a_fingerprint(registry, client):
    client.force_login(registry.users["agent.fes"])

    response = _post(client, APPLICANT)

    event = AuditEvent.objects.get(action="search")
    assert event.actor == registry.users["agent.fes"]
    assert event.target == "people.person"
    assert event.request_id == response["X-Request-ID"]
    record = identity_parse(APPLICANT).record
    assert event.detail["fingerprint"] == query_fingerprint(record)
    assert event.detail["outcome"] == response.json()["outcome"]
    trail = json.dumps(event.detail, ensure_ascii=False) + event.reason
    for value in ("Bennani", "بناني", "Khadija", "Zohra", "1975", "Fès"):
        assert value not in trail


def test_the_same_query_gives_the_same_fingerprint_and_another_a_different_one(registry):
    one = identity_parse(APPLICANT).record
    again = identity_parse({**APPLICANT, "given_name_lat": " khadija "}).record
    other = identity_parse({**APPLICANT, "birth_date": "1976"}).record

    assert query_fingerprint(one) == query_fingerprint(identity_parse(APPLICANT).record)
    assert query_fingerprint(one) != query_fingerprint(other)
    assert len(query_fingerprint(again)) == 32


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**APPLICANT, "cnie": "123"}, {"cnie"}),
        ({**APPLICANT, "birth_date": "1975-02-30", "sex": "X"}, {"birth_date", "sex"}),
        ({"given_name_lat": "Khadija"}, {"family_name_ar"}),
        ({**APPLICANT, "birth_place": "Atlantis"}, {"birth_place"}),
    ],
)
def test_refused_fields_give_422_with_each_field(registry, client, body, fields):
    client.force_login(registry.users["agent.fes"])

    response = _post(client, body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {f["loc"][-1] for f in error["fields"]} == fields
    assert not AuditEvent.objects.filter(action="search").exists()


def test_unknown_fields_are_refused(registry, client):
    client.force_login(registry.users["agent.fes"])

    response = _post(client, {**APPLICANT, "convictions": []})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_arabic_indic_digits_and_year_only_dates_are_accepted(registry, client):
    client.force_login(registry.users["agent.fes"])

    response = _post(client, {**APPLICANT, "birth_date": "١٩٧٥", "cnie": "c ١٢٣٤"})

    assert response.status_code == 200
