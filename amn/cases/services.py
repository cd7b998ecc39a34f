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
from amn.cases.choices import CaseSource, Clearance, NetworkKind, PartyRole
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


class RefusedValue(DomainError):
    """A business rule refused one submitted value; `field` names it as the entry forms
    do ("quantity", "destroyed_on", "cases" …), so that the message lands on that field,
    and `row` is the index of the person involved (in CaseInput.parties) it concerns, if
    any."""

    def __init__(self, message: str, *, field: str, row: int | None = None):
        super().__init__(message)
        self.field = field
        self.row = row


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
class NewPersonInput:
    """A person added to the registry while a case is recorded
    (amn.people.services.person_create, recorded by the case's recording unit): names in
    Arabic or Latin script (the script of each name decides the registry field), a birth
    date or only a year, a CNIE number; sex and nationality are those of the party."""

    family_name: str
    given_name: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    cnie_number: str = ""


@dataclass
class PartyInput:
    """A person involved as submitted: role, sex, age at the time, nationality (ISO 3166-1
    alpha-2), the date of their arrest by the recording unit, and optionally their registry
    Person — an existing one (`person_id`) or one to create (`new_person`)."""

    role: str
    person_id: object | None = None
    sex: str = ""
    age_at_time: int | None = None
    nationality: str = ""
    arrested_on: datetime.date | None = None  # an arrest of this party by the recording unit
    new_person: NewPersonInput | None = None


@dataclass(frozen=True)
class PartyValues:
    """What is stored for a person involved once linked to the registry."""

    person_id: object | None
    sex: str
    age_at_time: int | None
    nationality: str


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


def registry_age(person, on: datetime.date) -> tuple[int, int] | None:
    """The age of a registry Person on a date, as (lowest, highest) whole years: the same
    number twice from an exact birth date; from a birth year alone (a birth known only by
    its year stays a year) the two ages possible that year; None when the birth is
    unknown."""
    if person.birth_date is not None:
        born = person.birth_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        return age, age
    if person.birth_year is not None:
        return on.year - person.birth_year - 1, on.year - person.birth_year
    return None


# Arabic letters: the Arabic block, its supplement and extended-A, and presentation forms.
_ARABIC_RANGES = (("\u0600", "\u06ff"), ("\u0750", "\u077f"), ("\u08a0", "\u08ff"),
                  ("\ufb50", "\ufdff"), ("\ufe70", "\ufeff"))  # fmt: skip


def _arabic(text: str) -> bool:
    """True when `text` has an Arabic letter (its name then goes to the *_ar fields)."""
    return any(low <= ch <= high for ch in text for low, high in _ARABIC_RANGES)


def _new_person(actor, row: int, party: PartyInput, recording_unit_id: int):
    """Create the party's registry Person (amn.people.services.person_create)."""
    from amn.people.services import person_create

    wanted = party.new_person
    names = {}
    for part, text in (("family_name", wanted.family_name), ("given_name", wanted.given_name)):
        if text:
            names[f"{part}_{'ar' if _arabic(text) else 'latin'}"] = text
    try:
        return person_create(
            actor=actor,
            recorded_by=OrgUnit.objects.get(pk=recording_unit_id),
            sex=party.sex,
            birth_date=wanted.birth_date,
            birth_year=wanted.birth_year,
            nationality=party.nationality or "MA",
            cnie_number=wanted.cnie_number or None,
            **names,
        )
    except DomainError as error:
        raise RefusedValue(str(error), field="person", row=row) from None


