"""The fast write path for imports and generated data: cases in batches, not row by row.

Each batch runs the same validation as amn.cases.services.case_record (problems → the
validation inbox, `is_valid` False), draws its reference numbers in one locked step per
year, skips rows whose (source_name, source_key) is already stored (idempotent imports),
and inserts cases, offences and arrests without building Django model instances: one
`executemany` per table on SQLite, one `COPY … FROM STDIN` per table on PostgreSQL.

Bulk inserts send no model signals, so django-auditlog records nothing: callers write one
audit event for the load (amn.audit.services.audit_event_record, action "bulk_load").
"""

import datetime
import json
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from amn.cases import validation
from amn.cases.choices import CaseStatus, Clearance
from amn.cases.models import Arrest, Case, Offence, Seizure
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
    cases: Iterable[BulkCase],
    *,
    source: str,
    source_name: str = "",
    batch_size: int = 10_000,
    defer_indexes: bool = False,
) -> BulkResult:
    """Insert `cases` (any iterable, consumed lazily: memory stays bounded by one batch).

    Args:
        cases: BulkCase rows; rows with a source_key already stored under `source_name`
            (or repeated within one batch) are skipped and counted as already present.
        source: a CaseSource value; source_name: the import's name (e.g. "chicago").
        batch_size: rows per transaction; a failed batch is rolled back whole and the
            batches before it stay written (writing again resumes where it stopped).
        defer_indexes: for a load of many rows at once (hundreds of thousands): the whole
            load becomes one transaction and the case tables' indexes are built once at
            the end (see deferred_indexes); a failure then rolls back everything.
    Returns:
        BulkResult(written, already_present, in_inbox).
    Raises:
        django.db.IntegrityError: a row breaks a database constraint (an ICCS code that is
            not in the table, a clearance without its date …); its batch (or, with
            defer_indexes, the whole load) is rolled back.
    """
    writer = BulkWriter(source=source, source_name=source_name)
    if defer_indexes:
        with transaction.atomic(), deferred_indexes():
            for batch in _batches(cases, batch_size):
                writer.write_batch(batch)
    else:
        for batch in _batches(cases, batch_size):
            with transaction.atomic():
                writer.write_batch(batch)
    return writer.result


