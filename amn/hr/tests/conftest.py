"""Fixtures of the HR tests: the demo world (amn.access.tests.factories) and a few staff
members recorded through the service, one in each of three wilayas."""

import datetime

import pytest

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
from amn.hr.choices import Corps, Grade, Sex
from amn.hr.services import staff_member_record

# staff number → posting (a unit of the demo tree)
POSTINGS = {"P0000001": "ws-rabat-d1", "P0000002": "ws-fes-d1", "P0000003": "ws-agadir-d1"}
HIRED_ON = datetime.date(2015, 9, 1)


@pytest.fixture
def english(client):
    """Messages compared as text are compared in English (Arabic is the default)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def members(world, db):  # noqa: F811 (the world fixture)
    """staff number → StaffMember: gardiens de la paix hired on HIRED_ON (see POSTINGS)."""
    return {
        number: staff_member_record(
            actor=None,
            staff_number=number,
            family_name="Fictif",
            given_name="Agent",
            family_name_ar="فكتيف",
            given_name_ar="عون",
            sex=Sex.MALE,
            corps=Corps.UNIFORMED,
            grade=Grade.GARDIEN_PAIX,
            unit=world.units[code],
            hired_on=HIRED_ON,
        )
        for number, code in POSTINGS.items()
    }
