"""Concurrent submissions on PostgreSQL: the same pre-application sent several times at
once is recorded once (every request gets that one back); two citizens racing for the last
seat through the application service — one wins. Skipped on SQLite."""

import pytest
from django.db import connection

from amn.appointments import services as appointments
from amn.appointments.models import Booking
from amn.appointments.tests.calendar_helpers import at, working_day
from amn.appointments.tests.concurrency_helpers import race, race_office
from amn.core.errors import DomainError
from amn.idcards import services
from amn.idcards.models import CnieApplication
from amn.idcards.tests.builders import pre_application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level concurrency needs PostgreSQL"
    ),
]


def test_double_submission_at_once_records_one_application():
    office = race_office()

    results = race(
        lambda i: services.application_submit(actor=None, data=pre_application(office)), 8
    )

    assert all(isinstance(r, tuple) for r in results), results
    assert len({application.pk for application, _created in results}) == 1
    assert sum(created for _application, created in results) == 1
    assert CnieApplication.objects.count() == 1


def test_last_seat_goes_to_one_application():
    office = race_office()
    slot = appointments.slot_create(
        actor=None, unit=office, starts_at=at(working_day(2), 9), minutes=30, capacity=1
    )
    applications = [
        services.application_submit(
            actor=None, data=pre_application(office, family_name_latin=f"Racer {'x' * i}")
        )[0]
        for i in range(1, 9)
    ]

    results = race(
        lambda i: services.application_book(
            actor=None, application_id=applications[i].pk, slot_id=slot.pk
        ),
        len(applications),
    )

    assert sum(isinstance(r, Booking) for r in results) == 1
    assert all(isinstance(r, (Booking, DomainError)) for r in results), results
    slot.refresh_from_db()
    assert slot.booked == 1
