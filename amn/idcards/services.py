"""Writes of the CNIE lifecycle: pre-application, appointment, enrolment, production,
collection, delivery; loss and theft declarations; partners and consents.

Each write runs in one transaction, records a dated ApplicationEvent (step, actor, unit)
where it moves an application, and is recorded by django-auditlog; the citizen's notice is
queued once the transaction commits (amn.idcards.tasks).
"""

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amn.access.scoping import unit_in_scope
from amn.accounts.phones import phone_normalise
from amn.appointments import services as appointments
from amn.appointments.choices import BookingStatus, Purpose
from amn.appointments.hours import local_day
from amn.appointments.models import Booking, Slot
from amn.appointments.selectors import booking_live
from amn.core.errors import DomainError
from amn.core.text_input import clean_text
from amn.geo.models import Commune
from amn.idcards.choices import (
    KINDS_WITH_CARD,
    OPEN_STATUSES,
    ApplicationKind,
    ApplicationStatus,
    CardStatus,
    Channel,
    LossKind,
    PartnerKind,
    Step,
)
from amn.idcards.models import (
    ApplicationEvent,
    Card,
    CnieApplication,
    Consent,
    LossDeclaration,
    Partner,
)
from amn.idcards.names import name_form, name_matches
from amn.idcards.numbers import (
    card_expiry,
    format_card_number,
    new_reference,
    prefix_for_unit,
    reserve_card_numbers,
)
from amn.idcards.roles import may_process
from amn.idcards.selectors import citizen_card_numbers
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit
from amn.people.choices import Sex
from amn.people.cnie import cnie_normalise
from amn.people.matching.arabic import has_arabic
from amn.people.registry_io import FieldProblem, name_parse

NAME_MAX_LENGTH = 100
ADULT_AGE = 18
OLDEST_BIRTH_YEAR = 1900


def _cnie_error() -> str:
    return _("A CNIE number is one or two letters followed by digits, e.g. BE123456.")


@dataclass
class PreApplication:
    """A pre-application as submitted online (or through the API).

    `unit_id` is the office chosen, or None when `stop_id` (a mobile-unit stop) is;
    `cnie_number` is the card renewed, replaced or changed (kinds renewal, replacement,
    change); `loss_kind` and `loss_circumstances` make the declaration of a replacement;
    `guardian_*` are required for a minor's card, `change_details` for a change of data.
    """

    kind: str
    family_name_latin: str
    given_name_latin: str
    family_name_ar: str
    given_name_ar: str
    sex: str
    birth_date: datetime.date | None
    address: str
    unit_id: int | None = None
    stop_id: uuid.UUID | None = None
    commune_id: int | None = None
    birth_place: str = ""
    email: str = ""
    phone: str = ""
    cnie_number: str = ""
    loss_kind: str = ""
    loss_circumstances: str = ""
    guardian_name: str = ""
    guardian_cnie: str = ""
    change_details: str = ""
    language: str = "ar"


def _age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# The script of each name field (amn.people.registry_io.name_parse) and its label.
NAME_SCRIPTS = {
    "family_name_latin": "lat",
    "given_name_latin": "lat",
    "family_name_ar": "ar",
    "given_name_ar": "ar",
}
NAME_LABELS = {
    "family_name_latin": gettext_lazy("Family name (Latin)"),
    "given_name_latin": gettext_lazy("Given name (Latin)"),
    "family_name_ar": gettext_lazy("Family name (Arabic)"),
    "given_name_ar": gettext_lazy("Given name (Arabic)"),
}


