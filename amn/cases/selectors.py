"""Reads of criminal cases: always unit-scoped; single cases audited."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from amn.access.scoping import restrict
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.models import Case


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
