"""Staff pages of the CNIE service: the worklist of the actor's offices, an application's
page with its steps (enrolment, production, ready, delivery, no-show), loss and theft
declarations and consents recorded at a counter. Reads go through amn.idcards.selectors
(scoped, audited), writes through the services."""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.core.errors import DomainError
from amn.idcards import selectors, services
from amn.idcards.choices import ApplicationStatus
from amn.idcards.filters import ApplicationFilter
from amn.idcards.forms import ConsentForm, EnrolmentForm, LossDeclarationForm
from amn.idcards.roles import may_process, may_read

PAGE_SIZE = 50


def cnie_readers_only(view):
    """Staff whose role reads CNIE applications (amn.idcards.roles); other staff get 403,
    anonymous visitors the staff login."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def cnie_processors_only(view):
    """Staff whose role processes CNIE applications."""

    @cnie_readers_only
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_process(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@cnie_readers_only
def worklist(request):
    """GET /staff/cnie/?status=&kind=&reference=&submitted_from=&submitted_to=&page=: the
    applications of the actor's offices, filtered, 50 a page, with their appointment;
    writes a "list" audit event."""
    applications = selectors.application_list(actor=request.user)
    filters = ApplicationFilter(request.GET or None, queryset=applications)
    valid = not filters.is_bound or filters.is_valid()
    shown = filters.qs if filters.is_bound and valid else applications
    if not valid:
        shown = applications.none()
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    bookings = selectors.live_bookings_for(rows)
    for application in rows:
        application.live_booking = bookings.get(application.pk)
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="idcards.cnieapplication",
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
        "idcards/staff/worklist.html",
        {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()},
    )


@cnie_readers_only
def application_detail(request, application_id: uuid.UUID):
    """GET /staff/cnie/<uuid>/: one application (audited read; 404 out of scope) with its
    steps, appointments and the next action."""
    application = selectors.access_application(actor=request.user, application_id=application_id)
    return render(
        request,
        "idcards/staff/detail.html",
        {
            "application": application,
            "timeline": selectors.application_timeline(application),
            "bookings": selectors.application_bookings(application),
            "live": selectors.application_live_booking(application),
            "card": selectors.application_card(application),
            "may_process": may_process(request.user),
            "enrolment_form": EnrolmentForm(),
            "Status": ApplicationStatus,
        },
    )


ACTIONS = {
    "produce": services.application_send_to_production,
    "ready": services.application_mark_ready,
    "deliver": services.application_deliver,
    "no_show": services.application_no_show,
}
DONE = {
    "enrol": gettext_lazy("Enrolment recorded."),
    "produce": gettext_lazy("Sent to production."),
    "ready": gettext_lazy("The card is ready for collection."),
    "deliver": gettext_lazy("The card was delivered."),
    "no_show": gettext_lazy("No-show recorded."),
}


@cnie_processors_only
@require_POST
def application_step(request, application_id: uuid.UUID):
    """POST /staff/cnie/<uuid>/step/ action=enrol|produce|ready|deliver|no_show: move the
    application one step (the service refuses a step out of order or out of scope)."""
    action = request.POST.get("action", "")
    try:
        if action == "enrol":
            form = EnrolmentForm(request.POST)
            form.is_valid()
            services.application_enrol(
                actor=request.user,
                application_id=application_id,
                photo_captured=form.cleaned_data.get("photo_captured", False),
                fingerprints_captured=form.cleaned_data.get("fingerprints_captured", False),
            )
        elif action in ACTIONS:
            ACTIONS[action](actor=request.user, application_id=application_id)
        else:
            raise DomainError(_("Unknown action."))
    except DomainError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, str(DONE[action]))
    return redirect("idcards-staff:detail", application_id=application_id)


@cnie_processors_only
def declare_loss(request):
    """GET/POST /staff/cnie/declare-loss/: record at the counter that a card was lost or
    stolen; the card is invalidated at once."""
    form = LossDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.card_declare_loss(
                actor=request.user,
                cnie_number=form.cleaned_data["cnie_number"],
                kind=form.cleaned_data["kind"],
                circumstances=form.cleaned_data["circumstances"],
            )
        except DomainError as problem:
            form.add_error("cnie_number", str(problem))
        else:
            messages.success(request, _("Declaration recorded: the card is invalidated."))
            return redirect("idcards-staff:declare-loss")
    return render(request, "idcards/staff/declare_loss.html", {"form": form})


@cnie_processors_only
def consent_new(request):
    """GET/POST /staff/cnie/consents/new/: record at the counter a citizen's consent that
    a partner verifies their identity (the citizen present with their active card)."""
    partners = selectors.partner_list()
    form = ConsentForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_grant(
                actor=request.user,
                partner_id=form.cleaned_data["partner"],
                cnie_number=form.cleaned_data["cnie_number"],
            )
        except DomainError as problem:
            form.add_error("cnie_number", str(problem))
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("idcards-staff:consent-new")
    return render(request, "idcards/staff/consent.html", {"form": form})
