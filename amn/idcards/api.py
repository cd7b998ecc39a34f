"""JSON API of the CNIE service.

Public (no account): POST /applications (pre-application), POST
/applications/{reference}/appointment (book or move, proof: birth date), POST /track.
Partners: POST /verify with the X-API-Key header. Staff (session): GET /applications/,
GET /applications/{id}, POST /applications/{id}/steps. Errors use the API's envelope
{"error": {"code", "message"}}.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from amn.api.pagination import BoundedPageNumberPagination
from amn.api.security import staff_auth
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit
from amn.idcards import selectors, services
from amn.idcards.filters import ApplicationFilter
from amn.idcards.roles import may_read
from amn.idcards.schemas import (
    ApplicationCreatedOut,
    ApplicationSummaryOut,
    BookingIn,
    BookingOut,
    ErrorOut,
    PreApplicationIn,
    StepIn,
    TrackIn,
    TrackOut,
    VerifyIn,
    VerifyOut,
)
from amn.idcards.verification import VerificationRefused, VerificationRequest, identity_verify
from amn.idcards.views import APPLICATIONS_PER_CLIENT, LOOKUP_FAILURES_PER_CLIENT

router = Router(tags=["identity cards (CNIE)"])


def _error(status: int, code: str, message: str, fields: dict | None = None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return Status(status, {"error": body})


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


@router.post(
    "/applications",
    response={200: ApplicationCreatedOut, 201: ApplicationCreatedOut, 429: ErrorOut},
)
def application_create(request, payload: PreApplicationIn):
    """Record a pre-application: 201 with its id and reference; 200 with the one already
    recorded when the same pre-application is submitted again; 409 with the reason when a
    field is refused (invalid card number, age, office …); 429 over 20 a client an hour."""
    rate_limit(request, group="idcards.apply", rate=APPLICATIONS_PER_CLIENT)
    data = services.PreApplication(**payload.dict())
    if payload.language not in ("ar", "fr", "en"):
        data.language = (get_language() or "ar")[:2]
    application, created = services.application_submit(actor=request.user, data=data)
    body = {
        "id": application.pk,
        "reference": application.reference,
        "status": application.status,
        "created": created,
    }
    return Status(201 if created else 200, body)


def _owned(request, reference: str, birth_date):
    """The application of `reference` and `birth_date`; failed attempts are limited per
    client (429), and a wrong pair is 404."""
    application = selectors.application_track(reference=reference, birth_date=birth_date)
    if application is None:
        rate_limit(request, group="idcards.track.failed", rate=LOOKUP_FAILURES_PER_CLIENT)
        raise HttpError(404, _("No application matches this reference and date of birth."))
    return application


@router.post("/applications/{reference}/appointment", response={201: BookingOut})
def application_appointment(request, reference: str, payload: BookingIn):
    """Book the appointment of application `reference` in slot `slot_id` (or move it there
    when one is booked): 201 with the time; 404 for a wrong reference or birth date; 409
    when the slot is full, past, closed or of another office (nothing is booked)."""
    application = _owned(request, reference, payload.birth_date)
    booking = services.application_book(
        actor=request.user, application_id=application.pk, slot_id=payload.slot_id
    )
    return Status(
        201,
        {
            "booking_id": booking.pk,
            "starts_at": booking.slot.starts_at,
            "ends_at": booking.slot.ends_at,
            "office": application.unit.code,
        },
    )


@router.post("/track", response=TrackOut)
def application_track(request, payload: TrackIn):
    """An application's status and steps from its reference and the applicant's birth
    date (a POST: the birth date never travels in a URL); 404 for a wrong pair."""
    application = _owned(request, payload.reference, payload.birth_date)
    live = selectors.application_live_booking(application)
    return {
        "reference": application.reference,
        "kind": application.kind,
        "status": application.status,
        "office": application.unit.code,
        "appointment_at": live.slot.starts_at if live else None,
        "steps": [
            {
                "step": item.step,
                "label": item.label,
                "reached": item.reached,
                "at": item.at,
                "unit": item.unit.code if item.unit else None,
                "appointment_at": item.appointment_at,
            }
            for item in selectors.application_timeline(application)
        ],
    }


@router.post(
    "/verify",
    response={200: VerifyOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def verify(request, payload: VerifyIn, x_api_key: str | None = Header(None, alias="X-API-Key")):
    """Identity verification for partners (header X-API-Key): {"result": "MATCH" |
    "NO_MATCH" | "CARD_INVALID"} — never the holder's data. 401 without a valid key; 403
    without the holder's live consent; 422 for a malformed number, name or date; 429 over
    the partner's calls per minute. Every call is logged for the holder to see."""
    partner = services.partner_for_key(x_api_key or "")
    if partner is None:
        return _error(401, "unauthenticated", _("Missing or invalid API key."))
    try:
        result = identity_verify(
            partner=partner,
            request=VerificationRequest(
                cnie=payload.cnie,
                family_name=payload.family_name,
                given_name=payload.given_name,
                birth_date=payload.birth_date,
            ),
        )
    except VerificationRefused as refusal:
        return _error(refusal.status, refusal.code, refusal.message, refusal.fields)
    return Status(200, {"result": result})


