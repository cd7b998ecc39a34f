"""Import of incident-level police records from any agency's CSV file (`amn import-incidents`).

A mapping (amn.cases.mappings) names the columns and translates the agency's offence types
into ICCS codes. Each data row becomes one case with one offence, recorded by the org unit
of its place (a tree the import creates under the mapping's root code); an arrest flag
makes the offence cleared by arrest, with an arrest and the clearance dated the incident's
day (the flag carries no date of its own).

Streaming: the file (plain or gzip) is read by the csv module in chunks of CHUNK_ROWS rows
and the cases are handed to amn.cases.bulk.bulk_write as a generator, which writes them in
batches: memory is bounded by one chunk and one batch whatever the file's size. Identical
rows are told apart by their occurrence number, counted in a temporary on-disk SQLite
table so that this too stays constant.

Idempotency: a row's source key is sha256 of its key columns' trimmed values, joined, plus
"#n" for its n-th occurrence among identical rows of the file. Importing the same file
again yields the same keys, which bulk_write finds already stored: nothing changes. An
imported case is not updated by a later import (a corrected mapping needs the old cases
removed first).

Bad rows (malformed, unknown offence type, impossible date, unknown place …) are not
imported at all: each is written with its line number and reason to a rejects CSV. A row
becomes exactly one case, offence and (if flagged) arrest, inserted in the same batch
transaction, so a row is never half-imported; a batch that fails rolls back whole, and
running the import again resumes where it stopped.
"""

import csv
import datetime
import gzip
import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from string import Formatter
from typing import TextIO

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.bulk import BulkCase, BulkOffence, bulk_write
from amn.cases.choices import CaseSource, Clearance
from amn.cases.mappings import Mapping, normalise_label
from amn.cases.models import IccsCategory
from amn.core.errors import ImportProblem
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitType
from amn.orgunits.services import unit_create


class RejectReason(models.TextChoices):
    """Why a row was not imported (the rejects file's `reason` column holds the value)."""

    MALFORMED_ROW = "malformed_row", _("malformed row")
    MISSING_VALUE = "missing_value", _("missing value")
    UNKNOWN_OFFENCE_TYPE = "unknown_offence_type", _("unknown offence type")
    NOT_AN_OFFENCE = "not_an_offence", _("not a criminal offence")
    IMPOSSIBLE_DATE = "impossible_date", _("impossible date")
    INVALID_VALUE = "invalid_value", _("invalid value")
    UNKNOWN_PLACE = "unknown_place", _("unknown place")


REJECT_COLUMNS = ("line", "reason", "detail")
# A date format of the mapping that means ISO 8601 (2022-09-16, 2022-09-16 21:30:00 …),
# parsed by datetime.fromisoformat: several times faster than strptime.
ISO_FORMAT = "iso"


@dataclass
class ImportReport:
    """What an import did: rows read = imported + already present + skipped.

    `in_inbox` counts imported cases that wait in the validation inbox (they are imported
    but kept out of the figures); `skipped` counts rejected rows by RejectReason value.
    """

    source: str
    root_code: str
    rejects_path: Path
    read: int = 0
    imported: int = 0
    already_present: int = 0
    in_inbox: int = 0
    units_created: int = 0
    skipped: Counter = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class IncompleteImport(ImportProblem):
    """The file could not be read to its end; the batches written before stay imported."""


