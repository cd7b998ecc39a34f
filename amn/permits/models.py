"""Residence permits (carte d'immatriculation) and visas of foreign nationals.

Applications are addressed outside the back office by their UUID or their human reference
(TS-2026-000123 for a residence permit, EV-2026-000123 for a visa); every application is
handled by one police unit (`handling_unit`), which scopes who may read and decide it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amn.core.models import TimeStampedModel
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
from amn.permits.documents import document_label


class PermitSequence(models.Model):
    """The last number given in one numbering series (e.g. "TS-2026", "card"); rows are
    locked while a number is reserved (amn.permits.numbering)."""

    key = models.CharField(max_length=16, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("permit numbering series")
        verbose_name_plural = _("permit numbering series")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class ApplicantIdentity(TimeStampedModel):
    """Identity and contact of a foreign applicant, as written in the passport.

    `nationality` is an ISO 3166-1 alpha-2 code; `passport_number` is stored uppercase
    without spaces. `open_key` is a hash of the applicant's identity, set while the
    application is being processed and emptied once it is closed: its uniqueness makes a
    second submission of the same application return the first one (see services).
    `language` is the UI language at submission, used for the notices sent to the applicant.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    family_name = models.CharField(_("family name"), max_length=100)
    given_names = models.CharField(_("given names"), max_length=100)
    nationality = models.CharField(
        _("nationality"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    passport_number = models.CharField(_("passport number"), max_length=20)
    passport_expires_on = models.DateField(_("passport expiry date"))
    birth_date = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    handling_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=2, default="ar")
    open_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(
        _("note on the decision"),
        blank=True,
        help_text=_("Kept in the file; not shown to the applicant."),
    )

    class Meta:
        abstract = True


class ResidenceApplication(ApplicantIdentity):
    """An application for a residence card, first or renewal (linked to the card renewed)."""

    kind = models.CharField(
        _("kind"), max_length=8, choices=ApplicationKind.choices, default=ApplicationKind.FIRST
    )
    previous_card = models.ForeignKey(
        "ResidenceCard",
        verbose_name=_("card renewed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    address = models.CharField(_("address in Morocco"), max_length=200)
    reason = models.CharField(_("reason of stay"), max_length=12, choices=ResidenceReason.choices)
    reason_detail = models.CharField(_("reason of stay (details)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.SUBMITTED,
    )
    refusal_reason = models.CharField(
        _("refusal reason"), max_length=24, choices=ResidenceRefusalReason.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("residence permit application")
        verbose_name_plural = _("residence permit applications")
        indexes = [models.Index(fields=["handling_unit", "status"], name="permits_res_unit_status")]
        constraints = [
            models.CheckConstraint(
                name="permits_renewal_names_its_card",
                condition=Q(kind=ApplicationKind.FIRST, previous_card__isnull=True)
                | Q(kind=ApplicationKind.RENEWAL, previous_card__isnull=False),
            ),
            models.CheckConstraint(
                name="permits_res_refusal_has_reason",
                condition=Q(status=ResidenceStatus.REFUSED) & ~Q(refusal_reason="")
                | ~Q(status=ResidenceStatus.REFUSED) & Q(refusal_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class DocumentCheck(models.Model):
    """One required document of an application (code from amn.permits.documents) and
    whether the handling unit received it."""

    application = models.ForeignKey(
        ResidenceApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    code = models.CharField(_("document"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "position", "code"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="permits_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.status}"

    @property
    def label(self) -> str:
        """The document's name in the active language (amn.permits.documents)."""
        return document_label(self.code)


class ResidenceCard(TimeStampedModel):
    """A residence card (carte d'immatriculation) issued on an approved application."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("card number"), max_length=12, unique=True)
    application = models.OneToOneField(
        ResidenceApplication,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="card",
    )
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expiry date"), db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("residence card")
        verbose_name_plural = _("residence cards")
        constraints = [
            models.CheckConstraint(
                name="permits_card_expires_after_issue", condition=Q(expires_on__gt=F("issued_on"))
            )
        ]

    def __str__(self) -> str:
        return self.number


class ExpiryReminder(models.Model):
    """The reminder sent to a card holder before the card expires: at most one per card."""

    card = models.OneToOneField(
        ResidenceCard,
        verbose_name=_("card"),
        on_delete=models.CASCADE,
        related_name="expiry_reminder",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    days_left = models.PositiveSmallIntegerField(_("days left before expiry"))

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")

    def __str__(self) -> str:
        return f"reminder of card {self.card_id}"


class VisaApplication(ApplicantIdentity):
    """An online (e-visa style) visa application."""

    purpose = models.CharField(
        _("purpose of the journey"), max_length=14, choices=VisaPurpose.choices
    )
    purpose_detail = models.CharField(_("purpose (details)"), max_length=300, blank=True)
    intended_entry_on = models.DateField(_("intended date of entry"))
    intended_exit_on = models.DateField(_("intended date of departure"))
    entries_requested = models.CharField(
        _("entries requested"), max_length=8, choices=Entries.choices, default=Entries.SINGLE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisaStatus.choices, default=VisaStatus.SUBMITTED
    )
    refusal_reason = models.CharField(
        _("refusal reason"), max_length=24, choices=VisaRefusalReason.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("visa application")
        verbose_name_plural = _("visa applications")
        indexes = [
            models.Index(fields=["handling_unit", "status"], name="permits_visa_unit_status")
        ]
        constraints = [
            models.CheckConstraint(
                name="permits_visa_exit_after_entry",
                condition=Q(intended_exit_on__gte=F("intended_entry_on")),
            ),
            models.CheckConstraint(
                name="permits_visa_refusal_has_reason",
                condition=Q(status=VisaStatus.REFUSED) & ~Q(refusal_reason="")
                | ~Q(status=VisaStatus.REFUSED) & Q(refusal_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Visa(TimeStampedModel):
    """A visa issued on an application: validity period, entries allowed, longest stay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("visa number"), max_length=12, unique=True)
    application = models.OneToOneField(
        VisaApplication,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="visa",
    )
    issued_on = models.DateField(_("issue date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    entries = models.CharField(_("entries"), max_length=8, choices=Entries.choices)
    max_stay_days = models.PositiveSmallIntegerField(_("longest stay (days)"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("visa")
        verbose_name_plural = _("visas")
        constraints = [
            models.CheckConstraint(
                name="permits_visa_valid_until_after_from",
                condition=Q(valid_until__gte=F("valid_from")),
            ),
            models.CheckConstraint(
                name="permits_visa_stay_positive", condition=Q(max_stay_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.number