def _clean_names(data: PreApplication) -> dict[str, str]:
    names = {
        "family_name_latin": clean_text(data.family_name_latin),
        "given_name_latin": clean_text(data.given_name_latin),
        "family_name_ar": clean_text(data.family_name_ar),
        "given_name_ar": clean_text(data.given_name_ar),
    }
    if any(len(value) > NAME_MAX_LENGTH for value in names.values()):
        raise DomainError(_("A name of at most 100 characters, please."))
    if not (names["family_name_latin"] and names["given_name_latin"]):
        raise DomainError(_("Give the family name and the given name in Latin script."))
    if not (names["family_name_ar"] and names["given_name_ar"]):
        raise DomainError(_("Give the family name and the given name in Arabic script."))
    for field in ("family_name_latin", "given_name_latin"):
        if has_arabic(names[field]) or not name_form(names[field]):
            raise DomainError(_("Write the Latin names in Latin letters."))
    for field in ("family_name_ar", "given_name_ar"):
        if not has_arabic(names[field]):
            raise DomainError(_("Write the Arabic names in Arabic letters."))
    for field, value in names.items():
        # Letters of the script, spaces, hyphens and apostrophes only, as the registry's
        # own names (no digits, no markup): the card prints them.
        try:
            name_parse(value, script=NAME_SCRIPTS[field])
        except FieldProblem as problem:
            raise DomainError(
                _("%(field)s: %(problem)s") % {"field": NAME_LABELS[field], "problem": problem}
            ) from None
    return names


def _check_birth(data: PreApplication, today: datetime.date) -> None:
    if data.birth_date is None:
        raise DomainError(_("Give the date of birth."))
    if data.birth_date > today:
        raise DomainError(_("The date of birth cannot be in the future."))
    if data.birth_date.year < OLDEST_BIRTH_YEAR:
        raise DomainError(_("Check the year of birth."))
    age = _age_on(data.birth_date, today)
    if data.kind == ApplicationKind.MINOR and age >= ADULT_AGE:
        raise DomainError(_("A minor's card is for applicants under 18."))
    if data.kind == ApplicationKind.FIRST and age < ADULT_AGE:
        raise DomainError(_("Under 18, apply for a minor's card."))


def _contact(data: PreApplication) -> tuple[str, str]:
    email = clean_text(data.email).lower()
    phone = ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address.")) from None
    if data.phone and clean_text(data.phone):
        phone = phone_normalise(data.phone) or ""
        if not phone:
            raise DomainError(_("Enter a Moroccan phone number such as 0612345678."))
    if not (email or phone):
        raise DomainError(_("Give an e-mail address or a phone number so that we can notify you."))
    return email, phone


def _place(data: PreApplication, today: datetime.date):
    """(unit, stop) of the pre-application."""
    if (data.unit_id is None) == (data.stop_id is None):
        raise DomainError(_("Choose one office or one mobile-unit stop."))
    if data.stop_id is not None:
        from amn.mobileunits.models import Stop

        stop = (
            Stop.objects.select_related("tour__mobile_unit__police_unit")
            .filter(pk=data.stop_id)
            .first()
        )
        if stop is None or stop.date < today:
            raise DomainError(_("This mobile-unit stop is not coming: choose another one."))
        return stop.tour.mobile_unit.police_unit, stop
    unit = OrgUnit.objects.filter(
        pk=data.unit_id, serves_public=True, status=UnitStatus.ACTIVE
    ).first()
    if unit is None:
        raise DomainError(_("Choose an office that receives the public."))
    return unit, None


def current_card(number: str) -> Card | None:
    """The card that answers for CNIE `number` now: the newest card of that number that was
    ever handed over (active, or since lost, stolen or replaced), or None."""
    return (
        Card.objects.filter(number=number)
        .exclude(status=CardStatus.PRODUCED)
        .order_by("-issued_on", "-created_at")
        .first()
    )


def identity_matches_card(card: Card, *, family: str, given: str, birth_date) -> bool:
    """True when the names (either script) and birth date are the card holder's."""
    return (
        birth_date == card.birth_date
        and name_matches(family, latin=card.family_name_latin, arabic=card.family_name_ar)
        and name_matches(given, latin=card.given_name_latin, arabic=card.given_name_ar)
    )