class _Rejected(Exception):
    """A row refused for `reason` (a RejectReason), `detail` saying what was wrong."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


class _OccurrenceCounter:
    """How many times each row content has been met so far in this file.

    Kept in a private temporary SQLite database on disk (sqlite3.connect("")), deleted on
    close: its page cache is bounded, so memory does not grow with the file. Contents are
    identified by the first 8 bytes of their sha256; two different contents sharing them
    would only share a counter, and their keys (built on the full hash) would still differ.
    """

    _LOOKUP = 500  # digests per SELECT (SQLite's default limit is 999 parameters)

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE seen (digest INTEGER PRIMARY KEY, n INTEGER NOT NULL)")

    def count(self, digests: list[bytes]) -> list[int]:
        """The occurrence number (1, 2, …) of each content of a chunk of rows, in order,
        counting the earlier chunks and the rows before it in this one."""
        ids = [int.from_bytes(digest[:8], "big", signed=True) for digest in digests]
        seen: dict[int, int] = {}
        distinct = list(dict.fromkeys(ids))
        for start in range(0, len(distinct), self._LOOKUP):
            part = distinct[start : start + self._LOOKUP]
            marks = ",".join("?" * len(part))
            query = f"SELECT digest, n FROM seen WHERE digest IN ({marks})"  # noqa: S608 (only ?s)
            seen.update(self._db.execute(query, part))
        numbers = []
        for digest in ids:
            seen[digest] = seen.get(digest, 0) + 1
            numbers.append(seen[digest])
        self._db.executemany(
            "INSERT INTO seen VALUES (?, ?) ON CONFLICT (digest) DO UPDATE SET n = excluded.n",
            seen.items(),
        )
        return numbers

    def close(self) -> None:
        self._db.close()


def default_rejects_path(path: Path) -> Path:
    """var/imports/<file name without .csv/.gz>-rejects.csv (the input's folder may be
    read-only, as the shared data is)."""
    stem = path.name.removesuffix(".gz").removesuffix(".csv")
    return Path(settings.VAR_DIR) / "imports" / f"{stem}-rejects.csv"


def _open_text(path: Path) -> TextIO:
    """The file as text, gunzipped when it starts with the gzip magic bytes. Undecodable
    bytes become U+FFFD, and the row holding them is rejected as malformed."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace", newline="")
    return path.open(encoding="utf-8-sig", errors="replace", newline="")


def _parse_day(mapping: Mapping, column: str, value: str, today: datetime.date) -> datetime.date:
    if not value:
        raise _Rejected(RejectReason.MISSING_VALUE, f"{column} is empty")
    for date_format in mapping.date_formats:
        try:
            if date_format == ISO_FORMAT:
                day = datetime.datetime.fromisoformat(value).date()
            else:
                day = datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
        if not mapping.earliest <= day <= today:
            raise _Rejected(
                RejectReason.IMPOSSIBLE_DATE,
                f"{column} {value!r} is outside {mapping.earliest.isoformat()} – "
                f"{today.isoformat()}",
            )
        return day
    raise _Rejected(RejectReason.IMPOSSIBLE_DATE, f"{column} {value!r} is not a valid date")


