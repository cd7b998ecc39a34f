"""Concurrent bookings on PostgreSQL: threads, each with its own database connection, race
for the last seats of one slot; exactly `capacity` of them win, the others are refused, and
the slot never goes over capacity. Rescheduling in opposite directions does not deadlock.

Skipped on SQLite, where writers are serialised by the database lock anyway."""

import uuid

import pytest
from django.db import connection
from django.utils import translation

from amn.appointments import services
from amn.appointments.choices import BookingStatus, Purpose
from amn.appointments.models import Booking, Slot
from amn.appointments.tests.calendar_helpers import at, working_day
from amn.appointments.tests.concurrency_helpers import race, race_office
from amn.core.errors import DomainError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level concurrency needs PostgreSQL"
    ),
]

CLIENTS = 12


@pytest.fixture
def office():
    return race_office()


def test_two_citizens_can_never_get_the_last_seat(office):
    slot = services.slot_create(
        actor=None, unit=office, starts_at=at(working_day(2), 9), minutes=30, capacity=3
    )
    subjects = [uuid.uuid4() for _ in range(CLIENTS)]

    def book(i):
        with translation.override("en"):  # the refusals are compared as English text
            return services.booking_create(
                actor=None, slot_id=slot.pk, purpose=Purpose.CNIE, subject_id=subjects[i]
            )

    results = race(book, CLIENTS)

    won = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 3
    assert len(refused) == CLIENTS - 3
    assert all("full" in str(error) for error in refused)
    slot.refresh_from_db()
    assert slot.booked == 3
    stored = Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED)
    assert {b.pk for b in stored} == {b.pk for b in won}


def test_the_same_record_cannot_book_twice_at_once(office):
    slots = [
        services.slot_create(
            actor=None, unit=office, starts_at=at(working_day(2), hour), minutes=30, capacity=5
        )
        for hour in (9, 10, 11, 12)
    ]
    subject = uuid.uuid4()

    results = race(
        lambda i: services.booking_create(
            actor=None, slot_id=slots[i % 4].pk, purpose=Purpose.CNIE, subject_id=subject
        ),
        8,
    )

    assert sum(isinstance(r, Booking) for r in results) == 1
    assert Booking.objects.filter(subject_id=subject, status=BookingStatus.BOOKED).count() == 1
    assert (
        sum(Slot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == 1
    )


def test_crossed_reschedulings_neither_deadlock_nor_lose_seats(office):
    first, second = (
        services.slot_create(
            actor=None, unit=office, starts_at=at(working_day(3), hour), minutes=30, capacity=10
        )
        for hour in (9, 10)
    )
    bookings = []
    for i in range(10):
        slot = first if i % 2 == 0 else second
        bookings.append(
            services.booking_create(
                actor=None, slot_id=slot.pk, purpose=Purpose.CNIE, subject_id=uuid.uuid4()
            )
        )

    def move(i):
        booking = bookings[i]
        target = second if booking.slot_id == first.pk else first
        return services.booking_reschedule(actor=None, booking_id=booking.pk, new_slot_id=target.pk)

    results = race(move, len(bookings))

    assert all(isinstance(r, Booking) for r in results), results
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.booked + second.booked == 10
    assert first.booked == Booking.objects.filter(slot=first, status=BookingStatus.BOOKED).count()
    assert second.booked == Booking.objects.filter(slot=second, status=BookingStatus.BOOKED).count()
