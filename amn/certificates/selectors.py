"""Reads of the certificate service.

Staff reads are scoped to the actor's unit subtree (amn.access.scoping) on the application's
handling unit or the certificate's issuing unit, and limited to the roles that review
(services.REVIEWER_ROLES); single applications and every candidate record shown beside
them are audited. Public reads (tracking) need the reference and the birth date.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from amn.access.scoping import restrict
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.certificates.choices import ApplicationStatus
from amn.certificates.models import (
    ApplicationEvent,
    Certificate,
    CertificateApplication,
    VerificationEvent,
)
from amn.certificates.services import MAX_CHECK_ATTEMPTS, REVIEWER_ROLES, normalise_serial
from amn.core.digits import ascii_digits
from amn.people.identity import PartialDate
from amn.people.models import JudicialRecord, Person

QUEUE_STATUSES = (ApplicationStatus.IN_REVIEW, ApplicationStatus.AWAITING_CONFIRMATION)


def may_review(actor) -> bool:
    """True when `actor` is an active staff member posted to a unit whose role reviews
    certificate applications (services.REVIEWER_ROLES)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.unit_id is not None
        and actor.role in REVIEWER_ROLES
    )


def application_list(*, actor) -> QuerySet[CertificateApplication]:
    """Applications whose handling unit lies in `actor`'s subtree (none for roles that do
    not review), newest first."""
    if not may_review(actor):
        return CertificateApplication.objects.none()
    return restrict(
        CertificateApplication.objects.select_related("handling_unit", "birth_place"),
        actor,
        unit_field="handling_unit",
    )


def review_queue(*, actor, status: str = "") -> QuerySet[CertificateApplication]:
    """Applications in `actor`'s scope waiting for a person, oldest first: in review
    (first decision) or awaiting confirmation (four eyes); `status` narrows to one."""
    statuses = (status,) if status in QUEUE_STATUSES else QUEUE_STATUSES
    return application_list(actor=actor).filter(status__in=statuses).order_by("created_at", "id")


def stalled_checks(*, actor) -> QuerySet[CertificateApplication]:
    """Applications in scope whose automatic check failed MAX_CHECK_ATTEMPTS times and
    waits for staff to retry it, oldest first."""
    return (
        application_list(actor=actor)
        .filter(
            status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING),
            check_attempts__gte=MAX_CHECK_ATTEMPTS,
        )
        .order_by("created_at", "id")
    )


