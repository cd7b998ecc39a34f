"""The fast write path for imports and generated data: cases in batches, not row by row.

Each batch runs the same validation as amn.cases.services.case_record, draws its reference
numbers in one locked step per year, skips rows whose (source_name, source_key) is already
stored (idempotent imports), and inserts cases, offences and arrests with bulk inserts.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction

from amn.cases import validation
from amn.cases.choices import CaseStatus, Clearance
from amn.cases.models import Arrest, Case, Offence
from amn.cases.references import CASE_PREFIX, format_reference, reserve_numbers


@dataclass
class BulkOffence:
    iccs_code: str | None
    clearance: str = Clearance.NOT_CLEARED
    cleared_on: datetime.date | None = None
    exceptional_reason: str = ""


@dataclass
class BulkCase:
    """One case to insert; `arrests` are dates of arrests made by the recording unit."""

    recording_unit_id: int
    occurred_on: datetime.date
    recorded_on: datetime.date
    offences: list[BulkOffence]
    source_key: str | None = None
    reported_on: datetime.date | None = None
    commune_id: int | None = None
    status: str = CaseStatus.OPEN
    narrative: str = ""
    arrests: list[datetime.date] = field(default_factory=list)


@dataclass
class BulkResult:
    written: int = 0
    already_present: int = 0
    in_inbox: int = 0


def _batches(items: Iterable[BulkCase], size: int) -> Iterator[list[BulkCase]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def bulk_write(
    cases: Iterable[BulkCase], *, source: str, source_name: str = "", batch_size: int = 5000
) -> BulkResult:
    """Insert `cases` (any iterable, consumed lazily: memory stays bounded by one batch).

    Args:
        cases: BulkCase rows; rows with a source_key already stored under `source_name`
            are skipped and counted as already present.
        source: a CaseSource value; source_name: the import's name (e.g. "chicago").
        batch_size: rows per transaction.
    Returns:
        BulkResult(written, already_present, in_inbox).
    """
    result = BulkResult()
    for batch in _batches(cases, batch_size):
        with transaction.atomic():
            _write_batch(batch, source=source, source_name=source_name, result=result)
    return result


def _write_batch(batch: list[BulkCase], *, source: str, source_name: str, result: BulkResult):
    keys = [row.source_key for row in batch if row.source_key]
    present = set()
    if keys:
        present = set(
            Case.objects.filter(source_name=source_name, source_key__in=keys).values_list(
                "source_key", flat=True
            )
        )
    fresh = [row for row in batch if not row.source_key or row.source_key not in present]
    result.already_present += len(batch) - len(fresh)
    by_year: dict[int, list[BulkCase]] = defaultdict(list)
    for row in fresh:
        by_year[row.recorded_on.year].append(row)
    case_objects, offence_objects, arrest_objects = [], [], []
    for year, rows in by_year.items():
        for number, row in zip(reserve_numbers(year=year, count=len(rows)), rows, strict=True):
            problems = validation.case_problems(
                occurred_on=row.occurred_on,
                reported_on=row.reported_on,
                recorded_on=row.recorded_on,
                offences=[
                    validation.OffenceFacts(
                        o.iccs_code, o.clearance, o.cleared_on, o.exceptional_reason
                    )
                    for o in row.offences
                ],
                arrest_count=len(row.arrests),
            )
            valid = not problems
            result.in_inbox += not valid
            case_id = uuid.uuid4()
            cleared = (
                max(o.cleared_on for o in row.offences)
                if row.offences and all(o.clearance != Clearance.NOT_CLEARED for o in row.offences)
                else None
            )
            case_objects.append(
                Case(
                    id=case_id,
                    reference=format_reference(kind=CASE_PREFIX, year=year, number=number),
                    recording_unit_id=row.recording_unit_id,
                    commune_id=row.commune_id,
                    occurred_on=row.occurred_on,
                    reported_on=row.reported_on,
                    recorded_on=row.recorded_on,
                    narrative=row.narrative,
                    status=row.status,
                    cleared_on=cleared,
                    source=source,
                    source_name=source_name,
                    source_key=row.source_key or "",
                    problems=problems,
                    is_valid=valid,
                )
            )
            offence_objects.extend(
                Offence(
                    case_id=case_id,
                    iccs_id=o.iccs_code or None,
                    clearance=o.clearance,
                    cleared_on=o.cleared_on,
                    exceptional_reason=o.exceptional_reason,
                    recorded_on=row.recorded_on,
                    recording_unit_id=row.recording_unit_id,
                    commune_id=row.commune_id,
                    is_valid=valid,
                )
                for o in row.offences
            )
            arrest_objects.extend(
                Arrest(case_id=case_id, unit_id=row.recording_unit_id, arrested_on=day)
                for day in row.arrests
            )
    Case.objects.bulk_create(case_objects, batch_size=2000)
    Offence.objects.bulk_create(offence_objects, batch_size=2000)
    Arrest.objects.bulk_create(arrest_objects, batch_size=2000)
    result.written += len(case_objects)