def _card_for(data: PreApplication, names: dict, today: datetime.date) -> tuple[str, Card | None]:
    """The normalised CNIE number and card a renewal, replacement or change concerns."""
    if data.kind not in KINDS_WITH_CARD:
        return "", None
    if not clean_text(data.cnie_number):
        raise DomainError(_("Give the number of your current card."))
    number = cnie_normalise(data.cnie_number)
    if number is None:
        raise DomainError(_cnie_error())
    card = current_card(number)
    if card is None or not identity_matches_card(
        card,
        family=names["family_name_latin"],
        given=names["given_name_latin"],
        birth_date=data.birth_date,
    ):
        raise DomainError(_("No card with this number matches the identity given."))
    if data.kind == ApplicationKind.REPLACEMENT:
        if data.loss_kind not in LossKind.values:
            raise DomainError(_("Say whether the card was lost or stolen."))
        if card.status not in (CardStatus.ACTIVE, CardStatus.LOST, CardStatus.STOLEN):
            raise DomainError(_("This card was already replaced."))
    elif card.status != CardStatus.ACTIVE:
        raise DomainError(_("This card is no longer valid: apply for a replacement."))
    elif data.kind == ApplicationKind.CHANGE and card.expires_on < today:
        raise DomainError(_("This card has expired: apply for a renewal."))
    return number, card


