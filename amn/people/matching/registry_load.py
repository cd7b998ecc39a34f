"""Bulk loading of a synthetic registry (benchmark and quality test): Person rows and their
PersonMatchKey rows written through the fast path of amn.cases.bulk (executemany on SQLite,
COPY on PostgreSQL), the match keys computed by person_match_keys as production writes do.

Not for production imports (amn import-registry validates and audits each row); bulk
inserts send no model signals and write no audit event.
"""

import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from amn.cases.bulk import insert_rows
from amn.people.identity import IdentityRecord
from amn.people.matching.keys import person_match_keys


@contextmanager
def _match_key_indexes_deferred():
    """Every index and constraint of PersonMatchKey but its primary key dropped on entry and
    made again on exit, in one transaction: one sort per index over the whole table instead
    of a B-tree insert per row (unique ones included: the keys of one person are a set, so
    a fresh load holds no duplicate, and the unique index made at the end would refuse
    one). The load in between commits batch by batch, so that SQLite's write-ahead log stays
    small; a failed load leaves the indexes to be made again by hand."""
    from amn.people.models import PersonMatchKey

    table = PersonMatchKey._meta.db_table
    quote = connection.ops.quote_name
    restore: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL ORDER BY name",
                [table],
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f"DROP INDEX {quote(name)}")
                restore.append(sql)
        else:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
                [quote(table)],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                restore.append(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
            cursor.execute(
                "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index x "
                "JOIN pg_class index ON index.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary ORDER BY 1",
                [quote(table)],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {quote(name)}")
                restore.insert(0, definition)
    yield
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in restore:
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {quote(table)}")


PERSON_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "registry_id",
    "given_name_ar",
    "family_name_ar",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "birth_date",
    "birth_year",
    "cnie_number",
    "birth_place_id",
    "father_given_name",
    "mother_given_name",
    "recorded_by_id",
)


def registry_load(
    records: Iterable[IdentityRecord],
    *,
    batch_size: int = 50_000,
    defer_index: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Insert `records` (consumed lazily) as registry persons with their match keys.

    Args:
        records: identities; `person_id` becomes the registry id, `birth_place` must be a
            commune code present in geo.Commune (or empty).
        defer_index: the indexes and constraints of PersonMatchKey are built once at the
            end (see _match_key_indexes_deferred); for a fresh registry of millions.
    Returns:
        dict: persons, keys (rows written), persons_seconds, keys_seconds (computing and
        writing the keys), index_seconds (building the deferred indexes).
    Raises:
        django.db.IntegrityError: a duplicate registry id or CNIE number, an unknown commune.
    """
    from amn.geo.models import Commune
    from amn.orgunits.models import OrgUnit
    from amn.people.models import Person

    communes = dict(Commune.objects.values_list("code", "id"))
    unit_id = OrgUnit.objects.order_by("depth", "id").values_list("id", flat=True).first()
    stats = {"persons": 0, "keys": 0, "persons_seconds": 0.0, "keys_seconds": 0.0}
    stamp = timezone.now()
    if connection.vendor == "sqlite":
        stamp = connection.ops.adapt_datetimefield_value(stamp)
    base = uuid.uuid4().int >> 64 << 64  # ids that grow: the indexes fill at their end

    def write(batch: list[IdentityRecord]) -> None:
        started = time.perf_counter()
        person_rows, ids = [], []
        for record in batch:
            person_id = uuid.UUID(int=base + stats["persons"] + len(ids))
            ids.append(person_id)
            born = record.birth_date
            exact = born is not None and born.is_exact
            person_rows.append(
                (
                    person_id,
                    stamp,
                    stamp,
                    record.person_id or None,
                    record.given_name_ar,
                    record.family_name_ar,
                    record.given_name_lat,
                    record.family_name_lat,
                    record.sex,
                    born.as_date() if exact else None,
                    born.year if born is not None and not exact else None,
                    record.cnie or None,
                    communes[record.birth_place] if record.birth_place else None,
                    record.father_given_name,
                    record.mother_given_name,
                    unit_id,
                )
            )
        insert_rows(Person, PERSON_COLUMNS, person_rows)
        middle = time.perf_counter()
        stats["keys"] += _insert_keys(ids, batch)
        stats["persons"] += len(batch)
        stats["persons_seconds"] += middle - started
        stats["keys_seconds"] += time.perf_counter() - middle
        if progress and stats["persons"] % 500_000 == 0:
            progress(f"  {stats['persons']:,} persons")

    iterator = iter(records)
    index_started = None
    if defer_index:
        with _match_key_indexes_deferred():
            while batch := list(islice(iterator, batch_size)):
                with transaction.atomic():
                    write(batch)
            index_started = time.perf_counter()
    else:
        while batch := list(islice(iterator, batch_size)):
            with transaction.atomic():
                write(batch)
    stats["index_seconds"] = time.perf_counter() - index_started if index_started else 0.0
    return stats


def _insert_keys(ids: list[uuid.UUID], batch: list[IdentityRecord]) -> int:
    """Write the match keys of `batch` (persons `ids`): one executemany on SQLite, one COPY
    of a text buffer on PostgreSQL (keys hold no tab, newline or backslash). Returns the
    number of rows."""
    from amn.people.models import PersonMatchKey

    table = connection.ops.quote_name(PersonMatchKey._meta.db_table)
    if connection.vendor == "sqlite":
        rows = [
            (key, person_id.hex)
            for person_id, record in zip(ids, batch, strict=True)
            for key in person_match_keys(record)
        ]
        connection.ensure_connection()
        connection.connection.executemany(
            f"INSERT INTO {table} (key, person_id) VALUES (?, ?)",  # noqa: S608 — model table
            rows,
        )
        return len(rows)
    lines = [
        f"{person_id}\t{key}\n"
        for person_id, record in zip(ids, batch, strict=True)
        for key in person_match_keys(record)
    ]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} (person_id, key) FROM STDIN") as copy,
    ):
        copy.write("".join(lines))
    return len(lines)