class _RowMapper:
    """Turns one row (list of trimmed values, in header order) into a BulkCase, or raises
    _Rejected. Column positions and the narrative template are resolved once."""

    _CACHE_LIMIT = 10_000  # distinct (type, detail) pairs remembered

    def __init__(
        self,
        mapping: Mapping,
        header: list[str],
        *,
        units: dict[str, int],
        root_id: int,
        today: datetime.date,
    ):
        self.mapping, self.units, self.root_id, self.today = mapping, units, root_id, today
        position = {column: i for i, column in enumerate(header)}
        self.offence = position[mapping.offence_column]
        self.detail = position[mapping.detail_column] if mapping.detail_column else None
        self.occurred = position[mapping.occurred_column]
        self.recorded = position[mapping.recorded_column] if mapping.recorded_column else None
        self.arrest = position[mapping.arrest_column]
        self.place = position[mapping.place_column]
        self.narrative = _positional(mapping.narrative, position)
        self._codes: dict[tuple[str, str], tuple[str, str]] = {}

    def iccs_code(self, values: list[str]) -> str:
        """The ICCS code of the row's offence type and detail (rules of the mapping)."""
        pair = (values[self.offence], values[self.detail] if self.detail is not None else "")
        outcome = self._codes.get(pair)
        if outcome is None:
            outcome = self._rule_outcome(*pair)
            if len(self._codes) < self._CACHE_LIMIT:
                self._codes[pair] = outcome
        code, refusal = outcome
        if refusal:
            raise _Rejected(code, refusal)
        return code

    def _rule_outcome(self, kind: str, detail: str) -> tuple[str, str]:
        """(ICCS code, "") or (RejectReason, detail of the refusal)."""
        kind, detail = normalise_label(kind), normalise_label(detail)
        if not kind:
            return RejectReason.MISSING_VALUE, f"{self.mapping.offence_column} is empty"
        rule = self.mapping.offences.get(kind)
        if rule is None:
            return RejectReason.UNKNOWN_OFFENCE_TYPE, f"{kind!r} is not in the mapping"
        if rule.skip:
            return RejectReason.NOT_AN_OFFENCE, rule.skip
        code = rule.code_for(detail)
        if code is None:
            return RejectReason.UNKNOWN_OFFENCE_TYPE, f"{kind!r} / {detail!r} is not in the mapping"
        return code, ""

    def unit_id(self, values: list[str]) -> int:
        place = values[self.place]
        if not place:
            if self.mapping.tree.missing_to_root:
                return self.root_id
            raise _Rejected(RejectReason.MISSING_VALUE, f"{self.mapping.place_column} is empty")
        if place not in self.units:
            raise _Rejected(
                RejectReason.UNKNOWN_PLACE,
                f"{self.mapping.place_column} {place!r} is not in the mapping",
            )
        return self.units[place]

    def arrested(self, values: list[str]) -> bool:
        flag = values[self.arrest].lower()
        if flag in self.mapping.arrest_true:
            return True
        if flag in self.mapping.arrest_false:
            return False
        raise _Rejected(
            RejectReason.INVALID_VALUE,
            f"{self.mapping.arrest_column} {values[self.arrest]!r} is not an arrest flag",
        )

    def case(self, values: list[str], key: str) -> BulkCase:
        mapping = self.mapping
        code = self.iccs_code(values)
        occurred = _parse_day(mapping, mapping.occurred_column, values[self.occurred], self.today)
        recorded = occurred
        if self.recorded is not None:
            recorded = _parse_day(
                mapping, mapping.recorded_column, values[self.recorded], self.today
            )
        unit_id = self.unit_id(values)
        arrested = self.arrested(values)
        offence = (
            BulkOffence(iccs_code=code, clearance=Clearance.BY_ARREST, cleared_on=occurred)
            if arrested
            else BulkOffence(iccs_code=code)
        )
        return BulkCase(
            recording_unit_id=unit_id,
            occurred_on=occurred,
            recorded_on=recorded,
            offences=[offence],
            source_key=key,
            narrative=self.narrative.format(*values),
            arrests=[occurred] if arrested else [],
        )


