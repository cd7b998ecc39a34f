"""Fixtures of the CNIE tests built on the demo world: the Fès office, its agent, one of
its slots, and a verification partner (with its API key as `api_key`)."""

import pytest

from amn.appointments import services as appointments
from amn.appointments.tests.calendar_helpers import at, working_day
from amn.idcards import services


@pytest.fixture
def fes(world):
    return world.units["ws-fes-d1"]


@pytest.fixture
def fes_agent(world):
    return world.users["agent.fes"]


@pytest.fixture
def fes_slot(fes):
    return appointments.slot_create(
        actor=None, unit=fes, starts_at=at(working_day(2), 10), minutes=30, capacity=2
    )


@pytest.fixture
def partner(db):
    partner, key = services.partner_create(
        actor=None, name="Banque Test", kind="bank", calls_per_minute=5
    )
    partner.api_key = key
    return partner
