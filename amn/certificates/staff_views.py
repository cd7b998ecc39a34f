"""Back-office pages of the certificate service (/staff/certificates/): the review queue of
the agent's unit subtree, the side-by-side view of an applicant and the registry candidates
(each candidate view audited), decisions with reasons, the second person's confirmation
(four eyes), issued certificates with their PDF, and revocation by a supervisor."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.certificates import selectors, services
from amn.certificates.choices import ApplicationStatus, CertificateStatus, DecisionStep
from amn.certificates.forms import ConfirmForm, DecisionForm, RevokeForm
from amn.core.errors import DomainError

PAGE_SIZE = 50


def reviewers_only(view):
    """Staff whose role reviews applications (services.REVIEWER_ROLES); other staff get
    403, anonymous users the staff login."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.may_review(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _person_label(person) -> str:
    names = [
        " ".join(p for p in (person.given_name_ar, person.family_name_ar) if p),
        " ".join(p for p in (person.given_name_latin, person.family_name_latin) if p),
    ]
    return " / ".join(n for n in names if n) or str(person.pk)


@reviewers_only
def queue(request):
    """GET /staff/certificates/?status=: applications of the actor's units waiting for a
    person (first decision or confirmation), oldest first, and checks that failed too often
    to retry themselves; writes a "list" audit event."""
    status = request.GET.get("status", "")
    waiting = selectors.review_queue(actor=request.user, status=status)
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    stalled = list(selectors.stalled_checks(actor=request.user)[:PAGE_SIZE])
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="certificates.certificateapplication",
        detail={"page": page.number, "status": status, "shown": len(page.object_list)},
    )
    return render(
        request,
        "certificates/staff/queue.html",
        {
            "page": page,
            "status": status,
            "stalled": stalled,
            "statuses": [
                (ApplicationStatus.IN_REVIEW, ApplicationStatus.IN_REVIEW.label),
                (
                    ApplicationStatus.AWAITING_CONFIRMATION,
                    ApplicationStatus.AWAITING_CONFIRMATION.label,
                ),
            ],
        },
    )


def _candidate_rows(application, candidates):
    """Side-by-side rows: one per identity field, the applicant's value then each
    candidate's value and agreement."""
    applicant = {
        "cnie": application.cnie,
        "given_name_ar": application.given_name_ar,
        "family_name_ar": application.family_name_ar,
        "given_name_lat": application.given_name_lat,
        "family_name_lat": application.family_name_lat,
        "sex": application.sex,
        "birth_date": str(application.birth_date or application.birth_year),
        "birth_place": application.birth_place,
        "father_given_name": application.father_given_name,
        "mother_given_name": application.mother_given_name,
    }
    labels = {
        "cnie": _("CNIE number"),
        "given_name_ar": _("Given name (Arabic)"),
        "family_name_ar": _("Family name (Arabic)"),
        "given_name_lat": _("Given name (Latin)"),
        "family_name_lat": _("Family name (Latin)"),
        "sex": _("Sex"),
        "birth_date": _("Date of birth"),
        "birth_place": _("Place of birth"),
        "father_given_name": _("Father's given name"),
        "mother_given_name": _("Mother's given name"),
    }
    rows = []
    for key, label in labels.items():
        cells = []
        for candidate in candidates:
            person = candidate["person"]
            value = {
                "cnie": person.cnie_number or "",
                "given_name_ar": person.given_name_ar,
                "family_name_ar": person.family_name_ar,
                "given_name_lat": person.given_name_latin,
                "family_name_lat": person.family_name_latin,
                "sex": person.sex,
                "birth_date": str(person.birth_date or person.birth_year or ""),
                "birth_place": person.birth_place or "",
                "father_given_name": person.father_given_name,
                "mother_given_name": person.mother_given_name,
            }[key]
            cells.append({"value": value, "agreement": _agreement(candidate, key, application)})
        rows.append({"label": label, "applicant": applicant[key], "cells": cells})
    return rows


# The matcher's field names that explain each identity field (amn.people.matching).
_MATCH_FIELDS = {
    "given_name_ar": ("given_name",),
    "given_name_lat": ("given_name",),
    "family_name_ar": ("family_name",),
    "family_name_lat": ("family_name",),
}


def _agreement(candidate, key, application) -> str:
    """The matcher's agreement level for the row `key`. Names are compared once across
    scripts: the level is shown on the row of the script the applicant wrote (Arabic when
    given)."""
    if key.endswith("_lat") and application.family_name_ar:
        return ""
    if key.endswith("_ar") and key in _MATCH_FIELDS and not application.family_name_ar:
        return ""
    wanted = _MATCH_FIELDS.get(key, (key,))
    for comparison in candidate["fields"]:
        if comparison.get("field") in wanted or comparison.get("field") == key:
            return comparison.get("agreement", "")
    return ""


@reviewers_only
def application_detail(request, application_id):
    """GET /staff/certificates/applications/<uuid>/: the applicant beside each registry
    candidate (field-level agreement, the explained score, convictions), the decisions and
    dated events, and the decision or confirmation form the actor may use. The application
    read and each candidate shown are audited."""
    application = selectors.access_application(actor=request.user, application_id=application_id)
    return _detail(request, application)


