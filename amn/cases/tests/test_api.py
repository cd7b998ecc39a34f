"""GET /api/v1/cases/ and /api/v1/cases/<uuid>: the permission matrix, scoping, filters,
paging, the error envelope and the audit trail."""

import datetime
import uuid

import pytest

from amn.audit.models import AuditEvent
from amn.cases.services import CaseInput, OffenceInput, case_record
from amn.cases.tests.scoped_cases import (
    AGADIR_BURGLARY,
    AGADIR_INBOX,
    ALL_CASES,
    FES_CASES,
    FES_DRUGS,
    FES_INBOX,
    FES_ROBBERY,
    INBOX_CASES,
    RABAT_ASSAULT,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def _url(case) -> str:
    return f"/api/v1/cases/{case.pk}"


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def _references(response, scoped_cases) -> set[str]:
    by_reference = {case.reference: key for key, case in scoped_cases.cases.items()}
    return {by_reference[item["reference"]] for item in response.json()["items"]}


def test_anonymous_and_citizens_are_unauthenticated(world, scoped_cases, client):
    case = scoped_cases.cases[FES_DRUGS]
    for url in (LIST, _url(case)):
        _error(client.get(url), 401, "unauthenticated")
    client.force_login(world.users["citizen@example.ma"])
    for url in (LIST, _url(case)):
        response = client.get(url)
        _error(response, 401, "unauthenticated")
        assert case.reference not in response.content.decode()


@pytest.mark.parametrize("username", ["hr.rabat", "agent.fes", "planner.rabat"])
def test_staff_whose_role_reads_no_case_are_refused(world, scoped_cases, client, username):
    client.force_login(world.users[username])

    for url in (LIST, _url(scoped_cases.cases[RABAT_ASSAULT])):
        response = client.get(url)
        _error(response, 403, "error")
        assert scoped_cases.cases[RABAT_ASSAULT].reference not in response.content.decode()


@pytest.mark.parametrize(
    ("username", "listed"),
    [
        ("officer.fes", FES_CASES),
        ("analyst.fes", FES_CASES),
        ("supervisor.rabat", {RABAT_ASSAULT}),
        ("admin", ALL_CASES),
        ("analyst.hq", ALL_CASES),
    ],
)
def test_list_is_scoped(world, scoped_cases, client, username, listed):
    client.force_login(world.users[username])

    response = client.get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == len(listed)
    assert _references(response, scoped_cases) == listed


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("officer.fes", FES_ROBBERY, 200),  # own unit
        ("officer.fes", AGADIR_BURGLARY, 404),  # other unit
        ("supervisor.rabat", FES_INBOX, 404),
        ("supervisor.rabat", RABAT_ASSAULT, 200),
        ("analyst.fes", AGADIR_INBOX, 404),
        ("admin", AGADIR_INBOX, 200),  # national roles
        ("analyst.hq", FES_INBOX, 200),
    ],
)
def test_case_get_matrix(world, scoped_cases, client, username, key, status):
    case = scoped_cases.cases[key]
    client.force_login(world.users[username])

    response = client.get(_url(case))

    if status == 200:
        assert response.status_code == 200
        assert response.json()["reference"] == case.reference
    else:
        _error(response, 404, "not_found")
        assert case.reference not in response.content.decode()


