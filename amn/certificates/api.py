"""JSON API of the certificate service.

- POST /api/v1/certificates/applications: public (no login); a citizen's application, sent
  with an Idempotency-Key header (a retry never makes a second application); rate-limited
  per client and per CNIE number (settings AMN_CERT_API_RATES, read at each request); shed
  with 503 when it waited too long behind others (AMN_CERT_API_MAX_QUEUE_SECONDS).
- POST /api/v1/certificates/verify: public (no login), rate-limited per client; the live
  status of a certificate from its QR payload or its serial and control key.
- GET /api/v1/certificates/queue, POST …/applications/{id}/decide and …/confirm: staff
  reviewers of the application's unit subtree (session), as the back-office pages.
"""

import math
import time
import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from amn.api.pagination import BoundedPageNumberPagination
from amn.api.security import staff_auth
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.certificates import rate_limits, selectors, services
from amn.certificates.forms import ApplicationApiForm, payload_from_text
from amn.certificates.schemas import (
    CertificateApplicationIn,
    CertificateApplicationOut,
    ConfirmIn,
    DecisionIn,
    DecisionOut,
    QueueItemOut,
    SubmissionErrorOut,
    VerifyIn,
    VerifyOut,
)
from amn.core.ratelimits import client_ip, rate_limit

router = Router(tags=["certificates"])

# Rate limits of the submission API (django-ratelimit rates), overridable per key by the
# setting AMN_CERT_API_RATES: "client" counts every request of one client address (as
# django-ratelimit resolves it, RATELIMIT_IP_META_KEY), "cnie" the new submissions naming
# one CNIE number, whatever the client; both answered 429. The defaults are the web form's
# (rate_limits.py): 20 an hour per client, 5 a day per CNIE.
SUBMISSION_RATES = {"client": "20/h", "cnie": "5/d"}
CLIENT_GROUP = "certificates.api.apply"
CNIE_GROUP = "certificates.api.apply-cnie"
# Load shedding: behind a proxy that stamps each request with the time it received it
# (nginx: `proxy_set_header X-Request-Start "t=${msec}";`), a request that waited longer
# than settings.AMN_CERT_API_MAX_QUEUE_SECONDS (None: never) before a worker took it is
# answered 503 at once, before any database work: under a burst the workers then spend
# their time on requests whose clients are still waiting, and the queue cannot grow
# without bound (the "queue time" shedding of rack-timeout or Heroku's router).
REQUEST_START_HEADER = "X-Request-Start"
BUSY_RETRY_AFTER_SECONDS = 5
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": True,
    "description": "A new random key for each new application (a UUID will do); the same "
    "key, with the same body, to retry it. 8 to 128 characters among A-Z a-z 0-9 _ -.",
    "schema": {
        "type": "string",
        "minLength": services.IDEMPOTENCY_KEY_MIN_LENGTH,
        "maxLength": services.IDEMPOTENCY_KEY_MAX_LENGTH,
        "pattern": "^[A-Za-z0-9_-]+$",
    },
}


def submission_rates() -> dict[str, str]:
    """The submission API's rates {"client": rate, "cnie": rate}: SUBMISSION_RATES updated
    by settings.AMN_CERT_API_RATES (read at each call, so tests and deployments can change
    them)."""
    return {**SUBMISSION_RATES, **getattr(settings, "AMN_CERT_API_RATES", {})}


def _error(status: int, code: str, message: str, **extra) -> JsonResponse:
    """An answer in the API's error envelope {"error": {"code", "message", …}}, in the
    active language."""
    answer = JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)
    answer["Content-Language"] = translation.get_language()
    return answer


@router.post(
    "/applications",
    response={
        200: CertificateApplicationOut,
        201: CertificateApplicationOut,
        **{status: SubmissionErrorOut for status in (400, 409, 422, 429, 503)},
    },
    auth=None,
    openapi_extra={"parameters": [_IDEMPOTENCY_PARAMETER]},
)
def application_submit(request, body: CertificateApplicationIn, response: HttpResponse):
    """Apply for a criminal-record certificate (no account needed), with the fields of the
    web form and an Idempotency-Key header.

    201 {"reference", "status": "SUBMITTED", "created": true}: the application is recorded
    and its registry check queued. 200 {…, "status": "ALREADY_OPEN", "created": false}: this
    CNIE already has an open application, whose reference is given; nothing new was made.
    A retry with the same key and the same body gets the same answer and creates nothing
    (header Idempotent-Replayed: true). 400: no key, or a malformed one; 422: the same key
    with another body (code "idempotency_key_reused"), or refused values, each under its
    field (code "invalid"); 429 past the per-client or per-CNIE rate; 503 when the request
    waited too long in the queue (settings.AMN_CERT_API_MAX_QUEUE_SECONDS); both with
    Retry-After. Messages are in the body's `language` (Arabic by default).
    """
    with translation.override(body.language):
        response["Content-Language"] = body.language
        return _submit(request, body, response)