def _fingerprint(kind: str, names: dict, birth_date: datetime.date, number: str) -> str:
    """One digest per (kind, identity, card): the same pre-application submitted again."""
    parts = [
        kind,
        name_form(names["family_name_latin"]),
        name_form(names["given_name_latin"]),
        birth_date.isoformat(),
        number,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _event(application, step: str, *, actor, unit=None, detail: dict | None = None):
    return ApplicationEvent.objects.create(
        application=application,
        step=step,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit if unit is not None else getattr(actor, "unit", None),
        detail=detail or {},
    )


def _notify_on_commit(application_id, step: str) -> None:
    from amn.idcards.tasks import application_notify

    transaction.on_commit(lambda: application_notify.enqueue(str(application_id), str(step)))


def application_submit(*, actor, data: PreApplication) -> tuple[CnieApplication, bool]:
    """Record an online pre-application; the same pre-application submitted again (same
    kind, identity and card, still open) by the same submitter (account, e-mail or phone)
    returns the one already recorded.

    A replacement records the loss or theft declaration with it: the card is invalidated
    at once. Notices go to the e-mail and phone given.

    Args:
        actor: the citizen's account (User) or None/AnonymousUser for a visitor.
    Returns:
        (CnieApplication, created): created is False for a repeated submission.
    Raises:
        DomainError: naming the field refused — kind, names (both scripts required), sex,
            birth date (future, before 1900, age not fitting a first or minor's card),
            address, commune, contact, office or stop, card number (format, no matching
            card, card no longer valid), loss kind, guardian, data to change; or the same
            pre-application already open from another submitter.
    """
    today = timezone.localdate()
    if data.kind not in ApplicationKind.values:
        raise DomainError(_("Choose the kind of application."))
    names = _clean_names(data)
    if data.sex not in Sex.values:
        raise DomainError(_("Choose the sex as it will be printed on the card."))
    _check_birth(data, today)
    address = clean_text(data.address)
    if not address or len(address) > 250:
        raise DomainError(_("Give your address (at most 250 characters)."))
    commune = None
    if data.commune_id is not None:
        commune = Commune.objects.filter(pk=data.commune_id).first()
        if commune is None:
            raise DomainError(_("Unknown commune."))
    email, phone = _contact(data)
    unit, stop = _place(data, today)
    number, card = _card_for(data, names, today)
    guardian_name = clean_text(data.guardian_name)[:200]
    guardian_cnie = ""
    if data.kind == ApplicationKind.MINOR:
        guardian_cnie = cnie_normalise(data.guardian_cnie) or ""
        if not guardian_name:
            raise DomainError(_("Give the name of the parent or guardian."))
        if not guardian_cnie:
            raise DomainError(_("Give the CNIE number of the parent or guardian (e.g. BE123456)."))
    change_details = clean_text(data.change_details)[:300]
    if data.kind == ApplicationKind.CHANGE and not change_details:
        raise DomainError(_("Say which data changes (address, civil status)."))
    fingerprint = _fingerprint(data.kind, names, data.birth_date, number)
    citizen = actor if getattr(actor, "is_authenticated", False) else None
    for _attempt in range(3):
        existing = CnieApplication.objects.filter(
            fingerprint=fingerprint, status__in=OPEN_STATUSES
        ).first()
        if existing is not None:
            if _same_submitter(existing, citizen=citizen, email=email, phone=phone):
                return existing, False
            raise DomainError(
                _(
                    "A pre-application of this kind is already open for this person: follow "
                    "it with the reference sent to the contact given then, or ask at the office."
                )
            )
        try:
            with transaction.atomic():
                application = CnieApplication.objects.create(
                    reference=new_reference(today.year),
                    kind=data.kind,
                    citizen=citizen,
                    **names,
                    sex=data.sex,
                    birth_date=data.birth_date,
                    birth_place=clean_text(data.birth_place)[:120],
                    address=address,
                    commune=commune,
                    email=email,
                    phone=phone,
                    language=data.language if data.language in ("ar", "fr", "en") else "ar",
                    cnie_number=number,
                    previous_card=card,
                    guardian_name=guardian_name if data.kind == ApplicationKind.MINOR else "",
                    guardian_cnie=guardian_cnie,
                    change_details=change_details if data.kind == ApplicationKind.CHANGE else "",
                    unit=unit,
                    stop=stop,
                    fingerprint=fingerprint,
                )
                _event(application, Step.SUBMITTED, actor=actor, unit=unit)
                if data.kind == ApplicationKind.REPLACEMENT and card.status == CardStatus.ACTIVE:
                    _declare_loss(
                        card=card,
                        kind=data.loss_kind,
                        channel=Channel.ONLINE,
                        actor=actor,
                        unit=None,
                        circumstances=data.loss_circumstances,
                        application=application,
                    )
                    _event(application, Step.LOSS_DECLARED, actor=actor, unit=unit)
                _notify_on_commit(application.pk, Step.SUBMITTED)
                return application, True
        except IntegrityError:
            continue  # the same pre-application committed meanwhile, or a reference clash
    raise DomainError(_("Your pre-application could not be recorded: please try again."))


def _same_submitter(application, *, citizen, email: str, phone: str) -> bool:
    """True when a repeated pre-application comes from whoever made `application`: the
    same citizen account, or the same e-mail or phone for notices. Anyone else learns
    nothing of the open application (not even its reference)."""
    if citizen is not None and application.citizen_id == citizen.pk:
        return True
    return bool((email and email == application.email) or (phone and phone == application.phone))


def _declare_loss(*, card, kind, channel, actor, unit, circumstances, application=None):
    now = timezone.now()
    updated = Card.objects.filter(pk=card.pk, status=CardStatus.ACTIVE).update(
        status=CardStatus.LOST if kind == LossKind.LOST else CardStatus.STOLEN,
        status_changed_at=now,
        updated_at=now,
    )
    if not updated:
        raise DomainError(_("This card is no longer valid."))
    return LossDeclaration.objects.create(
        card=card,
        kind=kind,
        channel=channel,
        declared_by=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        circumstances=clean_text(circumstances)[:500],
        application=application,
    )


@transaction.atomic
def card_declare_loss(
    *, actor, cnie_number: str, kind: str, circumstances: str = ""
) -> LossDeclaration:
    """Record at a counter that the active card of `cnie_number` was lost or stolen; the
    card is invalidated in the same transaction (the verification service answers
    CARD_INVALID from then on).

    Raises:
        PermissionDenied: the actor's role does not process CNIE applications.
        DomainError: a malformed number, an unknown kind, or no active card with it.
    """
    if not may_process(actor):
        raise PermissionDenied(_("Your role does not process identity cards."))
    number = cnie_normalise(cnie_number)
    if number is None:
        raise DomainError(_cnie_error())
    if kind not in LossKind.values:
        raise DomainError(_("Say whether the card was lost or stolen."))
    card = Card.objects.select_for_update().filter(number=number, status=CardStatus.ACTIVE).first()
    if card is None:
        raise DomainError(_("No valid card has this number."))
    return _declare_loss(
        card=card,
        kind=kind,
        channel=Channel.COUNTER,
        actor=actor,
        unit=actor.unit,
        circumstances=circumstances,
    )


# -- appointments ---------------------------------------------------------------------------


def _locked_application(application_id) -> CnieApplication:
    application = (
        CnieApplication.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk=application_id)
    ).first()
    if application is None:
        raise DomainError(_("No such application."))
    return application


