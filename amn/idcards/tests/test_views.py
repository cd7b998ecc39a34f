"""CNIE pages: the citizen's pre-application, appointment and tracking (bad input, double
submission, wrong birth date, session access), the staff permission matrix, the audit of
every read of an application, and the public and staff API."""

import datetime
import re

import pytest

from amn.appointments import services as appointments
from amn.appointments.choices import BookingStatus
from amn.appointments.models import Booking
from amn.appointments.tests.calendar_helpers import at, working_day
from amn.audit.models import AuditEvent
from amn.idcards import services
from amn.idcards.choices import ApplicationStatus, Step
from amn.idcards.models import CnieApplication
from amn.idcards.tests.builders import card_create, pre_application

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


def _form(fes, **overrides) -> dict:
    data = {
        "kind": "first",
        "family_name_ar": "البناني",
        "given_name_ar": "ليلى",
        "family_name_latin": "Bennani",
        "given_name_latin": "Leila",
        "sex": "F",
        "birth_date": "1994-04-18",
        "address": "12 rue des Oliviers",
        "place": f"unit:{fes.pk}",
        "email": "leila@example.ma",
    }
    data.update(overrides)
    return data


# -- the citizen's journey ------------------------------------------------------------------


def test_apply_book_and_track(client, english, fes, fes_slot):
    response = client.post("/cnie/apply/", _form(fes))
    application = CnieApplication.objects.get()
    assert response.status_code == 302
    assert response.url == f"/cnie/applications/{application.pk}/appointment/"

    page = client.get(response.url).content.decode()
    assert str(fes_slot.pk) in page
    booked = client.post(response.url, {"slot": str(fes_slot.pk)})
    assert booked.url == f"/cnie/applications/{application.pk}/"
    assert Booking.objects.get().subject_id == application.pk

    other = client.__class__()
    other.cookies["django_language"] = "en"
    assert other.get(booked.url).status_code == 404  # another browser: not without tracking
    tracked = other.post(
        "/cnie/track/", {"reference": application.reference.lower(), "birth_date": "1994-04-18"}
    )
    assert tracked.url == booked.url
    page = other.get(booked.url).content.decode()
    assert "Appointment booked" in page
    assert 'data-step="enrolled" class="pending"' in page


def test_apply_shows_the_reason_of_a_refusal(client, english, fes):
    card_create(fes)
    response = client.post("/cnie/apply/", _form(fes, kind="renewal", cnie_number="12AB34"))
    assert response.status_code == 400
    assert "one or two letters followed by digits" in response.content.decode()
    assert not CnieApplication.objects.exists()


