"""/api/v1/permits: the permission matrix, scoping, audit rows, decisions in the error
envelope, and the public visa application (201 new, 200 already received, 422 by field)."""

import pytest

from amn.audit.models import AuditEvent
from amn.permits.models import VisaApplication
from amn.permits.tests.factories import (
    AGADIR,
    FES,
    all_received,
    days,
    residence_submitted,
    visa_submitted,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/permits"


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.fixture
def applications(world):
    return {
        "fes": residence_submitted(handling_unit=FES),
        "agadir": residence_submitted(handling_unit=AGADIR, passport_number="OTHER0001"),
        "fes_visa": visa_submitted(handling_unit=FES),
    }


def _urls(applications) -> list[str]:
    return [
        f"{BASE}/residence",
        f"{BASE}/residence/{applications['fes'].pk}",
        f"{BASE}/visas",
        f"{BASE}/visas/{applications['fes_visa'].pk}",
    ]


def test_anonymous_and_citizens_are_unauthenticated(world, applications, client):
    for url in _urls(applications):
        _error(client.get(url), 401, "unauthenticated")
    client.force_login(world.users["citizen@example.ma"])
    for url in _urls(applications):
        _error(client.get(url), 401, "unauthenticated")


@pytest.mark.parametrize("username", ["hr.rabat", "planner.rabat"])
def test_roles_without_access_are_refused(world, applications, client, username):
    client.force_login(world.users[username])
    for url in _urls(applications):
        _error(client.get(url), 403, "error")


def test_other_units_get_nothing(world, applications, client):
    user = world.users["supervisor.rabat"]
    client.force_login(user)
    assert client.get(f"{BASE}/residence").json() == {"items": [], "count": 0}
    _error(client.get(f"{BASE}/residence/{applications['fes'].pk}"), 404, "not_found")
    _error(client.get(f"{BASE}/visas/{applications['fes_visa'].pk}"), 404, "not_found")
    response = client.post(
        f"{BASE}/residence/{applications['fes'].pk}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )
    _error(response, 404, "not_found")
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 3


@pytest.mark.parametrize(
    ("username", "expected"),
    [("officer.fes", {"fes"}), ("agent.fes", {"fes"}), ("admin", {"fes", "agadir"})],
)
def test_lists_are_scoped_and_audited(world, applications, client, username, expected):
    user = world.users[username]
    client.force_login(user)
    body = client.get(f"{BASE}/residence").json()
    by_reference = {a.reference: key for key, a in applications.items()}
    assert {by_reference[item["reference"]] for item in body["items"]} == expected
    assert AuditEvent.objects.filter(actor=user, action="list").count() == 1


def test_one_application_with_its_checklist(world, applications, client, english):
    user = world.users["officer.fes"]
    client.force_login(user)
    application = applications["fes"]
    body = client.get(f"{BASE}/residence/{application.pk}").json()
    assert body["reference"] == application.reference
    assert body["handling_unit"] == FES and body["nationality"] == "FR"
    assert body["documents"][0] == {
        "code": "application_form",
        "label": "Signed application form",
        "status": "pending",
        "checked_at": None,
    }
    assert body["card"] is None and body["previous_card"] is None
    assert AuditEvent.objects.filter(
        actor=user, action="view", target_id=str(application.pk)
    ).exists()


def test_filter_outside_the_scope_is_invalid(world, applications, client):
    client.force_login(world.users["officer.fes"])
    error = _error(client.get(f"{BASE}/residence", {"unit": "ws-agadir"}), 422, "invalid")
    assert error["fields"][0]["loc"] == ["query", "unit"]


def test_residence_decision(world, applications, client, english):
    application = applications["fes"]
    url = f"{BASE}/residence/{application.pk}/decision"
    client.force_login(world.users["agent.fes"])
    _error(client.post(url, {"decision": "approve"}, content_type="application/json"), 403, "error")
    client.force_login(world.users["officer.fes"])
    _error(
        client.post(url, {"decision": "approve"}, content_type="application/json"), 409, "refused"
    )
    error = _error(
        client.post(url, {"decision": "refuse"}, content_type="application/json"), 422, "invalid"
    )
    assert error["fields"] == [
        {"loc": ["body", "refusal_reason"], "msg": "Choose the reason of the refusal."}
    ]
    all_received(application)
    body = client.post(url, {"decision": "approve"}, content_type="application/json").json()
    assert body["status"] == "approved"


def test_visa_decision(world, applications, client):
    application = applications["fes_visa"]
    url = f"{BASE}/visas/{application.pk}/decision"
    client.force_login(world.users["officer.fes"])
    payload = {
        "decision": "approve",
        "valid_from": days(5).isoformat(),
        "valid_until": days(200).isoformat(),
        "entries": "multiple",
        "max_stay_days": 20,
    }
    error = _error(client.post(url, payload, content_type="application/json"), 422, "invalid")
    assert error["fields"][0]["loc"] == ["body", "valid_until"]
    payload["valid_until"] = days(60).isoformat()
    body = client.post(url, payload, content_type="application/json").json()
    assert body["status"] == "issued"
    assert body["visa"]["entries"] == "multiple" and body["visa"]["number"].startswith("VE")
    _error(
        client.post(url, {"decision": "refuse", "refusal_reason": "other", "note": "x"},
                    content_type="application/json"),
        409,
        "refused",
    )  # fmt: skip


def _visa_payload(**overrides) -> dict:
    payload = {
        "family_name": "Sato",
        "given_names": "Yui",
        "nationality": "JP",
        "birth_date": "1988-03-09",
        "passport_number": "TK1234567",
        "passport_expires_on": days(900).isoformat(),
        "email": "yui@example.jp",
        "purpose": "tourism",
        "intended_entry_on": days(30).isoformat(),
        "intended_exit_on": days(44).isoformat(),
        "entries_requested": "multiple",
        "handling_unit": AGADIR,
    }
    payload.update(overrides)
    return payload


def test_public_visa_application(world, client):
    url = f"{BASE}/visa-applications"
    response = client.post(url, _visa_payload(), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("EV-") and body == {
        "reference": body["reference"],
        "status": "submitted",
        "existing": False,
    }
    again = client.post(url, _visa_payload(), content_type="application/json")
    assert again.status_code == 200 and again.json() == {**body, "existing": True}
    assert VisaApplication.objects.count() == 1


def test_public_visa_application_errors(world, client):
    response = client.post(
        f"{BASE}/visa-applications",
        _visa_payload(intended_exit_on=days(29).isoformat(), nationality="MA"),
        content_type="application/json",
    )
    error = _error(response, 422, "invalid")
    assert {tuple(field["loc"]) for field in error["fields"]} == {
        ("body", "intended_exit_on"),
        ("body", "nationality"),
    }
    assert not VisaApplication.objects.exists()


def test_public_submissions_are_throttled(world, client):
    url = f"{BASE}/visa-applications"
    for _n in range(20):
        client.post(url, _visa_payload(nationality="MA"), content_type="application/json")
    response = client.post(url, _visa_payload(), content_type="application/json")
    assert response.status_code == 429
    assert not VisaApplication.objects.exists()
