"""Calendar services: slots (past, opening hours, sizes, duplicates, scope), calendar
filling, booking (full, past, closed, one live booking per record), cancellation,
rescheduling (all or nothing), attendance and no-shows, and the waiting-time indicator."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from amn.appointments import services
from amn.appointments.choices import BookingStatus, Purpose
from amn.appointments.models import Booking, OfficeHours, Slot
from amn.appointments.selectors import (
    booking_live,
    next_free_slot_by_office,
    slot_available_list,
    waiting_time_by_office,
)
from amn.appointments.tests.calendar_helpers import at, weekend_day, working_day
from amn.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world):
    return world.units["ws-fes-d1"]


@pytest.fixture
def agent(world):
    return world.users["agent.fes"]


def _slot(office, *, day=None, hour=9, minute=0, capacity=2, now=None):
    return services.slot_create(
        actor=None,
        unit=office,
        starts_at=at(day or working_day(2), hour, minute),
        minutes=30,
        capacity=capacity,
        now=now,
    )


def _book(slot, subject=None, **kwargs):
    return services.booking_create(
        actor=None,
        slot_id=slot.pk,
        purpose=Purpose.CNIE,
        subject_id=subject or uuid.uuid4(),
        **kwargs,
    )


# -- slots ------------------------------------------------------------------------------


def test_slot_inside_opening_hours_is_created_with_its_local_day(office):
    day = working_day(2)
    slot = _slot(office, day=day, hour=16, minute=0)

    assert slot.day == day
    assert slot.ends_at - slot.starts_at == datetime.timedelta(minutes=30)
    assert slot.booked == 0 and slot.capacity == 2


@pytest.mark.parametrize(
    ("hour", "minute"),
    [(8, 0), (16, 15), (17, 0), (6, 30)],
    ids=["before opening", "ends after closing", "after closing", "early morning"],
)
def test_slot_outside_opening_hours_is_refused(office, hour, minute):
    with pytest.raises(DomainError, match="Outside opening hours"):
        _slot(office, hour=hour, minute=minute)
    assert not Slot.objects.exists()


def test_slot_on_a_closed_day_is_refused(office):
    with pytest.raises(DomainError, match="closed"):
        _slot(office, day=weekend_day())


def test_slot_in_the_past_is_refused(office):
    yesterday = working_day(1) - datetime.timedelta(days=7)
    with pytest.raises(DomainError, match="past"):
        _slot(office, day=yesterday)


def test_office_hours_of_the_office_replace_the_default(office):
    day = working_day(3)
    OfficeHours.objects.create(
        unit=office, weekday=day.weekday(), opens_at=datetime.time(7), closes_at=datetime.time(12)
    )

    assert _slot(office, day=day, hour=7).day == day
    with pytest.raises(DomainError, match="12:00"):
        _slot(office, day=day, hour=12)
    other = working_day(1) if working_day(1).weekday() != day.weekday() else working_day(2)
    with pytest.raises(DomainError, match="closed"):
        _slot(office, day=other, hour=9)  # only that weekday is open now


@pytest.mark.parametrize(("minutes", "capacity"), [(0, 2), (600, 2), (30, 0), (30, 500)])
def test_slot_sizes_are_bounded(office, minutes, capacity):
    with pytest.raises(DomainError):
        services.slot_create(
            actor=None,
            unit=office,
            starts_at=at(working_day(2), 9),
            minutes=minutes,
            capacity=capacity,
        )


def test_two_slots_at_the_same_time_are_refused(office):
    _slot(office)
    with pytest.raises(DomainError, match="already starts"):
        _slot(office)


def test_unit_not_receiving_the_public_has_no_calendar(world):
    with pytest.raises(DomainError, match="public"):
        _slot(world.units["dgsn-dpj"])


def test_calendar_managers_only_in_their_scope(world, office):
    with pytest.raises(PermissionDenied):
        services.slot_create(
            actor=world.users["agent.agadir"],
            unit=office,
            starts_at=at(working_day(2), 9),
            minutes=30,
            capacity=2,
        )
    with pytest.raises(PermissionDenied):
        services.slot_create(
            actor=world.users["officer.fes"],
            unit=office,
            starts_at=at(working_day(2), 9),
            minutes=30,
            capacity=2,
        )
    slot = services.slot_create(
        actor=world.users["agent.fes"],
        unit=office,
        starts_at=at(working_day(2), 9),
        minutes=30,
        capacity=2,
    )
    assert slot.unit == office


def test_generate_fills_opening_hours_once_and_skips_weekends(office):
    first, last = working_day(1), working_day(1) + datetime.timedelta(days=6)
    created = services.slots_generate(
        actor=None, unit=office, first_day=first, last_day=last, minutes=60, capacity=3
    )

    assert created == 5 * 8  # 08:30–16:30: eight one-hour slots, five working days
    days = set(Slot.objects.values_list("day", flat=True))
    assert all(day.weekday() < 5 for day in days)
    assert (
        services.slots_generate(
            actor=None, unit=office, first_day=first, last_day=last, minutes=60, capacity=3
        )
        == 0
    )


def test_generate_refuses_a_reversed_or_too_long_range(office):
    day = working_day(1)
    with pytest.raises(DomainError):
        services.slots_generate(
            actor=None, unit=office, first_day=day, last_day=day - datetime.timedelta(days=1)
        )
    with pytest.raises(DomainError):
        services.slots_generate(
            actor=None, unit=office, first_day=day, last_day=day + datetime.timedelta(days=200)
        )


def test_capacity_cannot_go_below_the_seats_booked(office):
    slot = _slot(office, capacity=3)
    _book(slot)
    _book(slot)

    with pytest.raises(DomainError, match="2 seats"):
        services.slot_update(actor=None, slot_id=slot.pk, capacity=1)
    assert services.slot_update(actor=None, slot_id=slot.pk, capacity=2).capacity == 2


def test_database_refuses_a_slot_over_capacity(office):
    slot = _slot(office, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=2)


# -- bookings -----------------------------------------------------------------------------


def test_booking_takes_a_seat_and_records_the_waiting_time(office):
    slot = _slot(office)
    requested = slot.day - datetime.timedelta(days=3)
    booking = _book(slot, requested_on=requested)

    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.status == BookingStatus.BOOKED
    assert booking.waiting_days == 3


def test_a_full_slot_refuses_and_writes_nothing(office):
    slot = _slot(office, capacity=1)
    _book(slot)

    with pytest.raises(DomainError, match="full"):
        _book(slot)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Booking.objects.count() == 1


def test_a_past_slot_refuses(office):
    slot = _slot(office)
    later = slot.starts_at + datetime.timedelta(minutes=1)
    with pytest.raises(DomainError, match="past"):
        _book(slot, now=later)


def test_a_closed_slot_refuses(office):
    slot = _slot(office)
    services.slot_update(actor=None, slot_id=slot.pk, closed=True)
    with pytest.raises(DomainError, match="closed"):
        _book(slot)


def test_unknown_slot_and_malformed_id(office):
    with pytest.raises(DomainError, match="No such slot"):
        services.booking_create(
            actor=None, slot_id=uuid.uuid4(), purpose=Purpose.CNIE, subject_id=uuid.uuid4()
        )
    with pytest.raises(DomainError, match="No such slot"):
        services.booking_create(
            actor=None, slot_id="not-a-uuid", purpose=Purpose.CNIE, subject_id=uuid.uuid4()
        )


def test_one_live_booking_per_record(office):
    first, second = _slot(office, hour=9), _slot(office, hour=10)
    subject = uuid.uuid4()
    _book(first, subject)

    with pytest.raises(DomainError, match="already has an appointment"):
        _book(second, subject)
    second.refresh_from_db()
    assert second.booked == 0  # the seat taken before the refusal was given back


def test_cancel_frees_the_seat_and_allows_a_new_booking(office):
    slot = _slot(office, capacity=1)
    subject = uuid.uuid4()
    booking = _book(slot, subject)

    services.booking_cancel(actor=None, booking_id=booking.pk)
    slot.refresh_from_db()
    assert slot.booked == 0
    assert _book(slot, subject).status == BookingStatus.BOOKED
    with pytest.raises(DomainError, match="no longer booked"):
        services.booking_cancel(actor=None, booking_id=booking.pk)


def test_cancel_after_the_slot_began_is_refused(office):
    slot = _slot(office)
    booking = _book(slot)
    with pytest.raises(DomainError, match="begun"):
        services.booking_cancel(
            actor=None, booking_id=booking.pk, now=slot.starts_at + datetime.timedelta(minutes=5)
        )


def test_reschedule_moves_the_seat_and_keeps_the_request_date(office):
    first, second = _slot(office, hour=9), _slot(office, day=working_day(4), hour=11)
    requested = first.day - datetime.timedelta(days=1)
    old = _book(first, requested_on=requested)

    new = services.booking_reschedule(actor=None, booking_id=old.pk, new_slot_id=second.pk)

    old.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (old.status, new.status) == (BookingStatus.RESCHEDULED, BookingStatus.BOOKED)
    assert new.replaces == old
    assert (first.booked, second.booked) == (0, 1)
    assert new.requested_on == requested
    assert new.waiting_days == (second.day - requested).days


def test_reschedule_to_a_full_slot_changes_nothing(office):
    first, full = _slot(office, hour=9), _slot(office, hour=10, capacity=1)
    _book(full)
    old = _book(first)

    with pytest.raises(DomainError, match="full"):
        services.booking_reschedule(actor=None, booking_id=old.pk, new_slot_id=full.pk)
    old.refresh_from_db()
    first.refresh_from_db()
    assert old.status == BookingStatus.BOOKED
    assert first.booked == 1
    assert Booking.objects.count() == 2


def test_reschedule_to_the_same_slot_is_refused(office):
    slot = _slot(office)
    booking = _book(slot)
    with pytest.raises(DomainError, match="already at this time"):
        services.booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=slot.pk)


def _past_booking(office):
    """A booking of a slot that began ten minutes ago (created 'yesterday')."""
    day = working_day(1)
    slot = _slot(office, day=day, hour=10, now=at(day, 8))
    booking = _book(slot, now=at(day, 8))
    return slot, booking


def test_no_show_only_once_the_time_has_come(office, agent):
    slot, booking = _past_booking(office)
    with pytest.raises(DomainError, match="time has come"):
        services.booking_mark(
            actor=agent,
            booking_id=booking.pk,
            outcome=BookingStatus.NO_SHOW,
            now=slot.starts_at - datetime.timedelta(minutes=1),
        )
    marked = services.booking_mark(
        actor=agent,
        booking_id=booking.pk,
        outcome=BookingStatus.NO_SHOW,
        now=slot.starts_at + datetime.timedelta(minutes=10),
    )
    assert marked.status == BookingStatus.NO_SHOW
    assert marked.status_changed_by == agent
    # a no-show frees the record for a new booking; the seat stays counted
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking_live(purpose=Purpose.CNIE, subject_id=booking.subject_id) is None


def test_attendance_can_correct_a_no_show_but_not_a_cancellation(office, agent):
    slot, booking = _past_booking(office)
    later = slot.starts_at + datetime.timedelta(minutes=10)
    services.booking_mark(
        actor=agent, booking_id=booking.pk, outcome=BookingStatus.NO_SHOW, now=later
    )
    fixed = services.booking_mark(
        actor=agent, booking_id=booking.pk, outcome=BookingStatus.ATTENDED, now=later
    )
    assert fixed.status == BookingStatus.ATTENDED

    other = _book(_slot(office, hour=14))
    services.booking_cancel(actor=None, booking_id=other.pk)
    with pytest.raises(DomainError, match="cancelled or moved"):
        services.booking_mark(actor=agent, booking_id=other.pk, outcome=BookingStatus.ATTENDED)


def test_marking_is_for_the_office_staff(world, office):
    booking = _past_booking(office)[1]
    for username in ("agent.agadir", "hr.rabat", "analyst.hq"):
        with pytest.raises(PermissionDenied):
            services.booking_mark(
                actor=world.users[username],
                booking_id=booking.pk,
                outcome=BookingStatus.NO_SHOW,
            )
    with pytest.raises(DomainError, match="attended or as a no-show"):
        services.booking_mark(actor=None, booking_id=booking.pk, outcome="booked")


# -- reads --------------------------------------------------------------------------------


def test_available_slots_leave_out_full_closed_and_past_ones(office):
    free = _slot(office, hour=9)
    full = _slot(office, hour=10, capacity=1)
    closed = _slot(office, hour=11)
    _book(full)
    services.slot_update(actor=None, slot_id=closed.pk, closed=True)

    listed = list(slot_available_list(unit_id=office.pk, first_day=free.day, days=1))
    assert listed == [free]
    later = list(
        slot_available_list(
            unit_id=office.pk,
            first_day=free.day,
            days=1,
            now=free.starts_at + datetime.timedelta(minutes=1),
        )
    )
    assert later == []
    assert next_free_slot_by_office(unit_ids=[office.pk]) == {office.pk: free.starts_at}


def test_waiting_time_is_the_median_of_days_from_request_to_appointment(world, office):
    day = working_day(5)
    slots = [_slot(office, day=day, hour=hour, capacity=5) for hour in (9, 10, 11)]
    for days_before in (1, 3, 10):
        _book(slots[0], requested_on=day - datetime.timedelta(days=days_before))
    cancelled = _book(slots[1], requested_on=day - datetime.timedelta(days=30))
    services.booking_cancel(actor=None, booking_id=cancelled.pk)
    agadir = world.units["ws-agadir-d1"]
    _book(_slot(agadir, day=day), requested_on=day - datetime.timedelta(days=2))

    figures = waiting_time_by_office()
    assert figures[office.pk].median_days == 3.0
    assert figures[office.pk].bookings == 3  # the cancelled booking is left out
    assert figures[agadir.pk].median_days == 2.0
    assert waiting_time_by_office(unit_ids=[agadir.pk]).keys() == {agadir.pk}