@transaction.atomic
def application_book(*, actor, application_id: uuid.UUID, slot_id) -> Booking:
    """Book (or move) the appointment of a pre-application in slot `slot_id` of its office
    or stop. The caller has checked that `actor` may act on the application (its owner).

    Returns:
        Booking: the new live booking.
    Raises:
        DomainError: no such application; not waiting for enrolment; a slot of another
            office or stop; a slot unknown, past, closed or full.
    """
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(_("This application no longer needs an appointment."))
    slot = Slot.objects.filter(pk=slot_id).first() if _is_uuid(slot_id) else None
    if slot is None:
        raise DomainError(_("No such slot."))
    if slot.unit_id != application.unit_id or slot.stop_id != application.stop_id:
        raise DomainError(_("Choose a slot at the office or stop of your application."))
    live = booking_live(purpose=Purpose.CNIE, subject_id=application.pk)
    if live is None:
        booking = appointments.booking_create(
            actor=actor,
            slot_id=slot.pk,
            purpose=Purpose.CNIE,
            subject_id=application.pk,
            requested_on=local_day(application.created_at),
            citizen=application.citizen,
        )
        step = Step.BOOKED
    else:
        booking = appointments.booking_reschedule(
            actor=actor, booking_id=live.pk, new_slot_id=slot.pk
        )
        step = Step.RESCHEDULED
    _event(
        application,
        step,
        actor=actor,
        unit=application.unit,
        detail={"starts_at": slot.starts_at.isoformat(), "booking": str(booking.pk)},
    )
    _notify_on_commit(application.pk, step)
    return booking


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def application_booking_cancel(*, actor, application_id: uuid.UUID) -> Booking:
    """Cancel the live appointment of an application (the application stays, waiting for a
    new appointment). The caller has checked that `actor` may act on it.

    Raises:
        DomainError: no such application, no live appointment, or it has begun.
    """
    application = _locked_application(application_id)
    live = booking_live(purpose=Purpose.CNIE, subject_id=application.pk)
    if live is None:
        raise DomainError(_("This application has no appointment to cancel."))
    booking = appointments.booking_cancel(actor=actor, booking_id=live.pk)
    _event(application, Step.BOOKING_CANCELLED, actor=actor, unit=application.unit)
    return booking


@transaction.atomic
def application_cancel(*, actor, application_id: uuid.UUID) -> CnieApplication:
    """Withdraw an application not yet enrolled, with its appointment if any.

    Raises:
        DomainError: no such application, or already enrolled (ask at the office).
    """
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(_("An application already enrolled is withdrawn at the office."))
    live = booking_live(purpose=Purpose.CNIE, subject_id=application.pk)
    if live is not None:
        appointments.booking_cancel(actor=actor, booking_id=live.pk)
    application.status = ApplicationStatus.CANCELLED
    application.save(update_fields=["status", "updated_at"])
    _event(application, Step.CANCELLED, actor=actor, unit=application.unit)
    return application


# -- the office: enrolment to delivery ------------------------------------------------------


def _staff_application(actor, application_id) -> CnieApplication:
    if not may_process(actor):
        raise PermissionDenied(_("Your role does not process identity cards."))
    application = _locked_application(application_id)
    if not unit_in_scope(actor, application.unit):
        raise PermissionDenied(_("This application is handled by another office."))
    return application