def access_application(*, actor, application_id) -> CertificateApplication:
    """One application for `actor`, with an audit event of the read (or of the refusal).

    Raises:
        Http404: absent, malformed id or out of scope (the same answer).
    """
    try:
        application = application_list(actor=actor).get(pk=application_id)
    except (CertificateApplication.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor,
            action=AuditAction.DENIED,
            target="certificates.certificateapplication",
            target_id=str(application_id)[:64],
        )
        raise Http404("No such application.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=application)
    return application


def application_events(*, application) -> QuerySet[ApplicationEvent]:
    """The dated events of an application, oldest first, with actor and unit."""
    return application.events.select_related("actor", "unit").order_by("at", "id")


def application_decisions(*, application):
    """The review decisions of an application, oldest first."""
    return application.decisions.select_related("decided_by", "unit", "person").order_by(
        "decided_at", "id"
    )


def review_candidates(*, actor, application) -> list[dict]:
    """The registry candidates of an application's check, for the side-by-side view.

    The application must already have been read through access_application. Each
    candidate's record is read and audited (a "view" of the person, with the application's
    reference as the reason) whatever unit recorded it: the check searched the whole
    registry, and the reviewer must see what it found.
    Returns:
        list of {"person": Person, "score": float, "fields": [{"field", "agreement",
        "weight", "detail"}], "convictions": [JudicialRecord]}, best first; a candidate
        whose person no longer exists is left out.
    """
    candidates = (application.check_result or {}).get("candidates", [])
    ids = []
    for candidate in candidates:
        try:
            ids.append(uuid.UUID(str(candidate["person_id"])))
        except (KeyError, ValueError):
            continue
    persons = Person.objects.select_related("birth_place").in_bulk(ids)
    convictions: dict = {}
    for record in (
        JudicialRecord.objects.filter(person_id__in=ids)
        .select_related("offence")
        .order_by("judgment_date", "id")
    ):
        convictions.setdefault(record.person_id, []).append(record)
    shown = []
    for candidate in candidates:
        try:
            person = persons.get(uuid.UUID(str(candidate["person_id"])))
        except (KeyError, ValueError):
            person = None
        if person is None:
            continue
        audit_event_record(
            actor=actor,
            action=AuditAction.VIEW,
            target=person,
            reason=f"certificate review {application.reference}",
        )
        shown.append(
            {
                "person": person,
                "score": candidate.get("score", 0.0),
                "fields": candidate.get("fields", []),
                "convictions": convictions.get(person.pk, []),
            }
        )
    return shown


def certificate_list(*, actor) -> QuerySet[Certificate]:
    """Certificates issued by units in `actor`'s subtree (none for roles that do not
    review), newest first."""
    if not may_review(actor):
        return Certificate.objects.none()
    return restrict(
        Certificate.objects.select_related("issuing_unit", "application"),
        actor,
        unit_field="issuing_unit",
    )


def access_certificate(*, actor, certificate_id) -> Certificate:
    """One certificate for `actor`, audited (view or refusal).

    Raises:
        Http404: absent, malformed id or out of scope.
    """
    try:
        certificate = certificate_list(actor=actor).get(pk=certificate_id)
    except (Certificate.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor,
            action=AuditAction.DENIED,
            target="certificates.certificate",
            target_id=str(certificate_id)[:64],
        )
        raise Http404("No such certificate.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=certificate)
    return certificate


def certificate_find(*, actor, serial: str) -> Certificate | None:
    """The certificate of `serial` (typed: Arabic-Indic digits and odd dashes accepted)
    among those in `actor`'s scope, or None."""
    return certificate_list(actor=actor).filter(serial=normalise_serial(serial)).first()


# ------------------------------------------------------------------ public


def normalise_reference(text: str) -> str:
    """A typed application reference in canonical form ("cr-2026-123" stays as typed but
    upper-cased, without spaces, with ASCII digits)."""
    return "".join(ascii_digits(text or "").split()).upper()


def application_track(*, reference: str, birth: PartialDate) -> CertificateApplication | None:
    """The application of `reference` whose applicant was born on `birth` (same precision:
    a year-only birth date is found with the year, a full one with the full date), or None
    — the same None whether the reference or the date is wrong."""
    application = (
        CertificateApplication.objects.filter(reference=normalise_reference(reference))
        .select_related("collection_unit", "handling_unit")
        .first()
    )
    if application is None:
        return None
    if birth.is_exact:
        matches = application.birth_date == birth.as_date()
    else:
        matches = application.birth_date is None and application.birth_year == birth.year
    return application if matches else None


def citizen_applications(*, user) -> QuerySet[CertificateApplication]:
    """The applications a signed-in citizen submitted from their account, newest first
    (for the portal's "My requests"); none for anonymous users and staff."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_staff_member", True):
        return CertificateApplication.objects.none()
    return CertificateApplication.objects.filter(submitted_by=user).order_by("-created_at", "id")


def tracked_application(*, application_id) -> CertificateApplication | None:
    """An application by id for the tracking page (the caller has checked that the visitor
    proved the reference and birth date in this session), or None."""
    try:
        return (
            CertificateApplication.objects.select_related(
                "collection_unit", "handling_unit", "birth_place"
            )
            .filter(pk=application_id)
            .first()
        )
    except (ValidationError, ValueError):
        return None


def application_certificate(*, application) -> Certificate | None:
    """The certificate issued on `application`, or None."""
    return (
        Certificate.objects.filter(application=application)
        .select_related("issuing_unit", "superseded_by")
        .first()
    )


def holder_verifications(*, certificate) -> QuerySet[VerificationEvent]:
    """Who verified `certificate` and when (newest first): organisation as given, method,
    result. The holder sees them on the tracking page."""
    return VerificationEvent.objects.filter(certificate=certificate).order_by("-at", "-id")
