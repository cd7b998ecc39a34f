"""Reads of residence permits and visas.

Staff reads are scoped by the handling unit's subtree (amn.access.scoping) for roles that
read permits (amn.permits.permissions); single applications go through access_*(), which
writes an audit event of the read or of the refusal. Applicants find their own application
with its reference and passport number (application_track). The yearly figures feed the
annual report.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from amn.access.scoping import restrict
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit
from amn.permits import numbering
from amn.permits.choices import CardStatus
from amn.permits.models import ResidenceApplication, ResidenceCard, Visa, VisaApplication
from amn.permits.permissions import may_read_permits
from amn.permits.rules import passport_number_normalise

# Unit types whose public counters receive foreigners' applications (not the national
# headquarters, not the specialised squads and services).
HANDLING_UNIT_TYPES = (
    "security-wilaya",
    "prefecture-of-police",
    "provincial-security-area",
    "regional-commissariat",
    "police-district",
)


def handling_unit_options() -> QuerySet[OrgUnit]:
    """Active units serving the public that may handle applications, by code."""
    return OrgUnit.objects.filter(
        status=UnitStatus.ACTIVE,
        serves_public=True,
        unit_type__code__in=HANDLING_UNIT_TYPES,
    ).order_by("code")


def _scoped(queryset: QuerySet, actor) -> QuerySet:
    if not may_read_permits(actor):
        return queryset.none()
    return restrict(queryset, actor, unit_field="handling_unit")


def residence_application_list(*, actor) -> QuerySet[ResidenceApplication]:
    """Residence-permit applications handled by a unit in `actor`'s scope, newest first
    (none for roles that do not read permits)."""
    return _scoped(ResidenceApplication.objects.select_related("handling_unit", "card"), actor)


def visa_application_list(*, actor) -> QuerySet[VisaApplication]:
    """Visa applications handled by a unit in `actor`'s scope, newest first."""
    return _scoped(VisaApplication.objects.select_related("handling_unit", "visa"), actor)


def _access(queryset: QuerySet, label: str, *, actor, application_id):
    try:
        application = queryset.get(pk=application_id)
    except (queryset.model.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor, action=AuditAction.DENIED, target=label, target_id=str(application_id)[:64]
        )
        raise Http404("No such application.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=application)
    return application


def access_residence_application(*, actor, application_id: uuid.UUID | str) -> ResidenceApplication:
    """One residence-permit application for `actor`, with an audit event of the read.

    Raises:
        Http404: no such application, or outside the actor's scope (same answer; the
            refusal is audited too).
    """
    queryset = residence_application_list(actor=actor).select_related(
        "previous_card__application", "decided_by", "submitted_by"
    )
    return _access(
        queryset, "permits.residenceapplication", actor=actor, application_id=application_id
    )


def access_visa_application(*, actor, application_id: uuid.UUID | str) -> VisaApplication:
    """One visa application for `actor`, with an audit event of the read.

    Raises:
        Http404: no such application, or outside the actor's scope (audited too).
    """
    queryset = visa_application_list(actor=actor).select_related("decided_by", "submitted_by")
    return _access(queryset, "permits.visaapplication", actor=actor, application_id=application_id)


def application_track(
    *, actor, reference: str, passport_number: str
) -> ResidenceApplication | VisaApplication | None:
    """The application with `reference` (TS-… or EV-…) whose passport number is
    `passport_number` (spaces, hyphens, case and Arabic-Indic digits ignored), or None.

    A found application leaves a "view" audit event (reason "tracking"); a miss leaves a
    "denied" event without any id, so repeated probing is visible in the trail.
    """
    reference = (reference or "").strip().upper()
    passport = passport_number_normalise(passport_number)
    prefix = reference.split("-", 1)[0]
    model = {
        numbering.RESIDENCE_PREFIX: ResidenceApplication,
        numbering.VISA_PREFIX: VisaApplication,
    }.get(prefix)
    application = None
    if model is not None and passport:
        application = (
            model.objects.select_related("handling_unit")
            .filter(reference=reference, passport_number=passport)
            .first()
        )
    if application is None:
        audit_event_record(
            actor=actor, action=AuditAction.DENIED, target="permits.tracking", reason="tracking"
        )
        return None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=application, reason="tracking")
    return application