class BulkWriter:
    """Writes batches of BulkCase rows for one source; `result` accumulates the counts.

    For callers that store more beside each batch (seizures, networks) in the same
    transaction: call `write_batch()` inside their own `transaction.atomic()`.
    """

    def __init__(self, *, source: str, source_name: str = ""):
        self.source = source
        self.source_name = source_name
        self.result = BulkResult()
        self._vendor = connection.vendor
        if self._vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(
                f"bulk_write supports SQLite and PostgreSQL, not {self._vendor}"
            )
        self._sqlite = self._vendor == "sqlite"
        self._case_table = _Table(Case, CASE_COLUMNS)
        self._offence_table = _Table(Offence, OFFENCE_COLUMNS)
        self._arrest_table = _Table(Arrest, ARREST_COLUMNS)
        self._ids = _TimeOrderedIds()

    def write_batch(self, batch: list[BulkCase]) -> list[uuid.UUID | None]:
        """Write one batch (call inside a transaction).

        Returns:
            list aligned with `batch`: the new case's id, or None for a row skipped as
            already present.
        """
        fresh = self._fresh_rows(batch)
        self.result.already_present += sum(1 for row in fresh if row is None)
        ids: list[uuid.UUID | None] = [None] * len(batch)
        positions_by_year: dict[int, list[int]] = defaultdict(list)
        for position, row in enumerate(fresh):
            if row is not None:
                positions_by_year[row.recorded_on.year].append(position)
        count = sum(len(positions) for positions in positions_by_year.values())
        if not count:
            return ids
        new_ids = self._ids.take(count)
        sqlite = self._sqlite
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now) if sqlite else now
        source, source_name = self.source, self.source_name
        case_problems = validation.case_problems
        value = _DateValues(as_text=sqlite)
        case_rows, offence_rows, arrest_rows = [], [], []
        next_id = iter(new_ids)
        in_inbox = 0
        for year, positions in sorted(positions_by_year.items()):
            numbers = reserve_numbers(year=year, count=len(positions))
            for position, number in zip(positions, numbers, strict=True):
                row = batch[position]
                ids[position] = case_id = next(next_id)
                if sqlite:
                    case_id = case_id.hex
                offences = row.offences
                problems = case_problems(
                    occurred_on=row.occurred_on,
                    reported_on=row.reported_on,
                    recorded_on=row.recorded_on,
                    offences=offences,
                    arrest_count=len(row.arrests),
                )
                valid = not problems
                if not valid:
                    in_inbox += 1
                cleared_on = validation.case_cleared_on(offences)
                recorded_on = row.recorded_on
                unit_id = row.recording_unit_id
                commune_id = row.commune_id
                case_rows.append(
                    (
                        case_id,
                        stamp,
                        stamp,
                        format_reference(kind=CASE_PREFIX, year=year, number=number),
                        unit_id,
                        commune_id,
                        value[row.occurred_on],
                        value[row.reported_on],
                        value[recorded_on],
                        row.narrative,
                        row.status,
                        value[cleared_on],
                        source,
                        source_name,
                        row.source_key or "",
                        json.dumps(problems) if problems else "[]",
                        valid,
                    )
                )
                for o in offences:
                    offence_rows.append(
                        (
                            case_id,
                            o.iccs_code or None,
                            o.clearance,
                            value[o.cleared_on],
                            o.exceptional_reason,
                            value[recorded_on],
                            unit_id,
                            commune_id,
                            valid,
                            None,
                        )
                    )
                for day in row.arrests:
                    arrest_rows.append((case_id, unit_id, value[day], None))
        with connection.cursor() as cursor:
            for table, rows in (
                (self._case_table, case_rows),
                (self._offence_table, offence_rows),
                (self._arrest_table, arrest_rows),
            ):
                if rows:
                    table.insert(cursor, rows)
        self.result.written += count
        self.result.in_inbox += in_inbox
        return ids

    def _fresh_rows(self, batch: list[BulkCase]) -> list[BulkCase | None]:
        """`batch` with None in place of rows whose key is stored or repeated in the batch."""
        keys = [row.source_key for row in batch if row.source_key]
        present = self._stored_keys(keys) if keys else set()
        fresh: list[BulkCase | None] = []
        for row in batch:
            if row.source_key:
                if row.source_key in present:
                    fresh.append(None)
                    continue
                present.add(row.source_key)
            fresh.append(row)
        return fresh

    def _stored_keys(self, keys_list: list[str]) -> set[str]:
        """The subset of `keys_list` stored under this source name.

        First one range probe: when no stored key lies between the batch's smallest and
        largest key (a fresh source, or keys that grow like the generator's), nothing is
        looked up one by one. The bounds are computed by the database so that they follow
        its collation. The condition source_key <> '' repeats the unique index's own, so
        that the index serves both queries.
        """
        # The keys travel as one JSON text (an array parameter costs psycopg more).
        keys = "json_each(%s)" if self._sqlite else "json_array_elements_text(%s::json)"
        scope = f"FROM {self._case_table.table} WHERE source_name = %s AND NOT (source_key = '')"
        parameter = json.dumps(keys_list)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 {scope} AND source_key "  # noqa: S608 — table and function names
                f"BETWEEN (SELECT min(value) FROM {keys}) AND (SELECT max(value) FROM {keys}) "
                "LIMIT 1",
                [self.source_name, parameter, parameter],
            )
            if cursor.fetchone() is None:
                return set()
            if self._sqlite:
                query = f"SELECT source_key {scope} AND source_key IN (SELECT value FROM {keys})"  # noqa: S608
            else:
                # One index probe per key, whatever the table's statistics say: LIMIT keeps
                # the lateral subquery from being flattened into a join that PostgreSQL
                # planned as a scan of every stored key per batch when its statistics
                # predated the rows of the running import.
                query = (
                    f"SELECT wanted.value FROM {keys} AS wanted(value) CROSS JOIN LATERAL "  # noqa: S608
                    f"(SELECT 1 FROM {self._case_table.table} WHERE source_name = %s "
                    "AND NOT (source_key = '') AND source_key = wanted.value LIMIT 1) AS hit"
                )
            parameters = (
                [self.source_name, parameter] if self._sqlite else [parameter, self.source_name]
            )
            cursor.execute(query, parameters)
            return {key for (key,) in cursor.fetchall()}


