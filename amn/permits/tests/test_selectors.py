"""Reads: scoping of the worklists by the handling unit's subtree, audited single reads,
public tracking, and the yearly figures of the annual report."""

import datetime

import pytest
from django.http import Http404

from amn.audit.models import AuditEvent
from amn.geo.models import Commune, Province, Region
from amn.orgunits.models import OrgUnit
from amn.permits import services
from amn.permits.models import ResidenceCard, Visa
from amn.permits.selectors import (
    access_residence_application,
    access_visa_application,
    application_track,
    cards_expiring,
    residence_application_list,
    residence_cards_issued_in_year,
    visa_application_list,
    visas_issued_in_year,
)
from amn.permits.tests.factories import (
    AGADIR,
    FES,
    card_issued,
    days,
    residence_submitted,
    today,
    visa_submitted,
)

pytestmark = pytest.mark.django_db

# username → sees the Fès application, sees the Agadir one
SCOPE = {
    "admin": (True, True),
    "analyst.hq": (True, True),
    "analyst.fes": (True, False),
    "officer.fes": (True, False),
    "agent.fes": (True, False),
    "agent.agadir": (False, False),  # Agadir 1st district: below the Agadir wilaya
    "agent.agadir.wilaya": (False, True),
    "supervisor.rabat": (False, False),
    "hr.rabat": (False, False),
    "planner.rabat": (False, False),
    "citizen@example.ma": (False, False),
}


@pytest.mark.parametrize(("username", "expected"), SCOPE.items())
def test_worklists_are_scoped(world, username, expected):
    fes = residence_submitted(handling_unit=FES)
    agadir = residence_submitted(handling_unit=AGADIR, passport_number="OTHER0001")
    fes_visa = visa_submitted(handling_unit=FES)
    agadir_visa = visa_submitted(handling_unit=AGADIR, passport_number="OTHER0001")
    actor = world.users[username]
    assert (fes in residence_application_list(actor=actor)) is expected[0]
    assert (agadir in residence_application_list(actor=actor)) is expected[1]
    assert (fes_visa in visa_application_list(actor=actor)) is expected[0]
    assert (agadir_visa in visa_application_list(actor=actor)) is expected[1]


def test_single_reads_are_audited(world):
    application = residence_submitted()
    officer = world.users["officer.fes"]
    assert access_residence_application(actor=officer, application_id=application.pk) == application
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.actor_unit, event.target, event.target_id) == (
        officer,
        officer.unit,
        "permits.residenceapplication",
        str(application.pk),
    )
    outsider = world.users["supervisor.rabat"]
    with pytest.raises(Http404):
        access_residence_application(actor=outsider, application_id=application.pk)
    with pytest.raises(Http404):
        access_visa_application(actor=outsider, application_id="not-a-uuid")
    denied = AuditEvent.objects.filter(action="denied").order_by("at")
    assert [(e.actor, e.target) for e in denied] == [
        (outsider, "permits.residenceapplication"),
        (outsider, "permits.visaapplication"),
    ]


def test_tracking_needs_the_reference_and_the_passport(world):
    application = visa_submitted()
    found = application_track(
        actor=None, reference=application.reference.lower(), passport_number="18ab-12345"
    )
    assert found == application
    assert (
        application_track(actor=None, reference=application.reference, passport_number="X1") is None
    )
    assert (
        application_track(actor=None, reference="TS-2026-000001", passport_number="18AB12345")
        is None
    )
    assert application_track(actor=None, reference="", passport_number="") is None
    events = list(AuditEvent.objects.order_by("at").values_list("action", "target", "reason"))
    assert events[0] == ("view", "permits.visaapplication", "tracking")
    assert events[1:] == [("denied", "permits.tracking", "tracking")] * 3


def test_cards_expiring_are_scoped(world):
    fes = card_issued(expires_on=days(30), handling_unit=FES)
    card_issued(expires_on=days(30), handling_unit=AGADIR, passport_number="OTHER0001")
    assert list(cards_expiring(actor=world.users["officer.fes"], within_days=60)) == [fes]
    assert cards_expiring(actor=world.users["admin"], within_days=60).count() == 2
    assert cards_expiring(actor=world.users["admin"], within_days=20).count() == 0
    assert not cards_expiring(actor=world.users["hr.rabat"], within_days=60).exists()


def _seat(unit_code: str, region_code: str) -> None:
    region = Region.objects.create(
        code=region_code,
        name_fr=f"Région {region_code}",
        name_ar="جهة",
        population_2024=1,
        households_2024=1,
    )
    province = Province.objects.create(
        code=f"{region_code}.001",
        name_fr="P",
        name_ar="إ",
        population_2024=1,
        households_2024=1,
        region=region,
        type="province",
    )
    commune = Commune.objects.create(
        code=f"{region_code}.001.01.01",
        name_fr="C",
        name_ar="ج",
        population_2024=1,
        households_2024=1,
        province=province,
        slug=f"c-{region_code}",
        type="urban",
        search_name="c",
    )
    OrgUnit.objects.filter(code=unit_code).update(commune=commune)  # fmt: skip


def test_yearly_figures_by_nationality_region_and_kind(world):
    _seat(FES, "03")
    _seat(AGADIR, "09")
    card_issued(handling_unit=FES)
    card_issued(handling_unit=FES, passport_number="SN0000001", nationality="SN", reason="study")
    card_issued(handling_unit=AGADIR, passport_number="ES0000001", nationality="ES")
    last_year = card_issued(handling_unit=AGADIR, passport_number="ES0000002", nationality="ES")
    ResidenceCard.objects.filter(pk=last_year.pk).update(
        issued_on=datetime.date(today().year - 1, 6, 1),
        expires_on=datetime.date(today().year, 5, 31),
    )
    for passport, unit in (("GB0000001", FES), ("GB0000002", AGADIR)):
        application = visa_submitted(passport_number=passport, nationality="GB", handling_unit=unit)
        services.visa_application_approve(
            actor=None,
            application=application,
            valid_from=days(10),
            valid_until=days(30),
            entries="single",
            max_stay_days=10,
        )
    visa_submitted(passport_number="CN0000001", nationality="CN")  # not issued

    cards = residence_cards_issued_in_year(year=today().year)
    assert cards.total == 3
    assert cards.by_nationality == {"FR": 1, "ES": 1, "SN": 1}
    assert list(cards.by_nationality) == ["ES", "FR", "SN"]  # equal counts: by code
    assert cards.by_region == {"03": 2, "09": 1}
    assert cards.by_kind == {"work": 2, "study": 1}
    assert residence_cards_issued_in_year(year=today().year - 1).total == 1

    visas = visas_issued_in_year(year=today().year)
    assert (visas.total, visas.by_nationality, visas.by_region) == (
        2,
        {"GB": 2},
        {"03": 1, "09": 1},
    )
    assert Visa.objects.count() == 2

    fes_only = residence_cards_issued_in_year(year=today().year, actor=world.users["officer.fes"])
    assert fes_only.total == 2
    assert (
        residence_cards_issued_in_year(year=today().year, actor=world.users["hr.rabat"]).total == 0
    )
