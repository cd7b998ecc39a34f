"""Notifying applicants: e-mail through Django's e-mail backend, SMS through a pluggable
backend named by the setting AMN_SMS_BACKEND (dotted path of a class with
`send_messages(messages: list[SmsMessage]) -> int`).

Backends shipped here:
- "amn.certificates.notifications.ConsoleSmsBackend" (default; demo): writes to stdout.
- "amn.certificates.notifications.LocmemSmsBackend" (tests): appends to `outbox`.

Messages carry the application reference and a link to the tracking page, never the
applicant's name, CNIE or statement (an SMS or e-mail can be read by others).
"""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import override

DEFAULT_SMS_BACKEND = "amn.certificates.notifications.ConsoleSmsBackend"

# Messages "sent" by LocmemSmsBackend, for tests (like django.core.mail.outbox).
outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    """One SMS: `to` is an E.164 number ("+212612345678"), `body` plain text."""

    to: str
    body: str


class ConsoleSmsBackend:
    """Writes each SMS to standard output (demo, development)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Print `messages`; returns how many were written."""
        for message in messages:
            sys.stdout.write(f"SMS to {message.to}: {message.body}\n")
        return len(messages)


class LocmemSmsBackend:
    """Keeps each SMS in `amn.certificates.notifications.outbox` (tests)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Append `messages` to the module's outbox; returns how many."""
        outbox.extend(messages)
        return len(messages)


def sms_backend():
    """An instance of the class named by AMN_SMS_BACKEND (read at each call).

    Raises:
        ImportError: the setting names no importable class.
    """
    return import_string(getattr(settings, "AMN_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def send_sms(*, to: str, body: str) -> int:
    """Send one SMS through the configured backend; returns 1 when sent."""
    return sms_backend().send_messages([SmsMessage(to=to, body=body)])


@dataclass(frozen=True)
class Notice:
    """What to tell an applicant: `subject` (e-mail), `body` (e-mail and SMS)."""

    subject: str
    body: str


def _issued_notice(*, reference: str, tracking_url: str, collect_at: str) -> Notice:
    subject = _("Your criminal-record certificate %(reference)s is ready") % {
        "reference": reference
    }
    if collect_at:
        body = _(
            "Your certificate (request %(reference)s) is ready for collection at %(station)s. "
            "Follow your request: %(url)s"
        ) % {"reference": reference, "station": collect_at, "url": tracking_url}
    else:
        body = _(
            "Your certificate (request %(reference)s) is ready. Download it from the "
            "tracking page with your reference and date of birth: %(url)s"
        ) % {"reference": reference, "url": tracking_url}
    return Notice(subject=subject, body=body)


def notify_issued(
    *,
    reference: str,
    language: str,
    email: str,
    phone: str,
    tracking_url: str,
    collect_at: str = "",
) -> list[str]:
    """Tell the applicant that the certificate is issued, by e-mail and/or SMS, in the
    application's language.

    Args:
        reference: the application reference ("CR-2026-000123").
        language: "ar", "fr" or "en".
        email, phone: where to write ("" to skip a channel).
        tracking_url: absolute URL of the tracking page.
        collect_at: the station's name when the certificate is to be collected, else "".
    Returns:
        list of the channels used ("email", "sms").
    Raises:
        whatever the e-mail or SMS backend raises (the caller decides whether to retry).
    """
    with override(language):
        notice = _issued_notice(
            reference=reference, tracking_url=tracking_url, collect_at=collect_at
        )
        channels = []
        if email:
            send_mail(notice.subject, notice.body, None, [email])
            channels.append("email")
        if phone:
            send_sms(to=phone, body=notice.body)
            channels.append("sms")
    return channels