def _require_status(application, expected: str) -> None:
    if application.status != expected:
        raise DomainError(
            _("This step does not follow the application's current status (%(status)s).")
            % {"status": application.get_status_display()}
        )


@transaction.atomic
def application_no_show(
    *, actor, application_id: uuid.UUID, now: datetime.datetime | None = None
) -> Booking:
    """Record that the citizen did not come to the appointment; the application waits for
    a new appointment. `now`: the current time (tests), default timezone.now().

    Raises:
        PermissionDenied: the role or the office is not the actor's.
        DomainError: no live appointment, or its time has not come.
    """
    application = _staff_application(actor, application_id)
    live = booking_live(purpose=Purpose.CNIE, subject_id=application.pk)
    if live is None:
        raise DomainError(_("This application has no appointment."))
    booking = appointments.booking_mark(
        actor=actor, booking_id=live.pk, outcome=BookingStatus.NO_SHOW, now=now
    )
    _event(application, Step.NO_SHOW, actor=actor, detail={"booking": str(live.pk)})
    return booking


@transaction.atomic
def application_enrol(
    *,
    actor,
    application_id: uuid.UUID,
    photo_captured: bool,
    fingerprints_captured: bool,
    now: datetime.datetime | None = None,
) -> CnieApplication:
    """Record the enrolment at the office: the photo and fingerprints were captured (by the
    capture stations, outside Amn) by `actor`, now. The appointment, if any, is marked
    attended (or released when the citizen came before its day). `now`: the current time
    (tests), default timezone.now().

    Raises:
        PermissionDenied: the role or the office is not the actor's.
        DomainError: not waiting for enrolment, or photo or fingerprints not captured.
    """
    application = _staff_application(actor, application_id)
    _require_status(application, ApplicationStatus.SUBMITTED)
    if not (photo_captured and fingerprints_captured):
        raise DomainError(
            _("Capture the photo and the fingerprints before recording the enrolment.")
        )
    now = now or timezone.now()
    live = booking_live(purpose=Purpose.CNIE, subject_id=application.pk)
    if live is not None:
        if live.slot.day <= local_day(now):
            appointments.booking_mark(
                actor=actor, booking_id=live.pk, outcome=BookingStatus.ATTENDED, now=now
            )
        else:
            appointments.booking_cancel(actor=actor, booking_id=live.pk, now=now)
    application.status = ApplicationStatus.ENROLLED
    application.biometrics_captured_at = now
    application.biometrics_captured_by = actor
    application.save(
        update_fields=["status", "biometrics_captured_at", "biometrics_captured_by", "updated_at"]
    )
    _event(application, Step.ENROLLED, actor=actor, detail={"photo": True, "fingerprints": True})
    return application


@transaction.atomic
def application_send_to_production(*, actor, application_id: uuid.UUID) -> CnieApplication:
    """Send an enrolled application to card production.

    Raises:
        PermissionDenied: the role or the office is not the actor's.
        DomainError: not enrolled.
    """
    application = _staff_application(actor, application_id)
    _require_status(application, ApplicationStatus.ENROLLED)
    application.status = ApplicationStatus.IN_PRODUCTION
    application.save(update_fields=["status", "updated_at"])
    _event(application, Step.IN_PRODUCTION, actor=actor)
    _notify_on_commit(application.pk, Step.IN_PRODUCTION)
    return application


