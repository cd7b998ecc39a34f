"""Reads of the CNIE service: the staff worklist (unit-scoped), single applications
(audited), the public tracking, the citizen's own records, partner-call logs, the counts per
mobile-unit stop and per month and region."""

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404

from amn.access.scoping import restrict
from amn.appointments.choices import Purpose
from amn.appointments.selectors import booking_history, booking_list_for_subjects, booking_live
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.geo.models import Region
from amn.idcards.choices import MAIN_STEPS, ApplicationStatus, Step
from amn.idcards.models import (
    ApplicationEvent,
    Card,
    CnieApplication,
    Consent,
    Partner,
    VerificationCall,
)
from amn.idcards.numbers import normalise_reference
from amn.idcards.roles import may_read


def application_list(*, actor) -> QuerySet[CnieApplication]:
    """Applications handled by an office in `actor`'s scope (see access.scoping), for roles
    that read CNIE applications (amn.idcards.roles); none otherwise. Newest first."""
    if not may_read(actor):
        return CnieApplication.objects.none()
    return restrict(
        CnieApplication.objects.select_related("unit"), actor, unit_field="unit"
    ).order_by("-created_at", "id")


def access_application(*, actor, application_id: uuid.UUID | str, reason: str = ""):
    """One application for staff `actor`, with an audit event of the read (or of the
    refusal, so that probing leaves a trace).

    Raises:
        Http404: no such application, or out of the actor's scope (the same answer).
    """
    try:
        application = application_list(actor=actor).get(pk=application_id)
    except (CnieApplication.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor,
            action=AuditAction.DENIED,
            target="idcards.cnieapplication",
            target_id=str(application_id)[:64],
            reason=reason,
        )
        raise Http404("No such application.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=application, reason=reason)
    return application


def application_track(*, reference: str, birth_date: datetime.date) -> CnieApplication | None:
    """Public tracking: the application with this reference (as typed) and birth date, or
    None. Every successful lookup is audited (actor: the visitor, i.e. none); the caller
    limits the attempts per client."""
    application = (
        CnieApplication.objects.select_related("unit", "stop")
        .filter(reference=normalise_reference(reference), birth_date=birth_date)
        .first()
    )
    if application is not None:
        audit_event_record(
            actor=None, action=AuditAction.VIEW, target=application, reason="public tracking"
        )
    return application


def citizen_application_get(*, citizen, application_id) -> CnieApplication | None:
    """An application of the signed-in `citizen` (made from their account), or None."""
    if not getattr(citizen, "is_authenticated", False):
        return None
    try:
        return (
            CnieApplication.objects.select_related("unit", "stop")
            .filter(pk=application_id, citizen=citizen)
            .first()
        )
    except (ValidationError, ValueError):
        return None


def application_public_get(*, application_id) -> CnieApplication | None:
    """An application by id, for pages that already proved the visitor's right to it
    (reference and birth date given in this session, or its owner signed in)."""
    try:
        return (
            CnieApplication.objects.select_related("unit", "stop").filter(pk=application_id).first()
        )
    except (ValidationError, ValueError):
        return None


def citizen_application_list(*, citizen) -> QuerySet[CnieApplication]:
    """The applications made from `citizen`'s account, newest first (for "my requests")."""
    if not getattr(citizen, "is_authenticated", False):
        return CnieApplication.objects.none()
    return (
        CnieApplication.objects.filter(citizen=citizen)
        .select_related("unit")
        .order_by("-created_at", "id")
    )


@dataclass(frozen=True)
class TrackedStep:
    """One line of the tracking page: the step, whether reached, when and where (the
    unit), and for an appointment its time."""

    step: str
    label: str
    reached: bool
    at: datetime.datetime | None = None
    unit: object | None = None
    appointment_at: datetime.datetime | None = None


def application_timeline(application: CnieApplication) -> list[TrackedStep]:
    """The main steps in order (reached or not) followed by the other events that happened
    (loss declared, appointment moved or cancelled, no-show, cancellation), for the
    tracking and staff pages. Each reached step shows its latest date."""
    events = list(
        ApplicationEvent.objects.filter(application=application)
        .select_related("unit")
        .order_by("at", "id")
    )
    labels = dict(Step.choices)
    latest: dict[str, ApplicationEvent] = {}
    for event in events:
        latest[event.step] = event
    live = booking_live(purpose=Purpose.CNIE, subject_id=application.pk)
    timeline = []
    for step in MAIN_STEPS:
        event = latest.get(step)
        if step == Step.BOOKED and Step.RESCHEDULED in latest:
            moved = latest[Step.RESCHEDULED]
            if event is None or moved.at > event.at:
                event = moved
        appointment = None
        if step == Step.BOOKED and event is not None:
            appointment = _parse(event.detail.get("starts_at"))
            if live is not None:
                appointment = live.slot.starts_at
        timeline.append(
            TrackedStep(
                step=step,
                label=str(labels[step]),
                reached=event is not None,
                at=event.at if event else None,
                unit=event.unit if event else None,
                appointment_at=appointment,
            )
        )
    others = [
        TrackedStep(
            step=event.step,
            label=str(labels[event.step]),
            reached=True,
            at=event.at,
            unit=event.unit,
            appointment_at=_parse(event.detail.get("starts_at")),
        )
        for event in events
        if event.step not in MAIN_STEPS
    ]
    return timeline + others


def _parse(value) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def application_bookings(application: CnieApplication) -> list:
    """The appointments of `application` (every status), oldest first."""
    return booking_history(purpose=Purpose.CNIE, subject_id=application.pk)


def application_live_booking(application: CnieApplication):
    """The live appointment of `application`, or None."""
    return booking_live(purpose=Purpose.CNIE, subject_id=application.pk)


def live_bookings_for(applications) -> dict:
    """{application id: live Booking} for the applications given that have one."""
    return booking_list_for_subjects(
        purpose=Purpose.CNIE, subject_ids=[application.pk for application in applications]
    )


def application_card(application: CnieApplication) -> Card | None:
    """The card produced for `application`, or None."""
    return Card.objects.filter(application=application).first()


def applications_by_stop(stop_ids) -> dict:
    """Applications received and cards delivered per mobile-unit stop (for amn.mobileunits).

    Args:
        stop_ids: iterable of Stop ids (UUID objects or their strings).
    Returns:
        {stop id as given: {"applications_received": int, "cards_delivered": int}} for every
        id asked (zeros when none); cancelled applications are not counted as received. One
        query.
    """
    asked = {}
    for stop_id in stop_ids:
        try:
            asked[uuid.UUID(str(stop_id))] = stop_id
        except ValueError:
            continue
    rows = (
        CnieApplication.objects.filter(stop_id__in=list(asked))
        .exclude(status=ApplicationStatus.CANCELLED)
        .values_list("stop_id", "status")
    )
    received, delivered = Counter(), Counter()
    for stop_id, status in rows:
        received[stop_id] += 1
        if status == ApplicationStatus.DELIVERED:
            delivered[stop_id] += 1
    return {
        given: {"applications_received": received[key], "cards_delivered": delivered[key]}
        for key, given in asked.items()
    }


def cards_by_month_and_region(*, year: int) -> dict[tuple[int, str | None], int]:
    """Cards issued in `year`, counted by month of issue and region (aggregate, no personal
    data): {(month 1–12, region HCP code or None): count}.

    The database groups by (day of issue, region id), which the index (issued_on, region)
    covers, without a date function per row; the days are then summed into months here.
    """
    rows = (
        Card.objects.filter(
            issued_on__gte=datetime.date(year, 1, 1), issued_on__lt=datetime.date(year + 1, 1, 1)
        )
        .values_list("issued_on", "region_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    codes = dict(Region.objects.values_list("id", "code"))
    counts: Counter = Counter()
    for day, region_id, n in rows:
        counts[(day.month, codes.get(region_id))] += n
    return dict(counts)


def citizen_card_numbers(citizen) -> set[str]:
    """The CNIE numbers of the cards linked to a citizen account (any status)."""
    if not getattr(citizen, "is_authenticated", False):
        return set()
    return set(Card.objects.filter(account=citizen).values_list("number", flat=True))


def citizen_card_list(*, citizen) -> QuerySet[Card]:
    """The cards linked to `citizen`'s account, newest first."""
    if not getattr(citizen, "is_authenticated", False):
        return Card.objects.none()
    return Card.objects.filter(account=citizen).order_by("-issued_on", "id")


def citizen_consent_list(*, citizen) -> QuerySet[Consent]:
    """Consents (live and revoked) about the citizen's card numbers, newest first."""
    numbers = citizen_card_numbers(citizen)
    return (
        Consent.objects.filter(cnie_number__in=numbers)
        .select_related("partner")
        .order_by("-granted_at", "id")
    )


def citizen_verification_list(*, citizen, limit: int = 200) -> list[VerificationCall]:
    """ "Who checked my identity": the partner calls about the citizen's card numbers, newest
    first (at most `limit`)."""
    numbers = citizen_card_numbers(citizen)
    if not numbers:
        return []
    return list(
        VerificationCall.objects.filter(cnie_number__in=numbers)
        .select_related("partner")
        .order_by("-at", "-id")[:limit]
    )


def partner_list() -> QuerySet[Partner]:
    """Active partners (names and kinds are public: a citizen chooses whom to consent to)."""
    return Partner.objects.filter(is_active=True).order_by("name")
