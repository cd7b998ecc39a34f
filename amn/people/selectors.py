"""Reads of the person registry: always unit-scoped, single records audited."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from amn.access.scoping import restrict
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.people.identity import CheckResult, IdentityRecord
from amn.people.models import JudicialRecord, Person
from amn.people.registry_io import check_result_to_dict


def person_list(*, actor) -> QuerySet[Person]:
    """Persons recorded by a unit in `actor`'s scope (see access.scoping)."""
    return restrict(Person.objects.select_related("recorded_by"), actor, unit_field="recorded_by")


def access_person(*, actor, person_id: uuid.UUID | str, reason: str = "") -> Person:
    """One person record for `actor`, and an audit event of the read (or of the refusal,
    so that probing for records leaves a trace).

    Raises:
        Http404: no such person, or the person is outside the actor's scope (the same
            answer, so existence does not leak).
    """
    try:
        person = person_list(actor=actor).get(pk=person_id)
    except (Person.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor,
            action=AuditAction.DENIED,
            target="people.person",
            target_id=str(person_id)[:64],
            reason=reason,
        )
        raise Http404("No such person.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=person, reason=reason)
    return person


def person_convictions(*, person: Person) -> QuerySet[JudicialRecord]:
    """The convictions of `person` (already read through access_person, which audited the
    read), newest judgment first, with their ICCS category."""
    return person.convictions.select_related("offence").order_by("-judgment_date", "id")


def registry_check_json(*, applicant: IdentityRecord, limit: int = 5) -> tuple[dict, CheckResult]:
    """Check `applicant` against the whole registry (amn.people.matching.registry_check)
    and shape the result as exchanged (amn.people.registry_io.check_result_to_dict);
    candidates are named by their registry identifier, or their UUID when they have none.

    The registry check is national by nature (a certificate covers the whole registry),
    so it is not limited to the actor's units; callers audit it (a "search" event) and
    full records are still read through access_person.

    Returns:
        (the JSON-ready dict, the CheckResult).
    """
    from amn.people.matching import registry_check

    result = registry_check(applicant, limit=limit)
    return check_result_to_dict(result), result
