"""Person registry endpoints (staff only; reads unit-scoped and audited)."""

import json
import uuid

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError, ValidationError

from amn.access.scoping import READERS
from amn.api.security import staff_auth
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.people.registry_io import identity_parse, identity_record_to_dict
from amn.people.schemas import CheckOut, IdentityIn, PersonOut
from amn.people.selectors import access_person, registry_check_json

router = Router(tags=["people"], auth=staff_auth)


def _reader(request):
    """The acting user, or 403 when their role does not read the person registry."""
    if request.auth.role not in READERS["people.person"]:
        raise HttpError(403, _("Your role does not give access to the person registry."))
    return request.auth


def query_fingerprint(record) -> str:
    """A keyed digest (HMAC-SHA256 with the site's secret key) of the checked identity,
    written to the audit trail instead of the names: the same query gives the same
    fingerprint, yet the names cannot be recovered from it, even by trying common names
    without the key."""
    canonical = json.dumps(identity_record_to_dict(record), sort_keys=True, ensure_ascii=False)
    return salted_hmac("amn.people.check", canonical, algorithm="sha256").hexdigest()[:32]


@router.post("/check", response=CheckOut)
def person_check(request, applicant: IdentityIn):
    """Check an applicant against the records registry (the same as `amn registry-check`):
    outcome, score and candidates with the field-by-field explanation. 422 with the refused
    fields ("loc": ["body", "applicant", field]); audited as a search with a fingerprint of
    the query, never the names."""
    actor = _reader(request)
    parsed = identity_parse(applicant.model_dump(exclude_unset=True))
    if not parsed.ok:
        raise ValidationError(
            [
                {"loc": ["body", "applicant", *([e.field] if e.field else [])], "msg": e.reason}
                for e in parsed.errors
            ]
        )
    checked, result = registry_check_json(applicant=parsed.record)
    audit_event_record(
        actor=actor,
        action=AuditAction.SEARCH,
        target="people.person",
        detail={
            "search": "registry_check",
            "fingerprint": query_fingerprint(parsed.record),
            "outcome": str(result.outcome),
            "candidates": [str(c.person_id) for c in result.candidates],
        },
    )
    return checked


@router.get("/{person_id}", response=PersonOut)
def person_get(request, person_id: uuid.UUID):
    """One person record; 404 when it does not exist or lies outside your units."""
    return access_person(actor=request.auth, person_id=person_id)
