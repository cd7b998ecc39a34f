"""Checks that decide whether a case enters the figures or waits in the validation inbox.

Clearance rule (stated next to every clearance figure): an offence is cleared by arrest
when at least one person was arrested for its case; cleared by exceptional means when the
offender is identified but cannot be arrested (death, extradition refused, immunity …),
with the reason recorded; otherwise it is not cleared. The clearance date is the date of
the first arrest or of the exceptional decision. This follows the FBI UCR clearance rules,
which most national police statistics adopt.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from amn.cases.choices import Clearance, Problem


class OffenceLike(Protocol):
    """What validation reads of an offence: services.OffenceInput, bulk.BulkOffence and
    OffenceFacts all have these attributes."""

    iccs_code: str | None
    clearance: str
    cleared_on: datetime.date | None
    exceptional_reason: str


@dataclass(frozen=True)
class OffenceFacts:
    """What validation needs to know of one offence, as a value."""

    iccs_code: str | None
    clearance: str
    cleared_on: datetime.date | None
    exceptional_reason: str = ""


def case_problems(
    *,
    occurred_on: datetime.date,
    reported_on: datetime.date | None,
    recorded_on: datetime.date,
    offences: Iterable[OffenceLike],
    arrest_count: int,
) -> list[str]:
    """The Problem values of a case, in a stable order (empty list: the case is valid).

    Args:
        occurred_on, reported_on, recorded_on: the case's dates (reported may be unknown).
        offences: its offences.
        arrest_count: how many arrests are recorded for the case.
    Returns:
        list[str] of amn.cases.choices.Problem values, without duplicates.
    """
    problems: list[str] = []
    dates = [d for d in (occurred_on, reported_on, recorded_on) if d is not None]
    if dates != sorted(dates):
        problems.append(Problem.DATES_OUT_OF_ORDER)
    for offence in offences:
        if not offence.iccs_code:
            problems.append(Problem.MISSING_ICCS)
        if offence.clearance == Clearance.BY_ARREST and arrest_count == 0:
            problems.append(Problem.CLEARED_WITHOUT_ARREST)
        if offence.clearance == Clearance.EXCEPTIONAL and not offence.exceptional_reason.strip():
            problems.append(Problem.EXCEPTIONAL_WITHOUT_REASON)
        if offence.cleared_on is not None and offence.cleared_on < occurred_on:
            problems.append(Problem.CLEARED_BEFORE_OCCURRED)
    return list(dict.fromkeys(problems))


def case_cleared_on(offences: Sequence[OffenceLike]) -> datetime.date | None:
    """A case is cleared when every offence is cleared; its date is the last clearance
    (None while any offence is not cleared, or for a case without offences)."""
    if offences and all(o.clearance != Clearance.NOT_CLEARED for o in offences):
        return max(o.cleared_on for o in offences)
    return None
