"""Person registry endpoints (staff only, unit-scoped, every read audited)."""

import uuid

from ninja import Router

from amn.api.security import staff_auth
from amn.people.schemas import PersonOut
from amn.people.selectors import access_person

router = Router(tags=["people"], auth=staff_auth)


@router.get("/{person_id}", response=PersonOut)
def person_get(request, person_id: uuid.UUID):
    """One person record; 404 when it does not exist or lies outside your units."""
    return access_person(actor=request.auth, person_id=person_id)
