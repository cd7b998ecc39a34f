"""Reads of criminal cases: always unit-scoped; single cases audited."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from amn.access.scoping import READERS, restrict, unit_scope
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.models import Case, CriminalNetwork, Seizure
from amn.core.text_input import clean_text


def case_list(*, actor) -> QuerySet[Case]:
    """Cases recorded by a unit in `actor`'s scope (see access.scoping)."""
    return restrict(
        Case.objects.select_related("recording_unit", "commune"), actor, unit_field="recording_unit"
    )


def inbox_list(*, actor) -> QuerySet[Case]:
    """Cases in scope that wait in the validation inbox (kept out of the figures)."""
    return case_list(actor=actor).filter(is_valid=False)


def access_case(*, actor, case_id: uuid.UUID | str) -> Case:
    """One case for `actor`, audited like a person record (cases name persons).

    Raises:
        Http404: no such case or out of scope (same answer).
    """
    try:
        case = case_list(actor=actor).get(pk=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor, action=AuditAction.DENIED, target="cases.case", target_id=str(case_id)[:64]
        )
        raise Http404("No such case.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=case)
    return case


def _case_readers(queryset: QuerySet, actor, *, unit_field: str) -> QuerySet:
    """`queryset` scoped like cases: nothing for roles that do not read cases
    (READERS["cases.case"]), else the rows of the actor's units (access.scoping)."""
    if getattr(actor, "role", None) not in READERS["cases.case"]:
        return queryset.none()
    return queryset.filter(unit_scope(actor, unit_field))


def seizure_list(*, actor) -> QuerySet[Seizure]:
    """Seizures made by a unit in `actor`'s scope, newest first, with their case and unit;
    nothing for roles that do not read cases."""
    seizures = Seizure.objects.select_related("case", "seized_by").order_by("-seized_on", "-id")
    return _case_readers(seizures, actor, unit_field="seized_by")


def seizure_get(*, actor, seizure_id: int) -> Seizure:
    """One seizure in `actor`'s scope.

    Raises:
        Http404: no such seizure, or out of scope (the same answer).
    """
    seizure = seizure_list(actor=actor).filter(pk=seizure_id).first()
    if seizure is None:
        raise Http404("No such seizure.")
    return seizure


def network_list(*, actor) -> QuerySet[CriminalNetwork]:
    """Criminal networks dismantled by a unit in `actor`'s scope, newest first, with their
    unit and linked cases; nothing for roles that do not read cases."""
    networks = CriminalNetwork.objects.select_related("unit").prefetch_related("cases")
    return _case_readers(networks, actor, unit_field="unit")


def cases_by_reference(*, actor, references: list[str]) -> dict[str, Case]:
    """The cases in `actor`'s scope among `references` (exact references, CJ-2025-000123),
    by reference; references outside the scope or unknown are simply absent."""
    if not references:
        return {}
    found = case_list(actor=actor).filter(reference__in=references)
    return {case.reference: case for case in found}


PERSON_SEARCH_LIMIT = 10


def party_person_search(*, actor, query: str) -> list:
    """Registry persons the actor may link to a case party: by CNIE number (exact, after
    normalisation: "be 123456" finds BE123456) or by name (every word of the query starts
    one of the person's names, Arabic or Latin; Latin letters case-insensitively), among
    the persons of the actor's units (amn.people.selectors.person_list). At most
    PERSON_SEARCH_LIMIT persons, by Latin then Arabic name.

    The search is audited ("search" on people.person, with how it searched and how many it
    found, never the query itself).

    Returns:
        list[Person]; empty for a query of fewer than 2 characters.
    """
    from amn.people.cnie import cnie_normalise
    from amn.people.selectors import person_list

    text = clean_text(query or "")
    if len(text) < 2:
        return []
    cnie = cnie_normalise(text)
    persons = person_list(actor=actor)
    if cnie is not None:
        how, found = "cnie", persons.filter(cnie_number=cnie)
    else:
        how, found = "name", persons
        for word in text.split()[:4]:
            found = found.filter(
                Q(family_name_latin__istartswith=word)
                | Q(given_name_latin__istartswith=word)
                | Q(family_name_ar__startswith=word)
                | Q(given_name_ar__startswith=word)
            )
    results = list(
        found.order_by("family_name_latin", "given_name_latin", "family_name_ar", "id")[
            :PERSON_SEARCH_LIMIT
        ]
    )
    audit_event_record(
        actor=actor,
        action=AuditAction.SEARCH,
        target="people.person",
        detail={"purpose": "case party", "by": how, "found": len(results)},
    )
    return results