# The columns bulk_write fills, by attribute name, in the order of the row tuples above.
CASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "reference",
    "recording_unit_id",
    "commune_id",
    "occurred_on",
    "reported_on",
    "recorded_on",
    "narrative",
    "status",
    "cleared_on",
    "source",
    "source_name",
    "source_key",
    "problems",
    "is_valid",
)
OFFENCE_COLUMNS = (
    "case_id",
    "iccs_id",
    "clearance",
    "cleared_on",
    "exceptional_reason",
    "recorded_on",
    "recording_unit_id",
    "commune_id",
    "is_valid",
    "national_code_id",
)
ARREST_COLUMNS = ("case_id", "unit_id", "arrested_on", "party_id")


class _Table:
    """The insert statement of one model for the given columns; any other concrete field
    (except an auto-increment key) gets its model default, prepared once."""

    def __init__(self, model, attnames: tuple[str, ...]):
        meta = model._meta
        fields = {f.attname: f for f in meta.concrete_fields}
        unknown = set(attnames) - set(fields)
        if unknown:
            raise LookupError(f"{meta.label} has no field {sorted(unknown)}")
        others = [
            f
            for name, f in fields.items()
            if name not in attnames
            and not (f.primary_key and f.get_internal_type().endswith("AutoField"))
        ]
        self.extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        quote = connection.ops.quote_name
        columns = [fields[name].column for name in attnames] + [f.column for f in others]
        self.table = quote(meta.db_table)
        self.column_list = ", ".join(quote(c) for c in columns)
        self.width = len(columns)

    def insert(self, cursor, rows: list[tuple]) -> None:
        """Insert `rows`: tuples in the order of the attnames, of values as the database
        driver takes them (on SQLite, UUIDs as 32 hex digits, as Django stores them)."""
        extra = self.extra
        if extra:
            rows = [row + extra for row in rows]
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * self.width)
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.column_list}) VALUES ({placeholders})",  # noqa: S608 — names from the model
                rows,
            )
        else:
            statement = f"COPY {self.table} ({self.column_list}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)