def test_apply_refuses_a_missing_field_per_field(client, english, fes):
    response = client.post("/cnie/apply/", _form(fes, birth_date="", place=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count('class="error"') >= 2
    assert not CnieApplication.objects.exists()


def test_submitting_twice_leads_to_the_same_application(client, english, fes):
    first = client.post("/cnie/apply/", _form(fes))
    second = client.post("/cnie/apply/", _form(fes))
    assert first.url == second.url
    assert CnieApplication.objects.count() == 1
    assert "already submitted" in client.get(second.url).content.decode()


def test_tracking_with_a_wrong_birth_date_says_nothing_more(client, english, fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    response = client.post(
        "/cnie/track/", {"reference": application.reference, "birth_date": "1994-04-19"}
    )
    assert response.status_code == 400
    assert "No application matches" in response.content.decode()
    assert client.get(f"/cnie/applications/{application.pk}/").status_code == 404


def test_tracking_failures_are_limited_per_client(client, fes):
    for _attempt in range(30):
        client.post("/cnie/track/", {"reference": "CN-2026-AAAAAAAA", "birth_date": "1990-01-01"})
    response = client.post(
        "/cnie/track/", {"reference": "CN-2026-AAAAAAAA", "birth_date": "1990-01-01"}
    )
    assert response.status_code == 429


def test_birth_date_never_travels_in_a_url(client, fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    assert (
        client.get(
            "/cnie/track/", {"reference": application.reference, "birth_date": "1994-04-18"}
        ).status_code
        == 200
    )
    assert "_auth_user_id" not in client.session
    assert client.get(f"/cnie/applications/{application.pk}/").status_code == 404


def test_signed_in_citizen_finds_their_application_without_tracking(client, world, fes):
    citizen = world.users["citizen@example.ma"]
    application, _created = services.application_submit(actor=citizen, data=pre_application(fes))
    client.force_login(citizen)
    assert client.get(f"/cnie/applications/{application.pk}/").status_code == 200


def test_citizen_cancels_then_withdraws(client, english, fes, fes_slot):
    client.post("/cnie/apply/", _form(fes))
    application = CnieApplication.objects.get()
    client.post(f"/cnie/applications/{application.pk}/appointment/", {"slot": str(fes_slot.pk)})

    client.post(f"/cnie/applications/{application.pk}/appointment/cancel/")
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    client.post(f"/cnie/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CANCELLED


def test_public_tracking_reads_are_audited(client, fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    client.post("/cnie/track/", {"reference": application.reference, "birth_date": "1994-04-18"})
    event = AuditEvent.objects.filter(target="idcards.cnieapplication").get()
    assert (event.action, event.target_id, event.actor) == ("view", str(application.pk), None)


# -- staff: permission matrix and audit --------------------------------------------------


@pytest.fixture
def fes_application(fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    return application


def _staff_urls(application) -> list[str]:
    return [
        "/staff/cnie/",
        f"/staff/cnie/{application.pk}/",
        "/staff/cnie/declare-loss/",
        "/staff/cnie/consents/new/",
    ]


def test_anonymous_is_sent_to_the_staff_login(client, fes_application):
    for url in _staff_urls(fes_application):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(STAFF_LOGIN)


@pytest.mark.parametrize(
    "username", ["citizen@example.ma", "hr.rabat", "planner.rabat", "officer.fes"]
)
def test_roles_without_cnie_access_are_refused(client, world, fes_application, username):
    client.force_login(world.users[username])
    for url in _staff_urls(fes_application):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("agent.fes", True),  # the office itself
        ("agent.agadir", False),  # another office
        ("agent.agadir.wilaya", False),
        ("supervisor.rabat", False),
        ("analyst.fes", True),  # an analyst at the wilaya above reads
        ("analyst.hq", True),  # national
        ("admin", True),
    ],
)
def test_scope_of_the_worklist_and_the_application_page(
    client, world, fes_application, username, sees
):
    client.force_login(world.users[username])

    listed = client.get("/staff/cnie/").context["rows"]
    assert (fes_application in listed) is sees
    assert client.get(f"/staff/cnie/{fes_application.pk}/").status_code == (200 if sees else 404)


def test_reads_of_an_application_are_audited(client, world, fes_application):
    client.force_login(world.users["agent.fes"])
    client.get("/staff/cnie/")
    client.get(f"/staff/cnie/{fes_application.pk}/")
    client.force_login(world.users["agent.agadir"])
    client.get(f"/staff/cnie/{fes_application.pk}/")

    events = AuditEvent.objects.filter(target="idcards.cnieapplication").order_by("seq")
    assert [(e.action, e.actor.username, e.target_id) for e in events] == [
        ("list", "agent.fes", ""),
        ("view", "agent.fes", str(fes_application.pk)),
        ("denied", "agent.agadir", str(fes_application.pk)),
    ]


def test_agent_moves_the_application_to_delivery(client, english, world, fes_application):
    client.force_login(world.users["agent.fes"])
    url = f"/staff/cnie/{fes_application.pk}/step/"

    refused = client.post(url, {"action": "enrol", "photo_captured": "on"}, follow=True)
    assert "Capture the photo and the fingerprints" in refused.content.decode()
    client.post(url, {"action": "enrol", "photo_captured": "on", "fingerprints_captured": "on"})
    for action in ("produce", "ready", "deliver"):
        client.post(url, {"action": action})

    fes_application.refresh_from_db()
    assert fes_application.status == ApplicationStatus.DELIVERED
    page = client.get(f"/staff/cnie/{fes_application.pk}/").content.decode()
    for step in (Step.ENROLLED, Step.IN_PRODUCTION, Step.READY, Step.DELIVERED):
        assert f'data-step="{step}"' in page


def test_analyst_reads_but_cannot_move(client, world, fes_application):
    client.force_login(world.users["analyst.hq"])
    response = client.post(f"/staff/cnie/{fes_application.pk}/step/", {"action": "produce"})
    assert response.status_code == 403


def test_other_office_cannot_move(client, english, world, fes_application):
    client.force_login(world.users["agent.agadir"])
    response = client.post(
        f"/staff/cnie/{fes_application.pk}/step/",
        {"action": "enrol", "photo_captured": "on", "fingerprints_captured": "on"},
    )
    assert response.status_code == 403
    fes_application.refresh_from_db()
    assert fes_application.status == ApplicationStatus.SUBMITTED


def test_worklist_query_count_does_not_grow_with_rows(
    client, world, fes, django_assert_max_num_queries
):
    for family in ("Alami", "Berrada", "Chraibi", "Doukkali", "Fassi", "Ghazi"):
        services.application_submit(actor=None, data=pre_application(fes, family_name_latin=family))
    client.force_login(world.users["agent.fes"])
    client.get("/staff/cnie/")  # warm the session and the role checks
    with django_assert_max_num_queries(16):
        response = client.get("/staff/cnie/")
    assert len(response.context["rows"]) == 6


def test_counter_declaration_page(client, english, world, fes):
    card_create(fes)
    client.force_login(world.users["agent.fes"])
    bad = client.post("/staff/cnie/declare-loss/", {"cnie_number": "1234", "kind": "lost"})
    assert "letters followed by digits" in bad.content.decode()
    good = client.post("/staff/cnie/declare-loss/", {"cnie_number": "C654321", "kind": "lost"})
    assert good.status_code == 302


# -- API ----------------------------------------------------------------------------------


def test_api_pre_application_double_submission_and_booking(client, fes, fes_slot):
    body = {
        "kind": "first",
        "family_name_latin": "Bennani",
        "given_name_latin": "Leila",
        "family_name_ar": "البناني",
        "given_name_ar": "ليلى",
        "sex": "F",
        "birth_date": "1994-04-18",
        "address": "12 rue des Oliviers",
        "unit_id": fes.pk,
        "phone": "0612345678",
    }
    first = client.post("/api/v1/cnie/applications", body, content_type="application/json")
    again = client.post("/api/v1/cnie/applications", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    reference = first.json()["reference"]

    wrong = client.post(
        f"/api/v1/cnie/applications/{reference}/appointment",
        {"birth_date": "1994-04-19", "slot_id": str(fes_slot.pk)},
        content_type="application/json",
    )
    assert wrong.status_code == 404
    booked = client.post(
        f"/api/v1/cnie/applications/{reference}/appointment",
        {"birth_date": "1994-04-18", "slot_id": str(fes_slot.pk)},
        content_type="application/json",
    )
    assert booked.status_code == 201
    assert booked.json()["office"] == fes.code

    tracked = client.post(
        "/api/v1/cnie/track",
        {"reference": reference, "birth_date": "1994-04-18"},
        content_type="application/json",
    )
    steps = {s["step"]: s["reached"] for s in tracked.json()["steps"]}
    assert steps[Step.SUBMITTED] and steps[Step.BOOKED] and not steps[Step.ENROLLED]


def test_api_refuses_bad_input_with_the_reason(client, english, fes):
    body = {
        "kind": "renewal",
        "family_name_latin": "Bennani",
        "given_name_latin": "Leila",
        "family_name_ar": "البناني",
        "given_name_ar": "ليلى",
        "sex": "F",
        "birth_date": "1994-04-18",
        "address": "x",
        "unit_id": fes.pk,
        "phone": "0612345678",
        "cnie_number": "99",
    }
    response = client.post("/api/v1/cnie/applications", body, content_type="application/json")
    assert response.status_code == 409
    assert "letters followed by digits" in response.json()["error"]["message"]
    malformed = client.post(
        "/api/v1/cnie/applications",
        {**body, "birth_date": "18/04/1994"},
        content_type="application/json",
    )
    assert malformed.status_code == 422


def test_api_booking_a_past_slot_is_refused(client, english, fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    day = working_day(1)
    slot = appointments.slot_create(
        actor=None, unit=fes, starts_at=at(day, 9), minutes=30, capacity=2, now=at(day, 8)
    )
    from amn.appointments.models import Slot

    # the slot's time has passed: move it to yesterday the way time would
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=at(day, 9) - datetime.timedelta(days=30),
        ends_at=at(day, 9, 30) - datetime.timedelta(days=30),
    )
    response = client.post(
        f"/api/v1/cnie/applications/{application.reference}/appointment",
        {"birth_date": "1994-04-18", "slot_id": str(slot.pk)},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "past" in response.json()["error"]["message"]


def test_staff_api_is_scoped_and_moves_steps(client, world, fes_application):
    client.force_login(world.users["agent.agadir"])
    assert client.get("/api/v1/cnie/applications/").json()["count"] == 0
    assert client.get(f"/api/v1/cnie/applications/{fes_application.pk}").status_code == 404

    client.force_login(world.users["agent.fes"])
    listed = client.get("/api/v1/cnie/applications/").json()
    assert [item["reference"] for item in listed["items"]] == [fes_application.reference]
    response = client.post(
        f"/api/v1/cnie/applications/{fes_application.pk}/steps",
        {"action": "enrol", "photo_captured": True, "fingerprints_captured": True},
        content_type="application/json",
    )
    assert response.json() == {"status": "enrolled"}
    out_of_order = client.post(
        f"/api/v1/cnie/applications/{fes_application.pk}/steps",
        {"action": "deliver"},
        content_type="application/json",
    )
    assert out_of_order.status_code == 409

    client.force_login(world.users["hr.rabat"])
    assert client.get("/api/v1/cnie/applications/").status_code == 403


def test_my_requests_tag_lists_the_citizens_applications(world, fes):
    from django.template import Context, Template

    citizen = world.users["citizen@example.ma"]
    application, _created = services.application_submit(actor=citizen, data=pre_application(fes))
    html = Template("{% load idcards_portal %}{% cnie_my_requests user %}").render(
        Context({"user": citizen})
    )
    assert application.reference in html
    assert re.search(rf"/cnie/applications/{application.pk}/", html)
