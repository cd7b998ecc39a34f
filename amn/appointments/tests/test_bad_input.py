"""Staff calendar pages under hostile URLs and forms: days at the ends of the calendar
fall back to today instead of overflowing, and slots are opened at most a year ahead."""

import datetime

import pytest
from django.utils import timezone

from amn.appointments import services
from amn.appointments.models import Slot
from amn.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def fes(world):
    return world.units["ws-fes-d1"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-31", "%C3%28"])
def test_calendar_and_day_pages_outside_the_calendar_show_today(client, world, fes, day):
    client.force_login(world.users["agent.fes"])
    today = timezone.localdate()

    week = client.get("/staff/appointments/", {"unit": fes.pk, "week": day})
    listed = client.get("/staff/appointments/day/", {"unit": fes.pk, "day": day})

    assert week.status_code == 200
    assert week.context["days"][0][0] == today - datetime.timedelta(days=today.weekday())
    assert listed.status_code == 200
    assert listed.context["day"] == today


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_generating_at_the_ends_of_the_calendar_is_answered(client, world, fes, day):
    client.force_login(world.users["agent.fes"])
    response = client.post(
        "/staff/appointments/generate/",
        {"unit": fes.pk, "first_day": day, "last_day": day, "minutes": 30, "capacity": 4},
        follow=True,
    )
    assert response.status_code == 200
    assert not Slot.objects.filter(unit=fes).exists()


def test_slots_are_opened_at_most_a_year_ahead(world, fes):
    far = timezone.localdate() + datetime.timedelta(days=services.MAX_DAYS_AHEAD + 1)
    with pytest.raises(DomainError, match="ahead"):
        services.slots_generate(
            actor=world.users["agent.fes"], unit=fes, first_day=far, last_day=far
        )
    assert not Slot.objects.exists()
