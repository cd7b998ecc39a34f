"""A small, exact world for the statistics engine, built once per test module.

Units (seat commune, region):
    dg                 directorate-general (Rabat, 04) — the root of the national tree
      ws-fes           security wilaya (Fès, 03)
        ws-fes-d1      police district (Fès, 03)
        sp-taza        provincial security area (Taza, 03)
      ws-agadir        security wilaya (Agadir, 09)
    US-TST             an imported tree's root (no seat), outside the national tree

Cases (recorded on; unit; offences with clearance; arrests):
    C1 2025-01-10 ws-fes-d1 Fès    0101 cleared by arrest 2025-01-20; arrest M 30 MA
    C2 2025-02-05 ws-fes-d1 Fès    0601 not cleared
    C3 2025-03-15 ws-fes-d1 Fès    0201 cleared exceptionally 2025-04-01 + 0502 not cleared
    C4 2025-03-20 ws-fes-d1 Fès    0601 + an offence without ICCS code → validation inbox
    C5 2025-06-01 sp-taza   Taza   0401 cleared by arrest 2025-06-03; arrest F 17 DZ
    C6 2024-05-05 sp-taza   Taza   0601 not cleared
    C7 2024-07-07 sp-taza   Taza   0502 cleared by arrest 2025-01-05; arrest M 40 MA
    C8 2025-09-09 ws-agadir Agadir 0903 not cleared                     (bulk_write)
    C9 2024-11-11 ws-agadir Agadir 0101 not cleared                     (bulk_write)
    T1 2025-04-04 US-TST    —      0502 not cleared                     (bulk_write)

Persons involved besides the arrested: victims F 58 MA (C2), M 25 FR (C3), F 30 MA (C4,
in the inbox), M 33 MA (C6, 2024); a suspect M 19 MA (C3).

Seizures of cannabis resin: 12.5 kg by ws-fes-d1 2025-02-05 (C2); 500 g by sp-taza
2025-06-01; 100 kg by ws-fes-d1 2025-03-20 (C4, in the inbox); 2 kg by ws-agadir
2024-08-08. Networks: migration smuggling by ws-agadir 2025-03-03; drug trafficking by
ws-fes 2025-05-05.

Expected figures are written out in the tests, worked by hand from this table.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.services import staff_account_create
from amn.cases.bulk import BulkCase, BulkOffence, bulk_write
from amn.cases.choices import CaseSource, Clearance, NetworkKind, Substance
from amn.cases.models import Case
from amn.cases.services import (
    CaseInput,
    OffenceInput,
    PartyInput,
    case_record,
    network_record,
    seizure_record,
)
from amn.geo.models import Commune
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitType
from amn.orgunits.services import unit_create

FES, TAZA, AGADIR, RABAT = "03.231.01.0", "03.561.01.11", "09.001.01.01", "04.421.01.0"
PASSWORD = "test-password-2025"
D = datetime.date

# code, parent, unit type, seat commune
UNITS = (
    ("dg", None, "directorate-general", RABAT),
    ("ws-fes", "dg", "security-wilaya", FES),
    ("ws-fes-d1", "ws-fes", "police-district", FES),
    ("sp-taza", "ws-fes", "provincial-security-area", TAZA),
    ("ws-agadir", "dg", "security-wilaya", AGADIR),
    ("US-TST", None, "police-district", None),
)
STAFF = (
    ("analyst.hq", Role.ANALYST, "dg"),
    ("officer.fes", Role.RECORDS_OFFICER, "ws-fes"),
    ("officer.agadir", Role.RECORDS_OFFICER, "ws-agadir"),
    ("hr.fes", Role.HR_OFFICER, "ws-fes"),
)


@dataclass(frozen=True)
class StatsWorld:
    units: dict[str, OrgUnit]
    users: dict[str, User]
    communes: dict[str, Commune]


def _case(unit, commune, recorded_on, offences, parties=()):
    return case_record(
        actor=None,
        data=CaseInput(
            recording_unit_id=unit.pk,
            commune_id=commune.pk,
            occurred_on=recorded_on,
            recorded_on=recorded_on,
            offences=list(offences),
            parties=list(parties),
        ),
    )


def stats_world_build() -> StatsWorld:
    call_command("load-reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    types = {t.code: t for t in UnitType.objects.all()}
    communes = {c.code: c for c in Commune.objects.filter(code__in=[FES, TAZA, AGADIR, RABAT])}
    units: dict[str, OrgUnit] = {}
    for code, parent, unit_type, seat in UNITS:
        units[code] = unit_create(
            actor=None,
            code=code,
            name_ar=code,
            name_fr=code,
            name_en=code,
            unit_type=types[unit_type],
            parent=units.get(parent),
            commune=communes.get(seat),
            effective_on=None,
            date_precision=DatePrecision.UNKNOWN,
            decision_reference="test",
        )
    for username, role, unit in STAFF:
        staff_account_create(
            actor=None, username=username, password=PASSWORD, role=role, unit=units[unit]
        )
    fes_d1, taza, agadir = units["ws-fes-d1"], units["sp-taza"], units["ws-agadir"]
    fes, taza_c = communes[FES], communes[TAZA]
    by_arrest, exceptional = Clearance.BY_ARREST, Clearance.EXCEPTIONAL
    _case(
        fes_d1,
        fes,
        D(2025, 1, 10),
        [OffenceInput("0101", by_arrest, D(2025, 1, 20))],
        [
            PartyInput(
                "arrested", sex="M", age_at_time=30, nationality="MA", arrested_on=D(2025, 1, 20)
            )
        ],
    )
    c2 = _case(
        fes_d1,
        fes,
        D(2025, 2, 5),
        [OffenceInput("0601")],
        [PartyInput("victim", sex="F", age_at_time=58, nationality="MA")],
    )
    _case(
        fes_d1,
        fes,
        D(2025, 3, 15),
        [
            OffenceInput("0201", exceptional, D(2025, 4, 1), "offender deceased"),
            OffenceInput("0502"),
        ],
        [
            PartyInput("victim", sex="M", age_at_time=25, nationality="FR"),
            PartyInput("suspect", sex="M", age_at_time=19, nationality="MA"),
        ],
    )
    c4 = _case(
        fes_d1,
        fes,
        D(2025, 3, 20),
        [OffenceInput("0601"), OffenceInput(None)],
        [PartyInput("victim", sex="F", age_at_time=30, nationality="MA")],
    )
    _case(
        taza,
        taza_c,
        D(2025, 6, 1),
        [OffenceInput("0401", by_arrest, D(2025, 6, 3))],
        [
            PartyInput(
                "arrested", sex="F", age_at_time=17, nationality="DZ", arrested_on=D(2025, 6, 3)
            )
        ],
    )
    _case(
        taza,
        taza_c,
        D(2024, 5, 5),
        [OffenceInput("0601")],
        [PartyInput("victim", sex="M", age_at_time=33, nationality="MA")],
    )
    _case(
        taza,
        taza_c,
        D(2024, 7, 7),
        [OffenceInput("0502", by_arrest, D(2025, 1, 5))],
        [
            PartyInput(
                "arrested", sex="M", age_at_time=40, nationality="MA", arrested_on=D(2025, 1, 5)
            )
        ],
    )
    bulk_write(
        [
            BulkCase(
                agadir.pk,
                D(2025, 9, 9),
                D(2025, 9, 9),
                [BulkOffence("0903")],
                "C8",
                commune_id=communes[AGADIR].pk,
            ),
            BulkCase(
                agadir.pk,
                D(2024, 11, 11),
                D(2024, 11, 11),
                [BulkOffence("0101")],
                "C9",
                commune_id=communes[AGADIR].pk,
            ),
            BulkCase(units["US-TST"].pk, D(2025, 4, 4), D(2025, 4, 4), [BulkOffence("0502")], "T1"),
        ],
        source=CaseSource.IMPORT,
        source_name="indicator-tests",
    )
    assert not Case.objects.get(pk=c4.pk).is_valid
    resin = Substance.CANNABIS_RESIN
    seizure_record(
        actor=None,
        substance=resin,
        quantity=Decimal("12.5"),
        quantity_unit="kg",
        seized_on=D(2025, 2, 5),
        seized_by_id=fes_d1.pk,
        case=c2,
    )
    seizure_record(
        actor=None,
        substance=resin,
        quantity=Decimal("500"),
        quantity_unit="g",
        seized_on=D(2025, 6, 1),
        seized_by_id=taza.pk,
    )
    seizure_record(
        actor=None,
        substance=resin,
        quantity=Decimal("100"),
        quantity_unit="kg",
        seized_on=D(2025, 3, 20),
        seized_by_id=fes_d1.pk,
        case=c4,
    )
    seizure_record(
        actor=None,
        substance=resin,
        quantity=Decimal("2"),
        quantity_unit="kg",
        seized_on=D(2024, 8, 8),
        seized_by_id=agadir.pk,
    )
    network_record(
        actor=None,
        kind=NetworkKind.MIGRATION_SMUGGLING,
        unit_id=agadir.pk,
        dismantled_on=D(2025, 3, 3),
        members_arrested=4,
    )
    network_record(
        actor=None,
        kind=NetworkKind.DRUG_TRAFFICKING,
        unit_id=units["ws-fes"].pk,
        dismantled_on=D(2025, 5, 5),
        members_arrested=7,
    )
    return StatsWorld(
        units={u.code: u for u in OrgUnit.objects.select_related("unit_type")},
        users={u.username: u for u in User.objects.select_related("unit__unit_type")},
        communes=communes,
    )


@pytest.fixture(scope="module")
def stats_world(django_db_setup, django_db_blocker):
    """The world above, in a transaction held open for the test module and rolled back at
    its end; each test runs in a savepoint inside it (pytest-django's `db`)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = stats_world_build()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