def party_values(
    *,
    actor,
    row: int,
    party: PartyInput,
    occurred_on: datetime.date,
    recording_unit_id: int,
    current_person_id=None,
) -> PartyValues:
    """The values stored for one person involved, linked to the registry.

    Rules: a linked Person must be in the actor's registry scope (amn.people.selectors.
    person_list; any person for the command line), except the person already linked to
    this party (`current_person_id`, kept as it is); a new Person is created in the
    registry with the party's sex and nationality; an empty sex, nationality or age is
    taken from the registry (the age on the day the case occurred, see registry_age: from a
    birth year alone, the age reached that year); a value that contradicts the registry is
    refused.

    Raises:
        RefusedValue: naming the row and field (person, sex, nationality, age_at_time).
    """
    if party.new_person is not None and party.person_id is not None:
        raise RefusedValue(
            _("Link a registry person or create one, not both."), field="person", row=row
        )
    if party.new_person is not None:
        person = _new_person(actor, row, party, recording_unit_id)
    elif party.person_id is None:
        return PartyValues(None, party.sex, party.age_at_time, party.nationality)
    elif str(party.person_id) == str(current_person_id):
        return PartyValues(current_person_id, party.sex, party.age_at_time, party.nationality)
    else:
        from amn.people.models import Person
        from amn.people.selectors import person_list

        persons = Person.objects.all() if actor is None else person_list(actor=actor)
        person = persons.filter(pk=party.person_id).first()
        if person is None:
            raise RefusedValue(
                _("This person is not in your units' registry."), field="person", row=row
            )
    sex, nationality, age = party.sex, party.nationality, party.age_at_time
    if sex and person.sex and sex != person.sex:
        raise RefusedValue(
            _("The registry records another sex for this person."), field="sex", row=row
        )
    if nationality and nationality != person.nationality:
        raise RefusedValue(
            _("The registry records the nationality %(code)s for this person.")
            % {"code": person.nationality},
            field="nationality",
            row=row,
        )
    ages = registry_age(person, occurred_on)
    if ages is not None and ages[1] < 0:
        raise RefusedValue(
            _("This registry person was born after the case occurred."), field="person", row=row
        )
    if ages is not None and age is not None and not ages[0] <= age <= ages[1]:
        message = _(
            "From the registry's birth date this person was %(age)d when the case occurred."
        )
        if ages[0] != ages[1]:
            message = _(
                "From the registry's year of birth this person was %(low)d or %(age)d when "
                "the case occurred."
            )
        raise RefusedValue(
            message % {"low": max(ages[0], 0), "age": ages[1]},
            field="age_at_time",
            row=row,
        )
    if age is None and ages is not None:
        age = max(ages[1], 0)
    return PartyValues(person.pk, sex or person.sex, age, nationality or person.nationality)


@transaction.atomic
def case_record(*, actor, data: CaseInput) -> Case:
    """Record a case with its offences, persons involved (linked to the registry or added
    to it: party_values) and their arrests.

    A case with problems (missing ICCS code, dates out of order, clearance without arrest …)
    is saved but kept out of the figures and listed in the validation inbox.

    Returns:
        Case, with its reference CJ-<year of recording>-<number>.
    Raises:
        PermissionDenied: the actor's role does not record cases, or the recording unit
            lies outside the actor's units (actor None — the command line — may record).
        DomainError: no offence, a date in the future, an unknown ICCS code or role, or a
            clearance without its date (or a date without clearance); RefusedValue (a
            DomainError naming the person's row and field) for a registry link refused
            by party_values. Nothing is saved then.
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
    for row, p in enumerate(data.parties):
        values = party_values(
            actor=actor,
            row=row,
            party=p,
            occurred_on=data.occurred_on,
            recording_unit_id=data.recording_unit_id,
        )
        party = CaseParty.objects.create(
            case=case,
            person_id=values.person_id,
            role=p.role,
            sex=values.sex,
            age_at_time=values.age_at_time,
            nationality=values.nationality,
            recorded_on=case.recorded_on,
            recording_unit_id=case.recording_unit_id,
            commune_id=case.commune_id,
            is_valid=case.is_valid,
        )
        if p.arrested_on is not None:
            Arrest.objects.create(
                case=case, party=party, unit_id=case.recording_unit_id, arrested_on=p.arrested_on
            )
    return case


def _check_record_writer(actor, unit_id: int, *, field: str) -> None:
    """Refuse a seizure or network recorded by an actor who may not record cases, or for a
    unit outside the actor's units. `actor` None is the command line (every unit).

    Raises:
        PermissionDenied: the role does not record cases.
        RefusedValue: the unit is unknown or not one of the actor's units.
    """
    if actor is not None and not may_write(actor, "cases.case"):
        raise PermissionDenied(_("Your role does not record criminal cases."))
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or (actor is not None and not unit_in_scope(actor, unit)):
        raise RefusedValue(_("The unit must be one of your units."), field=field)


def _check_cases_in_scope(actor, cases, *, field: str) -> None:
    """Raises RefusedValue when one of `cases` lies outside the actor's units."""
    if actor is None or not cases:
        return
    ids = {case.pk for case in cases}
    visible = set(
        restrict(Case.objects.filter(pk__in=ids), actor, unit_field="recording_unit").values_list(
            "pk", flat=True
        )
    )
    if visible != ids:
        raise RefusedValue(_("A linked case must be recorded by one of your units."), field=field)