def _submit(request, body: CertificateApplicationIn, response: HttpResponse):
    """The work of application_submit, in the body's language."""
    rates = submission_rates()
    if _waited_too_long(request):
        busy = _error(503, "busy", _("The service is busy: try again in a few seconds."))
        busy["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return busy
    rate_limit(request, group=CLIENT_GROUP, rate=rates["client"], key=_client_key(request))
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if not key:
        return _error(
            400,
            "idempotency_key_missing",
            _("Send an Idempotency-Key header: a new random key for each new application."),
        )
    if not services.idempotency_key_valid(key):
        return _error(
            400,
            "idempotency_key_invalid",
            _("The Idempotency-Key is 8 to 128 letters, digits, _ or -."),
        )
    payload = body.dict()
    digest = services.request_digest(payload)
    try:
        submission = services.submission_replay(key=key, body_digest=digest)
        if submission is None:
            form = ApplicationApiForm(data=payload)
            if not form.is_valid():
                return _error(
                    422,
                    "invalid",
                    _("Some values are refused: see each field."),
                    fields={name: " ".join(problems) for name, problems in form.errors.items()},
                )
            data = form.cleaned_data
            rate_limit(request, group=CNIE_GROUP, rate=rates["cnie"], key=_cnie_of(data))
            submission = services.application_submit_keyed(
                # The API takes no session: a browser's cookie must not make a cross-site
                # request an application of the signed-in citizen.
                actor=AnonymousUser(),
                data=services.ApplicationInput(
                    cnie=data["cnie"],
                    given_name_ar=data["given_name_ar"],
                    family_name_ar=data["family_name_ar"],
                    given_name_lat=data["given_name_lat"],
                    family_name_lat=data["family_name_lat"],
                    sex=data["sex"],
                    birth=data["birth_date"],
                    birth_place=data["birth_place"],
                    father_given_name=data["father_given_name"],
                    mother_given_name=data["mother_given_name"],
                    phone=data["phone"],
                    email=data["email"],
                    purpose=data["purpose"],
                    delivery=data["delivery"],
                    collection_unit=data["collection_unit"],
                    consent=data["consent"],
                    language=body.language,
                ),
                key=key,
                body_digest=digest,
            )
    except services.IdempotencyKeyReused as error:
        return _error(422, "idempotency_key_reused", str(error))
    if submission.replayed:
        response[REPLAYED_HEADER] = "true"
    return Status(
        201 if submission.created else 200,
        {
            "reference": submission.application.reference,
            "status": "SUBMITTED" if submission.created else "ALREADY_OPEN",
            "created": submission.created,
        },
    )


def _client_key(request):
    """django-ratelimit key of the per-client limit: "ip" (REMOTE_ADDR, or the header named
    by settings.RATELIMIT_IP_META_KEY behind a trusted proxy); when the server passes no
    address at all (a Unix socket, some WSGI harnesses), one shared "unknown" client rather
    than an error."""
    if request.META.get("REMOTE_ADDR"):
        return "ip"
    return lambda _group, _request: "unknown"


def queue_seconds(request, *, now: float | None = None) -> float | None:
    """Seconds between the proxy's receipt of `request` (header X-Request-Start: "t=" and
    the Unix time in seconds, milliseconds or microseconds) and `now` (default: the
    present); None without a readable header."""
    stamp = request.headers.get(REQUEST_START_HEADER, "").strip().removeprefix("t=")
    try:
        started = float(stamp)
    except ValueError:
        return None
    if not math.isfinite(started) or started <= 0:
        return None
    while started > 1e11:  # milliseconds or microseconds since the epoch
        started /= 1000
    return (time.time() if now is None else now) - started


def _waited_too_long(request) -> bool:
    """True when settings.AMN_CERT_API_MAX_QUEUE_SECONDS is set and `request` waited longer
    than that in the queue (queue_seconds)."""
    limit = getattr(settings, "AMN_CERT_API_MAX_QUEUE_SECONDS", None)
    if limit is None:
        return False
    waited = queue_seconds(request)
    return waited is not None and waited > limit


def _cnie_of(data: dict):
    """django-ratelimit key of the per-CNIE limit: the normalised CNIE of `data` (hashed by
    django-ratelimit before it becomes a cache key)."""
    return lambda _group, _request: data["cnie"]


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
    client = client_ip(request)
    rate_limit(request, group="certificates.verify", rate=rate_limits.VERIFY_RATE_PER_CLIENT)
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
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
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
