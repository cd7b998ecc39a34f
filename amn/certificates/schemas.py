"""Schemas of the certificate API."""

import datetime
import uuid
from typing import Literal

from ninja import Field, Schema

from amn.certificates.choices import Delivery, Purpose

# The codes of the choices, as JSON Schema enums (the choices' own lists, not copies).
PurposeCode = Literal[tuple(Purpose.values)]
DeliveryCode = Literal[tuple(Delivery.values)]


class VerifyIn(Schema):
    """A verification request: the QR payload, or the serial and the control key; the
    verifier's organisation optionally (shown to the holder)."""

    payload: str | None = Field(None, max_length=2000, description="Text read from the QR code")
    serial: str | None = Field(
        None, max_length=40, description="Serial number, e.g. 2026-0042-000123"
    )
    control_key: str | None = Field(None, max_length=20, description="Control key, e.g. 7KQ2-M9XD")
    organisation: str = Field("", max_length=200, description="Verifier's organisation")


class VerifyOut(Schema):
    """The live status; the holder's name, issue date, last day of validity and statement
    only when the certificate was identified (not for UNKNOWN or FORGED)."""

    status: str = Field(description="VALID, EXPIRED, SUPERSEDED, REVOKED, UNKNOWN or FORGED")
    holder_name: str | None = None
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    statement: str | None = Field(None, description="NO_RECORD or RECORD")


class QueueItemOut(Schema):
    """An application waiting for a person (no personal data: open it to see the applicant)."""

    id: uuid.UUID
    reference: str
    status: str
    check_outcome: str
    check_score: float | None
    handling_unit: str = Field(alias="handling_unit.code")
    created_at: datetime.datetime


class DecisionIn(Schema):
    """A first decision: NO_RECORD, or RECORD_FOUND naming the candidate's UUID; a reason."""

    outcome: str = Field(description="NO_RECORD or RECORD_FOUND")
    person_id: uuid.UUID | None = None
    reason: str = Field(max_length=1000)


class ConfirmIn(Schema):
    """The second person's decision: confirm (true) or send back (false), with a reason."""

    confirm: bool
    reason: str = Field(max_length=1000)


class DecisionOut(Schema):
    """A recorded decision and the application's status after it."""

    id: uuid.UUID
    step: str
    outcome: str
    application_status: str = Field(alias="application.status")


class CertificateApplicationIn(Schema):
    """A citizen's application, as on the web form (/certificates/apply/). Names in Arabic
    script, Latin script or both (the family name at least in one); a phone number or an
    e-mail address; the collection station only when the certificate is collected. Digits
    may be Arabic-Indic. Errors come back per field (422)."""

    cnie: str = Field(max_length=20, description="CNIE number, e.g. BE123456")
    given_name_ar: str = Field("", max_length=120, description="Given name, Arabic script")
    family_name_ar: str = Field("", max_length=120, description="Family name, Arabic script")
    given_name_lat: str = Field("", max_length=120, description="Given name, Latin script")
    family_name_lat: str = Field("", max_length=120, description="Family name, Latin script")
    sex: Literal["", "M", "F"] = Field("", description="M, F, or empty when not given")
    birth_date: str = Field(
        max_length=10, description="YYYY-MM-DD, or YYYY when only the year is recorded"
    )
    birth_place: str = Field(
        max_length=250, description="Commune of birth: its code (e.g. 09.001.01.01) or name"
    )
    father_given_name: str = Field("", max_length=120)
    mother_given_name: str = Field("", max_length=120)
    phone: str = Field("", max_length=24, description="Moroccan mobile number")
    email: str = Field("", max_length=254)
    purpose: PurposeCode = Field(description="Why the certificate is needed")
    delivery: DeliveryCode
    collection_unit: str = Field(
        "", max_length=40, description="Code of the police station (delivery COLLECT only)"
    )
    consent: bool = Field(description="Consent to the check against the records registry")
    language: Literal["ar", "fr", "en"] = Field(
        "ar", description="Language of the notifications and of the certificate"
    )


class CertificateApplicationOut(Schema):
    """The answer to a submission: the application's reference, and SUBMITTED (a new
    application, answered 201) or ALREADY_OPEN (this CNIE already has an open application,
    whose reference is given; nothing new was made; answered 200). A retry with the same
    Idempotency-Key gets the same answer (header Idempotent-Replayed: true)."""

    reference: str = Field(description="e.g. CR-2026-000123")
    status: Literal["SUBMITTED", "ALREADY_OPEN"]
    created: bool = Field(description="Whether this key's first request made the application")


class SubmissionErrorDetail(Schema):
    """What went wrong: a stable code, a message in the request's language and, for
    refused values, the problem of each field."""

    code: str
    message: str
    fields: dict[str, str] | list[dict] | None = Field(
        None,
        description="{field: message} for values the rules refuse, or a list of "
        "{loc, msg, type} for a malformed body",
    )


class SubmissionErrorOut(Schema):
    """The API's error envelope: {"error": {"code", "message", "fields"?}}."""

    error: SubmissionErrorDetail
