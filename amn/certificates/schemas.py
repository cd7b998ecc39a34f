"""Schemas of the certificate API."""

import datetime
import uuid

from ninja import Field, Schema


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