def _positional(template: str, position: dict[str, int]) -> str:
    """The narrative template with column names replaced by their positions, so that a
    row (a list) formats it directly: "{Block}" → "{1}"; literal braces stay escaped."""
    parts = []
    for text, column, spec, conversion in Formatter().parse(template):
        parts.append(text.replace("{", "{{").replace("}", "}}"))
        if column is not None:
            parts.append(
                "{"
                + str(position[column])
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return "".join(parts)


def _check_references(mapping: Mapping, source: str) -> None:
    """The ICCS codes and unit types the mapping names must be loaded."""
    codes = mapping.iccs_codes()
    missing = codes - set(IccsCategory.objects.filter(code__in=codes).values_list("pk", flat=True))
    if missing:
        raise ImportProblem(
            source=source,
            reason=f"ICCS codes not loaded: {', '.join(sorted(missing))} "
            "(run `amn load-reference`, or fix the mapping)",
        )
    types = {mapping.tree.root_unit_type, mapping.tree.unit_type}
    missing = types - set(UnitType.objects.filter(code__in=types).values_list("code", flat=True))
    if missing:
        raise ImportProblem(
            source=source,
            reason=f"unit types not loaded: {', '.join(sorted(missing))} "
            "(run `amn load-reference`, or fix the mapping)",
        )


@transaction.atomic
def _ensure_tree(mapping: Mapping, *, actor) -> tuple[dict[str, int], int, int]:
    """Create the mapping's org-unit tree where missing (all or nothing).

    Returns:
        (unit id by place value, root unit id, number of units created).
    Raises:
        ImportProblem: the root code belongs to a unit that is not a root.
    """
    tree = mapping.tree
    created = 0
    unit_types = {
        unit_type.code: unit_type
        for unit_type in UnitType.objects.filter(code__in=[tree.root_unit_type, tree.unit_type])
    }
    reference = f"Amn import-incidents, mapping {mapping.name}"
    root = OrgUnit.objects.filter(code=tree.root_code).first()
    if root is None:
        root = unit_create(
            actor=actor,
            code=tree.root_code,
            **vars(tree.root_names),
            unit_type=unit_types[tree.root_unit_type],
            parent=None,
            commune=None,
            effective_on=None,
            date_precision=DatePrecision.UNKNOWN,
            decision_reference=reference,
        )
        created += 1
    elif not root.is_root():
        raise ImportProblem(
            source=mapping.name, reason=f"unit {tree.root_code} exists but is not a root unit"
        )
    codes = {tree.code_of(place): place for place in tree.places}
    existing = {}
    for code, pk, path in OrgUnit.objects.filter(code__in=codes).values_list("code", "pk", "path"):
        if not path.startswith(root.path):
            raise ImportProblem(
                source=mapping.name, reason=f"unit {code} exists outside the {root.code} tree"
            )
        existing[code] = pk
    units = {}
    for code, place in codes.items():
        if code not in existing:
            existing[code] = unit_create(
                actor=actor,
                code=code,
                **vars(tree.names_of(place)),
                unit_type=unit_types[tree.unit_type],
                parent=root,
                commune=None,
                effective_on=None,
                date_precision=DatePrecision.UNKNOWN,
                decision_reference=reference,
            ).pk
            created += 1
        units[place] = existing[code]
    return units, root.pk, created


def incidents_import(
    *,
    actor,
    path: Path,
    mapping: Mapping,
    rejects_path: Path | None = None,
    batch_size: int | None = None,
    today: datetime.date | None = None,
) -> ImportReport:
    """Import an incident CSV (plain or gzip) with `mapping`; idempotent.

    Args:
        actor: the User importing, or None (command line).
        path: the CSV file; first row is the header.
        mapping: a loaded Mapping (amn.cases.mappings.load_mapping).
        rejects_path: where to write the rejected rows (default: default_rejects_path);
            overwritten, header only when nothing is rejected.
        batch_size: cases per bulk_write transaction (default: bulk_write's).
        today: the last possible date (default: today); later dates are impossible.
    Returns:
        ImportReport with the counts, the root code of the tree and the rejects path.
    Raises:
        IncompleteImport: the file breaks off (damaged gzip, read error) after the import
            began; the batches before stay written.
        ImportProblem: unreadable or empty file, a header without rows, a column the
            mapping needs is missing from the header, the ICCS codes or unit types it names
            are not loaded, or its unit codes are taken outside its tree. Nothing is
            imported (nor any unit created) in these cases.
    """
    path = Path(path)
    today = today or datetime.date.today()
    rejects_path = Path(rejects_path) if rejects_path else default_rejects_path(path)
    report = ImportReport(
        source=mapping.source_name, root_code=mapping.tree.root_code, rejects_path=rejects_path
    )
    with ExitStack() as stack:
        try:
            handle = stack.enter_context(_open_text(path))
            # strict: a stray quote inside a field is an error (the row is rejected), not
            # silently glued to the next rows.
            reader = csv.reader(handle, strict=True)
            header = [cell.strip() for cell in next(reader, [])]
        except (OSError, EOFError, csv.Error) as error:
            raise ImportProblem(source=str(path), reason=f"cannot be read: {error}") from None
        if not any(header):
            raise ImportProblem(source=str(path), reason="the file is empty (no header row)")
        if len(set(header)) != len(header):
            raise ImportProblem(source=str(path), row=1, reason="two columns have the same name")
        absent = mapping.columns() - set(header)
        if absent:
            raise ImportProblem(
                source=str(path),
                row=1,
                reason=f"columns required by mapping {mapping.name!r} are missing: "
                f"{', '.join(sorted(absent))}",
            )
        _check_references(mapping, source=mapping.name)
        # Nothing is written for a file without rows (the tree included).
        records = _records(reader)
        try:
            first = next(records, None)
        except (OSError, EOFError) as error:
            raise ImportProblem(source=str(path), reason=f"cannot be read: {error}") from None
        if first is None:
            raise ImportProblem(
                source=str(path), row=1, reason="the file has no rows after its header"
            )
        records = chain([first], records)
        units, root_id, report.units_created = _ensure_tree(mapping, actor=actor)
        rejects_path.parent.mkdir(parents=True, exist_ok=True)
        rejects_file = stack.enter_context(rejects_path.open("w", encoding="utf-8", newline=""))
        rejects = csv.writer(rejects_file)
        rejects.writerow([*REJECT_COLUMNS, *header])
        counter = _OccurrenceCounter()
        stack.callback(counter.close)
        mapper = _RowMapper(mapping, header, units=units, root_id=root_id, today=today)
        cases = _cases(records, header, mapping, mapper, counter, rejects, report)
        options = {"batch_size": batch_size} if batch_size else {}
        try:
            result = bulk_write(
                cases, source=CaseSource.IMPORT, source_name=mapping.source_name, **options
            )
        except (OSError, EOFError) as error:  # a damaged or truncated file (gzip included)
            _audit(actor, path, mapping, report, completed=False)
            raise IncompleteImport(
                source=str(path),
                row=reader.line_num,
                reason=f"the file cannot be read further ({error}); the batches written "
                "before this point stay imported; importing the whole file again finishes "
                "the import",
            ) from None
    report.imported, report.already_present = result.written, result.already_present
    report.in_inbox = result.in_inbox
    _audit(actor, path, mapping, report, completed=True)
    return report


def _audit(actor, path: Path, mapping: Mapping, report: ImportReport, *, completed: bool):
    """The bulk load's audit event: counts only, never row contents."""
    audit_event_record(
        actor=actor,
        action=AuditAction.BULK_LOAD,
        target="cases.case",
        target_id=mapping.source_name,
        detail={
            "file": path.name,
            "mapping": mapping.name,
            "completed": completed,
            "read": report.read,
            "imported": report.imported,
            "already_present": report.already_present,
            "in_inbox": report.in_inbox,
            "skipped": dict(report.skipped),
            "units_created": report.units_created,
        },
    )


# Rows whose occurrence numbers are counted together (one SQLite round trip per chunk).
CHUNK_ROWS = 2000


def _records(reader) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line number, row, "") for each record of the file, (line, None, error) for a record
    the csv module cannot parse; blank lines are skipped."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, None, str(error)
            continue
        if row:
            yield reader.line_num, row, ""


