"""Writes of the fleet: validation of units, tours, stops and results, and who may write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from amn.core.errors import DomainError
from amn.mobileunits import services
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.models import Stop, Tour

pytestmark = pytest.mark.django_db
T = datetime.time


def _record(actor, stop, applications=10, cards=5, people=12):
    return services.stop_record_results(
        actor=actor,
        stop=stop,
        applications_received=applications,
        cards_delivered=cards,
        people_served=people,
    )


def test_tour_references_follow_the_year(fleet):
    year = fleet.agadir_tour.starts_on.year
    assert fleet.agadir_tour.reference == f"TR-{year}-000001"
    assert fleet.fes_tour.reference == f"TR-{year}-000002"


def test_unit_validation(world, fleet):
    base = {
        "actor": None,
        "police_unit": world.units["ws-agadir-d1"],
        "home_commune": fleet.communes["09.001.01.01"],
        "in_service_from": datetime.date(2025, 1, 1),
    }
    with pytest.raises(DomainError, match="code and a name"):
        services.mobile_unit_create(code=" ", name="X", **base)
    with pytest.raises(DomainError, match="letters a–z"):
        services.mobile_unit_create(code="mu agadir", name="X", **base)
    with pytest.raises(DomainError, match="exists already"):
        services.mobile_unit_create(code="MU-AGADIR-T1", name="X", **base)
    with pytest.raises(DomainError, match="leave service before"):
        services.mobile_unit_create(
            code="mu-x", name="X", in_service_to=datetime.date(2024, 12, 31), **base
        )
    with pytest.raises(DomainError, match="limited to 20"):
        services.mobile_unit_create(code="mu-x", name="X", vehicle_registration="1" * 21, **base)


def test_tour_validation(fleet):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="end before it starts"):
        services.tour_create(
            actor=None,
            mobile_unit=fleet.agadir,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    with pytest.raises(DomainError, match="service period"):
        services.tour_create(
            actor=None,
            mobile_unit=fleet.agadir,
            starts_on=today - datetime.timedelta(days=500),
            ends_on=today,
        )


def test_stop_outside_the_tour_period_is_refused(fleet):
    tour = fleet.agadir_tour
    with pytest.raises(DomainError, match="outside the tour's period"):
        services.stop_add(
            actor=None,
            tour=tour,
            commune=fleet.communes["09.001.07.07"],
            date=tour.ends_on + datetime.timedelta(days=1),
            starts_at=T(9),
            ends_at=T(12),
        )
    assert Stop.objects.filter(tour=tour).count() == 2


def test_stop_ending_before_it_starts_is_refused(fleet):
    with pytest.raises(DomainError, match="close after it opens"):
        services.stop_add(
            actor=None,
            tour=fleet.agadir_tour,
            commune=fleet.communes["09.001.07.07"],
            date=fleet.agadir_tour.starts_on,
            starts_at=T(14),
            ends_at=T(9),
        )


def test_the_same_commune_twice_a_day_is_refused(fleet):
    stop = fleet.agadir_past
    with pytest.raises(DomainError, match="already stops"):
        services.stop_add(
            actor=None,
            tour=fleet.agadir_tour,
            commune=stop.commune,
            date=stop.date,
            starts_at=T(16),
            ends_at=T(17),
        )


@pytest.mark.parametrize(
    "counts, message",
    [
        ((-1, 0, 3), "Applications received cannot be negative"),
        ((1, -2, 3), "Cards delivered cannot be negative"),
        ((0, 0, -3), "People served cannot be negative"),
        ((1.5, 0, 3), "whole number"),
        ((True, 0, 3), "whole number"),
        ((10, 2, 8), r"People served \(8\) cannot be fewer"),
        ((2, 10, 8), r"People served \(8\) cannot be fewer"),
    ],
)
def test_bad_counts_are_refused_and_nothing_is_written(fleet, counts, message):
    with pytest.raises(DomainError, match=message):
        _record(None, fleet.agadir_past, *counts)
    stop = Stop.objects.get(pk=fleet.agadir_past.pk)
    assert stop.people_served is None and stop.results_recorded_at is None


def test_results_of_a_stop_to_come_are_refused(fleet):
    with pytest.raises(DomainError, match="once the stop has taken place"):
        _record(None, fleet.agadir_future)


def test_results_are_recorded_with_who_and_when(world, fleet):
    agent = world.users["agent.agadir"]
    stop = _record(agent, fleet.agadir_past, 40, 25, 70)
    assert (stop.applications_received, stop.cards_delivered, stop.people_served) == (40, 25, 70)
    assert stop.results_recorded_by == agent
    assert stop.results_recorded_at is not None
    corrected = _record(agent, fleet.agadir_past, 41, 25, 71)
    assert corrected.people_served == 71


@pytest.mark.parametrize(
    "username", ["agent.fes", "officer.fes", "analyst.hq", "hr.rabat", "supervisor.rabat"]
)
def test_writers_are_limited_by_role_and_scope(world, fleet, username):
    with pytest.raises(PermissionDenied):
        _record(world.users[username], fleet.agadir_past)


@pytest.mark.parametrize("username", ["agent.agadir", "agent.agadir.wilaya", "admin"])
def test_crews_of_the_unit_and_administrators_write(world, fleet, username):
    assert _record(world.users[username], fleet.agadir_past).people_served == 12


def test_closing_a_tour(fleet):
    tour = fleet.agadir_tour
    with pytest.raises(DomainError, match="every stop's results"):
        services.tour_status_set(actor=None, tour=tour, status=TourStatus.DONE)
    _record(None, fleet.agadir_past)
    with pytest.raises(DomainError, match="cannot be cancelled"):
        services.tour_status_set(actor=None, tour=tour, status=TourStatus.CANCELLED)
    with pytest.raises(DomainError, match="done or cancelled"):
        services.tour_status_set(actor=None, tour=tour, status=TourStatus.PLANNED)

    services.tour_status_set(actor=None, tour=fleet.fes_tour, status=TourStatus.CANCELLED)
    assert Tour.objects.get(pk=fleet.fes_tour.pk).status == TourStatus.CANCELLED
    with pytest.raises(DomainError, match="cancelled"):
        _record(None, fleet.fes_past)
    with pytest.raises(DomainError, match="planned tour only"):
        services.stop_add(
            actor=None,
            tour=fleet.fes_tour,
            commune=fleet.communes["03.231.01.0"],
            date=fleet.fes_tour.ends_on,
            starts_at=T(9),
            ends_at=T(10),
        )
