"""Appointment pages and API: the public offices page and free slots, the staff calendar
(scope, filling, capacity), the day list (audited) with attendance and no-shows."""

import datetime
import uuid

import pytest

from amn.appointments import services
from amn.appointments.choices import BookingStatus, Purpose
from amn.appointments.models import Slot
from amn.appointments.tests.calendar_helpers import at, working_day
from amn.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def fes(world):
    return world.units["ws-fes-d1"]


@pytest.fixture
def slot(fes):
    return services.slot_create(
        actor=None, unit=fes, starts_at=at(working_day(2), 9), minutes=30, capacity=2
    )


def test_public_offices_page_and_api_show_waiting_time_and_next_free(client, fes, slot):
    services.booking_create(
        actor=None,
        slot_id=slot.pk,
        purpose=Purpose.CNIE,
        subject_id=uuid.uuid4(),
        requested_on=slot.day - datetime.timedelta(days=4),
    )
    assert client.get("/appointments/").status_code == 200
    offices = {o["code"]: o for o in client.get("/api/v1/appointments/offices").json()}
    assert offices["ws-fes-d1"]["waiting_median_days"] == 4.0
    assert offices["ws-fes-d1"]["waiting_bookings"] == 1
    assert offices["ws-fes-d1"]["next_free"] is not None
    assert offices["ws-agadir-d1"]["waiting_median_days"] is None


def test_api_free_slots(client, fes, slot):
    response = client.get(
        "/api/v1/appointments/slots", {"unit": fes.pk, "first_day": slot.day.isoformat()}
    )
    assert [s["id"] for s in response.json()] == [str(slot.pk)]
    assert response.json()[0]["remaining"] == 2
    assert client.get("/api/v1/appointments/slots").status_code == 422
    assert (
        client.get("/api/v1/appointments/slots", {"unit": fes.pk, "days": 400}).status_code == 422
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("citizen@example.ma", 403),
        ("hr.rabat", 403),
        ("officer.fes", 403),
        ("agent.fes", 200),
        ("analyst.hq", 200),
    ],
)
def test_calendar_access_by_role(client, world, fes, username, status):
    client.force_login(world.users[username])
    assert client.get("/staff/appointments/", {"unit": fes.pk}).status_code == status


def test_calendar_of_an_office_out_of_scope_is_not_found(client, world, fes):
    client.force_login(world.users["agent.agadir"])
    assert client.get("/staff/appointments/", {"unit": fes.pk}).status_code == 404
    assert client.get("/staff/appointments/day/", {"unit": fes.pk}).status_code == 404


def test_calendar_shows_the_week_and_the_agent_fills_it(client, world, fes, slot):
    client.force_login(world.users["agent.fes"])
    page = client.get("/staff/appointments/", {"unit": fes.pk, "week": slot.day.isoformat()})
    assert slot in [s for _day, slots in page.context["days"] for s in slots]

    first = working_day(6)
    response = client.post(
        "/staff/appointments/generate/",
        {
            "unit": fes.pk,
            "first_day": first.isoformat(),
            "last_day": first.isoformat(),
            "minutes": 60,
            "capacity": 3,
        },
    )
    assert response.status_code == 302
    assert Slot.objects.filter(unit=fes, day=first).count() == 8


def test_analyst_reads_but_does_not_fill(client, world, fes):
    client.force_login(world.users["analyst.hq"])
    response = client.post(
        "/staff/appointments/generate/",
        {
            "unit": fes.pk,
            "first_day": "2030-01-07",
            "last_day": "2030-01-07",
            "minutes": 30,
            "capacity": 2,
        },
    )
    assert response.status_code == 403


def test_capacity_change_below_bookings_is_refused(client, world, fes, slot):
    for _n in range(2):
        services.booking_create(
            actor=None, slot_id=slot.pk, purpose=Purpose.CNIE, subject_id=uuid.uuid4()
        )
    client.force_login(world.users["agent.fes"])
    client.post(f"/staff/appointments/slots/{slot.pk}/", {"capacity": 1})
    slot.refresh_from_db()
    assert slot.capacity == 2
    client.post(f"/staff/appointments/slots/{slot.pk}/", {"capacity": 5, "closed": "on"})
    slot.refresh_from_db()
    assert (slot.capacity, slot.closed) == (5, True)


def test_day_list_is_audited_and_marks_no_shows(client, world, fes):
    day = working_day(1)
    past = services.slot_create(
        actor=None, unit=fes, starts_at=at(day, 9), minutes=30, capacity=2, now=at(day, 7)
    )
    booking = services.booking_create(
        actor=None,
        slot_id=past.pk,
        purpose=Purpose.CNIE,
        subject_id=uuid.uuid4(),
        now=at(day, 7),
    )
    Slot.objects.filter(pk=past.pk).update(
        starts_at=at(day, 9) - datetime.timedelta(days=7),
        ends_at=at(day, 9, 30) - datetime.timedelta(days=7),
        day=day - datetime.timedelta(days=7),
    )
    client.force_login(world.users["agent.fes"])
    listed = client.get(
        "/staff/appointments/day/",
        {"unit": fes.pk, "day": (day - datetime.timedelta(days=7)).isoformat()},
    )
    assert [b.pk for b in listed.context["bookings"]] == [booking.pk]
    assert listed.context["bookings"][0].subject_url == f"/staff/cnie/{booking.subject_id}/"
    assert AuditEvent.objects.filter(target="appointments.booking", action="list").exists()

    client.post(f"/staff/appointments/bookings/{booking.pk}/mark/", {"outcome": "no_show"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW

    client.force_login(world.users["agent.agadir"])
    response = client.post(
        f"/staff/appointments/bookings/{booking.pk}/mark/", {"outcome": "attended"}
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


def test_api_marks_an_attendance(client, world, fes):
    day = working_day(1)
    slot = services.slot_create(
        actor=None, unit=fes, starts_at=at(day, 9), minutes=30, capacity=2, now=at(day, 7)
    )
    booking = services.booking_create(
        actor=None,
        slot_id=slot.pk,
        purpose=Purpose.CNIE,
        subject_id=uuid.uuid4(),
        now=at(day, 7),
    )
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=at(day, 9) - datetime.timedelta(days=7),
        ends_at=at(day, 9, 30) - datetime.timedelta(days=7),
        day=day - datetime.timedelta(days=7),
    )
    client.force_login(world.users["agent.fes"])
    response = client.post(
        f"/api/v1/appointments/bookings/{booking.pk}/mark",
        {"outcome": "attended"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "attended"
    client.force_login(world.users["analyst.hq"])
    refused = client.post(
        f"/api/v1/appointments/bookings/{booking.pk}/mark",
        {"outcome": "no_show"},
        content_type="application/json",
    )
    assert refused.status_code == 403
