"""Staff pages of the personnel registry (mounted at /staff/hr/): the staff list, scoped to
the unit subtree and filtered by unit, corps, grade and service status, and one staff
member's record with their promotions and training. Lists write a "list" audit event, the
record a "view" event (amn.hr.selectors.staff_member_get)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from amn.backoffice.decorators import staff_required
from amn.backoffice.worklists import audited_worklist
from amn.hr import selectors
from amn.hr.filters import StaffMemberFilter
from amn.hr.services import HR_LABEL


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
    return audited_worklist(
        request,
        queryset=selectors.staff_member_list(actor=request.user),
        filter_class=StaffMemberFilter,
        target=HR_LABEL,
        template="hr/staff_list.html",
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
