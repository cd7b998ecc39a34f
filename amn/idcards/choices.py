"""Choices of the idcards app (CNIE lifecycle and identity verification)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    """Why a CNIE is asked for."""

    FIRST = "first", _("First card")
    RENEWAL = "renewal", _("Renewal")
    REPLACEMENT = "replacement", _("Replacement after loss or theft")
    CHANGE = "change", _("Change of data (address, civil status)")
    MINOR = "minor", _("Minor's card")


# Kinds that concern a card already issued (its number is given with the application).
KINDS_WITH_CARD = frozenset(
    {ApplicationKind.RENEWAL, ApplicationKind.REPLACEMENT, ApplicationKind.CHANGE}
)


class ApplicationStatus(models.TextChoices):
    """Where an application stands. The appointment itself lives in amn.appointments."""

    SUBMITTED = "submitted", _("Pre-application received")
    ENROLLED = "enrolled", _("Enrolled at the office")
    IN_PRODUCTION = "in_production", _("Card in production")
    READY = "ready", _("Ready for collection")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ENROLLED,
    ApplicationStatus.IN_PRODUCTION,
    ApplicationStatus.READY,
)


class Step(models.TextChoices):
    """One dated event of an application's life (ApplicationEvent.step)."""

    SUBMITTED = "submitted", _("Pre-application received")
    LOSS_DECLARED = "loss_declared", _("Loss or theft declared; the card was invalidated")
    BOOKED = "booked", _("Appointment booked")
    RESCHEDULED = "rescheduled", _("Appointment moved")
    BOOKING_CANCELLED = "booking_cancelled", _("Appointment cancelled")
    NO_SHOW = "no_show", _("Did not come to the appointment")
    ENROLLED = "enrolled", _("Enrolled at the office: photo and fingerprints captured")
    IN_PRODUCTION = "in_production", _("Card in production")
    READY = "ready", _("Card ready for collection")
    DELIVERED = "delivered", _("Card delivered")
    CANCELLED = "cancelled", _("Application cancelled")


# The main steps, in order, shown on the tracking page whether reached or not.
MAIN_STEPS = (
    Step.SUBMITTED,
    Step.BOOKED,
    Step.ENROLLED,
    Step.IN_PRODUCTION,
    Step.READY,
    Step.DELIVERED,
)


class CardStatus(models.TextChoices):
    """A card's state. Only an active card within its validity answers MATCH."""

    PRODUCED = "produced", _("Produced, awaiting collection")
    ACTIVE = "active", _("Active")
    LOST = "lost", _("Declared lost")
    STOLEN = "stolen", _("Declared stolen")
    REPLACED = "replaced", _("Replaced by a newer card")


class LossKind(models.TextChoices):
    """What a loss or theft declaration says happened to the card."""

    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")


class PartnerKind(models.TextChoices):
    """Third parties that may verify an identity with the citizen's consent."""

    BANK = "bank", _("Bank")
    TELECOM = "telecom", _("Telecom operator")
    ADMINISTRATION = "administration", _("Administration")


class Channel(models.TextChoices):
    """Where a consent or a loss declaration was given."""

    ONLINE = "online", _("Online, from the citizen's account")
    COUNTER = "counter", _("At a police counter")


class VerificationResult(models.TextChoices):
    """Answer logged for each partner call. Only the first three are answers; the others
    are refusals."""

    MATCH = "MATCH", _("Match")
    NO_MATCH = "NO_MATCH", _("No match")
    CARD_INVALID = "CARD_INVALID", _("Card invalid (expired, lost or stolen)")
    NO_CONSENT = "NO_CONSENT", _("Refused: no consent")
    RATE_LIMITED = "RATE_LIMITED", _("Refused: too many calls")
    INVALID_REQUEST = "INVALID_REQUEST", _("Refused: invalid request")