def insert_rows(model, attnames: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain value tuples into `model`'s table through the fast path of bulk_write
    (no model instances, no signals: the caller writes the audit event).

    Args:
        model: a Django model class; attnames: the attribute names (e.g. "case_id") the
            tuples give values for, in order; other fields take their model default.
        rows: tuples of uuid.UUID, datetime.date, Decimal, bool, int, str or None values.
    Raises:
        django.db.IntegrityError: a row breaks a constraint (within the caller's transaction).
    """
    if not rows:
        return
    if connection.vendor == "sqlite":
        rows = [tuple(v.hex if isinstance(v, uuid.UUID) else v for v in row) for row in rows]
    with connection.cursor() as cursor:
        _Table(model, attnames).insert(cursor, rows)


@contextmanager
def deferred_indexes(models=None):
    """Build the secondary indexes of the case tables once, after a large load, instead of
    row by row during it; on PostgreSQL also check the foreign keys once, set-based.

    For one load of many rows (a generated national year) run entirely inside one
    `transaction.atomic()` that encloses this block. On entry the non-unique indexes of
    `models` (default: Case, Offence, Arrest, Seizure) are dropped, and on PostgreSQL their
    foreign keys too; on exit they are created again from their own saved definitions,
    which validates every foreign key over all rows in one query (a dangling reference
    fails the load), and the planner's statistics of the tables are refreshed (ANALYZE).
    Unique indexes stay, so idempotency and reference numbers are enforced throughout.
    DDL is transactional on SQLite and PostgreSQL: an error rolls the load and the schema
    back together. Meanwhile SQLite readers see the state before the load (WAL);
    PostgreSQL locks the tables until commit — not for a live system's daily imports,
    which use bulk_write's batches.

    Raises:
        django.db.transaction.TransactionManagementError: not inside atomic().
    """
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "deferred_indexes() needs the whole load inside one transaction.atomic()."
        )
    models = models or (Case, Offence, Arrest, Seizure)
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    indexes: list[str] = []
    foreign_keys: list[str] = []
    with connection.cursor() as cursor, _constraints_checked_now():
        for table in tables:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
                    [table],
                )
                for name, sql in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {quote(name)}")
                    indexes.append(sql)
            else:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [quote(table)],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                    foreign_keys.append(
                        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                    )
                cursor.execute(
                    "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index x "
                    "JOIN pg_class index ON index.oid = x.indexrelid "
                    "WHERE x.indrelid = %s::regclass AND NOT x.indisunique ORDER BY 1",
                    [quote(table)],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {quote(name)}")
                    indexes.append(definition)
    yield
    with connection.cursor() as cursor, _constraints_checked_now():
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '128MB'")
        for statement in indexes + foreign_keys:
            cursor.execute(statement)
        # The planner's statistics describe the tables before the load: refresh them (on
        # SQLite from a sample of each index, which takes a fraction of a second).
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit")
            (limit,) = cursor.fetchone()
            cursor.execute("PRAGMA analysis_limit = 1000")
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {int(limit)}")


@contextmanager
def _constraints_checked_now():
    """PostgreSQL refuses to alter a table with deferred checks pending: run them now,
    then defer again (Django creates every foreign key DEFERRABLE INITIALLY DEFERRED)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class _DateValues(dict):
    """date → the value handed to the driver: ISO text for SQLite (the batch's few
    hundred distinct days converted once each, not once per row), the date itself for
    psycopg; None stays None."""

    def __init__(self, *, as_text: bool):
        super().__init__()
        self.as_text = as_text

    def __missing__(self, day):
        if day is None:
            return None
        self[day] = converted = day.isoformat() if self.as_text else day
        return converted


class _TimeOrderedIds:
    """New UUIDs of version 7 (RFC 9562): 48 bits of Unix time in milliseconds, a 30-bit
    counter and 44 random bits. The ids one writer gives increase, even within one
    millisecond, so that the primary-key and case_id indexes grow at their end instead
    of splitting pages at random places."""

    COUNTER = 1 << 30

    def __init__(self):
        self.ms = -1
        self.counter = 0

    def take(self, count: int) -> list[uuid.UUID]:
        ms = time.time_ns() // 1_000_000
        if ms > self.ms:
            self.ms, self.counter = ms, 0
        if self.counter + count > self.COUNTER:  # counter exhausted: borrow the next ms
            self.ms, self.counter = self.ms + 1, 0
        if count > self.COUNTER:
            raise ValueError("at most 2**30 ids at once")
        base = (self.ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | 0b10 << 62
        random_bits = os.urandom(6 * count)
        ids = []
        for i, n in enumerate(range(self.counter, self.counter + count)):
            # counter: the 12 bits of rand_a, then the top 18 bits of rand_b.
            tail = int.from_bytes(random_bits[6 * i : 6 * i + 6], "big") >> 4
            ids.append(uuid.UUID(int=base | (n >> 18) << 64 | (n & 0x3FFFF) << 44 | tail))
        self.counter += count
        return ids
