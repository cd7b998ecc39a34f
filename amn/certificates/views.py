"""Public pages of the certificate service (no account needed): apply, track a request
with its reference and birth date, download an issued "no record" certificate, verify any
certificate. Reads go through amn.certificates.selectors, writes through the services.

The birth date never travels in a URL: tracking is a POST, after which the application's
id is remembered in the visitor's session and the tracking page is addressed by that
opaque UUID (useless without the session).
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from amn.certificates import rate_limits, selectors, services
from amn.certificates.choices import ApplicationStatus, Delivery, Statement
from amn.certificates.forms import ApplicationForm, TrackForm, VerifyForm, commune_options
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit

SESSION_KEY = "certificates_tracked"
MAX_TRACKED = 10


def _client_ip(request) -> str:
    """The client address (REMOTE_ADDR, as the audit trail trusts it)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _remember(request, application_id) -> None:
    """Let this session open the tracking page of `application_id`."""
    tracked = [str(application_id)] + [
        i for i in request.session.get(SESSION_KEY, []) if i != str(application_id)
    ]
    request.session[SESSION_KEY] = tracked[:MAX_TRACKED]


def _tracked(request, application_id):
    """The application of `application_id` if this session proved it, else Http404."""
    if str(application_id) not in request.session.get(SESSION_KEY, []):
        raise Http404("Not tracked in this session.")
    application = selectors.tracked_application(application_id=application_id)
    if application is None:
        raise Http404("No such application.")
    return application


def index(request):
    """GET /certificates/: the service and its three doors (apply, track, verify)."""
    return render(request, "certificates/index.html")


@never_cache
def apply(request):
    """GET/POST /certificates/apply/: the application form.

    POST: 429 when the client (per hour) or the CNIE (per day) exceeds its limit; 400 with
    per-field errors; otherwise the application is recorded (or the open one of the same
    CNIE, or the one of the same form, is found) and the visitor goes to its tracking page.
    An open application of the same CNIE is shown only when the birth date given is its
    own (400 otherwise, without its reference): a CNIE number alone opens nobody's file.
    """
    if request.method == "POST":
        rate_limit(request, group="certificates.apply", rate=rate_limits.APPLY_RATE_PER_CLIENT)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            rate_limit(
                request,
                group="certificates.apply.cnie",
                rate=rate_limits.APPLY_RATE_PER_CNIE,
                key=lambda _group, _request: data["cnie"],
            )
            try:
                submission = services.application_submit(
                    actor=request.user,
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
                        language=get_language(),
                    ),
                    submission_key=data["submission_key"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                application = submission.application
                if not submission.created and not _same_applicant(application, data):
                    # Another person's open application of this CNIE (or a guess at one):
                    # its reference and pages stay with whoever proves its birth date.
                    form.add_error(
                        "cnie",
                        _(
                            "An application for this CNIE number is already being processed. "
                            "Follow it on the tracking page with its reference and the date "
                            "of birth given then."
                        ),
                    )
                    return _apply_page(request, form, status=400)
                _remember(request, application.pk)
                if submission.created:
                    messages.success(
                        request,
                        _("Your application is recorded. Keep its reference: %(reference)s")
                        % {"reference": application.reference},
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "You already have an open application: its reference is "
                            "%(reference)s. No second application was made."
                        )
                        % {"reference": application.reference},
                    )
                return redirect("certificates:track-detail", application_id=application.pk)
    else:
        form = ApplicationForm(initial={"submission_key": uuid.uuid4()})
    return _apply_page(request, form, status=400 if request.method == "POST" else 200)


def _same_applicant(application, data) -> bool:
    """True when the open application found for a submission (same form, or same CNIE) is
    the submitter's own: the birth date given matches it as tracking requires."""
    return (
        selectors.application_track(reference=application.reference, birth=data["birth_date"])
        is not None
    )


def _apply_page(request, form, *, status: int):
    """The application form page; a refused submission answers 400 with its errors beside
    the fields, and a tampered or missing one-time key is replaced by a fresh one so that
    the corrected form can still be sent."""
    if form.is_bound and "submission_key" in form.errors:
        data = form.data.copy()
        data["submission_key"] = str(uuid.uuid4())
        form.data = data
        del form.errors["submission_key"]
        form.add_error(None, _("This form had expired: check it and send it again."))
    return render(
        request,
        "certificates/apply.html",
        {"form": form, "commune_options": commune_options()},
        status=status,
    )


