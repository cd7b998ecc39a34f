"""Public pages of the CNIE service: pre-application, appointment booking, tracking with the
reference and birth date (no account needed), and for a signed-in citizen "who checked my
identity" with their consents to partners.

The birth date never travels in a URL: tracking is a POST, after which the application's
id is remembered in the visitor's session and its page is addressed by that opaque UUID
(useless without the session, or without being its owner signed in).
"""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from amn.appointments.selectors import slot_available_list, waiting_time_by_office
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit
from amn.idcards import selectors, services
from amn.idcards.choices import ApplicationStatus
from amn.idcards.forms import ConsentForm, PreApplicationForm, SlotChoiceForm, TrackForm

SESSION_KEY = "idcards_tracked"
MAX_TRACKED = 10
BOOKING_DAYS = 28
SHOWN_DAYS = 10  # days with free times shown at once, the earliest first
# Failed tracking attempts per client and hour (reference and birth-date guessing).
LOOKUP_FAILURES_PER_CLIENT = "30/h"
# Pre-applications per client and hour.
APPLICATIONS_PER_CLIENT = "20/h"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _remember(request, application_id) -> None:
    """Let this session open the pages of `application_id`."""
    tracked = [str(application_id)] + [
        i for i in request.session.get(SESSION_KEY, []) if i != str(application_id)
    ]
    request.session[SESSION_KEY] = tracked[:MAX_TRACKED]


def _visitor_application(request, application_id):
    """The application if this session tracked it or the signed-in citizen owns it; else
    Http404 (the same answer whether it exists or not)."""
    application = selectors.citizen_application_get(
        citizen=request.user, application_id=application_id
    )
    if application is None and str(application_id) in request.session.get(SESSION_KEY, []):
        application = selectors.application_public_get(application_id=application_id)
    if application is None:
        raise Http404("No such application.")
    return application


def index(request):
    """GET /cnie/: the CNIE service and its doors (apply, track, identity checks)."""
    return render(request, "idcards/index.html")


@never_cache
def apply(request):
    """GET/POST /cnie/apply/: the pre-application form. A valid submission records the
    pre-application (or finds the same one already recorded) and leads to the choice of
    an appointment; a refused one answers 400 with its errors per field or for the form."""
    form = PreApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rate_limit(request, group="idcards.apply", rate=APPLICATIONS_PER_CLIENT)
        try:
            application, created = services.application_submit(
                actor=request.user, data=form.pre_application(language=get_language()[:2])
            )
        except DomainError as problem:
            form.add_error(None, str(problem))
        else:
            _remember(request, application.pk)
            if not created:
                messages.info(
                    request, _("You had already submitted this pre-application: here it is.")
                )
            if application.status == ApplicationStatus.SUBMITTED:
                return redirect("idcards:appointment", application_id=application.pk)
            return redirect("idcards:application", application_id=application.pk)
    return render(request, "idcards/apply.html", {"form": form}, status=_form_status(form))


def _form_status(form) -> int:
    """400 for a refused submission (its errors are on the page), else 200."""
    return 400 if form.is_bound and form.errors else 200


@never_cache
def appointment(request, application_id: uuid.UUID):
    """GET/POST /cnie/applications/<uuid>/appointment/: free slots of the application's
    office or stop over the coming four weeks, by day (the first ten days that have any);
    POST books (or moves) the appointment in the slot chosen; a refused choice answers 400
    with its reason."""
    application = _visitor_application(request, application_id)
    form = SlotChoiceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not form.is_valid():
            messages.error(request, _("Choose one of the times shown."))
        else:
            try:
                services.application_book(
                    actor=request.user,
                    application_id=application.pk,
                    slot_id=form.cleaned_data["slot"],
                )
            except DomainError as problem:
                messages.error(request, str(problem))
            else:
                messages.success(request, _("Your appointment is booked."))
                return redirect("idcards:application", application_id=application.pk)
    slots = slot_available_list(
        unit_id=application.unit_id if application.stop_id is None else None,
        stop_id=application.stop_id,
        days=BOOKING_DAYS,
    )
    days: dict[datetime.date, list] = {}
    for slot in slots:
        if slot.day not in days and len(days) == SHOWN_DAYS:
            break
        days.setdefault(slot.day, []).append(slot)
    waiting = waiting_time_by_office(unit_ids=[application.unit_id]).get(application.unit_id)
    return render(
        request,
        "idcards/appointment.html",
        {
            "application": application,
            "days": sorted(days.items()),
            "live": selectors.application_live_booking(application),
            "waiting": waiting,
            "may_book": application.status == ApplicationStatus.SUBMITTED,
        },
        status=status,
    )


