"""Staff pages of the personnel registry (mounted at /staff/hr/): the staff list, scoped to
the unit subtree and filtered by unit, corps, grade and service status, and one staff
member's record with their promotions and training. Lists write a "list" audit event, the
record a "view" event (amn.hr.selectors.staff_member_get)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.hr import selectors
from amn.hr.filters import StaffMemberFilter
from amn.hr.services import HR_LABEL

PAGE_SIZE = 50


def hr_readers_only(view):
    """Staff whose role reads HR records (READERS["hr.staffmember"]); other staff and
    citizens get 403, anonymous users the staff login."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.may_read_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@hr_readers_only
def staff_list_page(request):
    """GET /staff/hr/?unit=&corps=&grade=&in_service=&page=: staff members of the actor's
    units, by staff number, 50 a page."""
    queryset = selectors.staff_member_list(actor=request.user)
    filters = StaffMemberFilter(request.GET or None, queryset=queryset, actor=request.user)
    valid = not filters.is_bound or filters.is_valid()
    shown = queryset if not filters.is_bound else (filters.qs if valid else queryset.none())
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target=HR_LABEL,
        detail={
            "page": page.number,
            "shown": len(rows),
            "filters": filters.applied() if filters.is_bound and valid else {},
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hr/staff_list.html",
        {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()},
    )


@hr_readers_only
def staff_detail_page(request, pk: int):
    """GET /staff/hr/<id>/: one staff member's record, promotions and training; 404 when
    out of the actor's scope (both audited)."""
    staff = selectors.staff_member_get(actor=request.user, pk=pk)
    return render(
        request,
        "hr/staff_detail.html",
        {
            "staff": staff,
            "promotions": list(selectors.staff_member_promotions(staff=staff)),
            "trainings": list(selectors.staff_member_trainings(staff=staff)),
        },
    )
