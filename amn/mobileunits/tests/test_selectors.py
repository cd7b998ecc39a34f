"""Yearly counts of the mobile units (units in service, stops, people served, by region)
and the public list of upcoming stops."""

import datetime

import pytest

from amn.mobileunits import selectors, services
from amn.mobileunits.choices import TourStatus

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


@pytest.fixture
def year_2024(world, fleet):
    """A 2024 tour of the Agadir unit (in service since 2024-01-01 for this fixture) with
    three stops, two with results; a Fès unit that entered service in 2024, left in 2024."""
    agadir = services.mobile_unit_create(
        actor=None,
        code="mu-2024",
        name="2024 unit",
        police_unit=world.units["ws-agadir-d1"],
        home_commune=fleet.communes["09.001.01.01"],
        in_service_from=D(2024, 1, 1),
    )
    services.mobile_unit_create(
        actor=None,
        code="mu-2024-fes",
        name="Fès 2024",
        police_unit=world.units["ws-fes-d1"],
        home_commune=fleet.communes["03.231.01.0"],
        in_service_from=D(2023, 3, 1),
        in_service_to=D(2024, 6, 30),
    )
    tour = services.tour_create(
        actor=None, mobile_unit=agadir, starts_on=D(2024, 5, 6), ends_on=D(2024, 5, 10)
    )
    results = ((12, 8, 20), (30, 10, 35), None)
    stops = []
    for day, (code, result) in enumerate(
        zip(("09.001.07.01", "09.001.07.03", "09.001.07.05"), results, strict=True)
    ):
        stop = services.stop_add(
            actor=None,
            tour=tour,
            commune=fleet.communes[code],
            date=D(2024, 5, 6 + day),
            starts_at=T(9),
            ends_at=T(15),
        )
        if result:
            services.stop_record_results(
                actor=None,
                stop=stop,
                applications_received=result[0],
                cards_delivered=result[1],
                people_served=result[2],
            )
        stops.append(stop)
    return tour


def test_yearly_counts(world, year_2024):
    assert selectors.mobile_units_in_service(2024) == 2
    assert selectors.mobile_units_in_service(2023) == 1
    assert selectors.mobile_units_in_service(2025) == 3  # mu-2024 and the two test units
    assert selectors.mobile_units_entered_service(2024) == 1
    assert selectors.mobile_units_stops(2024) == 2  # the stop without results is not held
    assert selectors.mobile_units_people_served(2024) == 55
    assert selectors.mobile_units_people_served(2024, region_code="03") == 0
    assert selectors.mobile_units_people_served(2024, unit_subtree=world.units["ws-agadir"]) == 55
    assert selectors.mobile_units_people_served(2024, unit_subtree=world.units["ws-fes"]) == 0
    assert selectors.mobile_units_in_service(2024, unit_subtree=world.units["ws-fes"]) == 1
    assert selectors.mobile_units_year_counts(2024) == {
        "units_in_service": 2,
        "units_entered_service": 1,
        "stops": 2,
        "people_served": 55,
        "applications_received": 42,
        "cards_delivered": 18,
    }
    assert selectors.mobile_units_people_served_by_region(2024) == [
        {
            "region_code": "09",
            "region_name_fr": "Region 09",
            "region_name_ar": "Region 09",
            "stops": 2,
            "people_served": 55,
        }
    ]


def test_cancelled_tours_do_not_count(world, year_2024):
    year_2024.stops.filter(results_recorded_at__isnull=True).delete()
    services.tour_status_set(actor=None, tour=year_2024, status=TourStatus.DONE)
    assert selectors.mobile_units_people_served(2024) == 55
    type(year_2024).objects.filter(pk=year_2024.pk).update(status=TourStatus.CANCELLED)
    assert selectors.mobile_units_people_served(2024) == 0


def test_upcoming_stops_skip_past_and_closed_tours(fleet):
    today = fleet.agadir_future.date - datetime.timedelta(days=1)
    assert list(selectors.stops_upcoming(today=today)) == [fleet.agadir_future]
    assert list(selectors.stops_upcoming(today=today, commune_code="09.001.07.05")) == [
        fleet.agadir_future
    ]
    fleet.agadir_tour.stops.filter(pk=fleet.agadir_past.pk).delete()
    type(fleet.agadir_tour).objects.filter(pk=fleet.agadir_tour.pk).update(
        status=TourStatus.CANCELLED
    )
    assert list(selectors.stops_upcoming(today=today)) == []


def test_online_applications_come_from_idcards_when_present(fleet, monkeypatch):
    counts = selectors.online_applications_by_stop([fleet.agadir_past.pk])
    assert counts in (
        {},
        {fleet.agadir_past.pk: {"applications_received": 0, "cards_delivered": 0}},
    )

    class Provider:
        @staticmethod
        def applications_by_stop(ids):
            return {ids[0]: {"applications_received": 4, "cards_delivered": 1}}

    monkeypatch.setattr(selectors, "import_module", lambda name: Provider)
    assert selectors.online_applications_by_stop([fleet.agadir_past.pk]) == {
        fleet.agadir_past.pk: {"applications_received": 4, "cards_delivered": 1}
    }
    monkeypatch.setattr(selectors, "import_module", lambda name: object())
    assert selectors.online_applications_by_stop([fleet.agadir_past.pk]) == {}
