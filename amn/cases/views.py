"""Staff pages of criminal cases: list with filters, validation inbox, case page, entry
and correction forms. Reads go through amn.cases.selectors (scoped, audited), writes
through the services."""

import re
import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amn.access.scoping import READERS, may_write
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.cases.choices import Problem
from amn.cases.corrections import case_update
from amn.cases.filters import CaseFilter
from amn.cases.forms import CaseEntry, CustodyForm, NetworkForm, SeizureForm, commune_options
from amn.cases.selectors import (
    access_case,
    case_list,
    cases_by_reference,
    inbox_list,
    network_list,
    seizure_get,
    seizure_list,
)
from amn.cases.services import (
    case_record,
    network_record,
    seizure_custody_update,
    seizure_record,
)
from amn.core.errors import DomainError

PAGE_SIZE = 50
CASE_READERS = READERS["cases.case"]


def case_readers_only(view):
    """Staff whose role reads criminal cases (READERS["cases.case"]); other staff get 403,
    anonymous users the staff login."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role not in CASE_READERS:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def case_writers_only(view):
    """Staff whose role records cases (amn.access.scoping.WRITERS)."""

    @case_readers_only
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_write(request.user, "cases.case"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def problem_labels(problems: list[str]) -> list[str]:
    """The readable names of a case's problems (unknown values are shown as they are)."""
    labels = dict(Problem.choices)
    return [str(labels.get(problem, problem)) for problem in problems]


def _list_page(request, *, cases, inbox: bool):
    """Filter, paginate, audit and render `cases`."""
    filters = CaseFilter(request.GET or None, queryset=cases, actor=request.user)
    valid = not filters.is_bound or filters.is_valid()
    if not filters.is_bound:
        shown = cases
    elif valid:
        shown = filters.qs
    else:
        shown = cases.none()
    shown = shown.prefetch_related("offences")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for case in rows:
        case.problem_labels = problem_labels(case.problems)
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="cases.case",
        detail={
            "page": page.number,
            "shown": len(rows),
            "inbox": inbox,
            "filters": filters.applied() if filters.is_bound and valid else {},
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "inbox": inbox,
            "query": query.urlencode(),
            "may_write": may_write(request.user, "cases.case"),
        },
    )


@case_readers_only
def case_list_page(request):
    """GET /staff/cases/?unit=&recorded_from=&recorded_to=&iccs_section=&status=&in_inbox=
    &reference=&page=: cases in the actor's scope, filtered (amn.cases.filters), 50 a page;
    writes a "list" audit event with the filters."""
    return _list_page(request, cases=case_list(actor=request.user), inbox=False)


@case_readers_only
def inbox_page(request):
    """GET /staff/cases/inbox/: cases in scope that wait in the validation inbox, with
    their problems; same filters as the list."""
    return _list_page(request, cases=inbox_list(actor=request.user), inbox=True)


@case_readers_only
def case_page(request, case_id: uuid.UUID):
    """GET /staff/cases/<uuid>/: one case with its offences, persons, arrests, seizures and
    networks; audited; 404 when out of scope."""
    case = access_case(actor=request.user, case_id=case_id)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "offences": case.offences.select_related("iccs", "national_code"),
            "parties": case.parties.all(),
            "arrests": case.arrests.select_related("unit", "party"),
            "seizures": case.seizures.all(),
            "networks": case.networks.all(),
            "problem_labels": problem_labels(case.problems),
            "may_write": may_write(request.user, "cases.case"),
        },
    )


_SEARCH_ROW = re.compile(r"parties-\d{1,2}")


def _search_row(request) -> str | None:
    """The person row whose registry search button was pressed ("parties-2"), or None."""
    value = request.POST.get("registry_search", "") if request.method == "POST" else ""
    return value if _SEARCH_ROW.fullmatch(value) else None