def submitted_application(
    *, kind: str, application_id: str
) -> ResidenceApplication | VisaApplication | None:
    """The application ("residence" or "visa") a browser has just submitted, whose id the
    confirmation page keeps in the session; None when absent or malformed."""
    model = {"residence": ResidenceApplication, "visa": VisaApplication}.get(kind)
    if model is None:
        return None
    try:
        return model.objects.select_related("handling_unit").filter(pk=application_id).first()
    except (ValidationError, ValueError):
        return None


def document_checks(application: ResidenceApplication):
    """The documents checklist of `application`, in table order."""
    return application.documents.select_related("checked_by").order_by("position", "code")


def cards_expiring(
    *, actor, within_days: int, today: datetime.date | None = None
) -> QuerySet[ResidenceCard]:
    """Cards in force, issued by a unit in `actor`'s scope, that expire within
    `within_days` days of `today` (default today), soonest first, with their reminder."""
    today = today or timezone.localdate()
    cards = ResidenceCard.objects.select_related(
        "application__handling_unit", "expiry_reminder"
    ).filter(
        status=CardStatus.ACTIVE,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=within_days),
    )
    if not may_read_permits(actor):
        return cards.none()
    return restrict(cards, actor, unit_field="application__handling_unit").order_by(
        "expires_on", "number"
    )


# Figures of the annual report -------------------------------------------------------------


@dataclass(frozen=True)
class IssuedFigures:
    """Documents issued in a calendar year: `total`, and counts `by_nationality` (ISO
    alpha-2 code → count), `by_region` (HCP region code of the handling unit's commune, or
    None for units without a seat → count) and `by_kind` (reason of stay for residence
    cards, purpose for visas → count). Every dict is sorted by decreasing count, then key."""

    year: int
    total: int
    by_nationality: dict[str, int]
    by_region: dict[str | None, int]
    by_kind: dict[str, int]


def _counts(queryset: QuerySet, field: str) -> dict:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by()
    pairs = [(row[field], row["n"]) for row in rows]
    return dict(sorted(pairs, key=lambda pair: (-pair[1], pair[0] or "")))


def _issued_scope(queryset: QuerySet, actor, unit_field: str) -> QuerySet:
    if actor is None:
        return queryset
    if not may_read_permits(actor):
        return queryset.none()
    return restrict(queryset, actor, unit_field=unit_field)


def residence_cards_issued_in_year(*, year: int, actor=None) -> IssuedFigures:
    """Residence cards issued in `year` (issue date, calendar year), renewals included.

    `actor` None counts nationally (the annual report run by `amn report`); a user gets
    the figures of their scope.
    """
    unit = "application__handling_unit"
    cards = _issued_scope(ResidenceCard.objects.filter(issued_on__year=year), actor, unit)
    return IssuedFigures(
        year=year,
        total=cards.count(),
        by_nationality=_counts(cards, "application__nationality"),
        by_region=_counts(cards, f"{unit}__commune__province__region__code"),
        by_kind=_counts(cards, "application__reason"),
    )


def visas_issued_in_year(*, year: int, actor=None) -> IssuedFigures:
    """Visas issued in `year` (issue date, calendar year); `actor` as for
    residence_cards_issued_in_year."""
    unit = "application__handling_unit"
    visas = _issued_scope(Visa.objects.filter(issued_on__year=year), actor, unit)
    return IssuedFigures(
        year=year,
        total=visas.count(),
        by_nationality=_counts(visas, "application__nationality"),
        by_region=_counts(visas, f"{unit}__commune__province__region__code"),
        by_kind=_counts(visas, "application__purpose"),
    )
