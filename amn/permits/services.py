"""Writes of residence permits and visas: submission (a second submission of the same
application returns the first), documents checklist, decisions, issue of cards and visas,
expiry reminders.

Every write runs in one transaction; field changes are kept by django-auditlog (the models
are registered in amn.permits.apps); notices to applicants are sent by background tasks
enqueued once the transaction commits. `actor` None is the command line or a background
job acting as the system.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.core.text_input import clean_text
from amn.permits import notifications, numbering, rules, validity
from amn.permits.choices import (
    ApplicationKind,
    CardStatus,
    DocumentStatus,
    Entries,
    ResidenceReason,
    ResidenceRefusalReason,
    ResidenceStatus,
    VisaPurpose,
    VisaRefusalReason,
    VisaStatus,
)
from amn.permits.documents import document_label, required_documents
from amn.permits.models import (
    DocumentCheck,
    ExpiryReminder,
    ResidenceApplication,
    ResidenceCard,
    Visa,
    VisaApplication,
)
from amn.permits.permissions import may_check_documents, may_decide
from amn.permits.selectors import handling_unit_options

OPEN_RESIDENCE_STATUSES = (ResidenceStatus.SUBMITTED, ResidenceStatus.APPROVED)
MAX_REMINDER_DAYS = 365


@dataclass(kw_only=True)
class ApplicantInput:
    """Identity and contact typed by an applicant (strings as typed, dates parsed).

    `handling_unit` is the code of the police unit chosen to handle the application.
    """

    family_name: str
    given_names: str
    nationality: str
    passport_number: str
    passport_expires_on: datetime.date | None
    birth_date: datetime.date | None
    email: str
    phone: str = ""
    handling_unit: str = ""


@dataclass(kw_only=True)
class ResidenceApplicationInput(ApplicantInput):
    """A residence-permit application: address in Morocco, reason of stay (a
    ResidenceReason value; details required for "other"), and for a renewal the number of
    the card renewed."""

    address: str
    reason: str
    reason_detail: str = ""
    kind: str = ApplicationKind.FIRST
    previous_card_number: str = ""


@dataclass(kw_only=True)
class VisaApplicationInput(ApplicantInput):
    """A visa application: purpose (a VisaPurpose value; details required for "other"),
    intended dates of entry and departure, entries requested (an Entries value)."""

    purpose: str
    intended_entry_on: datetime.date | None
    intended_exit_on: datetime.date | None
    entries_requested: str = Entries.SINGLE
    purpose_detail: str = ""


def _open_key(*parts) -> str:
    """A hash of the identity of an application in progress (hex SHA-256, 64 characters)."""
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def _submitter(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _language() -> str:
    return (translation.get_language() or "ar").split("-")[0][:2]


def _applicant_clean(problems: rules.Problems, data: ApplicantInput, today) -> dict:
    """Check and normalise the fields every application shares; returns model field values."""
    values = {
        "family_name": rules.name_check(problems, "family_name", data.family_name),
        "given_names": rules.name_check(problems, "given_names", data.given_names),
        "nationality": rules.nationality_check(problems, data.nationality),
        "passport_number": rules.passport_check(
            problems, data.passport_number, data.passport_expires_on, today=today
        ),
        "passport_expires_on": data.passport_expires_on,
        "birth_date": data.birth_date,
    }
    rules.birth_date_check(problems, data.birth_date, today=today)
    values["email"], values["phone"] = rules.contact_check(problems, data.email, data.phone)
    unit = handling_unit_options().filter(code=(data.handling_unit or "").strip()).first()
    if unit is None:
        problems.add("handling_unit", _("Choose a police service from the list."))
    values["handling_unit"] = unit
    return values


def _on_commit_notice(kind: str, application_id, event: str) -> None:
    from amn.permits.tasks import application_notice

    transaction.on_commit(
        lambda: application_notice.enqueue(
            kind=kind, application_id=str(application_id), event=event
        )
    )


def _create_once(model, open_key: str, create):
    """Run `create()` unless an application with `open_key` is in progress; returns
    (application, created). Two concurrent identical submissions meet the unique
    `open_key`: the second gets the first one's row."""
    existing = model.objects.filter(open_key=open_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(open_key=open_key).first()
        if existing is None:
            raise
        return existing, False


# Residence permits ------------------------------------------------------------------------


def _previous_card_check(problems, data: ResidenceApplicationInput, values) -> ResidenceCard | None:
    number = rules.card_number_normalise(data.previous_card_number)
    if data.kind == ApplicationKind.FIRST:
        if number:
            problems.add("previous_card_number", _("Leave this field empty for a first card."))
        return None
    if not number:
        problems.add("previous_card_number", _("Give the number of the card you want to renew."))
        return None
    card = (
        ResidenceCard.objects.select_related("application")
        .filter(
            number=number,
            application__nationality=values["nationality"],
            application__birth_date=values["birth_date"],
        )
        .first()
        if rules.CARD_NUMBER.match(number)
        else None
    )
    if card is None:
        problems.add(
            "previous_card_number",
            _("No residence card with this number matches your nationality and date of birth."),
        )
    elif card.status == CardStatus.REPLACED:
        problems.add("previous_card_number", _("This card has already been renewed."))
    return card


def _residence_clean(data: ResidenceApplicationInput, today) -> tuple[rules.Problems, dict]:
    """Check and normalise a residence-permit application; returns (problems, values)."""
    problems = rules.Problems()
    values = _applicant_clean(problems, data, today)
    address = clean_text(data.address)
    if not address:
        problems.add("address", _("This field is required."))
    elif len(address) > 200:
        problems.add("address", _("At most %(max)d characters.") % {"max": 200})
    values["address"] = address
    values["reason"] = rules.choice_check(problems, "reason", data.reason, ResidenceReason)
    values["reason_detail"] = rules.detail_check(
        problems,
        "reason_detail",
        data.reason_detail,
        required=data.reason == ResidenceReason.OTHER,
    )
    values["kind"] = rules.choice_check(problems, "kind", data.kind, ApplicationKind)
    values["previous_card"] = (
        _previous_card_check(problems, data, values)
        if data.kind in ApplicationKind.values
        else None
    )
    return problems, values


def residence_application_problems(data: ResidenceApplicationInput) -> dict[str, list[str]]:
    """The field errors residence_application_submit would raise for `data` (nothing is
    written): lets a form show every wrong field at once."""
    return _residence_clean(data, timezone.localdate())[0].errors


@transaction.atomic
def residence_application_submit(
    *, actor, data: ResidenceApplicationInput
) -> tuple[ResidenceApplication, bool]:
    """Record a residence-permit application with its documents checklist (every document
    "not checked yet", see amn.permits.documents).

    A second submission for the same person (nationality, passport number, date of birth)
    while the first is still in progress returns the first, unchanged. A new application
    is acknowledged by e-mail (reference and documents to bring).

    Args:
        actor: the signed-in user who submits (citizen or staff at the counter), or an
            anonymous user / None.
        data: the application as typed.
    Returns:
        (ResidenceApplication, created: bool).
    Raises:
        InvalidInput: by field — names, nationality (unknown, or Moroccan), passport number
            or expiry (passed), date of birth, e-mail, phone, handling unit, address,
            reason, details for "other", and for a renewal the card number (absent, not
            matching the applicant, or already renewed).
    """
    today = timezone.localdate()
    problems, values = _residence_clean(data, today)
    problems.raise_if_any()
    open_key = _open_key(
        "residence", values["nationality"], values["passport_number"], values["birth_date"]
    )

    def create() -> ResidenceApplication:
        application = ResidenceApplication.objects.create(
            reference=numbering.application_reference(
                prefix=numbering.RESIDENCE_PREFIX, year=today.year
            ),
            submitted_by=_submitter(actor),
            language=_language(),
            open_key=open_key,
            **values,
        )
        renewal = application.kind == ApplicationKind.RENEWAL
        for position, document in enumerate(
            required_documents(reason=application.reason, renewal=renewal)
        ):
            DocumentCheck.objects.create(
                application=application, code=document.code, position=position
            )
        _on_commit_notice("residence", application.pk, application.status)
        return application

    return _create_once(ResidenceApplication, open_key, create)


def _locked(model, application):
    return model.objects.select_for_update().select_related("handling_unit").get(pk=application.pk)


@transaction.atomic
def document_checks_record(
    *, actor, application: ResidenceApplication, statuses: dict[str, str]
) -> ResidenceApplication:
    """Mark required documents received, missing or not checked yet.

    Args:
        statuses: {document code: DocumentStatus value}; codes not given keep their status.
    Returns:
        the application, reloaded.
    Raises:
        PermissionDenied: the actor's role does not check documents, or the application's
            handling unit lies outside the actor's units.
        DomainError: the application was already decided, or a code or status is unknown.
    """
    application = _locked(ResidenceApplication, application)
    if actor is not None and not may_check_documents(actor, application.handling_unit):
        raise PermissionDenied(_("You may not check the documents of this application."))
    if application.status != ResidenceStatus.SUBMITTED:
        raise DomainError(_("The documents of a decided application can no longer change."))
    checks = {check.code: check for check in application.documents.all()}
    for code, status in statuses.items():
        if code not in checks:
            raise DomainError(_("Unknown document %(code)s.") % {"code": code})
        if status not in DocumentStatus.values:
            raise DomainError(_("Unknown document status %(status)s.") % {"status": status})
    now = timezone.now()
    for code, status in statuses.items():
        check = checks[code]
        if check.status != status:
            check.status = status
            check.checked_at = now
            check.checked_by = actor
            check.save(update_fields=["status", "checked_at", "checked_by"])
    return application


@transaction.atomic
def residence_application_decide(
    *,
    actor,
    application: ResidenceApplication,
    approve: bool,
    refusal_reason: str = "",
    note: str = "",
) -> ResidenceApplication:
    """Approve (every required document received) or refuse (with a reason from
    ResidenceRefusalReason; a note is required for "other") an application; the applicant
    is notified by e-mail.

    Returns:
        the application, reloaded and decided.
    Raises:
        PermissionDenied: the actor's role does not decide, or the handling unit lies
            outside the actor's units.
        DomainError: already decided, or (approval) documents not received — named.
        InvalidInput: (refusal) reason missing or unknown, or note missing for "other".
    """
    application = _locked(ResidenceApplication, application)
    if actor is not None and not may_decide(actor, application.handling_unit):
        raise PermissionDenied(_("You may not decide this application."))
    if application.status != ResidenceStatus.SUBMITTED:
        raise DomainError(_("This application has already been decided."))
    note = clean_text(note)
    if approve:
        not_received = [
            document_label(check.code)
            for check in application.documents.all()
            if check.status != DocumentStatus.RECEIVED
        ]
        if not_received:
            raise DomainError(
                _("These documents are not marked as received: %(documents)s.")
                % {"documents": "; ".join(not_received)}
            )
        application.status = ResidenceStatus.APPROVED
    else:
        _refusal_check(refusal_reason, note, ResidenceRefusalReason)
        application.status = ResidenceStatus.REFUSED
        application.refusal_reason = refusal_reason
        application.open_key = None
    application.decision_note = note
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save()
    _on_commit_notice("residence", application.pk, application.status)
    return application


def _refusal_check(reason: str, note: str, choices) -> None:
    problems = rules.Problems()
    if not reason:
        problems.add("refusal_reason", _("Choose the reason of the refusal."))
    else:
        rules.choice_check(problems, "refusal_reason", reason, choices)
    if reason == choices.OTHER and not note:
        problems.add("note", _("Explain the refusal when the reason is “Other”."))
    if len(note) > 2000:
        problems.add("note", _("At most %(max)d characters.") % {"max": 2000})
    problems.raise_if_any()


def renewals_in_chain(application: ResidenceApplication) -> int:
    """How many renewals in an unbroken chain lead to `application` (0 for a first card).

    A renewal filed after the previous card had expired starts the count again, as the
    practice described in amn.permits.validity has it.
    """
    count = 0
    while application.kind == ApplicationKind.RENEWAL and application.previous_card_id:
        previous = application.previous_card
        if timezone.localdate(application.created_at) > previous.expires_on:
            break
        count += 1
        application = previous.application
    return count


def card_default_expiry(application: ResidenceApplication, issued_on: datetime.date):
    """(months, expiry date) of a card issued on `issued_on` for `application` under the
    validity rule of amn.permits.validity."""
    months = validity.card_validity_months(
        reason=application.reason, renewals=renewals_in_chain(application)
    )
    return months, validity.card_expiry(issued_on=issued_on, months=months)


@transaction.atomic
def residence_card_issue(
    *,
    actor,
    application: ResidenceApplication,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> ResidenceCard:
    """Issue the residence card of an approved application; a renewed card is marked
    replaced. The holder is notified by e-mail.

    Args:
        issued_on: issue date (default today, Africa/Casablanca); neither in the future nor
            before the decision.
        expires_on: last day of validity; default from the validity rule
            (amn.permits.validity), which it may shorten but not exceed.
    Returns:
        ResidenceCard with its number (CI + 8 digits).
    Raises:
        PermissionDenied: the actor may not decide at the handling unit.
        DomainError: the application is not approved (or its card was issued already).
        InvalidInput: issued_on or expires_on out of bounds.
    """
    application = _locked(ResidenceApplication, application)
    if actor is not None and not may_decide(actor, application.handling_unit):
        raise PermissionDenied(_("You may not issue cards for this application."))
    if application.status != ResidenceStatus.APPROVED:
        raise DomainError(_("A card is issued only for an approved application."))
    today = timezone.localdate()
    issued_on = issued_on or today
    problems = rules.Problems()
    if issued_on > today:
        problems.add("issued_on", _("The issue date cannot be in the future."))
    elif application.decided_at and issued_on < timezone.localdate(application.decided_at):
        problems.add("issued_on", _("The issue date cannot precede the decision."))
    months, longest = card_default_expiry(application, issued_on)
    if expires_on is None:
        expires_on = longest
    elif expires_on <= issued_on:
        problems.add("expires_on", _("The expiry date must come after the issue date."))
    elif expires_on > longest:
        problems.add(
            "expires_on",
            _("This card may be valid at most %(months)d months, until %(date)s.")
            % {"months": months, "date": longest.isoformat()},
        )
    problems.raise_if_any()
    card = ResidenceCard.objects.create(
        number=numbering.card_number(),
        application=application,
        issued_on=issued_on,
        expires_on=expires_on,
        issued_by=actor,
    )
    if application.previous_card_id:
        previous = ResidenceCard.objects.select_for_update().get(pk=application.previous_card_id)
        previous.status = CardStatus.REPLACED
        previous.save(update_fields=["status", "updated_at"])
    application.status = ResidenceStatus.ISSUED
    application.open_key = None
    application.save(update_fields=["status", "open_key", "updated_at"])
    _on_commit_notice("residence", application.pk, application.status)
    return card


# Visas ------------------------------------------------------------------------------------


def _visa_clean(data: VisaApplicationInput, today) -> tuple[rules.Problems, dict]:
    """Check and normalise a visa application; returns (problems, values)."""
    problems = rules.Problems()
    values = _applicant_clean(problems, data, today)
    values["purpose"] = rules.choice_check(problems, "purpose", data.purpose, VisaPurpose)
    values["purpose_detail"] = rules.detail_check(
        problems, "purpose_detail", data.purpose_detail, required=data.purpose == VisaPurpose.OTHER
    )
    values["entries_requested"] = rules.choice_check(
        problems, "entries_requested", data.entries_requested, Entries
    )
    rules.stay_check(
        problems,
        entry=data.intended_entry_on,
        exit=data.intended_exit_on,
        passport_expires_on=data.passport_expires_on,
        today=today,
        max_stay_days=validity.visa_max_stay_days(),
        max_validity_days=validity.visa_max_validity_days(),
    )
    values["intended_entry_on"] = data.intended_entry_on
    values["intended_exit_on"] = data.intended_exit_on
    return problems, values


def visa_application_problems(data: VisaApplicationInput) -> dict[str, list[str]]:
    """The field errors visa_application_submit would raise for `data` (nothing is
    written)."""
    return _visa_clean(data, timezone.localdate())[0].errors


@transaction.atomic
def visa_application_submit(*, actor, data: VisaApplicationInput) -> tuple[VisaApplication, bool]:
    """Record an online visa application.

    A second submission for the same person and the same dates while the first is still
    in progress returns the first, unchanged. A new application is acknowledged by e-mail.

    Returns:
        (VisaApplication, created: bool).
    Raises:
        InvalidInput: by field — identity and contact as for residence permits; purpose
            (details for "other"); entries; entry date in the past; departure before entry;
            a stay longer than allowed (amn.permits.validity) or ending beyond the longest
            validity of a visa; a passport expiring before the end of the stay.
    """
    today = timezone.localdate()
    problems, values = _visa_clean(data, today)
    problems.raise_if_any()
    open_key = _open_key(
        "visa",
        values["nationality"],
        values["passport_number"],
        values["birth_date"],
        data.intended_entry_on,
        data.intended_exit_on,
    )

    def create() -> VisaApplication:
        application = VisaApplication.objects.create(
            reference=numbering.application_reference(
                prefix=numbering.VISA_PREFIX, year=today.year
            ),
            submitted_by=_submitter(actor),
            language=_language(),
            open_key=open_key,
            **values,
        )
        _on_commit_notice("visa", application.pk, application.status)
        return application

    return _create_once(VisaApplication, open_key, create)


def _visa_decider(actor, application: VisaApplication) -> VisaApplication:
    application = _locked(VisaApplication, application)
    if actor is not None and not may_decide(actor, application.handling_unit):
        raise PermissionDenied(_("You may not decide this application."))
    if application.status != VisaStatus.SUBMITTED:
        raise DomainError(_("This application has already been decided."))
    return application


@transaction.atomic
def visa_application_approve(
    *,
    actor,
    application: VisaApplication,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    entries: str,
    max_stay_days: int | None,
    note: str = "",
) -> Visa:
    """Approve a visa application and issue the visa (number VE + 8 digits) today; the
    applicant is notified by e-mail.

    Args:
        valid_from, valid_until: validity period, both days included: from today on, at
            most the longest validity (amn.permits.validity) counted from today, and not
            beyond the passport's expiry.
        entries: an Entries value.
        max_stay_days: longest stay in days, 1 to the longest stay allowed and within the
            validity period.
    Raises:
        PermissionDenied, DomainError: as for residence_application_decide.
        InvalidInput: by field (valid_from, valid_until, entries, max_stay_days).
    """
    application = _visa_decider(actor, application)
    today = timezone.localdate()
    problems = rules.Problems()
    if valid_from is None:
        problems.add("valid_from", _("This field is required."))
    elif valid_from < today:
        problems.add("valid_from", _("A visa cannot start in the past."))
    if valid_until is None:
        problems.add("valid_until", _("This field is required."))
    rules.choice_check(problems, "entries", entries, Entries)
    longest_stay = validity.visa_max_stay_days()
    if max_stay_days is None:
        problems.add("max_stay_days", _("This field is required."))
    elif not 1 <= max_stay_days <= longest_stay:
        problems.add(
            "max_stay_days",
            _("Between 1 and %(max)d days.") % {"max": longest_stay},
        )
    if valid_from and valid_until and "valid_from" not in problems:
        longest_validity = validity.visa_max_validity_days()
        if valid_until < valid_from:
            problems.add("valid_until", _("The end of validity is before its start."))
        elif (valid_until - today).days + 1 > longest_validity:
            problems.add(
                "valid_until",
                _("A visa is valid at most %(days)d days from its issue.")
                % {"days": longest_validity},
            )
        elif valid_until > application.passport_expires_on:
            problems.add(
                "valid_until",
                _("A visa cannot outlast the passport (it expires on %(date)s).")
                % {"date": application.passport_expires_on.isoformat()},
            )
        elif max_stay_days and max_stay_days > (valid_until - valid_from).days + 1:
            problems.add(
                "max_stay_days", _("The stay allowed cannot be longer than the validity period.")
            )
    problems.raise_if_any()
    visa = Visa.objects.create(
        number=numbering.visa_number(),
        application=application,
        issued_on=today,
        valid_from=valid_from,
        valid_until=valid_until,
        entries=entries,
        max_stay_days=max_stay_days,
        issued_by=actor,
    )
    application.status = VisaStatus.ISSUED
    application.decision_note = clean_text(note)
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.open_key = None
    application.save()
    _on_commit_notice("visa", application.pk, application.status)
    return visa


@transaction.atomic
def visa_application_refuse(
    *, actor, application: VisaApplication, refusal_reason: str, note: str = ""
) -> VisaApplication:
    """Refuse a visa application with a reason from VisaRefusalReason (a note is required
    for "other"); the applicant is notified of the reason, never of the note.

    Raises:
        PermissionDenied, DomainError: as for residence_application_decide.
        InvalidInput: reason missing or unknown, note missing for "other".
    """
    application = _visa_decider(actor, application)
    note = clean_text(note)
    _refusal_check(refusal_reason, note, VisaRefusalReason)
    application.status = VisaStatus.REFUSED
    application.refusal_reason = refusal_reason
    application.decision_note = note
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.open_key = None
    application.save()
    _on_commit_notice("visa", application.pk, application.status)
    return application


# Expiry reminders -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSummary:
    """Outcome of one reminder run over the cards expiring within `days` days: reminders
    `sent` now, cards `already_reminded` earlier, cards whose holder has `renewal_filed`
    (not reminded), and sends that `failed` (to be retried on the next run)."""

    days: int
    sent: int
    already_reminded: int
    renewal_filed: int
    failed: int


def card_expiry_reminders_send(
    *, actor=None, days: int = 60, today: datetime.date | None = None
) -> ReminderSummary:
    """E-mail the holders of cards in force that expire within `days` days (today
    included), once per card: each reminder is recorded (ExpiryReminder, unique per card)
    in the same transaction as its sending, so a second run sends nothing again and a
    failed send is retried next time. Holders who already filed a renewal in progress are
    not reminded.

    Raises:
        DomainError: `days` outside 1…365.
    """
    if not 1 <= days <= MAX_REMINDER_DAYS:
        raise DomainError(
            _("The reminder window must be between 1 and %(max)d days.")
            % {"max": MAX_REMINDER_DAYS}
        )
    today = today or timezone.localdate()
    window = ResidenceCard.objects.filter(
        status=CardStatus.ACTIVE,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=days),
    )
    reminded = ExpiryReminder.objects.filter(card=OuterRef("pk"))
    renewing = ResidenceApplication.objects.filter(
        previous_card=OuterRef("pk"), status__in=OPEN_RESIDENCE_STATUSES
    )
    already = window.filter(Exists(reminded)).count()
    renewal_filed = window.filter(~Exists(reminded), Exists(renewing)).count()
    due = (
        window.filter(~Exists(reminded), ~Exists(renewing))
        .select_related("application__handling_unit")
        .order_by("expires_on", "number")
    )
    sent = failed = 0
    for card in due:
        days_left = (card.expires_on - today).days
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(card=card, days_left=days_left)
                notifications.expiry_reminder_send(card=card, days_left=days_left)
        except IntegrityError:
            already += 1  # another run reminded this holder in the meantime
        except OSError:
            failed += 1  # SMTP errors are OSErrors; the reminder row was rolled back
        else:
            sent += 1
    return ReminderSummary(
        days=days, sent=sent, already_reminded=already, renewal_filed=renewal_filed, failed=failed
    )
