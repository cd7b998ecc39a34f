"""Criminal case endpoints (staff whose role reads cases; unit-scoped; reads audited)."""

import uuid

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from amn.access.scoping import READERS
from amn.api.pagination import BoundedPageNumberPagination
from amn.api.security import staff_auth
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.filters import CaseFilter
from amn.cases.schemas import CaseFilterParams, CaseOut, CaseSummaryOut
from amn.cases.selectors import access_case, case_list

router = Router(tags=["criminal cases"], auth=staff_auth)


def _reader(request):
    """The acting user, or 403 when their role does not read criminal cases."""
    if request.auth.role not in READERS["cases.case"]:
        raise HttpError(403, _("Your role does not give access to criminal cases."))
    return request.auth


@router.get("/", response=list[CaseSummaryOut])
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def case_list_endpoint(request, filters: Query[CaseFilterParams]):
    """Cases recorded by your units, newest first, filtered (see amn.cases.filters) and
    paged ({"items": […], "count": N}); 422 for a filter value that is not allowed, such as
    a unit outside your scope."""
    actor = _reader(request)
    data = filters.as_filter_data()
    filterset = CaseFilter(data, queryset=case_list(actor=actor), actor=actor)
    if not filterset.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in filterset.errors.items()
            ]
        )
    audit_event_record(
        actor=actor, action=AuditAction.LIST, target="cases.case", detail={"filters": data}
    )
    return filterset.qs.prefetch_related("offences")


@router.get("/{case_id}", response=CaseOut)
def case_get(request, case_id: uuid.UUID):
    """One case; 404 when it does not exist or lies outside your units (audited)."""
    return access_case(actor=_reader(request), case_id=case_id)