def _form_page(request, entry: CaseEntry, *, title: str):
    if entry.search is not None:
        entry.quiet()
    return render(
        request,
        "cases/form.html",
        {
            "entry": entry,
            "title": title,
            "errors": entry.errors() if entry.form.is_bound and entry.search is None else [],
            "commune_options": commune_options(),
            "recorded_problems": (
                problem_labels(entry.case.problems) if entry.case is not None else []
            ),
        },
    )


def _submitted(entry: CaseEntry) -> bool:
    """True when `entry` may be saved: valid, and either free of problems or with the
    user's confirmation that it should wait in the validation inbox."""
    if not entry.is_valid():
        return False
    problems = entry.find_problems()
    return not problems or entry.form.cleaned_data["accept_problems"]


def _saved_message(request, case) -> None:
    if case.is_valid:
        messages.success(request, _("Case %(reference)s saved.") % {"reference": case.reference})
    else:
        messages.warning(
            request,
            _(
                "Case %(reference)s saved; it waits in the validation inbox and is not "
                "counted in the figures until its problems are fixed."
            )
            % {"reference": case.reference},
        )


@case_writers_only
def case_create_page(request):
    """GET/POST /staff/cases/new/: enter a case (amn.cases.services.case_record); a case
    with problems is saved only once the user confirms it, and then waits in the inbox.
    A person row's "Search" button (registry_search=<row prefix>) searches the registry
    (amn.cases.selectors.party_person_search, audited) and shows the form again with the
    persons found, saving nothing."""
    search = _search_row(request)
    entry = CaseEntry(
        request.POST if request.method == "POST" else None, actor=request.user, search=search
    )
    if request.method == "POST" and search is None and _submitted(entry):
        try:
            case = case_record(actor=request.user, data=entry.case_input())
        except DomainError as error:
            entry.refuse(error)
        else:
            _saved_message(request, case)
            return redirect("cases:detail", case_id=case.pk)
    return _form_page(request, entry, title=_("New criminal case"))


@case_writers_only
def case_edit_page(request, case_id: uuid.UUID):
    """GET/POST /staff/cases/<uuid>/edit/: correct a case (amn.cases.corrections.case_update);
    a case whose problems are all fixed leaves the validation inbox. Registry searches as
    on the entry form."""
    case = access_case(actor=request.user, case_id=case_id)
    other_arrests = case.arrests.filter(party__isnull=True).count()
    search = _search_row(request)
    entry = CaseEntry(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        case=case,
        other_arrests=other_arrests,
        search=search,
    )
    if request.method == "POST" and search is None and _submitted(entry):
        was_in_inbox = not case.is_valid
        try:
            case = case_update(
                actor=request.user,
                case=case,
                data=entry.case_input(),
                offence_ids=entry.offence_ids(),
                party_ids=entry.party_ids(),
            )
        except DomainError as error:
            entry.refuse(error)
        else:
            if was_in_inbox and case.is_valid:
                messages.success(
                    request,
                    _(
                        "Case %(reference)s corrected: it left the validation inbox and now "
                        "counts in the figures."
                    )
                    % {"reference": case.reference},
                )
            else:
                _saved_message(request, case)
            return redirect("cases:detail", case_id=case.pk)
    return _form_page(
        request, entry, title=_("Correct case %(reference)s") % {"reference": case.reference}
    )


# -- seizures and criminal networks ---------------------------------------------------------