def _check_not_future(day: datetime.date | None, *, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise RefusedValue(
            _("This date is in the future (%(date)s).") % {"date": day.isoformat()}, field=field
        )


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
    """Record a drug seizure with its quantity converted to the standard unit
    (amn.cases.quantities) and its custody chain (seized by, stored at, destroyed on).

    Args:
        actor: the User recording it, or None for the command line and generators.
        substance, quantity, quantity_unit: what was seized and how much, as recorded.
        seized_on, seized_by_id: when and by which OrgUnit (id).
        case: the case it belongs to, or None (a seizure without a case still counts).
        stored_at: where the seized goods are kept; destroyed_on: their destruction date.
    Returns:
        Seizure, saved (django-auditlog records the creation).
    Raises:
        PermissionDenied: the actor's role does not record cases.
        RefusedValue (a DomainError naming the field): an unknown substance, a quantity
            that is not positive, an unknown unit or one that does not fit the substance, a
            date in the future, a destruction before the seizure, a seizing unit or a case
            outside the actor's units.
    """
    _check_record_writer(actor, seized_by_id, field="seized_by")
    _check_cases_in_scope(actor, [case] if case is not None else [], field="case")
    try:
        standard, _unit = standard_quantity(substance, quantity, quantity_unit)
    except QuantityError as error:
        raise RefusedValue(str(error), field=error.field) from None
    _check_custody(seized_on=seized_on, destroyed_on=destroyed_on)
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


def _check_custody(*, seized_on: datetime.date, destroyed_on: datetime.date | None) -> None:
    _check_not_future(seized_on, field="seized_on")
    _check_not_future(destroyed_on, field="destroyed_on")
    if destroyed_on is not None and destroyed_on < seized_on:
        raise RefusedValue(
            _("A seizure cannot be destroyed before it was seized."), field="destroyed_on"
        )


@transaction.atomic
def seizure_custody_update(
    *, actor, seizure: Seizure, stored_at: str, destroyed_on: datetime.date | None
) -> Seizure:
    """Record where a seizure is kept and when it was destroyed (the later links of its
    custody chain).

    Raises:
        PermissionDenied: the actor's role does not record cases, or the seizing unit is
            outside the actor's units.
        RefusedValue: a destruction in the future or before the seizure.
    """
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    if actor is not None and not (
        may_write(actor, "cases.case") and unit_in_scope(actor, seizure.seized_by)
    ):
        raise PermissionDenied(_("This seizure lies outside your units."))
    _check_custody(seized_on=seizure.seized_on, destroyed_on=destroyed_on)
    seizure.stored_at = stored_at
    seizure.destroyed_on = destroyed_on
    seizure.save(update_fields=["stored_at", "destroyed_on"])
    return seizure


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
    """Record a dismantled criminal network (reference RC-<year>-<number>) and link its
    cases.

    Args:
        actor: the User recording it, or None for the command line and generators.
        kind: a NetworkKind value; unit_id: the dismantling OrgUnit (id).
        dismantled_on: the date; members_arrested: how many members were arrested (≥ 0).
        cases: the cases linked to the network.
    Returns:
        CriminalNetwork, saved (django-auditlog records the creation).
    Raises:
        PermissionDenied: the actor's role does not record cases.
        RefusedValue: an unknown type, a negative number of members, a date in the future,
            a unit or a linked case outside the actor's units.
    """
    _check_record_writer(actor, unit_id, field="unit")
    if kind not in NetworkKind.values:
        raise RefusedValue(_("Unknown network type %(value)r.") % {"value": kind}, field="kind")
    if isinstance(members_arrested, bool) or not isinstance(members_arrested, int):
        raise RefusedValue(_("Give the number of members arrested."), field="members_arrested")
    if members_arrested < 0:
        raise RefusedValue(
            _("The number of members arrested cannot be negative."), field="members_arrested"
        )
    _check_not_future(dismantled_on, field="dismantled_on")
    cases = list(cases)
    _check_cases_in_scope(actor, cases, field="cases")
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
