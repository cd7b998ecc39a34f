"""Corrections of recorded cases: `case_update`, the write that fixes a case so that it
leaves the validation inbox.

A correction replaces the case's fields, offences and persons involved with the submitted
ones (rows are matched by id, rows left out are deleted), then recomputes what
amn.cases.services.case_record computes at entry: the problems (amn.cases.validation),
`is_valid`, the case's clearance date and the offences' and persons' copies of the case's
fields.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from amn.cases import validation
from amn.cases.models import Arrest, Case, CaseParty, IccsCategory, Offence
from amn.cases.services import CaseInput, check_case_writer, check_hard_rules, party_values
from amn.core.errors import DomainError


@transaction.atomic
def case_update(
    *,
    actor,
    case: Case,
    data: CaseInput,
    offence_ids: Sequence[int | None],
    party_ids: Sequence[int | None],
) -> Case:
    """Correct a case: its fields, offences and persons involved become `data`.

    Args:
        actor: the User correcting (None for the command line).
        case: the case to correct (reloaded under a row lock).
        data: the case as it should be; `data.offences[i]` updates the offence whose id is
            `offence_ids[i]`, or adds one when that id is None; the same for `data.parties`
            and `party_ids`. Offences and persons left out are deleted.
            A person's `arrested_on` sets, moves or removes that person's arrest by the
            recording unit; arrests recorded without a person (imports) are kept. A
            person's registry link becomes `person_id` (None unlinks) or the `new_person`
            created, under the rules of amn.cases.services.party_values; the person
            already linked is kept even when outside the actor's registry scope.
        offence_ids, party_ids: aligned with `data.offences` and `data.parties`.
    Returns:
        Case, saved, with `problems` and `is_valid` recomputed: an empty problem list takes
        the case out of the validation inbox and into the figures.
    Raises:
        PermissionDenied: the actor's role does not write cases, or the case is out of
            the actor's scope.
        DomainError: the hard rules of case_record (no offence, a date in the future, an
            unknown ICCS code or role, a clearance without its date), a recording unit
            outside the actor's units, or an id that is not one of the case's rows;
            RefusedValue for a registry link refused (party_values). Nothing is saved then.
    """
    if len(offence_ids) != len(data.offences) or len(party_ids) != len(data.parties):
        raise DomainError(_("Each offence and person needs its id (None for a new one)."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_case_writer(actor, data.recording_unit_id, case=case)
    known = set(
        IccsCategory.objects.filter(
            code__in=[o.iccs_code for o in data.offences if o.iccs_code]
        ).values_list("code", flat=True)
    )
    check_hard_rules(data, known)

    offences = {o.pk: o for o in case.offences.all()}
    parties = {p.pk: p for p in case.parties.all()}
    for wanted, present, label in (
        (offence_ids, offences, _("offence")),
        (party_ids, parties, _("person involved")),
    ):
        strangers = {pk for pk in wanted if pk is not None} - present.keys()
        if strangers:
            raise DomainError(
                _("No %(row)s %(ids)s in this case.")
                % {"row": label, "ids": ", ".join(map(str, sorted(strangers)))}
            )

    case.recording_unit_id = data.recording_unit_id
    case.commune_id = data.commune_id
    case.occurred_on = data.occurred_on
    case.reported_on = data.reported_on
    case.recorded_on = data.recorded_on
    case.narrative = data.narrative
    case.status = data.status
    case.cleared_on = validation.case_cleared_on(data.offences)

    _sync_parties(actor, case, data, party_ids, parties)
    arrest_count = case.arrests.count()
    case.problems = validation.case_problems(
        occurred_on=data.occurred_on,
        reported_on=data.reported_on,
        recorded_on=data.recorded_on,
        offences=data.offences,
        arrest_count=arrest_count,
    )
    case.is_valid = not case.problems
    case.save()
    _sync_offences(case, data, offence_ids, offences)
    _sync_party_copies(case)
    return case


def _sync_offences(case: Case, data: CaseInput, ids, present: dict[int, Offence]) -> None:
    """Update, add and delete offences one by one (a case has a handful), so that the
    audit log records each change; every offence gets the case's copied fields."""
    kept = {pk for pk in ids if pk is not None}
    for offence in present.values():
        if offence.pk not in kept:
            offence.delete()
    for pk, wanted in zip(ids, data.offences, strict=True):
        offence = present[pk] if pk is not None else Offence(case=case)
        offence.iccs_id = wanted.iccs_code or None
        offence.national_code_id = wanted.national_code_id
        offence.clearance = wanted.clearance
        offence.cleared_on = wanted.cleared_on
        offence.exceptional_reason = wanted.exceptional_reason
        offence.recorded_on = case.recorded_on
        offence.recording_unit_id = case.recording_unit_id
        offence.commune_id = case.commune_id
        offence.is_valid = case.is_valid
        offence.save()


def _sync_parties(actor, case: Case, data: CaseInput, ids, present: dict[int, CaseParty]) -> None:
    """Update, add and delete persons involved and their arrests by the recording unit."""
    kept = {pk for pk in ids if pk is not None}
    for party in present.values():
        if party.pk not in kept:
            for arrest in party.arrests.all():
                arrest.delete()
            party.delete()
    for row, (pk, wanted) in enumerate(zip(ids, data.parties, strict=True)):
        party = present[pk] if pk is not None else CaseParty(case=case)
        values = party_values(
            actor=actor,
            row=row,
            party=wanted,
            occurred_on=data.occurred_on,
            recording_unit_id=data.recording_unit_id,
            current_person_id=party.person_id,
        )
        party.role = wanted.role
        party.recorded_on = data.recorded_on  # the copies are settled by _sync_party_copies
        party.recording_unit_id = data.recording_unit_id
        party.commune_id = data.commune_id
        party.person_id = values.person_id
        party.sex = values.sex
        party.age_at_time = values.age_at_time
        party.nationality = values.nationality
        party.save()
        _sync_arrest(case, party, wanted.arrested_on)


def _sync_party_copies(case: Case) -> None:
    """Give the persons involved the case's copied fields, saving those that changed one
    by one (a case has a handful) so that the audit log records each change."""
    copies = {
        "recorded_on": case.recorded_on,
        "recording_unit_id": case.recording_unit_id,
        "commune_id": case.commune_id,
        "is_valid": case.is_valid,
    }
    for party in case.parties.all():
        if any(getattr(party, name) != value for name, value in copies.items()):
            for name, value in copies.items():
                setattr(party, name, value)
            party.save()


def _sync_arrest(case: Case, party: CaseParty, arrested_on: datetime.date | None) -> None:
    """Keep `party`'s arrests in step with the one date the form shows: none removes them,
    a date already recorded changes nothing, another date moves the first arrest (keeping
    its unit) or, for a person not yet arrested, records one by the recording unit."""
    arrests = list(party.arrests.all())
    if arrested_on is None:
        for arrest in arrests:
            arrest.delete()
    elif not arrests:
        Arrest.objects.create(
            case=case, party=party, unit_id=case.recording_unit_id, arrested_on=arrested_on
        )
    elif arrested_on not in {arrest.arrested_on for arrest in arrests}:
        arrests[0].arrested_on = arrested_on
        arrests[0].save()
