"""Staff pages: dashboard, person registry (scoped and audited)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from amn.access.scoping import READERS
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.mobileunits.selectors import FLEET_READERS
from amn.people.selectors import access_person, person_convictions, person_list

PAGE_SIZE = 50


@staff_required
def dashboard(request):
    """GET /staff/: the staff member's role, unit and the size of their scope."""
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "people_count": person_list(actor=request.user).count(),
            "may_read_fleet": request.user.role in FLEET_READERS,
        },
    )


@staff_required
def people(request):
    """GET /staff/people/?page=N: persons in the actor's scope, 50 a page; writes a "list"
    audit event. 403 for roles that do not read the person registry (READERS)."""
    if request.user.role not in READERS["people.person"]:
        raise PermissionDenied
    page = Paginator(person_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="people.person",
        detail={"page": page.number, "shown": len(page.object_list)},
    )
    return render(request, "backoffice/people.html", {"page": page})


@staff_required
def person_detail(request, person_id: uuid.UUID):
    """GET /staff/people/<uuid>/: one person record (identity, birth place, parents' names,
    convictions), its read audited; 404 when out of scope."""
    person = access_person(actor=request.user, person_id=person_id)
    return render(
        request,
        "backoffice/person_detail.html",
        {"person": person, "convictions": person_convictions(person=person)},
    )