def _reader(request):
    if not may_read(request.auth):
        raise HttpError(403, _("Your role does not give access to identity cards."))
    return request.auth


@router.get("/applications/", response=list[ApplicationSummaryOut], auth=staff_auth)
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def application_list(request, status: str = "", kind: str = "", reference: str = ""):
    """Staff: applications of your offices, newest first, filtered by status, kind or
    reference, paged ({"items": […], "count": N}); the listing is audited."""
    actor = _reader(request)
    given = (("status", status), ("kind", kind), ("reference", reference))
    data = {key: value for key, value in given if value}
    filterset = ApplicationFilter(data, queryset=selectors.application_list(actor=actor))
    if not filterset.is_valid():
        raise HttpError(422, _("Invalid filter."))
    audit_event_record(
        actor=actor,
        action=AuditAction.LIST,
        target="idcards.cnieapplication",
        detail={"filters": data},
    )
    return filterset.qs


@router.get("/applications/{application_id}", response=TrackOut, auth=staff_auth)
def application_get(request, application_id: uuid.UUID):
    """Staff: one application's status and steps; 404 when out of your offices (audited)."""
    application = selectors.access_application(
        actor=_reader(request), application_id=application_id
    )
    live = selectors.application_live_booking(application)
    return {
        "reference": application.reference,
        "kind": application.kind,
        "status": application.status,
        "office": application.unit.code,
        "appointment_at": live.slot.starts_at if live else None,
        "steps": [
            {
                "step": item.step,
                "label": item.label,
                "reached": item.reached,
                "at": item.at,
                "unit": item.unit.code if item.unit else None,
                "appointment_at": item.appointment_at,
            }
            for item in selectors.application_timeline(application)
        ],
    }


STEP_ACTIONS = {
    "produce": services.application_send_to_production,
    "ready": services.application_mark_ready,
    "deliver": services.application_deliver,
    "no_show": services.application_no_show,
}


@router.post("/applications/{application_id}/steps", response={200: dict}, auth=staff_auth)
def application_step(request, application_id: uuid.UUID, payload: StepIn):
    """Staff: move an application one step (enrol, produce, ready, deliver, no_show); 403
    for a role or office not yours; 409 for a step out of order."""
    actor = _reader(request)
    try:
        if payload.action == "enrol":
            services.application_enrol(
                actor=actor,
                application_id=application_id,
                photo_captured=payload.photo_captured,
                fingerprints_captured=payload.fingerprints_captured,
            )
        elif payload.action in STEP_ACTIONS:
            STEP_ACTIONS[payload.action](actor=actor, application_id=application_id)
        else:
            raise DomainError(_("Unknown action."))
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal) or _("Not allowed.")) from None
    application = selectors.access_application(actor=actor, application_id=application_id)
    return {"status": application.status}
