"""Mobile-unit stops: slots within the stop's hours only, pre-applications at a stop, the
counts per stop for amn.mobileunits (applications received, cards delivered), and the
counts of cards by month and region."""

import datetime

import pytest

from amn.appointments import services as appointments
from amn.appointments.tests.calendar_helpers import at
from amn.core.errors import DomainError
from amn.geo.models import Commune, Province, Region
from amn.idcards import services
from amn.idcards.choices import CardStatus
from amn.idcards.selectors import applications_by_stop, cards_by_month_and_region
from amn.idcards.tests.builders import card_create, pre_application
from amn.mobileunits.models import MobileUnit, Stop, Tour

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(db):
    region = Region.objects.create(
        code="03",
        name_fr="Fès-Meknès",
        name_ar="فاس مكناس",
        population_2024=1,
        households_2024=1,
    )
    province = Province.objects.create(
        code="03.451",
        name_fr="Sefrou",
        name_ar="صفرو",
        population_2024=1,
        households_2024=1,
        region=region,
        type="province",
    )
    return Commune.objects.create(
        code="03.451.03.01",
        name_fr="Imouzzer Marmoucha",
        name_ar="إيموزار مرموشة",
        population_2024=1,
        households_2024=1,
        province=province,
        slug="imouzzer",
        type="rural",
        search_name="imouzzer",
    )


@pytest.fixture
def stops(world, commune):
    unit = MobileUnit.objects.create(
        code="mu-fes-1",
        name="Unité mobile Fès 1",
        police_unit=world.units["ws-fes"],
        home_commune=commune,
        in_service_from=datetime.date(2025, 1, 1),
    )
    day = datetime.date.today() + datetime.timedelta(days=3)
    tour = Tour.objects.create(
        reference="TR-TEST-1", mobile_unit=unit, starts_on=day, ends_on=day + datetime.timedelta(1)
    )
    return [
        Stop.objects.create(
            tour=tour,
            commune=commune,
            date=day + datetime.timedelta(days=n),
            starts_at=datetime.time(9),
            ends_at=datetime.time(13),
        )
        for n in range(2)
    ]


def test_stop_slots_follow_the_stop_hours_and_its_unit(world, stops):
    stop = stops[0]
    slot = appointments.slot_create(
        actor=None,
        stop=stop,
        starts_at=at(stop.date, 12, 30),
        minutes=30,
        capacity=6,
    )
    assert slot.unit == world.units["ws-fes"]
    with pytest.raises(DomainError, match="Outside opening hours"):
        appointments.slot_create(
            actor=None, stop=stop, starts_at=at(stop.date, 13), minutes=30, capacity=6
        )
    with pytest.raises(DomainError, match="closed"):
        appointments.slot_create(
            actor=None, stop=stop, starts_at=at(stops[1].date, 10), minutes=30, capacity=6
        )
    created = appointments.slots_generate(
        actor=None, stop=stop, first_day=stop.date, last_day=stop.date, minutes=30, capacity=6
    )
    assert created == 7  # 09:00–13:00 in half hours, less the 12:30 slot already there


def test_application_at_a_stop_books_a_stop_slot_and_is_counted(world, stops):
    stop, other = stops
    slot = appointments.slot_create(
        actor=None, stop=stop, starts_at=at(stop.date, 9), minutes=30, capacity=6
    )
    application, _created = services.application_submit(
        actor=None, data=pre_application(world.units["ws-fes-d1"], unit_id=None, stop_id=stop.pk)
    )
    assert (application.unit, application.stop) == (world.units["ws-fes"], stop)
    office_slot = appointments.slot_create(
        actor=None,
        unit=world.units["ws-fes"],
        starts_at=at(stop.date, 9),
        minutes=30,
        capacity=2,
    )
    with pytest.raises(DomainError, match="office or stop of your application"):
        services.application_book(actor=None, application_id=application.pk, slot_id=office_slot.pk)
    services.application_book(actor=None, application_id=application.pk, slot_id=slot.pk)

    agent = world.users["agent.fes"]
    delivered, _created = services.application_submit(
        actor=None,
        data=pre_application(
            world.units["ws-fes-d1"], unit_id=None, stop_id=stop.pk, family_name_latin="Alami"
        ),
    )
    wilaya_agent = world.users["admin"]
    for step in (
        lambda: services.application_enrol(
            actor=wilaya_agent,
            application_id=delivered.pk,
            photo_captured=True,
            fingerprints_captured=True,
        ),
        lambda: services.application_send_to_production(
            actor=wilaya_agent, application_id=delivered.pk
        ),
        lambda: services.application_mark_ready(actor=wilaya_agent, application_id=delivered.pk),
        lambda: services.application_deliver(actor=wilaya_agent, application_id=delivered.pk),
    ):
        step()
    withdrawn, _created = services.application_submit(
        actor=None,
        data=pre_application(
            world.units["ws-fes-d1"], unit_id=None, stop_id=stop.pk, family_name_latin="Berrada"
        ),
    )
    services.application_cancel(actor=agent, application_id=withdrawn.pk)

    counts = applications_by_stop([stop.pk, other.pk])
    assert counts == {
        stop.pk: {"applications_received": 2, "cards_delivered": 1},
        other.pk: {"applications_received": 0, "cards_delivered": 0},
    }


def test_a_past_stop_is_refused(world, stops):
    Stop.objects.filter(pk=stops[0].pk).update(date=datetime.date.today() - datetime.timedelta(1))
    with pytest.raises(DomainError, match="stop is not coming"):
        services.application_submit(
            actor=None,
            data=pre_application(world.units["ws-fes-d1"], unit_id=None, stop_id=stops[0].pk),
        )


def test_cards_by_month_and_region(world, commune):
    fes = world.units["ws-fes-d1"]
    region = commune.province.region
    for number, issued, with_region in (
        ("C1", datetime.date(2025, 1, 5), True),
        ("C2", datetime.date(2025, 1, 30), True),
        ("C3", datetime.date(2025, 3, 2), True),
        ("C4", datetime.date(2025, 3, 9), False),
        ("C5", datetime.date(2024, 12, 31), True),
    ):
        card = card_create(fes, number=number, issued_on=issued, status=CardStatus.ACTIVE)
        if with_region:
            card.region = region
            card.save()

    assert cards_by_month_and_region(year=2025) == {(1, "03"): 2, (3, "03"): 1, (3, None): 1}
