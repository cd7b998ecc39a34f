"""The electronic national identity card (CNIE, البطاقة الوطنية للتعريف الإلكترونية):
applications and their dated steps, cards, loss and theft declarations, and the identity
verification service for partners (partners, consents, logged calls).

Photo and fingerprints are captured by hardware outside Amn: an application records only
that they were captured, by whom and when. A card carries the holder's identity as printed
on it; the CNIE number is the holder's for life (kept across renewals and replacements), so
several cards may share a number, but at most one is active and at most one awaits
collection (produced) at a time.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amn.core.models import TimeStampedModel
from amn.idcards.choices import (
    OPEN_STATUSES,
    ApplicationKind,
    ApplicationStatus,
    CardStatus,
    Channel,
    LossKind,
    PartnerKind,
    Step,
    VerificationResult,
)
from amn.people.choices import Sex


class Card(TimeStampedModel):
    """One CNIE as produced: number, holder's identity as printed, issue and expiry dates,
    issuing unit and state.

    `region` repeats the region of the holder's commune (or of the issuing unit) so that
    cards are counted by month and region without joins. `account` is the citizen account
    the card is linked to (the one that applied online), if any.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("CNIE number"), max_length=10, db_index=True)
    family_name_latin = models.CharField(_("family name (Latin)"), max_length=100)
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=100)
    family_name_ar = models.CharField(_("family name (Arabic)"), max_length=100)
    given_name_ar = models.CharField(_("given name (Arabic)"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.PRODUCED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    application = models.OneToOneField(
        "idcards.CnieApplication",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="card",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("CNIE card")
        verbose_name_plural = _("CNIE cards")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status=CardStatus.ACTIVE),
                name="card_one_active_per_number",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status=CardStatus.PRODUCED),
                name="card_one_produced_per_number",
            ),
            models.CheckConstraint(
                name="card_validity_ordered", condition=Q(expires_on__gt=F("issued_on"))
            ),
        ]
        indexes = [
            models.Index(fields=["issued_on", "region"], name="card_issued_region_idx"),
            # The report counts a year of cards per issuing unit (amn.indicators.engine).
            models.Index(fields=["unit", "issued_on"], name="card_unit_issued_idx"),
        ]

    def __str__(self) -> str:
        return f"card {self.id}"


class CardNumberCounter(models.Model):
    """The last number given under a letter prefix (row-locked by amn.idcards.numbers)."""

    prefix = models.CharField(max_length=2, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("CNIE number counter")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class CnieApplication(TimeStampedModel):
    """A CNIE application, from the citizen's online pre-application to delivery.

    `reference` is the random public reference the citizen tracks it with (with the birth
    date). `unit` is the office that handles it: the office chosen, or the police unit the
    chosen mobile unit's stop depends on (access scoping follows it). `fingerprint` is a
    digest of the pre-application's identity and kind: an open application with the same
    fingerprint is the same pre-application submitted again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ApplicationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    family_name_latin = models.CharField(_("family name (Latin)"), max_length=100)
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=100)
    family_name_ar = models.CharField(_("family name (Arabic)"), max_length=100)
    given_name_ar = models.CharField(_("given name (Arabic)"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=250)
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language of the notices"), max_length=2, default="ar", help_text=_("ar, fr or en.")
    )
    cnie_number = models.CharField(
        _("CNIE number"),
        max_length=10,
        blank=True,
        help_text=_("The number of the card renewed, replaced or changed; else the new one."),
    )
    previous_card = models.ForeignKey(
        Card,
        verbose_name=_("previous card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_cnie = models.CharField(_("guardian's CNIE number"), max_length=10, blank=True)
    change_details = models.CharField(_("data to change"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stop = models.ForeignKey(
        "mobileunits.Stop",
        verbose_name=_("mobile-unit stop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    biometrics_captured_at = models.DateTimeField(
        _("photo and fingerprints captured at"), null=True, blank=True
    )
    biometrics_captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("photo and fingerprints captured by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("CNIE application")
        verbose_name_plural = _("CNIE applications")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=Q(status__in=OPEN_STATUSES),
                name="cnieapplication_one_open_per_fingerprint",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="cnieapp_unit_status_idx"),
            models.Index(fields=["citizen"], name="cnieapp_citizen_idx"),
            models.Index(fields=["stop"], name="cnieapp_stop_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        """True until the card is delivered or the application cancelled."""
        return self.status in OPEN_STATUSES


class ApplicationEvent(models.Model):
    """One dated step of an application: when, which step, who did it, in which unit.

    `detail` holds non-personal facts of the step (an appointment's time, a booking id).
    """

    application = models.ForeignKey(
        CnieApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        indexes = [models.Index(fields=["application", "at"], name="cnieevent_app_at_idx")]

    def __str__(self) -> str:
        return f"{self.step} {self.at:%Y-%m-%d %H:%M}"


class LossDeclaration(TimeStampedModel):
    """A declaration that a card was lost or stolen; the card is invalidated when it is
    recorded (amn.idcards.services.card_declare_loss)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    card = models.ForeignKey(
        Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="loss_declarations"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=LossKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    circumstances = models.CharField(_("circumstances"), max_length=500, blank=True)
    application = models.ForeignKey(
        CnieApplication,
        verbose_name=_("replacement application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loss_declarations",
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("loss or theft declaration")
        verbose_name_plural = _("loss or theft declarations")

    def __str__(self) -> str:
        return f"declaration {self.id}"


class Partner(TimeStampedModel):
    """A third party (bank, telecom operator, administration) allowed to verify identities
    with the citizens' consent. Only a SHA-256 digest of its API key is stored; the key is
    shown once, at creation (amn.idcards.services.partner_create). `key_prefix` (the key's
    public first part) finds the partner without scanning."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key digest"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    calls_per_minute = models.PositiveIntegerField(
        _("calls per minute"), default=60, help_text=_("Calls above this rate are refused (429).")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("verification partner")
        verbose_name_plural = _("verification partners")

    def __str__(self) -> str:
        return self.name


class Consent(TimeStampedModel):
    """A citizen's consent that `partner` may verify the identity behind `cnie_number`,
    given online from the citizen's account (`account`) or at a counter (`recorded_by`,
    `unit`); revocable (`revoked_at`). At most one consent is live per partner and number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="consents"
    )
    cnie_number = models.CharField(_("CNIE number"), max_length=10)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-granted_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "cnie_number"],
                condition=Q(revoked_at__isnull=True),
                name="consent_one_live_per_partner_number",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.id}"


class VerificationCall(models.Model):
    """One call of a partner to the verification service, with the answer given (or the
    refusal). The citizen sees the calls about their number ("who checked my identity")."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="calls"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    cnie_number = models.CharField(_("CNIE number"), max_length=10, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=VerificationResult.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("verification call")
        verbose_name_plural = _("verification calls")
        indexes = [
            models.Index(fields=["cnie_number", "at"], name="verifcall_number_at_idx"),
            models.Index(fields=["partner", "at"], name="verifcall_partner_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.at:%Y-%m-%d %H:%M} {self.result}"


class CardLoad(models.Model):
    """One generated national year of cards (`amn generate-demo --cnie N`): written once
    per (year, seed, cards) in the same transaction as the cards, so generating again
    writes nothing."""

    year = models.PositiveSmallIntegerField(_("year"))
    seed = models.IntegerField(_("seed"))
    cards = models.PositiveIntegerField(_("cards asked"))
    written = models.PositiveIntegerField(_("cards written"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("generated card load")
        constraints = [
            models.UniqueConstraint(fields=["year", "seed", "cards"], name="cardload_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.seed}: {self.written}"