def _cases(
    records: Iterator[tuple[int, list[str] | None, str]],
    header: list[str],
    mapping: Mapping,
    mapper: _RowMapper,
    counter: _OccurrenceCounter,
    rejects,
    report: ImportReport,
) -> Iterator[BulkCase]:
    """The cases of the file's good rows (`records` from _records), one at a time; bad
    rows go to `rejects`.

    Rows are read CHUNK_ROWS at a time so that their occurrence numbers are counted in
    one step; memory holds one chunk.
    """
    width = len(header)
    key_positions = [header.index(column) for column in mapping.key_columns]
    while chunk := list(islice(records, CHUNK_ROWS)):
        report.read += len(chunk)
        # (line, row, values, digest, "") for a well-formed row, (line, row, None, None,
        # problem) for a malformed one; kept in file order, so is the rejects file.
        entries: list[tuple[int, list[str], list[str] | None, bytes | None, str]] = []
        for line, row, error in chunk:
            if row is None:
                entries.append((line, [], None, None, error))
            elif len(row) != width:
                entries.append((line, row, None, None, f"{len(row)} fields, not {width}"))
            else:
                values = [value.strip() for value in row]
                if any("\ufffd" in value or "\x00" in value for value in values):
                    problem = "bytes that are not valid UTF-8, or a NUL character"
                    entries.append((line, row, None, None, problem))
                else:
                    content = "\x1f".join([values[i] for i in key_positions]).encode()
                    entries.append((line, row, values, hashlib.sha256(content).digest(), ""))
        numbers = iter(counter.count([digest for *_rest, digest, _p in entries if digest]))
        for line, row, values, digest, problem in entries:
            if values is None:
                _reject(rejects, report, line, RejectReason.MALFORMED_ROW, problem, row)
                continue
            key = f"{digest.hex()[:48]}#{next(numbers)}"
            try:
                case = mapper.case(values, key)
            except _Rejected as rejected:
                _reject(rejects, report, line, rejected.reason, rejected.detail, row)
                continue
            yield case


def _reject(rejects, report: ImportReport, line: int, reason: str, detail: str, row: list) -> None:
    report.skipped[reason] += 1
    rejects.writerow([line, reason, detail, *row])
