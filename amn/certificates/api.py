"""JSON API of the certificate service.

- POST /api/v1/certificates/verify: public (no login), rate-limited per client; the live
  status of a certificate from its QR payload or its serial and control key.
- GET /api/v1/certificates/queue, POST …/applications/{id}/decide and …/confirm: staff
  reviewers of the application's unit subtree (session), as the back-office pages.
"""

import uuid

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from amn.api.security import staff_auth
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.certificates import rate_limits, selectors, services
from amn.certificates.forms import payload_from_text
from amn.certificates.schemas import (
    ConfirmIn,
    DecisionIn,
    DecisionOut,
    QueueItemOut,
    VerifyIn,
    VerifyOut,
)

router = Router(tags=["certificates"])


@router.post("/verify", response=VerifyOut, auth=None)
def verify(request, body: VerifyIn):
    """Verify a certificate: {"payload": "S1.…"} or {"serial": "…", "control_key": "…"}
    → {"status": VALID | EXPIRED | SUPERSEDED | REVOKED | UNKNOWN | FORGED, plus, when the
    certificate was identified, "holder_name", "issued_on", "valid_until", "statement"}.
    No login; logged (shown to the holder); 422 when neither form is given; 429 past the
    per-client limit."""
    payload = payload_from_text(body.payload or "")
    if not payload and not (body.serial and body.control_key):
        raise HttpError(422, _("Give the QR payload, or the serial and the control key."))
    client = request.META.get("REMOTE_ADDR") or "unknown"
    if not rate_limits.hit(rate_limits.VERIFICATIONS_PER_CLIENT, client):
        raise HttpError(429, _("Too many verifications from your address: try again later."))
    answer = services.certificate_verify(
        payload=payload or None,
        serial=body.serial,
        control_key=body.control_key,
        organisation=body.organisation,
        client_ip=client,
    )
    return answer.as_dict()


def _reviewer(request):
    """The acting user, or 403 when their role does not review applications."""
    if not selectors.may_review(request.auth):
        raise HttpError(403, _("Your role does not review certificate applications."))
    return request.auth


@router.get("/queue", response=list[QueueItemOut], auth=staff_auth)
@paginate(PageNumberPagination, page_size=50, max_page_size=200)
def queue(request, status: str = ""):
    """Applications of your units waiting for a first decision (IN_REVIEW) or a
    confirmation (AWAITING_CONFIRMATION), oldest first, paged."""
    actor = _reviewer(request)
    audit_event_record(
        actor=actor,
        action=AuditAction.LIST,
        target="certificates.certificateapplication",
        detail={"status": status, "api": True},
    )
    return selectors.review_queue(actor=actor, status=status)


@router.post("/applications/{application_id}/decide", response=DecisionOut, auth=staff_auth)
def decide(request, application_id: uuid.UUID, body: DecisionIn):
    """The first decision on an application in review; 404 outside your units; 409 when
    the service refuses (not in review, no reason, not a candidate)."""
    actor = _reviewer(request)
    selectors.access_application(actor=actor, application_id=application_id)
    return services.review_decide(
        actor=actor,
        application_id=application_id,
        outcome=body.outcome,
        reason=body.reason,
        person_id=str(body.person_id) if body.person_id else None,
    )


@router.post("/applications/{application_id}/confirm", response=DecisionOut, auth=staff_auth)
def confirm(request, application_id: uuid.UUID, body: ConfirmIn):
    """The second person's decision (four eyes); 409 for the first decider or a role that
    does not confirm."""
    actor = _reviewer(request)
    selectors.access_application(actor=actor, application_id=application_id)
    return services.review_confirm(
        actor=actor, application_id=application_id, confirm=body.confirm, reason=body.reason
    )
