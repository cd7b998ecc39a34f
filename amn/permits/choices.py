"""Choices of residence permits and visas.

Refusal reasons follow the conditions of entry and stay of Law 02-03 on the entry and
stay of foreigners in Morocco (art. 4: a valid travel document, a justified purpose, means
of subsistence; refusal for a threat to public order).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceReason(models.TextChoices):
    """Why a foreign resident stays in Morocco (the mention printed on the card)."""

    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Family")
    RETIREMENT = "retirement", _("Retirement")
    OTHER = "other", _("Other")


class ApplicationKind(models.TextChoices):
    """A first residence card, or the renewal of a card already held."""

    FIRST = "first", _("First card")
    RENEWAL = "renewal", _("Renewal of a card")


class ResidenceStatus(models.TextChoices):
    """Where a residence-permit application stands."""

    SUBMITTED = "submitted", _("Received, under review")
    APPROVED = "approved", _("Approved, card being produced")
    REFUSED = "refused", _("Refused")
    ISSUED = "issued", _("Card issued")


class DocumentStatus(models.TextChoices):
    """A required document as checked by the handling unit."""

    PENDING = "pending", _("Not checked yet")
    RECEIVED = "received", _("Received")
    MISSING = "missing", _("Missing")


class CardStatus(models.TextChoices):
    """An issued residence card: in force (until its expiry date) or replaced by a renewal."""

    ACTIVE = "active", _("In force until its expiry date")
    REPLACED = "replaced", _("Replaced by a renewed card")


class ResidenceRefusalReason(models.TextChoices):
    """Why a residence permit is refused."""

    DOCUMENTS_MISSING = "documents_missing", _("Required documents are missing")
    REASON_NOT_PROVEN = "reason_not_proven", _("The reason of stay is not proven")
    INSUFFICIENT_MEANS = "insufficient_means", _("Insufficient means of subsistence")
    IRREGULAR_ENTRY = "irregular_entry", _("Irregular entry or stay")
    PUBLIC_ORDER = "public_order", _("Threat to public order")
    FALSE_INFORMATION = "false_information", _("False information or documents")
    OTHER = "other", _("Other reason")


class VisaPurpose(models.TextChoices):
    """Purpose of the journey declared in a visa application."""

    TOURISM = "tourism", _("Tourism")
    BUSINESS = "business", _("Business")
    FAMILY_VISIT = "family_visit", _("Family visit")
    EVENT = "event", _("Sports or cultural event")
    MEDICAL = "medical", _("Medical treatment")
    OTHER = "other", _("Other")


class Entries(models.TextChoices):
    """Number of entries a visa allows."""

    SINGLE = "single", _("Single entry")
    MULTIPLE = "multiple", _("Multiple entries")


class VisaStatus(models.TextChoices):
    """Where a visa application stands (an approved e-visa is issued at once)."""

    SUBMITTED = "submitted", _("Received, under review")
    ISSUED = "issued", _("Visa issued")
    REFUSED = "refused", _("Refused")


class VisaRefusalReason(models.TextChoices):
    """Why a visa is refused (Law 02-03, art. 4)."""

    INVALID_TRAVEL_DOCUMENT = "invalid_document", _("The travel document is invalid or false")
    PURPOSE_NOT_JUSTIFIED = "purpose_not_justified", _("The purpose of the stay is not justified")
    INSUFFICIENT_MEANS = "insufficient_means", _("Insufficient means of subsistence")
    PREVIOUS_OVERSTAY = "previous_overstay", _("A previous stay exceeded the authorised period")
    PUBLIC_ORDER = "public_order", _("Threat to public order")
    INCOMPLETE_APPLICATION = "incomplete", _("The application is incomplete")
    OTHER = "other", _("Other reason")


class Decision(models.TextChoices):
    """A staff decision on an application."""

    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")