@transaction.atomic
def application_mark_ready(*, actor, application_id: uuid.UUID) -> Card:
    """Record that the card came back from production and waits at the office: the card is
    created (status produced), issued today, with the holder's number (kept for a renewal,
    replacement or change; a new number of the office's region otherwise).

    Returns:
        Card.
    Raises:
        PermissionDenied: the role or the office is not the actor's.
        DomainError: not in production, or a card of this number already awaits collection.
    """
    application = _staff_application(actor, application_id)
    _require_status(application, ApplicationStatus.IN_PRODUCTION)
    today = timezone.localdate()
    number = application.cnie_number
    if not number:
        prefix = prefix_for_unit(application.unit)
        (value,) = reserve_card_numbers(prefix=prefix, count=1)
        number = format_card_number(prefix, value)
        application.cnie_number = number
    commune = application.commune or application.unit.commune
    try:
        with transaction.atomic():
            card = Card.objects.create(
                number=number,
                family_name_latin=application.family_name_latin,
                given_name_latin=application.given_name_latin,
                family_name_ar=application.family_name_ar,
                given_name_ar=application.given_name_ar,
                sex=application.sex,
                birth_date=application.birth_date,
                commune=commune,
                region=commune.province.region if commune is not None else None,
                unit=application.unit,
                issued_on=today,
                expires_on=card_expiry(
                    issued_on=today, minor=application.kind == ApplicationKind.MINOR
                ),
                application=application,
            )
    except IntegrityError:
        raise DomainError(_("A card of this number already awaits collection.")) from None
    application.status = ApplicationStatus.READY
    application.save(update_fields=["status", "cnie_number", "updated_at"])
    _event(application, Step.READY, actor=actor)
    _notify_on_commit(application.pk, Step.READY)
    return card


@transaction.atomic
def application_deliver(*, actor, application_id: uuid.UUID) -> Card:
    """Hand the card over: it becomes active (linked to the applicant's account, if any) and
    the card it renews or changes, if still active, is marked replaced.

    Returns:
        Card (active).
    Raises:
        PermissionDenied: the role or the office is not the actor's.
        DomainError: not ready for collection.
    """
    application = _staff_application(actor, application_id)
    _require_status(application, ApplicationStatus.READY)
    now = timezone.now()
    card = Card.objects.select_for_update().get(application=application)
    Card.objects.filter(number=card.number, status=CardStatus.ACTIVE).exclude(pk=card.pk).update(
        status=CardStatus.REPLACED, status_changed_at=now, updated_at=now
    )
    card.status = CardStatus.ACTIVE
    card.status_changed_at = now
    card.account = application.citizen
    card.save(update_fields=["status", "status_changed_at", "account", "updated_at"])
    application.status = ApplicationStatus.DELIVERED
    application.save(update_fields=["status", "updated_at"])
    _event(application, Step.DELIVERED, actor=actor)
    _notify_on_commit(application.pk, Step.DELIVERED)
    return card


# -- partners and consents --------------------------------------------------------------


KEY_PREFIX = "amn"


