"""Schemas of the permits API: ISO dates, raw values (choice values, ISO country codes,
unit codes)."""

import datetime
import uuid

from ninja import Field, Schema


class ApplicationFilterParams(Schema):
    """Filters of the worklists (amn.permits.filters): all optional."""

    unit: str | None = Field(None, max_length=60, description="Unit code: that unit's subtree")
    status: str | None = Field(None, max_length=10)
    reference: str | None = Field(None, max_length=24, description="Part of the reference")
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None

    def as_filter_data(self) -> dict[str, str]:
        """The parameters given, as the strings a FilterSet reads (ISO dates)."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else str(value)
            for name, value in self.model_dump(exclude_none=True).items()
        }


class ResidenceFilterParams(ApplicationFilterParams):
    """Filters of the residence worklist: also reason of stay and kind (first, renewal)."""

    reason: str | None = Field(None, max_length=12)
    kind: str | None = Field(None, max_length=8)


class VisaFilterParams(ApplicationFilterParams):
    """Filters of the visa worklist: also the purpose of the journey."""

    purpose: str | None = Field(None, max_length=14)


class _ApplicationOut(Schema):
    id: uuid.UUID
    reference: str
    status: str
    nationality: str
    handling_unit: str
    submitted_at: datetime.datetime = Field(..., alias="created_at")
    decided_at: datetime.datetime | None
    refusal_reason: str

    @staticmethod
    def resolve_handling_unit(application) -> str:
        return application.handling_unit.code


class ResidenceSummaryOut(_ApplicationOut):
    """A residence-permit application in a list."""

    kind: str
    reason: str


class DocumentOut(Schema):
    """One required document: code, its label in the request's language, status."""

    code: str
    label: str
    status: str
    checked_at: datetime.datetime | None


class CardOut(Schema):
    """An issued residence card."""

    number: str
    issued_on: datetime.date
    expires_on: datetime.date
    status: str


class ResidenceOut(ResidenceSummaryOut):
    """One residence-permit application with the applicant's identity, its checklist and
    its card once issued."""

    family_name: str
    given_names: str
    birth_date: datetime.date
    passport_number: str
    passport_expires_on: datetime.date
    address: str
    reason_detail: str
    previous_card: str | None
    decision_note: str
    documents: list[DocumentOut]
    card: CardOut | None

    @staticmethod
    def resolve_previous_card(application) -> str | None:
        return application.previous_card.number if application.previous_card_id else None

    @staticmethod
    def resolve_documents(application) -> list:
        return list(application.documents.order_by("position", "code"))

    @staticmethod
    def resolve_card(application):
        return getattr(application, "card", None)


class VisaSummaryOut(_ApplicationOut):
    """A visa application in a list."""

    purpose: str
    intended_entry_on: datetime.date
    intended_exit_on: datetime.date
    entries_requested: str


class IssuedVisaOut(Schema):
    """An issued visa."""

    number: str
    issued_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    entries: str
    max_stay_days: int


class VisaApplicationOut(VisaSummaryOut):
    """One visa application with the applicant's identity and the visa once issued."""

    family_name: str
    given_names: str
    birth_date: datetime.date
    passport_number: str
    passport_expires_on: datetime.date
    purpose_detail: str
    decision_note: str
    visa: IssuedVisaOut | None

    @staticmethod
    def resolve_visa(application):
        return getattr(application, "visa", None)


class ResidenceDecisionIn(Schema):
    """decision "approve" (every document received) or "refuse" with a refusal_reason
    (ResidenceRefusalReason) and a note (required for "other")."""

    decision: str = Field(..., pattern="^(approve|refuse)$")
    refusal_reason: str = ""
    note: str = Field("", max_length=2000)


class VisaDecisionIn(Schema):
    """decision "approve" with valid_from, valid_until, entries (single/multiple) and
    max_stay_days, or "refuse" with a refusal_reason (VisaRefusalReason) and a note."""

    decision: str = Field(..., pattern="^(approve|refuse)$")
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    entries: str = ""
    max_stay_days: int | None = Field(None, ge=1, le=365)
    refusal_reason: str = ""
    note: str = Field("", max_length=2000)


class VisaApplicationIn(Schema):
    """An online visa application (as the public form): nationality an ISO 3166-1 alpha-2
    code, handling_unit a unit code (see GET /api/v1/units/stations), purpose and
    entries_requested choice values, dates ISO."""

    family_name: str = Field(..., max_length=100)
    given_names: str = Field(..., max_length=100)
    nationality: str = Field(..., max_length=2)
    birth_date: datetime.date
    passport_number: str = Field(..., max_length=30)
    passport_expires_on: datetime.date
    email: str = Field(..., max_length=254)
    phone: str = Field("", max_length=30)
    purpose: str = Field(..., max_length=14)
    purpose_detail: str = Field("", max_length=300)
    intended_entry_on: datetime.date
    intended_exit_on: datetime.date
    entries_requested: str = Field("single", max_length=8)
    handling_unit: str = Field(..., max_length=60)


class SubmittedOut(Schema):
    """The application received: its reference and status; `existing` true when the same
    application was already in progress (nothing new was recorded)."""

    reference: str
    status: str
    existing: bool
