"""E-mails to applicants and card holders, in the language they applied in.

A notice names the application by its reference and gives its status; it never repeats
the identity typed in the application, nor the staff's internal note.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amn.core.locale_format import format_date
from amn.core.localized_fields import localized
from amn.permits.choices import ResidenceStatus, VisaStatus
from amn.permits.models import ResidenceApplication, ResidenceCard, VisaApplication


def _send(*, to: str, subject: str, lines: list[str]) -> None:
    send_mail(
        subject=subject,
        message="\n\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
        fail_silently=False,
    )


def _tracking_line() -> str:
    return _(
        "Follow your application on the tracking page (%(path)s) with its reference and "
        "your passport number."
    ) % {"path": reverse("permits:track")}


def residence_notice_send(*, application: ResidenceApplication) -> None:
    """E-mail the applicant the current status of a residence-permit application
    (approved, refused with its reason, card issued with its number and expiry date).

    Raises:
        OSError: the mail server refused or could not be reached.
    """
    with translation.override(application.language):
        lines = [
            _("Your residence permit application %(reference)s: %(status)s.")
            % {"reference": application.reference, "status": application.get_status_display()}
        ]
        if application.status == ResidenceStatus.SUBMITTED:
            lines.append(
                _("Bring these documents to %(unit)s: %(documents)s.")
                % {
                    "unit": localized(application.handling_unit, "name"),
                    "documents": "; ".join(check.label for check in application.documents.all()),
                }
            )
        elif application.status == ResidenceStatus.REFUSED:
            lines.append(
                _("Reason: %(reason)s.") % {"reason": application.get_refusal_reason_display()}
            )
        elif application.status == ResidenceStatus.APPROVED:
            lines.append(_("Your card is being produced; we will write again when it is ready."))
        elif application.status == ResidenceStatus.ISSUED:
            card = application.card
            lines.append(
                _("Card %(number)s, valid until %(date)s, can be collected at %(unit)s.")
                % {
                    "number": card.number,
                    "date": format_date(card.expires_on),
                    "unit": localized(application.handling_unit, "name"),
                }
            )
        lines.append(_tracking_line())
        _send(
            to=application.email,
            subject=_("Residence permit application %(reference)s")
            % {"reference": application.reference},
            lines=lines,
        )


def visa_notice_send(*, application: VisaApplication) -> None:
    """E-mail the applicant the decision on a visa application (the visa's number, validity
    period, entries and longest stay, or the reason of the refusal).

    Raises:
        OSError: the mail server refused or could not be reached.
    """
    with translation.override(application.language):
        lines = [
            _("Your visa application %(reference)s: %(status)s.")
            % {"reference": application.reference, "status": application.get_status_display()}
        ]
        if application.status == VisaStatus.REFUSED:
            lines.append(
                _("Reason: %(reason)s.") % {"reason": application.get_refusal_reason_display()}
            )
        elif application.status == VisaStatus.ISSUED:
            visa = application.visa
            lines.append(
                _(
                    "Visa %(number)s, valid from %(start)s to %(end)s, %(entries)s, for a stay "
                    "of at most %(days)d days."
                )
                % {
                    "number": visa.number,
                    "start": format_date(visa.valid_from),
                    "end": format_date(visa.valid_until),
                    "entries": visa.get_entries_display().lower(),
                    "days": visa.max_stay_days,
                }
            )
        lines.append(_tracking_line())
        _send(
            to=application.email,
            subject=_("Visa application %(reference)s") % {"reference": application.reference},
            lines=lines,
        )


def expiry_reminder_send(*, card: ResidenceCard, days_left: int) -> None:
    """E-mail the holder of `card` that it expires in `days_left` days and how to renew.

    Raises:
        OSError: the mail server refused or could not be reached.
    """
    application = card.application
    with translation.override(application.language):
        _send(
            to=application.email,
            subject=_("Your residence card %(number)s expires soon") % {"number": card.number},
            lines=[
                _("Your residence card %(number)s expires on %(date)s, in %(days)d days.")
                % {"number": card.number, "date": format_date(card.expires_on), "days": days_left},
                _(
                    "Apply for its renewal online (%(path)s) before it expires: a renewal filed "
                    "after the expiry gets the validity of a first card."
                )
                % {"path": reverse("permits:residence-apply")},
            ],
        )
