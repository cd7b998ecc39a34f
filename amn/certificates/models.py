"""Criminal-record certificates (بطاقة السوابق): applications, their dated events, review
decisions (four eyes), issued certificates with gapless serials, and verifications.

Workflows live in services.py; these models hold fields, constraints and indexes only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amn.certificates.choices import (
    OPEN_STATUSES,
    ApplicationStatus,
    CertificateStatus,
    Channel,
    DecisionOutcome,
    DecisionStep,
    Delivery,
    EventKind,
    Purpose,
    Statement,
    VerificationMethod,
    VerificationResult,
)
from amn.core.models import TimeStampedModel
from amn.people.identity import CheckOutcome


class CertificateApplication(TimeStampedModel):
    """A citizen's request for a criminal-record certificate.

    Identity fields mirror amn.people.identity.IdentityRecord. A birth date known only by
    its year stays a year: exactly one of `birth_date` and `birth_year` is set. `cnie` is
    normalised (uppercase, no spaces, ASCII digits). `phone` is E.164 ("+212…"); at least
    one of `phone` and `email` is given. `handling_unit` is the police unit whose staff (and
    their superiors) review the application; `collection_unit` is the station chosen for
    collection (delivery COLLECT only).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    language = models.CharField(_("language"), max_length=2, default="ar")

    cnie = models.CharField(_("CNIE number"), max_length=10, db_index=True)
    given_name_ar = models.CharField(_("given name (Arabic)"), max_length=100, blank=True)
    family_name_ar = models.CharField(_("family name (Arabic)"), max_length=100, blank=True)
    given_name_lat = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    family_name_lat = models.CharField(_("family name (Latin)"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_place = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("place of birth"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    father_given_name = models.CharField(_("father's given name"), max_length=100, blank=True)
    mother_given_name = models.CharField(_("mother's given name"), max_length=100, blank=True)

    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)
    collection_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("collection station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="certificate_applications",
    )
    consent_at = models.DateTimeField(_("consent to the check given at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submission_key = models.UUIDField(
        _("submission key"),
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "One per form shown: a second submission of the same form is not a new application."
        ),
    )

    check_outcome = models.CharField(
        _("check outcome"), max_length=16, choices=CheckOutcome.choices, blank=True
    )
    check_score = models.FloatField(_("check score"), null=True, blank=True)
    check_result = models.JSONField(_("check result"), default=dict, blank=True)
    check_attempts = models.PositiveSmallIntegerField(_("check attempts"), default=0)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("certificate application")
        verbose_name_plural = _("certificate applications")
        indexes = [
            models.Index(fields=["status", "handling_unit"], name="cert_app_status_unit_idx"),
            models.Index(
                fields=["handling_unit", "submitted_on", "channel"], name="cert_app_unit_day_idx"
            ),
        ]
        constraints = [
            # One open application per CNIE: a second request while one is open gets the
            # open reference back (enforced here too, for concurrent submissions).
            models.UniqueConstraint(
                fields=["cnie"],
                condition=Q(status__in=OPEN_STATUSES),
                name="cert_app_one_open_per_cnie",
            ),
            models.CheckConstraint(
                name="cert_app_birth_date_xor_year",
                condition=Q(birth_date__isnull=True, birth_year__isnull=False)
                | Q(birth_date__isnull=False, birth_year__isnull=True),
            ),
            models.CheckConstraint(
                name="cert_app_phone_or_email", condition=~Q(phone="") | ~Q(email="")
            ),
            models.CheckConstraint(
                name="cert_app_name_in_one_script",
                condition=~Q(family_name_ar="") | ~Q(family_name_lat=""),
            ),
            models.CheckConstraint(
                name="cert_app_collection_unit_iff_collect",
                condition=Q(delivery=Delivery.COLLECT, collection_unit__isnull=False)
                | Q(delivery=Delivery.ELECTRONIC, collection_unit__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ApplicationEvent(models.Model):
    """One dated step of an application: who (a user, or None for the system), when, in
    which unit, what (`kind`), with a short note (no personal data) and JSON detail."""

    application = models.ForeignKey(
        CertificateApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
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
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


class ReviewDecision(models.Model):
    """A reviewer's decision on an application. A FIRST decision RECORD_FOUND names the
    registry `person` and needs a CONFIRMATION by another supervisor (four eyes) before a
    certificate states "record"; `confirms` links a confirmation to the decision it
    confirms or refuses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        CertificateApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    step = models.CharField(_("step"), max_length=12, choices=DecisionStep.choices)
    outcome = models.CharField(_("decision"), max_length=16, choices=DecisionOutcome.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("registry person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirms = models.ForeignKey(
        "self",
        verbose_name=_("confirms"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmations",
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.CheckConstraint(
                name="cert_decision_record_names_person",
                condition=~Q(outcome=DecisionOutcome.RECORD_FOUND) | Q(person__isnull=False),
            ),
            models.CheckConstraint(
                name="cert_decision_confirmation_links_first",
                condition=Q(step=DecisionStep.FIRST, confirms__isnull=True)
                | Q(step=DecisionStep.CONFIRMATION, confirms__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.step} {self.outcome}"


class CertificateCounter(models.Model):
    """The last certificate sequence number given per issuing unit and year; the row is
    locked (select_for_update) while a number is drawn, so serials have no gaps or
    duplicates even with concurrent issuers."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="cert_counter_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class ApplicationCounter(models.Model):
    """The last application reference number given per year (row-locked when drawing)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Certificate(TimeStampedModel):
    """An issued criminal-record certificate.

    `serial` ("2026-0042-000123": year, issuing unit number, sequence) is unique, and so is
    (issuing unit, year, sequence). Holder fields are a snapshot of the application at
    issue. `statement` is NO_RECORD or RECORD; for RECORD, `convictions` lists what the
    certificate states, each {"court", "judgment_date" (ISO), "offence_code",
    "offence_label", "sentence"}. `valid_until` is the last day of validity (issue date +
    3 months). `control_key` is the short key printed beside the serial; `seal_payload`
    is the signed compact text of the QR code, made with key `seal_key_id`.
    A newer certificate for the same CNIE sets `superseded_by` on the older one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(
        CertificateApplication,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    issuing_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    serial = models.CharField(_("serial number"), max_length=24, unique=True)
    control_key = models.CharField(_("control key"), max_length=8)
    language = models.CharField(_("language"), max_length=2, default="ar")

    holder_cnie = models.CharField(_("CNIE number"), max_length=10, db_index=True)
    holder_given_name_ar = models.CharField(_("given name (Arabic)"), max_length=100, blank=True)
    holder_family_name_ar = models.CharField(_("family name (Arabic)"), max_length=100, blank=True)
    holder_given_name_lat = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    holder_family_name_lat = models.CharField(_("family name (Latin)"), max_length=100, blank=True)
    holder_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    holder_birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    holder_birth_place = models.ForeignKey(
        "geo.Commune", verbose_name=_("place of birth"), on_delete=models.PROTECT, related_name="+"
    )
    holder_father_given_name = models.CharField(
        _("father's given name"), max_length=100, blank=True
    )
    holder_mother_given_name = models.CharField(
        _("mother's given name"), max_length=100, blank=True
    )

    statement = models.CharField(_("statement"), max_length=10, choices=Statement.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("registry person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    convictions = models.JSONField(_("convictions stated"), default=list, blank=True)

    issued_at = models.DateTimeField(_("issued at"))
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when issued automatically after a clean check."),
    )
    seal_key_id = models.CharField(_("seal key id"), max_length=40, blank=True)
    seal_payload = models.TextField(_("sealed QR payload"), blank=True)

    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_reason = models.TextField(_("revocation reason"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )

    class Meta:
        ordering = ["-issued_at", "id"]
        verbose_name = _("criminal-record certificate")
        verbose_name_plural = _("criminal-record certificates")
        indexes = [
            models.Index(fields=["issuing_unit", "issued_on"], name="cert_unit_issued_on_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "sequence"], name="cert_serial_unit_year_seq"
            ),
            models.CheckConstraint(
                name="cert_holder_birth_date_xor_year",
                condition=Q(holder_birth_date__isnull=True, holder_birth_year__isnull=False)
                | Q(holder_birth_date__isnull=False, holder_birth_year__isnull=True),
            ),
            models.CheckConstraint(
                name="cert_record_names_person",
                condition=Q(statement=Statement.NO_RECORD) | Q(person__isnull=False),
            ),
            models.CheckConstraint(
                name="cert_revocation_complete",
                condition=Q(status=CertificateStatus.VALID, revoked_at__isnull=True)
                | Q(status=CertificateStatus.REVOKED, revoked_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class VerificationEvent(models.Model):
    """One verification of a certificate by anyone (employer, bank …): the certificate if
    it was identified, how, what was answered, when, and the verifier's organisation if
    they gave it. The client address is kept only as a keyed digest (HMAC with the secret
    key), never in clear."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    method = models.CharField(_("method"), max_length=8, choices=VerificationMethod.choices)
    result = models.CharField(_("result"), max_length=12, choices=VerificationResult.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    verifier_organisation = models.CharField(_("verifier organisation"), max_length=200, blank=True)
    client_digest = models.CharField(_("client digest"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "id"]
        verbose_name = _("certificate verification")
        verbose_name_plural = _("certificate verifications")
        indexes = [models.Index(fields=["certificate", "at"], name="cert_verif_cert_at_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.result}"


class SubmissionKey(models.Model):
    """An Idempotency-Key of the public submission API (POST /api/v1/certificates/
    applications) and the answer its first request got.

    `key` (8–128 characters among A–Z a–z 0–9 _ -, chosen by the client) is unique in the
    database: of two requests carrying one key, only one can insert its row, so they can
    never both create an application. `body_digest` is the SHA-256 (64 hex characters) of
    the canonical JSON of the request body: a retry must send the same body. `application`
    is the application the first request created (`created_new` True, answered 201) or found
    open for the same CNIE (`created_new` False, answered 200).
    """

    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    body_digest = models.CharField(_("request body digest"), max_length=64)
    application = models.ForeignKey(
        CertificateApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="submission_keys",
    )
    created_new = models.BooleanField(_("created the application"))
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("submission idempotency key")
        verbose_name_plural = _("submission idempotency keys")

    def __str__(self) -> str:
        return self.key
