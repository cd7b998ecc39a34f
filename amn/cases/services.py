"""Writes of criminal cases: every write keeps the offences' copies of case fields and the
validation inbox (problems, is_valid) in step."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.access.scoping import may_write, restrict, unit_in_scope
from amn.cases import validation
from amn.cases.choices import CaseSource, Clearance, PartyRole
from amn.cases.models import (
    Arrest,
    Case,
    CaseParty,
    CriminalNetwork,
    IccsCategory,
    Offence,
    Seizure,
)
from amn.cases.quantities import QuantityError, standard_quantity
from amn.cases.references import CASE_PREFIX, NETWORK_PREFIX, format_reference, reserve_numbers
from amn.core.errors import DomainError
from amn.orgunits.models import OrgUnit


@dataclass
class OffenceInput:
    """One offence as submitted: ICCS code (may be missing: the case then waits in the
    inbox), clearance with its date and, for exceptional means, the reason."""

    iccs_code: str | None
    clearance: str = Clearance.NOT_CLEARED
    cleared_on: datetime.date | None = None
    exceptional_reason: str = ""
    national_code_id: int | None = None


@dataclass
class PartyInput:
    role: str
    person_id: object | None = None
    sex: str = ""
    age_at_time: int | None = None
    nationality: str = ""
    arrested_on: datetime.date | None = None  # an arrest of this party by the recording unit


@dataclass
class CaseInput:
    """A case as submitted by a form, the API or an import."""

    recording_unit_id: int
    occurred_on: datetime.date
    recorded_on: datetime.date
    offences: list[OffenceInput]
    reported_on: datetime.date | None = None
    commune_id: int | None = None
    narrative: str = ""
    status: str = "open"
    parties: list[PartyInput] = field(default_factory=list)


def check_hard_rules(data: CaseInput, known_iccs: set[str] | None = None) -> None:
    """Refusals that no inbox can hold: no offence, a date after today (Casablanca), an
    unknown ICCS code, clearance or role, a clearance date without clearance or the reverse.

    Raises:
        DomainError: naming the refused value.
    """
    if not data.offences:
        raise DomainError(_("A case has at least one offence."))
    today = timezone.localdate()
    for day in (data.occurred_on, data.reported_on, data.recorded_on):
        if day is not None and day > today:
            raise DomainError(_("A case date cannot be in the future (%(date)s).") % {"date": day})
    for offence in data.offences:
        if offence.clearance not in Clearance.values:
            raise DomainError(_("Unknown clearance %(value)r.") % {"value": offence.clearance})
        if (offence.clearance == Clearance.NOT_CLEARED) != (offence.cleared_on is None):
            raise DomainError(_("A cleared offence needs its clearance date, and only then."))
        if offence.iccs_code and known_iccs is not None and offence.iccs_code not in known_iccs:
            raise DomainError(_("Unknown ICCS code %(code)s.") % {"code": offence.iccs_code})
    for party in data.parties:
        if party.role not in PartyRole.values:
            raise DomainError(_("Unknown role %(value)r.") % {"value": party.role})


def _problems(data: CaseInput) -> list[str]:
    arrests = sum(1 for party in data.parties if party.arrested_on is not None)
    return validation.case_problems(
        occurred_on=data.occurred_on,
        reported_on=data.reported_on,
        recorded_on=data.recorded_on,
        offences=data.offences,
        arrest_count=arrests,
    )


def check_case_writer(actor, recording_unit_id: int, *, case: Case | None = None) -> None:
    """Refuse a write by an actor who may not record cases, at `recording_unit_id`, or (for
    a correction) on `case`. `actor` None is the command line acting as the system.

    Raises:
        PermissionDenied: the role does not write cases, or `case` is out of scope.
        DomainError: the recording unit is not one of the actor's units.
    """
    if actor is None:
        return
    if not may_write(actor, "cases.case"):
        raise PermissionDenied(_("Your role does not record criminal cases."))
    if (
        case is not None
        and not restrict(
            Case.objects.filter(pk=case.pk), actor, unit_field="recording_unit"
        ).exists()
    ):
        raise PermissionDenied(_("This case lies outside your units."))
    unit = OrgUnit.objects.filter(pk=recording_unit_id).first()
    if unit is None or not unit_in_scope(actor, unit):
        raise DomainError(_("The recording unit must be one of your units."))


@transaction.atomic
def case_record(*, actor, data: CaseInput) -> Case:
    """Record a case with its offences, persons involved and their arrests.

    A case with problems (missing ICCS code, dates out of order, clearance without arrest …)
    is saved but kept out of the figures and listed in the validation inbox.

    Returns:
        Case, with its reference CJ-<year of recording>-<number>.
    Raises:
        PermissionDenied: the actor's role does not record cases, or the recording unit
            lies outside the actor's units (actor None — the command line — may record).
        DomainError: no offence, a date in the future, an unknown ICCS code or role, or a
            clearance without its date (or a date without clearance).
    """
    known = set(
        IccsCategory.objects.filter(
            code__in=[o.iccs_code for o in data.offences if o.iccs_code]
        ).values_list("code", flat=True)
    )
    check_case_writer(actor, data.recording_unit_id)
    check_hard_rules(data, known)
    problems = _problems(data)
    (number,) = reserve_numbers(year=data.recorded_on.year, count=1)
    case = Case.objects.create(
        reference=format_reference(kind=CASE_PREFIX, year=data.recorded_on.year, number=number),
        recording_unit_id=data.recording_unit_id,
        commune_id=data.commune_id,
        occurred_on=data.occurred_on,
        reported_on=data.reported_on,
        recorded_on=data.recorded_on,
        narrative=data.narrative,
        status=data.status,
        cleared_on=validation.case_cleared_on(data.offences),
        source=CaseSource.MANUAL,
        problems=problems,
        is_valid=not problems,
    )
    for o in data.offences:  # one save each, so the audit trail records every offence
        Offence.objects.create(
            case=case,
            iccs_id=o.iccs_code or None,
            national_code_id=o.national_code_id,
            clearance=o.clearance,
            cleared_on=o.cleared_on,
            exceptional_reason=o.exceptional_reason,
            recorded_on=case.recorded_on,
            recording_unit_id=case.recording_unit_id,
            commune_id=case.commune_id,
            is_valid=case.is_valid,
        )
    for p in data.parties:
        party = CaseParty.objects.create(
            case=case,
            person_id=p.person_id,
            role=p.role,
            sex=p.sex,
            age_at_time=p.age_at_time,
            nationality=p.nationality,
        )
        if p.arrested_on is not None:
            Arrest.objects.create(
                case=case, party=party, unit_id=case.recording_unit_id, arrested_on=p.arrested_on
            )
    return case


@transaction.atomic
def seizure_record(
    *,
    actor,
    substance: str,
    quantity: Decimal,
    quantity_unit: str,
    seized_on: datetime.date,
    seized_by_id: int,
    case: Case | None = None,
    stored_at: str = "",
    destroyed_on: datetime.date | None = None,
) -> Seizure:
    """Record a drug seizure with its quantity converted to the standard unit.

    Raises:
        DomainError: a non-positive quantity, a unit that does not fit the substance, or a
            destruction before the seizure.
    """
    try:
        standard, _unit = standard_quantity(substance, quantity, quantity_unit)
    except QuantityError as error:
        raise DomainError(str(error)) from None
    if destroyed_on is not None and destroyed_on < seized_on:
        raise DomainError(_("A seizure cannot be destroyed before it was seized."))
    return Seizure.objects.create(
        case=case,
        substance=substance,
        quantity=quantity,
        quantity_unit=quantity_unit,
        standard_quantity=standard,
        seized_on=seized_on,
        seized_by_id=seized_by_id,
        stored_at=stored_at,
        destroyed_on=destroyed_on,
    )


@transaction.atomic
def network_record(
    *,
    actor,
    kind: str,
    unit_id: int,
    dismantled_on: datetime.date,
    members_arrested: int,
    cases: list[Case] = (),
) -> CriminalNetwork:
    """Record a dismantled criminal network (reference RC-<year>-<number>) and link its cases."""
    (number,) = reserve_numbers(year=dismantled_on.year, count=1, kind=NETWORK_PREFIX)
    network = CriminalNetwork.objects.create(
        reference=format_reference(kind=NETWORK_PREFIX, year=dismantled_on.year, number=number),
        kind=kind,
        unit_id=unit_id,
        dismantled_on=dismantled_on,
        members_arrested=members_arrested,
    )
    network.cases.set(cases)
    return network
