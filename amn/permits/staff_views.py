"""Staff pages of residence permits and visas (mounted at /staff/permits/): worklists
scoped to the unit subtree, the application pages with the documents checklist and the
decision forms, and the cards expiring soon. Every read is audited (lists as "list",
applications through the access_* selectors)."""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.backoffice.worklists import audited_worklist
from amn.core.errors import DomainError
from amn.permits import services
from amn.permits.choices import Decision, ResidenceStatus, VisaStatus
from amn.permits.filters import ResidenceApplicationFilter, VisaApplicationFilter
from amn.permits.forms import CardIssueForm, ChecklistForm, DecisionForm, VisaDecisionForm
from amn.permits.permissions import may_check_documents, may_decide, may_read_permits
from amn.permits.rules import InvalidInput
from amn.permits.selectors import (
    access_residence_application,
    access_visa_application,
    cards_expiring,
    document_checks,
    residence_application_list,
    visa_application_list,
)
from amn.permits.validity import visa_max_stay_days

EXPIRING_DAYS = (30, 60, 90)


def permit_readers_only(view):
    """Staff whose role reads permits (amn.permits.permissions.PERMIT_READERS); other staff
    and citizens get 403, anonymous users the staff login."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read_permits(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@permit_readers_only
def residence_list_page(request):
    """GET /staff/permits/?unit=&status=&reason=&kind=&reference=&submitted_from=
    &submitted_to=&page=: residence-permit applications of the actor's units, 50 a page."""
    return audited_worklist(
        request,
        queryset=residence_application_list(actor=request.user),
        filter_class=ResidenceApplicationFilter,
        target="permits.residenceapplication",
        template="permits/staff/residence_list.html",
    )


@permit_readers_only
def visa_list_page(request):
    """GET /staff/permits/visas/?unit=&status=&purpose=&reference=&submitted_from=
    &submitted_to=&page=: visa applications of the actor's units, 50 a page."""
    return audited_worklist(
        request,
        queryset=visa_application_list(actor=request.user),
        filter_class=VisaApplicationFilter,
        target="permits.visaapplication",
        template="permits/staff/visa_list.html",
    )


def _apply_errors(form, error: DomainError) -> None:
    if isinstance(error, InvalidInput):
        for name, messages_ in error.errors.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, str(error))


@permit_readers_only
def residence_page(request, application_id: uuid.UUID):
    """GET /staff/permits/residence/<uuid>/: one application (audited) with its documents
    checklist, decision and card forms. POST with `action` = "checklist", "decide" or
    "issue" runs that step (amn.permits.services) and comes back here; 404 out of scope,
    403 for a step the actor's role may not take."""
    application = access_residence_application(actor=request.user, application_id=application_id)
    checks = list(document_checks(application))
    unit = application.handling_unit
    checklist = ChecklistForm(checks=checks, prefix="checklist")
    decision = DecisionForm(prefix="decision")
    issue = CardIssueForm(prefix="issue")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "checklist":
                if not may_check_documents(request.user, unit):
                    raise PermissionDenied
                checklist = ChecklistForm(request.POST, checks=checks, prefix="checklist")
                if checklist.is_valid():
                    services.document_checks_record(
                        actor=request.user, application=application, statuses=checklist.statuses()
                    )
                    messages.success(request, _("Documents checklist saved."))
                    return redirect("permits-staff:residence", application_id=application.pk)
            elif action == "decide":
                if not may_decide(request.user, unit):
                    raise PermissionDenied
                decision = DecisionForm(request.POST, prefix="decision")
                if decision.is_valid():
                    data = decision.cleaned_data
                    services.residence_application_decide(
                        actor=request.user,
                        application=application,
                        approve=data["decision"] == Decision.APPROVE,
                        refusal_reason=data["refusal_reason"],
                        note=data["note"],
                    )
                    messages.success(request, _("Decision recorded; the applicant is notified."))
                    return redirect("permits-staff:residence", application_id=application.pk)
            elif action == "issue":
                if not may_decide(request.user, unit):
                    raise PermissionDenied
                issue = CardIssueForm(request.POST, prefix="issue")
                if issue.is_valid():
                    card = services.residence_card_issue(
                        actor=request.user,
                        application=application,
                        issued_on=issue.cleaned_data["issued_on"],
                        expires_on=issue.cleaned_data["expires_on"],
                    )
                    messages.success(
                        request, _("Card %(number)s issued.") % {"number": card.number}
                    )
                    return redirect("permits-staff:residence", application_id=application.pk)
            else:
                return HttpResponseBadRequest()
        except DomainError as error:
            _apply_errors(
                {"checklist": checklist, "decide": decision, "issue": issue}[action], error
            )
    card = (
        getattr(application, "card", None) if application.status == ResidenceStatus.ISSUED else None
    )
    standard_expiry = None
    if application.status == ResidenceStatus.APPROVED:
        standard_expiry = services.card_default_expiry(application, timezone.localdate())
    return render(
        request,
        "permits/staff/residence_detail.html",
        {
            "application": application,
            "checks": checks,
            "card": card,
            "renewals": application.card.renewals.all() if card else (),
            "checklist": checklist,
            "decision": decision,
            "issue": issue,
            "standard_expiry": standard_expiry,
            "may_check": may_check_documents(request.user, unit)
            and application.status == ResidenceStatus.SUBMITTED,
            "may_decide": may_decide(request.user, unit),
        },
    )