def _detail(request, application, *, decision_form=None, confirm_form=None, status=200):
    actor = request.user
    candidates = selectors.review_candidates(actor=actor, application=application)
    decisions = list(selectors.application_decisions(application=application))
    first = next(
        (d for d in reversed(decisions) if d.step == DecisionStep.FIRST),
        None,
    )
    may_decide = application.status == ApplicationStatus.IN_REVIEW
    may_confirm = (
        application.status == ApplicationStatus.AWAITING_CONFIRMATION
        and actor.role in services.CONFIRMER_ROLES
        and first is not None
        and first.decided_by_id != actor.pk
    )
    labelled = [(c, _person_label(c["person"])) for c in candidates]
    if may_decide and decision_form is None:
        decision_form = DecisionForm(candidates=labelled)
    if may_confirm and confirm_form is None:
        confirm_form = ConfirmForm()
    certificate = selectors.application_certificate(application=application)
    return render(
        request,
        "certificates/staff/application.html",
        {
            "application": application,
            "candidates": candidates,
            "rows": _candidate_rows(application, candidates),
            "decisions": decisions,
            "first_decision": first,
            "events": selectors.application_events(application=application),
            "decision_form": decision_form if may_decide else None,
            "confirm_form": confirm_form if may_confirm else None,
            "awaiting_other": application.status == ApplicationStatus.AWAITING_CONFIRMATION
            and not may_confirm,
            "stalled": application.status
            in (ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING)
            and application.check_attempts >= services.MAX_CHECK_ATTEMPTS,
            "certificate": certificate,
        },
        status=status,
    )


@require_POST
@reviewers_only
def application_decide(request, application_id):
    """POST /staff/certificates/applications/<uuid>/decide/: the first decision (outcome,
    candidate, reason); errors re-render the page (400) beside their fields."""
    application = selectors.access_application(actor=request.user, application_id=application_id)
    candidates = selectors.review_candidates(actor=request.user, application=application)
    form = DecisionForm(
        request.POST, candidates=[(c, _person_label(c["person"])) for c in candidates]
    )
    if form.is_valid():
        try:
            services.review_decide(
                actor=request.user,
                application_id=application.pk,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                person_id=form.cleaned_data["person"] or None,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("certificates-staff:application", application_id=application.pk)
    return _detail(request, application, decision_form=form, status=400)


@require_POST
@reviewers_only
def application_confirm(request, application_id):
    """POST /staff/certificates/applications/<uuid>/confirm/: the second person's decision
    (confirm or send back, with a reason); 400 with the errors otherwise."""
    application = selectors.access_application(actor=request.user, application_id=application_id)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.review_confirm(
                actor=request.user,
                application_id=application.pk,
                confirm=form.cleaned_data["confirm"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Second decision recorded."))
        return redirect("certificates-staff:application", application_id=application.pk)
    return _detail(request, application, confirm_form=form, status=400)


@require_POST
@reviewers_only
def application_retry(request, application_id):
    """POST /staff/certificates/applications/<uuid>/retry-check/: run the registry check
    again after its automatic retries ran out."""
    application = selectors.access_application(actor=request.user, application_id=application_id)
    try:
        services.application_check_retry(actor=request.user, application_id=application.pk)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The check will run again in a moment."))
    return redirect("certificates-staff:application", application_id=application.pk)


@reviewers_only
def certificate_list(request):
    """GET /staff/certificates/issued/?serial=: certificates issued by the actor's units,
    newest first, or the one of a serial; writes a "list" audit event."""
    serial = request.GET.get("serial", "").strip()[:40]
    certificates = selectors.certificate_list(actor=request.user)
    if serial:
        found = selectors.certificate_find(actor=request.user, serial=serial)
        certificates = certificates.filter(pk=found.pk) if found else certificates.none()
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="certificates.certificate",
        detail={"page": page.number, "by_serial": bool(serial)},
    )
    rows = [(c, services.live_status(c)) for c in page.object_list]
    return render(
        request,
        "certificates/staff/certificates.html",
        {"page": page, "rows": rows, "serial": serial},
    )


def _certificate_page(request, certificate, *, revoke_form=None, status=200):
    may_revoke = (
        request.user.role in services.CONFIRMER_ROLES
        and certificate.status == CertificateStatus.VALID
    )
    if may_revoke and revoke_form is None:
        revoke_form = RevokeForm()
    return render(
        request,
        "certificates/staff/certificate.html",
        {
            "certificate": certificate,
            "live_status": services.live_status(certificate),
            "revoke_form": revoke_form if may_revoke else None,
            "verifications": selectors.holder_verifications(certificate=certificate)[:50],
        },
        status=status,
    )


@reviewers_only
def certificate_detail(request, certificate_id):
    """GET /staff/certificates/issued/<uuid>/: one certificate (audited), its live status,
    its QR payload, verifications, and the revocation form for supervisors."""
    certificate = selectors.access_certificate(actor=request.user, certificate_id=certificate_id)
    return _certificate_page(request, certificate)


@reviewers_only
def certificate_document(request, certificate_id):
    """GET /staff/certificates/issued/<uuid>/pdf/?language=ar|fr|en: the certificate's
    PDF, to print and hand over at the station (audited read)."""
    from amn.certificates.document import LANGUAGES, certificate_pdf

    certificate = selectors.access_certificate(actor=request.user, certificate_id=certificate_id)
    language = request.GET.get("language", certificate.language)
    if language not in LANGUAGES:
        language = certificate.language
    response = HttpResponse(
        certificate_pdf(certificate, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.serial}.pdf"'
    return response


@require_POST
@reviewers_only
def certificate_revoke(request, certificate_id):
    """POST /staff/certificates/issued/<uuid>/revoke/: revoke with a reason (supervisors
    of the issuing unit); 400 with the errors otherwise."""
    certificate = selectors.access_certificate(actor=request.user, certificate_id=certificate_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                actor=request.user,
                certificate_id=certificate.pk,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The certificate is revoked."))
        return redirect("certificates-staff:certificate", certificate_id=certificate.pk)
    return _certificate_page(request, certificate, revoke_form=form, status=400)
