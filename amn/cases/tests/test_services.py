"""Corrections of cases (amn.cases.corrections.case_update): fixing a case takes it out of
the validation inbox, keeps the offences' copies in step, and only writers in scope may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from amn.access.scoping import may_write
from amn.cases import demo
from amn.cases.choices import Clearance, PartyRole, Problem
from amn.cases.corrections import case_update
from amn.cases.models import Arrest, Case, Offence
from amn.cases.reference import load_reference
from amn.cases.selectors import inbox_list
from amn.cases.services import CaseInput, OffenceInput, PartyInput, case_record
from amn.cases.tests.scoped_cases import (
    AGADIR_INBOX,
    FES_DRUGS,
    FES_INBOX,
    FES_ROBBERY,
)
from amn.core.errors import DomainError

pytestmark = pytest.mark.django_db

D = datetime.date


def _input(case: Case, **changes) -> CaseInput:
    """The case as recorded, as CaseInput, with `changes` applied."""
    arrests = {a.party_id: a.arrested_on for a in case.arrests.all()}
    fields = {
        "recording_unit_id": case.recording_unit_id,
        "commune_id": case.commune_id,
        "occurred_on": case.occurred_on,
        "reported_on": case.reported_on,
        "recorded_on": case.recorded_on,
        "narrative": case.narrative,
        "status": case.status,
        "offences": [
            OffenceInput(o.iccs_id, o.clearance, o.cleared_on, o.exceptional_reason)
            for o in case.offences.all()
        ],
        "parties": [
            PartyInput(
                p.role,
                sex=p.sex,
                age_at_time=p.age_at_time,
                nationality=p.nationality,
                arrested_on=arrests.get(p.pk),
            )
            for p in case.parties.all()
        ],
    }
    return CaseInput(**(fields | changes))


def _ids(case: Case) -> dict:
    return {
        "offence_ids": list(case.offences.values_list("pk", flat=True)),
        "party_ids": list(case.parties.values_list("pk", flat=True)),
    }


def test_giving_the_missing_iccs_code_takes_the_case_out_of_the_inbox(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[FES_INBOX].pk)
    officer = world.users["officer.fes"]
    assert case in inbox_list(actor=officer)
    assert case.problems == [Problem.MISSING_ICCS]

    fixed = case_update(
        actor=officer,
        case=case,
        data=_input(case, offences=[OffenceInput("0502")]),
        **_ids(case),
    )

    assert fixed.problems == []
    assert fixed.is_valid is True
    assert case not in inbox_list(actor=officer)
    (offence,) = Offence.objects.filter(case=case)
    assert (offence.iccs_id, offence.is_valid) == ("0502", True)


def test_a_correction_that_leaves_a_problem_keeps_the_case_in_the_inbox(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[AGADIR_INBOX].pk)
    assert set(case.problems) == {Problem.DATES_OUT_OF_ORDER, Problem.CLEARED_WITHOUT_ARREST}

    fixed = case_update(
        actor=world.users["admin"],
        case=case,
        data=_input(case, reported_on=D(2025, 9, 20)),
        **_ids(case),
    )

    assert fixed.problems == [Problem.CLEARED_WITHOUT_ARREST]
    assert not fixed.is_valid
    assert not Offence.objects.get(case=case).is_valid


def test_recording_the_arrest_clears_the_clearance_problem(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[AGADIR_INBOX].pk)
    (suspect,) = _input(case).parties
    suspect.arrested_on = D(2025, 9, 21)

    fixed = case_update(
        actor=world.users["admin"],
        case=case,
        data=_input(case, reported_on=None, parties=[suspect]),
        **_ids(case),
    )

    assert fixed.is_valid
    arrest = Arrest.objects.get(case=case)
    assert (arrest.arrested_on, arrest.unit_id, arrest.party.role) == (
        D(2025, 9, 21),
        case.recording_unit_id,
        PartyRole.SUSPECT,
    )


def test_offences_carry_the_corrected_case_fields(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[FES_DRUGS].pk)
    other_unit = world.units["sp-taza"]  # in the Fès wilaya, the officer's subtree

    case_update(
        actor=world.users["officer.fes"],
        case=case,
        data=_input(case, recording_unit_id=other_unit.pk, recorded_on=D(2025, 6, 20)),
        **_ids(case),
    )

    offence = Offence.objects.get(case=case)
    assert (offence.recording_unit_id, offence.recorded_on) == (other_unit.pk, D(2025, 6, 20))


def test_rows_are_updated_added_and_deleted_by_id(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[FES_ROBBERY].pk)
    (kept_offence,) = case.offences.all()

    case_update(
        actor=world.users["officer.fes"],
        case=case,
        data=_input(
            case,
            offences=[
                OffenceInput("0401", Clearance.BY_ARREST, D(2025, 3, 9)),
                OffenceInput("0201"),
            ],
            parties=[],
        ),
        offence_ids=[kept_offence.pk, None],
        party_ids=[],
    )

    codes = list(case.offences.order_by("pk").values_list("pk", "iccs_id"))
    assert codes[0] == (kept_offence.pk, "0401")
    assert [code for _pk, code in codes] == ["0401", "0201"]
    assert not case.parties.exists()
    assert not Arrest.objects.filter(case=case).exists()  # its arrest went with the person
    case.refresh_from_db()
    assert case.problems == [Problem.CLEARED_WITHOUT_ARREST]
    assert case.cleared_on is None  # one offence is not cleared


def test_arrests_recorded_without_a_person_are_kept_and_counted(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[AGADIR_INBOX].pk)
    Arrest.objects.create(case=case, unit=case.recording_unit, arrested_on=D(2025, 9, 21))

    fixed = case_update(
        actor=world.users["admin"],
        case=case,
        data=_input(case, reported_on=None),
        **_ids(case),
    )

    assert fixed.is_valid
    assert Arrest.objects.filter(case=case, party__isnull=True).count() == 1


def test_an_id_from_another_case_is_refused(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[FES_DRUGS].pk)
    stranger = scoped_cases.cases[FES_ROBBERY].offences.get()

    with pytest.raises(DomainError, match="No offence"):
        case_update(
            actor=world.users["officer.fes"],
            case=case,
            data=_input(case),
            offence_ids=[stranger.pk],
            party_ids=[],
        )
    assert Offence.objects.get(pk=stranger.pk).case_id == scoped_cases.cases[FES_ROBBERY].pk


def test_hard_rules_of_case_record_apply(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[FES_DRUGS].pk)

    with pytest.raises(DomainError):
        case_update(
            actor=world.users["officer.fes"],
            case=case,
            data=_input(case, offences=[]),
            offence_ids=[],
            party_ids=[],
        )
    with pytest.raises(DomainError, match="9999"):
        case_update(
            actor=world.users["officer.fes"],
            case=case,
            data=_input(case, offences=[OffenceInput("9999")]),
            **_ids(case),
        )
    assert Offence.objects.get(case=case).iccs_id == "0601"


@pytest.mark.parametrize(
    ("username", "key"),
    [
        ("analyst.hq", FES_DRUGS),  # reads every case, writes none
        ("agent.fes", FES_DRUGS),  # no access to cases
        ("hr.rabat", FES_DRUGS),
        ("supervisor.rabat", FES_DRUGS),  # a writer, but another unit
    ],
)
def test_only_writers_in_scope_may_correct(world, scoped_cases, username, key):
    case = Case.objects.get(pk=scoped_cases.cases[key].pk)

    with pytest.raises(PermissionDenied):
        case_update(actor=world.users[username], case=case, data=_input(case), **_ids(case))


def test_a_case_cannot_be_moved_to_a_unit_outside_ones_scope(world, scoped_cases):
    case = Case.objects.get(pk=scoped_cases.cases[FES_DRUGS].pk)

    with pytest.raises(DomainError, match="one of your units"):
        case_update(
            actor=world.users["officer.fes"],
            case=case,
            data=_input(case, recording_unit_id=world.units["ws-agadir-d1"].pk),
            **_ids(case),
        )
    assert Case.objects.get(pk=case.pk).recording_unit_id == world.units["ws-fes-d1"].pk


@pytest.mark.parametrize(
    ("username", "writes"),
    [
        ("officer.fes", True),
        ("supervisor.rabat", True),
        ("admin", True),
        ("analyst.hq", False),
        ("analyst.fes", False),
        ("agent.fes", False),
        ("hr.rabat", False),
        ("planner.rabat", False),
        ("citizen@example.ma", False),
    ],
)
def test_who_writes_cases(world, username, writes):
    assert may_write(world.users[username], "cases.case") is writes


def test_demo_cases_are_idempotent_and_two_wait_in_the_inbox(world):
    load_reference(actor=None)

    assert demo.load_demo() == "demo cases: 7 created (2 in the validation inbox)"
    assert demo.load_demo() == "demo cases: 0 created (2 in the validation inbox)"
    demo_cases = Case.objects.filter(narrative__startswith="Demo:")
    assert demo_cases.count() == len(demo.DEMO_CASES)
    assert {tuple(c.problems) for c in demo_cases.filter(is_valid=False)} == {
        (Problem.MISSING_ICCS,),
        (Problem.DATES_OUT_OF_ORDER, Problem.CLEARED_WITHOUT_ARREST),
    }


def test_case_record_keeps_a_problem_case_out_of_the_figures(world, scoped_cases):
    """The inbox rule at entry, which the correction undoes (services.case_record)."""
    case = case_record(
        actor=None,
        data=CaseInput(
            recording_unit_id=world.units["ws-fes-d1"].pk,
            occurred_on=D(2025, 5, 2),
            recorded_on=D(2025, 5, 1),
            offences=[OffenceInput("0502")],
        ),
    )

    assert case.problems == [Problem.DATES_OUT_OF_ORDER]
    assert not Offence.objects.get(case=case).is_valid
