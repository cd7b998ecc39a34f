"""Notices to CNIE applicants: e-mail through Django's e-mail backend and SMS through the
pluggable SMS backend of amn.certificates.notifications (setting AMN_SMS_BACKEND).

A notice carries the application reference, the step reached and a link to the tracking
page; never the applicant's name, birth date or card number (an SMS or an e-mail can be
read by others).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from amn.certificates.notifications import Notice, send_sms
from amn.idcards.choices import Step

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


def tracking_url() -> str:
    """Absolute URL of the public tracking page (setting AMN_PUBLIC_BASE_URL, the site's
    origin; default http://127.0.0.1:8000 for the demo)."""
    base = str(getattr(settings, "AMN_PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_BASE_URL)
    return base.rstrip("/") + reverse("idcards:track")


def step_notice(*, step: str, reference: str, url: str) -> Notice | None:
    """The notice of `step` for application `reference`, in the active language, or None
    for a step that is not notified."""
    subjects = {
        Step.SUBMITTED: _("CNIE pre-application %(reference)s received"),
        Step.BOOKED: _("CNIE appointment booked (%(reference)s)"),
        Step.RESCHEDULED: _("CNIE appointment moved (%(reference)s)"),
        Step.IN_PRODUCTION: _("Your CNIE is in production (%(reference)s)"),
        Step.READY: _("Your CNIE is ready for collection (%(reference)s)"),
        Step.DELIVERED: _("Your CNIE was delivered (%(reference)s)"),
    }
    bodies = {
        Step.SUBMITTED: _(
            "We received your CNIE pre-application %(reference)s. Book your appointment and "
            "follow it with your reference and date of birth: %(url)s"
        ),
        Step.BOOKED: _(
            "Your appointment for the CNIE application %(reference)s is booked. Its date and "
            "time are on the tracking page: %(url)s"
        ),
        Step.RESCHEDULED: _(
            "Your appointment for the CNIE application %(reference)s was moved. Its new date "
            "and time are on the tracking page: %(url)s"
        ),
        Step.IN_PRODUCTION: _(
            "Your CNIE (application %(reference)s) is in production. Follow it: %(url)s"
        ),
        Step.READY: _(
            "Your CNIE (application %(reference)s) is ready: collect it at your office with "
            "your receipt. Details: %(url)s"
        ),
        Step.DELIVERED: _(
            "Your CNIE (application %(reference)s) was handed over. If you did not collect "
            "it, contact the police at once. %(url)s"
        ),
    }
    if step not in subjects:
        return None
    values = {"reference": reference, "url": url}
    return Notice(subject=subjects[step] % values, body=bodies[step] % values)


def notify(*, step: str, reference: str, language: str, email: str, phone: str) -> list[str]:
    """Send the notice of `step` by e-mail and/or SMS, in `language`.

    Returns:
        list of the channels used ("email", "sms"); empty for a step not notified.
    Raises:
        whatever the e-mail or SMS backend raises (the task retries).
    """
    with override(language):
        notice = step_notice(step=step, reference=reference, url=tracking_url())
        if notice is None:
            return []
        channels = []
        if email:
            send_mail(notice.subject, notice.body, None, [email])
            channels.append("email")
        if phone:
            send_sms(to=phone, body=notice.body)
            channels.append("sms")
    return channels
