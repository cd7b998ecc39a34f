"""Cases recorded in the demo world (amn.access.tests.factories), for the tests of the case
pages, the API and the corrections: a few ICCS categories and six cases in Fès, Agadir and
Rabat, two of which wait in the validation inbox.

`scoped_cases` is module-scoped and built inside the `world` transaction, so it is rolled
back with it; tests must reload the cases they change.
"""

import datetime
from dataclasses import dataclass

import pytest

from amn.cases.choices import Clearance, PartyRole
from amn.cases.models import Case, IccsCategory
from amn.cases.services import CaseInput, OffenceInput, PartyInput, case_record

D = datetime.date

# code, level, parent
ICCS_ROWS = (
    ("01", 1, None),
    ("0101", 2, "01"),
    ("02", 1, None),
    ("0201", 2, "02"),
    ("04", 1, None),
    ("0401", 2, "04"),
    ("05", 1, None),
    ("0501", 2, "05"),
    ("0502", 2, "05"),
    ("06", 1, None),
    ("0601", 2, "06"),
)

FES_ROBBERY = "fes-robbery"
FES_DRUGS = "fes-drugs"
FES_INBOX = "fes-inbox"  # an offence without its ICCS code
AGADIR_BURGLARY = "agadir-burglary"  # recorded in 2024
AGADIR_INBOX = "agadir-inbox"  # cleared by arrest without an arrest; dates out of order
RABAT_ASSAULT = "rabat-assault"

ALL_CASES = {FES_ROBBERY, FES_DRUGS, FES_INBOX, AGADIR_BURGLARY, AGADIR_INBOX, RABAT_ASSAULT}
FES_CASES = {FES_ROBBERY, FES_DRUGS, FES_INBOX}
AGADIR_CASES = {AGADIR_BURGLARY, AGADIR_INBOX}
INBOX_CASES = {FES_INBOX, AGADIR_INBOX}


@dataclass(frozen=True)
class ScopedCases:
    cases: dict[str, Case]  # by the keys above

    def key_of(self, case) -> str:
        return next(key for key, known in self.cases.items() if known.pk == case.pk)


def iccs_build() -> None:
    for code, level, parent in ICCS_ROWS:
        IccsCategory.objects.get_or_create(
            code=code,
            defaults={
                "level": level,
                "parent_id": parent,
                "label_en": f"Category {code}",
                "label_fr": f"Catégorie {code}",
                "label_ar": f"الصنف {code}",
            },
        )


def _case(unit, *, recorded, offences, parties=(), occurred=None, reported=None, narrative=""):
    return case_record(
        actor=None,
        data=CaseInput(
            recording_unit_id=unit.pk,
            occurred_on=occurred or recorded,
            reported_on=reported,
            recorded_on=recorded,
            narrative=narrative,
            offences=list(offences),
            parties=list(parties),
        ),
    )


def scoped_cases_build(units) -> ScopedCases:
    iccs_build()
    fes, agadir, rabat = units["ws-fes-d1"], units["ws-agadir-d1"], units["ws-rabat-d1"]
    cleared = D(2025, 3, 9)
    cases = {
        FES_ROBBERY: _case(
            fes,
            recorded=D(2025, 3, 9),
            occurred=D(2025, 3, 8),
            offences=[OffenceInput("0401", Clearance.BY_ARREST, cleared)],
            parties=[PartyInput(PartyRole.ARRESTED, sex="M", age_at_time=24, arrested_on=cleared)],
            narrative="Robbery of a phone",
        ),
        FES_DRUGS: _case(fes, recorded=D(2025, 6, 14), offences=[OffenceInput("0601")]),
        FES_INBOX: _case(
            fes,
            recorded=D(2025, 11, 4),
            offences=[OffenceInput(None)],
            parties=[PartyInput(PartyRole.VICTIM, sex="F", age_at_time=58, nationality="MA")],
        ),
        AGADIR_BURGLARY: _case(agadir, recorded=D(2024, 8, 3), offences=[OffenceInput("0501")]),
        AGADIR_INBOX: _case(
            agadir,
            recorded=D(2025, 9, 21),
            occurred=D(2025, 9, 20),
            reported=D(2025, 9, 12),
            offences=[OffenceInput("0502", Clearance.BY_ARREST, D(2025, 9, 21))],
            parties=[PartyInput(PartyRole.SUSPECT, sex="M", age_at_time=27)],
        ),
        RABAT_ASSAULT: _case(rabat, recorded=D(2025, 2, 2), offences=[OffenceInput("0201")]),
    }
    return ScopedCases(cases=cases)


@pytest.fixture(scope="module")
def scoped_cases(world, django_db_blocker):
    """The six cases (see the module docstring), inside the `world` transaction."""
    with django_db_blocker.unblock():
        return scoped_cases_build(world.units)
