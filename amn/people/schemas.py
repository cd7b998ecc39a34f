import datetime
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict


class PersonOut(Schema):
    """A person record for staff: names in both scripts, birth (date or year only),
    nationality (ISO 3166-1 alpha-2) and the recording unit's code; never the CNIE."""

    id: uuid.UUID
    family_name_ar: str
    given_name_ar: str
    family_name_latin: str
    given_name_latin: str
    sex: str
    birth_date: datetime.date | None
    birth_year: int | None
    nationality: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(person) -> str:
        return person.recorded_by.code


class IdentityIn(Schema):
    """An applicant to check: the exchange fields of amn.people.registry_io (all optional
    here; the parser says which are refused and why). Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    person_id: str | int | None = None
    cnie: str | None = None
    given_name_ar: str | None = None
    family_name_ar: str | None = None
    given_name_lat: str | None = None
    family_name_lat: str | None = None
    sex: str | None = None
    birth_date: str | int | None = Field(None, description='"YYYY-MM-DD" or "YYYY"')
    birth_place: str | None = Field(None, description="commune code or name")
    father_given_name: str | None = None
    mother_given_name: str | None = None


class FieldComparisonOut(Schema):
    """How one field of the applicant compares with a candidate's: agreement ("exact",
    "close", "partial", "disagree", "missing"), weight (its contribution to the score, log
    likelihood ratio in bits) and what was compared."""

    field: str
    agreement: str
    weight: float
    detail: str


class CandidateOut(Schema):
    """A registry person retrieved for the applicant: its registry identifier (the UUID
    when it has none), its score (0–1) and the field-by-field explanation."""

    person_id: str
    score: float
    fields: list[FieldComparisonOut]


class CheckOut(Schema):
    """The result of a registry check: NO_RECORD, POSSIBLE_MATCH or RECORD_FOUND (still to
    be confirmed by a supervisor), the best candidate's score (0 when none) and the
    candidates, best first."""

    outcome: str
    score: float
    candidates: list[CandidateOut]
