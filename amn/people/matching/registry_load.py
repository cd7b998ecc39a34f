"""Bulk loading of a synthetic registry (benchmark and quality test): Person rows and their
PersonMatchKey rows written through the fast path of amn.cases.bulk (executemany on SQLite,
COPY on PostgreSQL), the match keys computed by person_match_keys as production writes do.

Not for production imports (amn import-registry validates and audits each row); bulk
inserts send no model signals and write no audit event.
"""

import time
import uuid
from collections.abc import Callable, Iterable
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from amn.cases.bulk import deferred_indexes, insert_rows
from amn.people.identity import IdentityRecord
from amn.people.matching.keys import person_match_keys

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
KEY_COLUMNS = ("person_id", "key")


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
        defer_index: one transaction for the whole load; the match-key index and the other
            non-unique indexes of Person and PersonMatchKey are built once at the end
            (amn.cases.bulk.deferred_indexes).
    Returns:
        dict: persons, keys (rows written), persons_seconds, keys_seconds (computing and
        writing the keys), index_seconds (building the deferred indexes).
    Raises:
        django.db.IntegrityError: a duplicate registry id or CNIE number, an unknown commune.
    """
    from amn.geo.models import Commune
    from amn.orgunits.models import OrgUnit
    from amn.people.models import Person, PersonMatchKey

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
        key_rows = [
            (person_id, key)
            for person_id, record in zip(ids, batch, strict=True)
            for key in sorted(person_match_keys(record))
        ]
        insert_rows(PersonMatchKey, KEY_COLUMNS, key_rows)
        stats["persons"] += len(batch)
        stats["keys"] += len(key_rows)
        stats["persons_seconds"] += middle - started
        stats["keys_seconds"] += time.perf_counter() - middle
        if progress and stats["persons"] % 500_000 == 0:
            progress(f"  {stats['persons']:,} persons")

    iterator = iter(records)
    index_started = None
    if defer_index:
        with transaction.atomic(), deferred_indexes(models=(Person, PersonMatchKey)):
            while batch := list(islice(iterator, batch_size)):
                write(batch)
            index_started = time.perf_counter()
    else:
        while batch := list(islice(iterator, batch_size)):
            with transaction.atomic():
                write(batch)
    stats["index_seconds"] = time.perf_counter() - index_started if index_started else 0.0
    return stats