@never_cache
def track(request):
    """GET/POST /certificates/track/: find an application with its reference and the
    applicant's birth date (429 past the per-client lookup limit; 400 and one answer
    whether the reference or the date is wrong)."""
    if request.method == "POST":
        rate_limit(request, group="certificates.track", rate=rate_limits.LOOKUP_RATE_PER_CLIENT)
        form = TrackForm(request.POST)
        if form.is_valid():
            application = selectors.application_track(
                reference=form.cleaned_data["reference"], birth=form.cleaned_data["birth_date"]
            )
            if application is not None:
                _remember(request, application.pk)
                return redirect("certificates:track-detail", application_id=application.pk)
            form.add_error(None, _("No application matches this reference and date of birth."))
    else:
        form = TrackForm()
    status = 400 if form.is_bound else 200
    return render(request, "certificates/track.html", {"form": form}, status=status)


def _steps(application) -> list[dict]:
    """The status steps shown to the applicant: received, identity check, examination by
    an officer (only when a person examined or examines it), issued; each done, current or
    to come."""
    reviewed = application.status in (
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.AWAITING_CONFIRMATION,
    ) or (application.status == ApplicationStatus.ISSUED and application.decisions.exists())
    labels = [gettext_lazy("Application received"), gettext_lazy("Identity check")]
    if reviewed:
        labels.append(gettext_lazy("Examination by an officer"))
    labels.append(gettext_lazy("Certificate issued"))
    if application.status == ApplicationStatus.ISSUED:
        current = len(labels)  # everything done
    elif application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING):
        current = 1
    else:
        current = 2
    return [
        {"label": label, "done": index < current, "current": index == current}
        for index, label in enumerate(labels)
    ]


@never_cache
def track_detail(request, application_id):
    """GET /certificates/track/<uuid>/: the status steps of an application this session
    found, and once issued: the certificate's serial and validity, its download (valid "no
    record" certificates) or where to collect it, and who verified it and when."""
    application = _tracked(request, application_id)
    certificate = selectors.application_certificate(application=application)
    steps = _steps(application)
    station = None
    if certificate is not None:
        if application.delivery == Delivery.COLLECT:
            station = application.collection_unit
        elif certificate.statement == Statement.RECORD:
            station = application.handling_unit
    return render(
        request,
        "certificates/track_detail.html",
        {
            "application": application,
            "steps": steps,
            "in_progress": application.status
            in (ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING),
            "certificate": certificate,
            "live_status": services.live_status(certificate) if certificate else "",
            "downloadable": certificate is not None
            and services.electronic_copy_allowed(certificate),
            "station": station,
            "verifications": (
                selectors.holder_verifications(certificate=certificate)[:50] if certificate else []
            ),
        },
    )


@never_cache
def certificate_download(request, application_id):
    """GET /certificates/track/<uuid>/certificate.pdf: the PDF of a valid "no record"
    certificate of an application this session found, in the application's language
    (404 otherwise: certificates stating a record are handed over at the station)."""
    from amn.certificates.document import certificate_pdf

    application = _tracked(request, application_id)
    certificate = selectors.application_certificate(application=application)
    if certificate is None or not services.electronic_copy_allowed(certificate):
        raise Http404("No electronic certificate.")
    pdf = certificate_pdf(certificate, language=certificate.language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.serial}.pdf"'
    return response


@never_cache
def verify(request):
    """GET/POST /certificates/verify/: verify a certificate from its QR payload, or its
    serial and control key; no account. GET with ?payload=… (the link a QR code may carry)
    verifies at once. Each verification is logged and shown to the holder. 400 with the
    errors of an incomplete or malformed request; 429 past the per-client limit."""
    answer = None
    data = request.POST if request.method == "POST" else None
    if data is None and request.GET.get("payload"):
        data = {"payload": request.GET["payload"]}
    if data is not None:
        form = VerifyForm(data)
        if form.is_valid():
            rate_limit(
                request, group="certificates.verify", rate=rate_limits.VERIFY_RATE_PER_CLIENT
            )
            cleaned = form.cleaned_data
            answer = services.certificate_verify(
                payload=cleaned["payload"] or None,
                serial=cleaned["serial"],
                control_key=cleaned["control_key"],
                organisation=cleaned["organisation"],
                client_ip=_client_ip(request),
            )
    else:
        form = VerifyForm()
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "certificates/verify.html", {"form": form, "answer": answer}, status=status
    )