def test_out_of_scope_answers_like_a_missing_case(world, scoped_cases, client):
    client.force_login(world.users["officer.fes"])

    hidden = client.get(_url(scoped_cases.cases[AGADIR_BURGLARY]))
    missing = client.get(f"/api/v1/cases/{uuid.uuid4()}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_case_body(world, scoped_cases, client):
    case = scoped_cases.cases[FES_ROBBERY]
    client.force_login(world.users["officer.fes"])

    body = client.get(_url(case)).json()

    party = case.parties.get()
    assert body == {
        "id": str(case.pk),
        "reference": case.reference,
        "recording_unit": "ws-fes-d1",
        "commune": None,
        "occurred_on": "2025-03-08",
        "reported_on": None,
        "recorded_on": "2025-03-09",
        "status": "open",
        "cleared_on": "2025-03-09",
        "is_valid": True,
        "problems": [],
        "offences": [
            {
                "id": case.offences.get().pk,
                "iccs_code": "0401",
                "clearance": "by_arrest",
                "cleared_on": "2025-03-09",
                "exceptional_reason": "",
            }
        ],
        "narrative": "Robbery of a phone",
        "parties": [
            {
                "id": party.pk,
                "role": "arrested",
                "sex": "M",
                "age_at_time": 24,
                "nationality": "",
                "person_id": None,
            }
        ],
        "arrests": [{"arrested_on": "2025-03-09", "unit": "ws-fes-d1", "party_id": party.pk}],
    }


def test_inbox_case_shows_its_problems(world, scoped_cases, client):
    client.force_login(world.users["admin"])

    body = client.get(_url(scoped_cases.cases[AGADIR_INBOX])).json()

    assert body["is_valid"] is False
    assert body["problems"] == ["dates_out_of_order", "cleared_without_arrest"]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("iccs_section=06", {FES_DRUGS}),
        ("recorded_from=2025-01-01&recorded_to=2025-12-31", ALL_CASES - {AGADIR_BURGLARY}),
        ("iccs_section=05&recorded_to=2024-12-31", {AGADIR_BURGLARY}),
        ("in_inbox=true", INBOX_CASES),
        ("in_inbox=false&unit=ws-fes", {FES_ROBBERY, FES_DRUGS}),
        ("status=open", ALL_CASES),
    ],
)
def test_list_filters(world, scoped_cases, client, query, listed):
    client.force_login(world.users["admin"])

    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert _references(response, scoped_cases) == listed


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("unit=ws-agadir", "unit"),  # outside the officer's units
        ("iccs_section=99", "iccs_section"),
        ("status=lost", "status"),
        ("recorded_from=yesterday", "recorded_from"),
        ("in_inbox=maybe", "in_inbox"),
    ],
)
def test_invalid_filters_are_refused_with_the_envelope(world, scoped_cases, client, query, field):
    client.force_login(world.users["officer.fes"])

    error = _error(client.get(f"{LIST}?{query}"), 422, "invalid")

    assert [entry["loc"][-1] for entry in error["fields"]] == [field]


def test_list_is_paged(world, scoped_cases, client):
    client.force_login(world.users["admin"])

    first = client.get(f"{LIST}?page_size=4").json()
    second = client.get(f"{LIST}?page_size=4&page=2").json()

    assert first["count"] == second["count"] == len(ALL_CASES)
    assert len(first["items"]) == 4
    assert len(second["items"]) == 2
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(set(ids)) == len(ALL_CASES)


def test_reads_are_audited(world, scoped_cases, client):
    case = scoped_cases.cases[FES_DRUGS]
    client.force_login(world.users["officer.fes"])

    client.get(f"{LIST}?iccs_section=06")
    response = client.get(_url(case))
    client.get(_url(scoped_cases.cases[RABAT_ASSAULT]))

    events = AuditEvent.objects.filter(target="cases.case", actor=world.users["officer.fes"])
    assert {(e.action, e.target_id) for e in events} == {
        ("list", ""),
        ("view", str(case.pk)),
        ("denied", str(scoped_cases.cases[RABAT_ASSAULT].pk)),
    }
    assert events.get(action="list").detail == {"filters": {"iccs_section": "06"}}
    assert events.get(action="view").request_id == response["X-Request-ID"]


def test_list_query_count_does_not_grow_with_rows(
    world, scoped_cases, client, django_assert_num_queries
):
    """Session, user, the TOTP device (django-otp), the ICCS sections, the audit event (lock
    the chain head, insert, move the head), the count, one page of cases with units and
    communes, their offences: ten queries however many rows."""
    client.force_login(world.users["admin"])
    for n in range(30):
        case_record(
            actor=None,
            data=CaseInput(
                recording_unit_id=world.units[("ws-fes-d1", "ws-agadir-d1", "sp-sale")[n % 3]].pk,
                occurred_on=datetime.date(2025, 5, 1),
                recorded_on=datetime.date(2025, 5, 1),
                offences=[OffenceInput("0502"), OffenceInput("0201")],
            ),
        )

    with django_assert_num_queries(10):
        response = client.get(LIST)

    assert len(response.json()["items"]) == len(ALL_CASES) + 30