def key_digest(key: str) -> str:
    """SHA-256 of an API key (hex). The keys are 256-bit random strings, so a fast digest
    is enough: nothing to brute-force, unlike a password."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix_of(key: str) -> str | None:
    """The public prefix of an API key "amn_<prefix>_<secret>", or None when malformed."""
    parts = (key or "").split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12:
        return None
    return parts[1]


def partner_for_key(key: str) -> Partner | None:
    """The active partner whose API key is `key`, or None (compared in constant time)."""
    prefix = key_prefix_of(key)
    if prefix is None:
        return None
    partner = Partner.objects.filter(key_prefix=prefix, is_active=True).first()
    if partner is None or not secrets.compare_digest(partner.key_hash, key_digest(key)):
        return None
    return partner


def new_key() -> tuple[str, str]:
    """A fresh API key and its public prefix: (prefix, key)."""
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def partner_create(
    *, actor, name: str, kind: str, calls_per_minute: int = 60
) -> tuple[Partner, str]:
    """Register a verification partner and make its API key.

    Returns:
        (Partner, key): the key (str) is shown this once; only its digest is stored.
    Raises:
        PermissionDenied: an actor other than an administrator (None = command line).
        DomainError: an empty or taken name, an unknown kind, a rate below 1.
    """
    if actor is not None and getattr(actor, "role", None) != "administrator":
        raise PermissionDenied(_("Only an administrator registers partners."))
    name = clean_text(name)[:120]
    if not name:
        raise DomainError(_("Give the partner's name."))
    if kind not in PartnerKind.values:
        raise DomainError(_("The partner is a bank, a telecom operator or an administration."))
    if calls_per_minute < 1:
        raise DomainError(_("Allow at least one call per minute."))
    if Partner.objects.filter(name=name).exists():
        raise DomainError(_("A partner of this name is already registered."))
    prefix, key = new_key()
    partner = Partner.objects.create(
        name=name,
        kind=kind,
        key_prefix=prefix,
        key_hash=key_digest(key),
        calls_per_minute=calls_per_minute,
    )
    return partner, key


@transaction.atomic
def partner_key_rotate(*, actor, partner_id: uuid.UUID) -> str:
    """Replace a partner's API key (the old one stops working at once).

    Returns:
        str: the new key, shown this once.
    Raises:
        PermissionDenied: an actor other than an administrator (None = command line).
        DomainError: no such partner.
    """
    if actor is not None and getattr(actor, "role", None) != "administrator":
        raise PermissionDenied(_("Only an administrator manages partners."))
    partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
    if partner is None:
        raise DomainError(_("No such partner."))
    partner.key_prefix, key = new_key()
    partner.key_hash = key_digest(key)
    partner.save(update_fields=["key_prefix", "key_hash", "updated_at"])
    return key


@transaction.atomic
def consent_grant(*, actor, partner_id: uuid.UUID, cnie_number: str) -> Consent:
    """Record that the holder of `cnie_number` lets `partner_id` verify their identity.

    Online, `actor` is the citizen and the number must be one of their cards; at a counter,
    `actor` is an agent (the citizen present with an active card). A live consent already
    recorded is returned as it is.

    Raises:
        PermissionDenied: a citizen granting for a card not theirs, or staff whose role does
            not process identity cards.
        DomainError: a malformed number, no active card with it (counter), no such partner.
    """
    number = cnie_normalise(cnie_number)
    if number is None:
        raise DomainError(_cnie_error())
    partner = (
        Partner.objects.filter(pk=partner_id, is_active=True).first()
        if _is_uuid(partner_id)
        else None
    )
    if partner is None:
        raise DomainError(_("No such partner."))
    staff = getattr(actor, "is_staff_member", False)
    if staff:
        if not may_process(actor):
            raise PermissionDenied(_("Your role does not process identity cards."))
        if not Card.objects.filter(number=number, status=CardStatus.ACTIVE).exists():
            raise DomainError(_("No valid card has this number."))
    elif number not in citizen_card_numbers(actor):
        raise PermissionDenied(_("You can only give consent for your own card."))
    existing = Consent.objects.filter(
        partner=partner, cnie_number=number, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Consent.objects.create(
                partner=partner,
                cnie_number=number,
                channel=Channel.COUNTER if staff else Channel.ONLINE,
                account=None if staff else actor,
                recorded_by=actor if staff else None,
                unit=actor.unit if staff else None,
            )
    except IntegrityError:
        return Consent.objects.get(partner=partner, cnie_number=number, revoked_at__isnull=True)


@transaction.atomic
def consent_revoke(*, actor, consent_id: uuid.UUID) -> Consent:
    """Revoke a live consent: the citizen whose card it concerns, or an agent at a counter.

    Raises:
        PermissionDenied: neither the card holder nor staff processing identity cards.
        DomainError: no such consent, or already revoked.
    """
    consent = (
        Consent.objects.select_for_update().filter(pk=consent_id).first()
        if _is_uuid(consent_id)
        else None
    )
    if consent is None:
        raise DomainError(_("No such consent."))
    if getattr(actor, "is_staff_member", False):
        if not may_process(actor):
            raise PermissionDenied(_("Your role does not process identity cards."))
    elif consent.cnie_number not in citizen_card_numbers(actor):
        raise PermissionDenied(_("This consent is not yours."))
    if consent.revoked_at is not None:
        raise DomainError(_("This consent was already revoked."))
    consent.revoked_at = timezone.now()
    consent.revoked_by = actor
    consent.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return consent