def _refused(form, error: DomainError) -> None:
    """Put a service's refusal on its field (RefusedValue), or on the whole form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def _paged(request, rows, *, target: str, template: str, context: dict):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target=target,
        detail={"page": page.number, "shown": len(page.object_list)},
    )
    return render(
        request,
        template,
        {**context, "page": page, "may_write": may_write(request.user, "cases.case")},
    )


@case_readers_only
def seizure_list_page(request):
    """GET /staff/cases/seizures/?page=: drug seizures of the actor's units, newest first,
    with their custody chain; 50 a page; audited ("list")."""
    return _paged(
        request,
        seizure_list(actor=request.user),
        target="cases.seizure",
        template="cases/seizure_list.html",
        context={},
    )


@case_writers_only
def seizure_create_page(request):
    """GET/POST /staff/cases/seizures/new/[?case=<uuid>]: record a seizure
    (amn.cases.services.seizure_record); every refusal is shown on its field. `case`
    prefills the case reference (404 when that case is out of scope, audited)."""
    initial = {"seized_by": request.user.unit_id}
    if request.method == "GET" and request.GET.get("case"):
        case = access_case(actor=request.user, case_id=request.GET["case"])  # 404 out of scope
        initial["case"] = case.reference
    form = SeizureForm(
        request.POST if request.method == "POST" else None, actor=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case"]:
            case = cases_by_reference(actor=request.user, references=[data["case"]]).get(
                data["case"]
            )
            if case is None:
                form.add_error(
                    "case", _("No case %(reference)s in your units.") % {"reference": data["case"]}
                )
        if form.is_valid():
            try:
                seizure = seizure_record(
                    actor=request.user,
                    substance=data["substance"],
                    quantity=data["quantity"],
                    quantity_unit=data["quantity_unit"],
                    seized_on=data["seized_on"],
                    seized_by_id=data["seized_by"].pk,
                    case=case,
                    stored_at=data["stored_at"],
                    destroyed_on=data["destroyed_on"],
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Seizure recorded."))
                if seizure.case_id is not None:
                    return redirect("cases:detail", case_id=seizure.case_id)
                return redirect("cases:seizures")
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "title": _("New seizure"), "current": "seizures"},
    )


@case_writers_only
def seizure_custody_page(request, seizure_id: int):
    """GET/POST /staff/cases/seizures/<id>/custody/: record where a seizure of the actor's
    units is kept and when it was destroyed (amn.cases.services.seizure_custody_update);
    404 when out of scope."""
    seizure = seizure_get(actor=request.user, seizure_id=seizure_id)
    form = CustodyForm(
        request.POST if request.method == "POST" else None,
        initial={"stored_at": seizure.stored_at, "destroyed_on": seizure.destroyed_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            seizure_custody_update(actor=request.user, seizure=seizure, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Custody chain updated."))
            return redirect("cases:seizures")
    return render(
        request,
        "cases/record_form.html",
        {
            "form": form,
            "title": _("Custody of a seizure"),
            "current": "seizures",
            "seizure": seizure,
        },
    )


@case_readers_only
def network_list_page(request):
    """GET /staff/cases/networks/?page=: criminal networks dismantled by the actor's units,
    newest first, with their linked cases; 50 a page; audited ("list")."""
    return _paged(
        request,
        network_list(actor=request.user),
        target="cases.criminalnetwork",
        template="cases/network_list.html",
        context={},
    )


@case_writers_only
def network_create_page(request):
    """GET/POST /staff/cases/networks/new/: record a dismantled network and its linked cases
    (amn.cases.services.network_record); references outside the actor's units are refused
    like unknown ones."""
    form = NetworkForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        initial={"unit": request.user.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = cases_by_reference(actor=request.user, references=data["cases"])
        missing = [reference for reference in data["cases"] if reference not in found]
        if missing:
            form.add_error(
                "cases",
                _("No case %(references)s in your units.") % {"references": ", ".join(missing)},
            )
        else:
            try:
                network = network_record(
                    actor=request.user,
                    kind=data["kind"],
                    unit_id=data["unit"].pk,
                    dismantled_on=data["dismantled_on"],
                    members_arrested=data["members_arrested"],
                    cases=[found[reference] for reference in data["cases"]],
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(
                    request, _("Network %(reference)s recorded.") % {"reference": network.reference}
                )
                return redirect("cases:networks")
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "title": _("New dismantled network"), "current": "networks"},
    )