@never_cache
def track(request):
    """GET/POST /cnie/track/: the reference and date of birth open the application's page
    (POST only; failed attempts limited per client); 400 and the same message whether the
    reference is unknown or the date wrong."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = selectors.application_track(
            reference=form.cleaned_data["reference"], birth_date=form.cleaned_data["birth_date"]
        )
        if application is None:
            rate_limit(request, group="idcards.track.failed", rate=LOOKUP_FAILURES_PER_CLIENT)
            form.add_error(None, _("No application matches this reference and date of birth."))
        else:
            _remember(request, application.pk)
            return redirect("idcards:application", application_id=application.pk)
    return render(request, "idcards/track.html", {"form": form}, status=_form_status(form))


@never_cache
def application_page(request, application_id: uuid.UUID):
    """GET /cnie/applications/<uuid>/: the tracking page — each step with its date and
    unit, the appointment, and what the citizen may do next."""
    application = _visitor_application(request, application_id)
    return render(
        request,
        "idcards/application.html",
        {
            "application": application,
            "timeline": selectors.application_timeline(application),
            "live": selectors.application_live_booking(application),
        },
    )


@require_POST
def appointment_cancel(request, application_id: uuid.UUID):
    """POST /cnie/applications/<uuid>/appointment/cancel/: cancel the appointment (the
    pre-application stays)."""
    application = _visitor_application(request, application_id)
    try:
        services.application_booking_cancel(actor=request.user, application_id=application.pk)
    except DomainError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Your appointment is cancelled."))
    return redirect("idcards:application", application_id=application.pk)


@require_POST
def withdraw(request, application_id: uuid.UUID):
    """POST /cnie/applications/<uuid>/withdraw/: withdraw a pre-application not yet
    enrolled."""
    application = _visitor_application(request, application_id)
    try:
        services.application_cancel(actor=request.user, application_id=application.pk)
    except DomainError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("idcards:application", application_id=application.pk)


def _citizen_only(request) -> None:
    if request.user.is_staff_member:
        raise PermissionDenied


@login_required(login_url="accounts:citizen-login")
@never_cache
def identity(request):
    """GET /cnie/identity/: the signed-in citizen's cards, consents to partners (grant,
    revoke) and the partner calls about their numbers ("who checked my identity")."""
    _citizen_only(request)
    numbers = selectors.citizen_card_numbers(request.user)
    return render(
        request,
        "idcards/identity.html",
        {
            "cards": selectors.citizen_card_list(citizen=request.user),
            "consents": selectors.citizen_consent_list(citizen=request.user),
            "calls": selectors.citizen_verification_list(citizen=request.user),
            "form": ConsentForm(partners=selectors.partner_list(), fixed_numbers=numbers)
            if numbers
            else None,
            "now": timezone.now(),
        },
    )


@login_required(login_url="accounts:citizen-login")
@require_POST
def consent_grant(request):
    """POST /cnie/identity/consents/: consent that a partner verifies one of the citizen's
    cards."""
    _citizen_only(request)
    numbers = selectors.citizen_card_numbers(request.user)
    form = ConsentForm(request.POST, partners=selectors.partner_list(), fixed_numbers=numbers)
    if form.is_valid():
        try:
            services.consent_grant(
                actor=request.user,
                partner_id=form.cleaned_data["partner"],
                cnie_number=form.cleaned_data["cnie_number"],
            )
        except (DomainError, PermissionDenied) as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("Choose a card and a partner."))
    return redirect("idcards:identity")


@login_required(login_url="accounts:citizen-login")
@require_POST
def consent_revoke(request, consent_id: uuid.UUID):
    """POST /cnie/identity/consents/<uuid>/revoke/: withdraw a consent; 404 for another
    citizen's consent, as for one that does not exist."""
    _citizen_only(request)
    if not selectors.citizen_consent_list(citizen=request.user).filter(pk=consent_id).exists():
        raise Http404("No such consent.")
    try:
        services.consent_revoke(actor=request.user, consent_id=consent_id)
    except (DomainError, PermissionDenied) as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request, _("Consent revoked: this partner can no longer verify your identity.")
        )
    return redirect("idcards:identity")
