"""Choices of the criminal-record certificate service."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """Where an application stands. SUBMITTED and CHECKING show as "in progress" to the
    applicant; IN_REVIEW and AWAITING_CONFIRMATION as "being examined"."""

    SUBMITTED = "SUBMITTED", _("Submitted")
    CHECKING = "CHECKING", _("Check in progress")
    IN_REVIEW = "IN_REVIEW", _("In review")
    AWAITING_CONFIRMATION = "AWAITING_CONFIRMATION", _("Awaiting a second decision")
    ISSUED = "ISSUED", _("Issued")


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CHECKING,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.AWAITING_CONFIRMATION,
)


class Purpose(models.TextChoices):
    """Why the applicant needs the certificate (asked on the form, printed nowhere)."""

    EMPLOYMENT = "EMPLOYMENT", _("Employment")
    PUBLIC_SERVICE = "PUBLIC_SERVICE", _("Public-service competition or appointment")
    STUDIES = "STUDIES", _("Studies")
    TRAVEL = "TRAVEL", _("Visa or residence abroad")
    LICENCE = "LICENCE", _("Licence or authorisation")
    OTHER = "OTHER", _("Other")


class Delivery(models.TextChoices):
    """How the certificate reaches the applicant."""

    ELECTRONIC = "ELECTRONIC", _("Electronic certificate")
    COLLECT = "COLLECT", _("Collect at a police station")


class EventKind(models.TextChoices):
    """What happened to an application (one ApplicationEvent row each)."""

    SUBMITTED = "SUBMITTED", _("Application submitted")
    CHECK_STARTED = "CHECK_STARTED", _("Registry check started")
    CHECK_FAILED = "CHECK_FAILED", _("Registry check failed")
    CHECKED = "CHECKED", _("Registry check done")
    SENT_TO_REVIEW = "SENT_TO_REVIEW", _("Sent to review")
    DECIDED = "DECIDED", _("Decision recorded")
    CONFIRMED = "CONFIRMED", _("Decision confirmed by a second person")
    RETURNED = "RETURNED", _("Decision not confirmed, returned to review")
    ISSUED = "ISSUED", _("Certificate issued")
    NOTIFIED = "NOTIFIED", _("Applicant notified")
    REVOKED = "REVOKED", _("Certificate revoked")


class DecisionStep(models.TextChoices):
    """First decision, or the second person's confirmation (four eyes)."""

    FIRST = "FIRST", _("First decision")
    CONFIRMATION = "CONFIRMATION", _("Confirmation")


class DecisionOutcome(models.TextChoices):
    """What a reviewer decided."""

    NO_RECORD = "NO_RECORD", _("No record: the applicant is none of the candidates")
    RECORD_FOUND = "RECORD_FOUND", _("Record found: the applicant is this candidate")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    NOT_CONFIRMED = "NOT_CONFIRMED", _("Not confirmed")


class Statement(models.TextChoices):
    """What the certificate states."""

    NO_RECORD = "NO_RECORD", _("No record")
    RECORD = "RECORD", _("Record")


class CertificateStatus(models.TextChoices):
    """Stored status of a certificate; EXPIRED and SUPERSEDED are derived at verification."""

    VALID = "VALID", _("Valid")
    REVOKED = "REVOKED", _("Revoked")


class VerificationMethod(models.TextChoices):
    """How a verifier identified the certificate."""

    QR = "QR", _("QR payload")
    SERIAL = "SERIAL", _("Serial number and control key")


class VerificationResult(models.TextChoices):
    """The answer given to a verifier (issue 4)."""

    VALID = "VALID", _("Valid")
    EXPIRED = "EXPIRED", _("Expired")
    SUPERSEDED = "SUPERSEDED", _("Superseded by a newer certificate")
    REVOKED = "REVOKED", _("Revoked")
    UNKNOWN = "UNKNOWN", _("Unknown")
    FORGED = "FORGED", _("Forged")


class Channel(models.TextChoices):
    """How an application reached the directorate: the E-Police portal or API (online), or
    a police station's counter (entered by staff). The release counts online requests
    apart ("34.014 طلبا رقميا لبطاقة السوابق", DGSN 2025)."""

    ONLINE = "online", _("Online (E-Police)")
    COUNTER = "counter", _("At a police counter")
