"""The identity record exchanged everywhere a person is sent or received (registry import,
registry check, certificate applications, API), and the result of a registry check.

Field names are those of issue 4 ("Person fields"): `person_id`, `cnie`, `given_name_ar`,
`family_name_ar`, `given_name_lat`, `family_name_lat`, `sex`, `birth_date` ("YYYY-MM-DD" or
"YYYY"), `birth_place` (commune code or name), `father_given_name`, `mother_given_name`
(either script).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PartialDate:
    """A birth date known to the day, or only to the year (month and day are then None —
    never invented)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_exact(self) -> bool:
        """True when the day is known."""
        return self.day is not None

    def as_date(self) -> datetime.date | None:
        """The exact date, or None for a year-only date."""
        return datetime.date(self.year, self.month, self.day) if self.is_exact else None

    def __str__(self) -> str:
        return self.as_date().isoformat() if self.is_exact else f"{self.year:04d}"


@dataclass(frozen=True)
class IdentityRecord:
    """One person's identity attributes as exchanged (import line, applicant, API body).

    Names are as written (not normalised); `cnie` is normalised (uppercase, no spaces) or "";
    `sex` is "M", "F" or ""; `birth_place` is a commune code ("04.281.05.11") or a name.
    """

    person_id: str = ""
    cnie: str = ""
    given_name_ar: str = ""
    family_name_ar: str = ""
    given_name_lat: str = ""
    family_name_lat: str = ""
    sex: str = ""
    birth_date: PartialDate | None = None
    birth_place: str = ""
    father_given_name: str = ""
    mother_given_name: str = ""


class CheckOutcome(models.TextChoices):
    """Outcome of an automated registry check (issue 4). RECORD_FOUND still needs a
    supervisor's confirmation before a certificate says so."""

    NO_RECORD = "NO_RECORD", _("No record")
    POSSIBLE_MATCH = "POSSIBLE_MATCH", _("Possible match")
    RECORD_FOUND = "RECORD_FOUND", _("Record found")


@dataclass(frozen=True)
class FieldComparison:
    """How one field of the applicant compares with a candidate's.

    `agreement` is one of "exact", "close", "partial", "disagree", "missing";
    `weight` is the field's contribution to the score (log-likelihood ratio, bits);
    `detail` says in words what was compared (no personal data beyond the two records).
    """

    field: str
    agreement: str
    weight: float
    detail: str = ""


@dataclass(frozen=True)
class Candidate:
    """A registry person retrieved for an applicant, with its score (0–1, match
    probability) and the field-by-field explanation of that score."""

    person_id: str
    score: float
    fields: list[FieldComparison] = field(default_factory=list)


@dataclass(frozen=True)
class CheckResult:
    """Result of `amn.people.matching.registry_check`: the outcome, the best candidate's
    score (0 when none) and the candidates, best first."""

    outcome: CheckOutcome
    score: float
    candidates: list[Candidate] = field(default_factory=list)
