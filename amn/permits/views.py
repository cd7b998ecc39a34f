"""Public pages of residence permits and visas (mounted at /permits/): the two application
forms, the confirmation page and the tracking page. Personal data never travels in URLs:
forms are posted, the confirmation page reads the application id from the session, and
tracking takes the reference and the passport number by POST."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from amn.core.ratelimits import rate_limited
from amn.permits import services
from amn.permits.choices import DocumentStatus
from amn.permits.forms import ResidenceApplicationForm, TrackForm, VisaApplicationForm
from amn.permits.models import ResidenceApplication
from amn.permits.rules import InvalidInput
from amn.permits.selectors import application_track, document_checks, submitted_application

SESSION_KEY = "permits_submitted"
TRACK_FAILURES_PER_CLIENT = "10/15m"  # unsuccessful lookups per client IP


def index(request):
    """GET /permits/: the services for foreign nationals (visa, residence permit, tracking)."""
    return render(request, "permits/index.html")


def _input(input_class, cleaned: dict, fields):
    """An input dataclass from a form's cleaned data; fields the form refused are empty."""
    values = {}
    for name, default in fields.items():
        value = cleaned.get(name)
        values[name] = default if value is None else value
    return input_class(**values)


APPLICANT_FIELDS = {
    "family_name": "",
    "given_names": "",
    "nationality": "",
    "passport_number": "",
    "passport_expires_on": None,
    "birth_date": None,
    "email": "",
    "phone": "",
    "handling_unit": "",
}
RESIDENCE_FIELDS = {
    **APPLICANT_FIELDS,
    "address": "",
    "reason": "",
    "reason_detail": "",
    "kind": "",
    "previous_card_number": "",
}
VISA_FIELDS = {
    **APPLICANT_FIELDS,
    "purpose": "",
    "purpose_detail": "",
    "intended_entry_on": None,
    "intended_exit_on": None,
    "entries_requested": "",
}


def _apply(request, *, form_class, input_class, fields, problems, submit, kind, template):
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        shape_ok = form.is_valid()
        data = _input(input_class, form.cleaned_data, fields)
        if shape_ok:
            try:
                application, created = submit(actor=request.user, data=data)
            except InvalidInput as error:
                form.add_service_errors(error.errors)
            else:
                request.session[SESSION_KEY] = {
                    "kind": kind,
                    "id": str(application.pk),
                    "created": created,
                }
                return redirect("permits:submitted")
        else:
            # Show the rule errors of the fields that passed the form's own checks as well,
            # so that the applicant sees every problem at once.
            form.add_service_errors(
                {
                    name: messages
                    for name, messages in problems(data).items()
                    if name not in form.errors
                }
            )
    # A submission that comes back to the form was refused: 400, its errors beside fields.
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form}, status=status)


@never_cache
def visa_apply(request):
    """GET/POST /permits/visa/: the online visa application; a refused one answers 400
    with its errors next to their fields; a double submission leads to the application
    already received."""
    return _apply(
        request,
        form_class=VisaApplicationForm,
        input_class=services.VisaApplicationInput,
        fields=VISA_FIELDS,
        problems=services.visa_application_problems,
        submit=services.visa_application_submit,
        kind="visa",
        template="permits/visa_form.html",
    )


@never_cache
def residence_apply(request):
    """GET/POST /permits/residence/: the residence-permit application (first card or
    renewal); a refused one answers 400 with its errors next to their fields; a double
    submission leads to the application already received."""
    return _apply(
        request,
        form_class=ResidenceApplicationForm,
        input_class=services.ResidenceApplicationInput,
        fields=RESIDENCE_FIELDS,
        problems=services.residence_application_problems,
        submit=services.residence_application_submit,
        kind="residence",
        template="permits/residence_form.html",
    )


@never_cache
def submitted(request):
    """GET /permits/submitted/: the reference of the application this browser just
    submitted (id kept in the session), or the one already received for a double
    submission; without one, back to /permits/."""
    info = request.session.get(SESSION_KEY)
    application = submitted_application(
        kind=(info or {}).get("kind", ""), application_id=(info or {}).get("id", "")
    )
    if application is None:
        return redirect("permits:index")
    return render(
        request,
        "permits/submitted.html",
        {
            "application": application,
            "created": info.get("created", True),
            "is_residence": isinstance(application, ResidenceApplication),
        },
    )


@never_cache
def track(request):
    """GET/POST /permits/track/: the status of an application found by its reference and
    passport number (POST only). Unsuccessful lookups are audited and limited per client
    IP (10 per 15 minutes): 400 for a lookup that finds nothing or is malformed, 429 past
    the limit."""
    form = TrackForm(request.POST if request.method == "POST" else None)
    application = None
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        failures = {
            "group": "permits.track.failed",
            "rate": TRACK_FAILURES_PER_CLIENT,
        }
        if rate_limited(request, count=False, **failures):
            form.add_error(None, _("Too many unsuccessful attempts. Try again in a few minutes."))
            status = 429
        else:
            application = application_track(
                actor=request.user,
                reference=form.cleaned_data["reference"],
                passport_number=form.cleaned_data["passport_number"],
            )
            if application is None:
                rate_limited(request, **failures)
                form.add_error(
                    None, _("No application matches this reference and passport number.")
                )
            else:
                status = 200
    context = {"form": form, "application": application}
    if isinstance(application, ResidenceApplication):
        context["is_residence"] = True
        context["checks"] = document_checks(application)
        context["missing"] = DocumentStatus.MISSING
    return render(request, "permits/track.html", context, status=status)