@permit_readers_only
def visa_page(request, application_id: uuid.UUID):
    """GET /staff/permits/visas/<uuid>/: one visa application (audited) with its decision
    form; POST issues the visa or refuses it (amn.permits.services); 404 out of scope, 403
    when the actor may not decide."""
    application = access_visa_application(actor=request.user, application_id=application_id)
    unit = application.handling_unit
    form = VisaDecisionForm(
        prefix="decision",
        initial={
            "valid_from": max(application.intended_entry_on, timezone.localdate()),
            "valid_until": application.intended_exit_on,
            "entries": application.entries_requested,
            "max_stay_days": min(
                (application.intended_exit_on - application.intended_entry_on).days + 1,
                visa_max_stay_days(),
            ),
        },
    )
    if request.method == "POST":
        if not may_decide(request.user, unit):
            raise PermissionDenied
        form = VisaDecisionForm(request.POST, prefix="decision")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == Decision.APPROVE:
                    visa = services.visa_application_approve(
                        actor=request.user,
                        application=application,
                        valid_from=data["valid_from"],
                        valid_until=data["valid_until"],
                        entries=data["entries"],
                        max_stay_days=data["max_stay_days"],
                        note=data["note"],
                    )
                    messages.success(
                        request,
                        _("Visa %(number)s issued; the applicant is notified.")
                        % {"number": visa.number},
                    )
                else:
                    services.visa_application_refuse(
                        actor=request.user,
                        application=application,
                        refusal_reason=data["refusal_reason"],
                        note=data["note"],
                    )
                    messages.success(request, _("Refusal recorded; the applicant is notified."))
            except DomainError as error:
                _apply_errors(form, error)
            else:
                return redirect("permits-staff:visa", application_id=application.pk)
    return render(
        request,
        "permits/staff/visa_detail.html",
        {
            "application": application,
            "visa": getattr(application, "visa", None)
            if application.status == VisaStatus.ISSUED
            else None,
            "form": form,
            "may_decide": may_decide(request.user, unit)
            and application.status == VisaStatus.SUBMITTED,
        },
    )


@permit_readers_only
def expiring_page(request):
    """GET /staff/permits/expiring/?days=30|60|90: cards in force of the actor's units that
    expire within that many days (60 by default), with whether the holder was reminded."""
    try:
        days = int(request.GET.get("days", 60))
    except ValueError:
        days = 60
    if days not in EXPIRING_DAYS:
        days = 60
    cards = list(cards_expiring(actor=request.user, within_days=days))
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="permits.residencecard",
        detail={"expiring_within_days": days, "shown": len(cards)},
    )
    return render(
        request,
        "permits/staff/expiring.html",
        {"cards": cards, "days": days, "choices": EXPIRING_DAYS},
    )
