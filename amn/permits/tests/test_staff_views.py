"""Staff pages: the permission matrix (anonymous, citizen, role without access, other
unit, own unit, national), audit rows of every read, the checklist / decision / card
workflow through the pages, and the worklists' pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amn.audit.models import AuditEvent
from amn.permits.models import ResidenceApplication, ResidenceCard, Visa
from amn.permits.tests.factories import (
    AGADIR,
    FES,
    all_received,
    card_issued,
    days,
    residence_submitted,
    visa_submitted,
)

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"
LISTS = ("/staff/permits/", "/staff/permits/visas/", "/staff/permits/expiring/")


def _residence(application) -> str:
    return f"/staff/permits/residence/{application.pk}/"


def _visa(application) -> str:
    return f"/staff/permits/visas/{application.pk}/"


@pytest.fixture
def fes_applications(world):
    return residence_submitted(handling_unit=FES), visa_submitted(handling_unit=FES)


def test_anonymous_users_are_sent_to_the_staff_login(fes_applications, client):
    residence, visa = fes_applications
    for url in (*LISTS, _residence(residence), _visa(visa)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{STAFF_LOGIN}?next={url}"


@pytest.mark.parametrize("username", ["citizen@example.ma", "hr.rabat", "planner.rabat"])
def test_citizens_and_roles_without_access_are_refused(world, fes_applications, client, username):
    residence, visa = fes_applications
    client.force_login(world.users[username])
    for url in (*LISTS, _residence(residence), _visa(visa)):
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="view").exists()


@pytest.mark.parametrize("username", ["supervisor.rabat", "agent.agadir", "agent.agadir.wilaya"])
def test_other_units_neither_list_nor_open_them(world, fes_applications, client, username):
    residence, visa = fes_applications
    user = world.users[username]
    client.force_login(user)
    assert client.get("/staff/permits/").context["rows"] == []
    assert client.get("/staff/permits/visas/").context["rows"] == []
    assert client.get(_residence(residence)).status_code == 404
    assert client.get(_visa(visa)).status_code == 404
    denied = AuditEvent.objects.filter(action="denied", actor=user)
    assert {(e.target, e.target_id) for e in denied} == {
        ("permits.residenceapplication", str(residence.pk)),
        ("permits.visaapplication", str(visa.pk)),
    }
    assert client.post(_residence(residence), {"action": "decide"}).status_code == 404


@pytest.mark.parametrize(
    "username", ["agent.fes", "officer.fes", "analyst.fes", "admin", "analyst.hq"]
)
def test_own_unit_and_national_staff_read_them_audited(world, fes_applications, client, username):
    residence, visa = fes_applications
    user = world.users[username]
    client.force_login(user)
    assert client.get("/staff/permits/").context["rows"] == [residence]
    assert client.get("/staff/permits/visas/").context["rows"] == [visa]
    page = client.get(_residence(residence))
    assert page.status_code == 200
    html = page.content.decode()
    assert residence.reference in html and "18AB12345" in html
    assert client.get(_visa(visa)).status_code == 200
    views = AuditEvent.objects.filter(action="view", actor=user)
    assert {(e.target, e.target_id) for e in views} == {
        ("permits.residenceapplication", str(residence.pk)),
        ("permits.visaapplication", str(visa.pk)),
    }
    lists = AuditEvent.objects.filter(action="list", actor=user)
    assert {e.target for e in lists} == {"permits.residenceapplication", "permits.visaapplication"}


def test_filters_and_unit_scope_of_the_filter(world, client):
    fes = residence_submitted(handling_unit=FES)
    residence_submitted(handling_unit=AGADIR, passport_number="OTHER0001", reason="study")
    client.force_login(world.users["admin"])
    assert client.get("/staff/permits/", {"reason": "work"}).context["rows"] == [fes]
    assert client.get("/staff/permits/", {"unit": "ws-fes"}).context["rows"] == [fes]
    assert client.get("/staff/permits/", {"reference": fes.reference[-6:]}).context["rows"] == [fes]
    client.force_login(world.users["officer.fes"])
    response = client.get("/staff/permits/", {"unit": "ws-agadir"})
    assert response.context["rows"] == [] and response.context["filters"].errors


def test_front_desk_agent_checks_documents_but_cannot_decide(world, client, english):
    application = residence_submitted(handling_unit=FES)
    client.force_login(world.users["agent.fes"])
    page = client.get(_residence(application)).content.decode()
    assert "Save the checklist" in page and "Record the decision" not in page
    data = {"action": "checklist"} | {
        f"checklist-doc_{check.code}": "received" for check in application.documents.all()
    }
    data["checklist-doc_photos"] = "missing"
    response = client.post(_residence(application), data)
    assert response.status_code == 302
    assert application.documents.get(code="photos").status == "missing"
    assert application.documents.get(code="passport_copy").status == "received"
    assert (
        client.post(
            _residence(application), {"action": "decide", "decision-decision": "approve"}
        ).status_code
        == 403
    )
    assert client.post(_residence(application), {"action": "issue"}).status_code == 403
    assert client.post(_residence(application), {"action": "nonsense"}).status_code == 400


def test_decision_and_card_through_the_pages(world, english):
    application = residence_submitted(handling_unit=FES)
    english.force_login(world.users["officer.fes"])
    response = english.post(
        _residence(application), {"action": "decide", "decision-decision": "approve"}
    )
    assert response.status_code == 200
    assert "These documents are not marked as received" in response.content.decode()
    all_received(application)
    response = english.post(
        _residence(application), {"action": "decide", "decision-decision": "approve"}
    )
    assert response.status_code == 302
    page = english.get(_residence(application)).content.decode()
    assert "Issue the card" in page and "Standard validity for this application: 12 months" in page
    response = english.post(
        _residence(application), {"action": "issue", "issue-expires_on": days(500).isoformat()}
    )
    assert response.status_code == 200
    assert (
        response.context["issue"]
        .errors["expires_on"][0]
        .startswith("This card may be valid at most 12 months")
    )
    response = english.post(_residence(application), {"action": "issue"})
    assert response.status_code == 302
    card = ResidenceCard.objects.get()
    assert card.number in english.get(_residence(application)).content.decode()


def test_refusal_through_the_page_needs_a_reason(world, english):
    application = residence_submitted(handling_unit=FES)
    english.force_login(world.users["officer.fes"])
    response = english.post(
        _residence(application), {"action": "decide", "decision-decision": "refuse"}
    )
    assert response.context["decision"].errors["refusal_reason"] == [
        "Choose the reason of the refusal."
    ]
    response = english.post(
        _residence(application),
        {
            "action": "decide",
            "decision-decision": "refuse",
            "decision-refusal_reason": "irregular_entry",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "refused" and application.refusal_reason == "irregular_entry"


def test_visa_decision_through_the_page(world, english):
    application = visa_submitted(handling_unit=FES)
    english.force_login(world.users["officer.fes"])
    page = english.get(_visa(application))
    assert page.context["form"].initial["valid_from"] == days(10)
    bad = {
        "decision-decision": "approve",
        "decision-valid_from": days(20).isoformat(),
        "decision-valid_until": days(15).isoformat(),
        "decision-entries": "single",
        "decision-max_stay_days": "5",
    }
    response = english.post(_visa(application), bad)
    assert response.context["form"].errors["valid_until"] == [
        "The end of validity is before its start."
    ]
    assert "The decision was not recorded" in response.content.decode()
    good = bad | {"decision-valid_until": days(40).isoformat()}
    assert english.post(_visa(application), good).status_code == 302
    visa = Visa.objects.get()
    page = english.get(_visa(application)).content.decode()
    assert visa.number in page and "Record the decision" not in page


def test_front_desk_agents_do_not_decide_visas(world, client):
    application = visa_submitted(handling_unit=FES)
    client.force_login(world.users["agent.fes"])
    assert "Record the decision" not in client.get(_visa(application)).content.decode()
    response = client.post(_visa(application), {"decision-decision": "refuse"})
    assert response.status_code == 403


def test_expiring_cards_page(world, english):
    card = card_issued(expires_on=days(20), handling_unit=FES)
    card_issued(expires_on=days(20), handling_unit=AGADIR, passport_number="OTHER0001")
    english.force_login(world.users["officer.fes"])
    response = english.get("/staff/permits/expiring/", {"days": "30"})
    assert response.context["cards"] == [card]
    assert "Not sent yet" in response.content.decode()
    assert english.get("/staff/permits/expiring/", {"days": "x"}).context["days"] == 60
    events = AuditEvent.objects.filter(action="list", target="permits.residencecard")
    assert sorted((e.detail["expiring_within_days"], e.detail["shown"]) for e in events) == [
        (30, 1),
        (60, 1),
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_worklists_query_counts_do_not_grow_with_rows(world, client):
    client.force_login(world.users["admin"])
    for n in range(2):
        residence_submitted(passport_number=f"PASS0000{n}")
        visa_submitted(passport_number=f"PASS0000{n}")
    few = (_queries(client, "/staff/permits/"), _queries(client, "/staff/permits/visas/"))
    for n in range(2, 8):
        residence_submitted(passport_number=f"PASS0000{n}", handling_unit=AGADIR)
        visa_submitted(passport_number=f"PASS0000{n}", handling_unit=AGADIR)
    many = (_queries(client, "/staff/permits/"), _queries(client, "/staff/permits/visas/"))
    assert few == many
    assert ResidenceApplication.objects.count() == 8


def test_navigation_filter(world):
    from django.contrib.auth.models import AnonymousUser

    from amn.permits.templatetags.permit_access import may_read_permits

    assert may_read_permits(world.users["agent.fes"]) and may_read_permits(world.users["admin"])
    assert not may_read_permits(world.users["hr.rabat"])
    assert not may_read_permits(world.users["citizen@example.ma"])
    assert not may_read_permits(AnonymousUser())
