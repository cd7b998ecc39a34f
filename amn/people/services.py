"""Writes of the person registry: one person at a time (person_create, person_update,
conviction_record) and whole registries (registry_import, registry_bulk_load).

Every write of a person also writes its match keys (PersonMatchKey rows computed by
amn.people.matching.person_match_keys), so that the registry check finds it at once.
"""

from __future__ import annotations

import datetime
import hashlib
import multiprocessing
import sqlite3
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice

import django
from babel import Locale
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.bulk import _TimeOrderedIds, deferred_indexes, insert_rows
from amn.core.errors import DomainError, ImportProblem
from amn.people.identity import IdentityRecord
from amn.people.matching import person_identity_record, person_match_keys
from amn.people.models import JudicialRecord, Person, PersonMatchKey
from amn.people.registry_io import (
    EARLIEST_BIRTH_YEAR,
    FieldError,
    FieldProblem,
    IdentityParser,
    RegistryEntry,
    cnie_parse,
    json_line_parse,
    name_parse,
    person_id_parse,
    sex_parse,
)

# ---------------------------------------------------------------- one person


def _checked(
    *,
    family_name_ar: str,
    given_name_ar: str,
    family_name_latin: str,
    given_name_latin: str,
    father_given_name: str,
    mother_given_name: str,
    sex: str,
    birth_date: datetime.date | None,
    birth_year: int | None,
    nationality: str,
    cnie_number: str | None,
    registry_id: str | None,
) -> dict:
    """The person's fields validated by the exchange rules (amn.people.registry_io).

    Raises:
        DomainError: the first refused field's reason.
    """
    try:
        values = {
            "family_name_ar": name_parse(family_name_ar, script="ar"),
            "given_name_ar": name_parse(given_name_ar, script="ar"),
            "family_name_latin": name_parse(family_name_latin, script="lat"),
            "given_name_latin": name_parse(given_name_latin, script="lat"),
            "father_given_name": name_parse(father_given_name, script="any"),
            "mother_given_name": name_parse(mother_given_name, script="any"),
            "sex": sex_parse(sex),
            "cnie_number": cnie_parse(cnie_number) or None,
            "registry_id": person_id_parse(registry_id) or None,
        }
    except FieldProblem as problem:
        raise DomainError(str(problem)) from None
    if not (values["family_name_ar"] or values["family_name_latin"]):
        raise DomainError(_("Give the family name in Arabic or Latin script."))
    if birth_date and birth_year:
        raise DomainError(_("Give either the date of birth or only the year, not both."))
    today = timezone.localdate()
    if (birth_date and birth_date > today) or (birth_year and birth_year > today.year):
        raise DomainError(_("A date of birth cannot be in the future."))
    born_in = birth_date.year if birth_date else birth_year
    if born_in is not None and born_in < EARLIEST_BIRTH_YEAR:
        raise DomainError(
            _("A date of birth before %(year)d is not plausible.") % {"year": EARLIEST_BIRTH_YEAR}
        )
    nationality = (nationality or "").strip().upper()
    if not (len(nationality) == 2 and nationality in Locale.parse("en").territories):
        raise DomainError(_("Give the nationality as a two-letter ISO 3166-1 code, e.g. MA."))
    values.update(birth_date=birth_date, birth_year=birth_year, nationality=nationality)
    return values


def _refuse_taken(values: dict, *, other_than=None) -> None:
    """Raises DomainError when the CNIE number or registry identifier belongs to another
    person."""
    others = Person.objects.exclude(pk=other_than) if other_than else Person.objects.all()
    if values["cnie_number"] and others.filter(cnie_number=values["cnie_number"]).exists():
        raise DomainError(_("This CNIE number is already recorded."))
    if values["registry_id"] and others.filter(registry_id=values["registry_id"]).exists():
        raise DomainError(_("This registry identifier is already recorded."))


def person_match_keys_write(*, person: Person) -> int:
    """Replace the match keys of `person` by those of its current identity (within the
    caller's transaction).

    Returns:
        int, the number of keys written.
    """
    keys = person_match_keys(person_identity_record(person))
    PersonMatchKey.objects.filter(person=person).delete()
    PersonMatchKey.objects.bulk_create(
        [PersonMatchKey(person=person, key=key) for key in sorted(keys)]
    )
    return len(keys)


@transaction.atomic
def person_create(
    *,
    actor,
    recorded_by,
    family_name_ar: str = "",
    given_name_ar: str = "",
    family_name_latin: str = "",
    given_name_latin: str = "",
    sex: str = "",
    birth_date: datetime.date | None = None,
    birth_year: int | None = None,
    nationality: str = "MA",
    cnie_number: str | None = None,
    birth_place=None,
    father_given_name: str = "",
    mother_given_name: str = "",
    registry_id: str | None = None,
) -> Person:
    """Record a person and its match keys; the change is audited by django-auditlog.

    Args:
        recorded_by: the recording OrgUnit; birth_place: a geo Commune or None.
        Names as written: `*_ar` in Arabic script, `*_latin` in Latin script, parents'
        given names in either (rules of amn.people.registry_io).
    Raises:
        DomainError: no family name in either script (after dropping invisible
            characters), a name over 100 characters or in the wrong script, both a birth
            date and a birth year, a birth in the future or before 1880, a nationality
            that is not an ISO 3166-1 alpha-2 code, a malformed CNIE number or registry
            identifier, or one already recorded.
    """
    values = _checked(
        family_name_ar=family_name_ar,
        given_name_ar=given_name_ar,
        family_name_latin=family_name_latin,
        given_name_latin=given_name_latin,
        father_given_name=father_given_name,
        mother_given_name=mother_given_name,
        sex=sex,
        birth_date=birth_date,
        birth_year=birth_year,
        nationality=nationality,
        cnie_number=cnie_number,
        registry_id=registry_id,
    )
    _refuse_taken(values)
    person = Person.objects.create(recorded_by=recorded_by, birth_place=birth_place, **values)
    person_match_keys_write(person=person)
    return person


PERSON_UPDATABLE = (
    "family_name_ar",
    "given_name_ar",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_year",
    "nationality",
    "cnie_number",
    "birth_place",
    "father_given_name",
    "mother_given_name",
    "registry_id",
)


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change identity fields of `person` (any of PERSON_UPDATABLE, same rules as
    person_create) and rewrite its match keys; audited by django-auditlog.

    To turn an exact birth date into a year (or back), pass both fields, one None.

    Raises:
        DomainError: as person_create; also an unknown field name.
    """
    unknown = set(changes) - set(PERSON_UPDATABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(names)s.") % {"names": unknown})
    current = {name: getattr(person, name) for name in PERSON_UPDATABLE}
    current.update(changes)
    birth_place = current.pop("birth_place")
    values = _checked(**current)
    _refuse_taken(values, other_than=person.pk)
    for name, value in values.items():
        setattr(person, name, value)
    person.birth_place = birth_place
    person.save()
    person_match_keys_write(person=person)
    return person


@transaction.atomic
def conviction_record(
    *,
    actor,
    person: Person,
    court: str,
    judgment_date: datetime.date,
    iccs_code: str,
    sentence: str,
    cleared_on: datetime.date | None = None,
) -> JudicialRecord:
    """Record a conviction against `person`; audited by django-auditlog.

    Raises:
        DomainError: an empty court or sentence (or longer than 200 / 300 characters), a
            judgment in the future or before the birth, an ICCS code not in the table, or
            a rehabilitation/expiry date before the judgment.
    """
    parser = IdentityParser(convictions=True)
    born = person_identity_record(person).birth_date
    errors: list[FieldError] = []
    parsed = parser.convictions_parse(
        [
            {
                "court": court,
                "judgment_date": judgment_date.isoformat(),
                "iccs_code": iccs_code,
                "sentence": sentence,
                "cleared_on": cleared_on.isoformat() if cleared_on else None,
            }
        ],
        born=born,
        errors=errors,
    )
    if errors:
        raise DomainError(errors[0].reason)
    (conviction,) = parsed
    return JudicialRecord.objects.create(
        person=person,
        court=conviction.court,
        judgment_date=conviction.judgment_date,
        offence_id=conviction.iccs_code,
        sentence=conviction.sentence,
        cleared_on=conviction.cleared_on,
    )


# ---------------------------------------------------------------- whole registries

PERSON_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "registry_id",
    "cnie_number",
    "family_name_ar",
    "given_name_ar",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_year",
    "birth_place_id",
    "father_given_name",
    "mother_given_name",
    "recorded_by_id",
)
CONVICTION_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "person_id",
    "court",
    "judgment_date",
    "offence_id",
    "sentence",
    "cleared_on",
)
MATCH_KEY_COLUMNS = ("person_id", "key")
BULK_BATCH_SIZE = 5_000
# From this many persons on, the registry tables' secondary indexes are built once after
# the load instead of row by row (amn.cases.bulk.deferred_indexes).
DEFER_INDEXES_FROM = 50_000


def registry_bulk_load(
    *,
    records: Iterable[IdentityRecord | RegistryEntry],
    recorded_by,
    batch_size: int = BULK_BATCH_SIZE,
    actor=None,
    defer_indexes: bool = False,
    source: str = "bulk",
    key_workers: int = 1,
) -> int:
    """Insert many persons, their convictions and their match keys, fast, all or nothing.

    No validation beyond the database's: records come from the import's parser
    (amn.people.registry_io) or from a generator (benchmarks). Rows go in through
    amn.cases.bulk.insert_rows (SQLite executemany, PostgreSQL COPY), `batch_size` persons
    at a time, all inside one transaction; memory holds one batch. One audit event
    ("bulk_load") records the counts, since bulk inserts send no signals to auditlog.

    Args:
        records: IdentityRecords or RegistryEntry (record + convictions), consumed lazily.
            `birth_place` is a commune code or ""; `person_id` becomes the registry
            identifier ("" → none); `cnie` must be normalised or "". Nationality is the
            model's default (MA): the exchange record does not carry one.
        recorded_by: the OrgUnit recording them.
        defer_indexes: build the tables' secondary indexes once at the end (for hundreds
            of thousands of rows; PostgreSQL locks the tables until commit).
        source: a word for the audit event ("import", "bench" …).
        key_workers: processes computing the match keys (forked; > 1 overlaps the key
            computation, the heaviest step, with reading and inserting). Memory still holds
            a few batches only.
    Returns:
        int, the number of persons written.
    Raises:
        django.db.IntegrityError: a CNIE number or registry identifier already stored or
            repeated; nothing is written.
        KeyError: a birth place that is not a commune code; nothing is written.
    """
    from amn.geo.models import Commune

    communes = dict(Commune.objects.values_list("code", "pk"))
    communes[""] = None
    ids = _TimeOrderedIds()
    sqlite = connection.vendor == "sqlite"
    counts = {"persons": 0, "convictions": 0, "match_keys": 0}
    defer = (
        deferred_indexes(models=(Person, PersonMatchKey, JudicialRecord))
        if defer_indexes
        else nullcontext()
    )
    with transaction.atomic(), _sqlite_page_cache(), defer:
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now) if sqlite else now
        unit_id = recorded_by.pk
        for batch, batch_keys in _keyed_batches(records, batch_size, key_workers):
            person_rows, key_rows, convicted = [], [], []
            for person_id, item, keys in zip(ids.take(len(batch)), batch, batch_keys, strict=True):
                if isinstance(item, RegistryEntry):
                    record = item.record
                    convicted.extend((person_id, c) for c in item.convictions)
                else:
                    record = item
                born = record.birth_date
                exact = born is not None and born.day is not None
                person_rows.append(
                    (
                        person_id,
                        stamp,
                        stamp,
                        record.person_id or None,
                        record.cnie or None,
                        record.family_name_ar,
                        record.given_name_ar,
                        record.family_name_lat,
                        record.given_name_lat,
                        record.sex,
                        _date_value(born.as_date(), sqlite) if exact else None,
                        born.year if born is not None and not exact else None,
                        communes[record.birth_place],
                        record.father_given_name,
                        record.mother_given_name,
                        unit_id,
                    )
                )
                key_rows.extend((person_id, key) for key in keys)
            conviction_rows = [
                (
                    conviction_id,
                    stamp,
                    stamp,
                    person_id,
                    c.court,
                    _date_value(c.judgment_date, sqlite),
                    c.iccs_code,
                    c.sentence,
                    _date_value(c.cleared_on, sqlite),
                )
                for conviction_id, (person_id, c) in zip(
                    ids.take(len(convicted)), convicted, strict=True
                )
            ]
            insert_rows(Person, PERSON_COLUMNS, person_rows)
            insert_rows(JudicialRecord, CONVICTION_COLUMNS, conviction_rows)
            insert_rows(PersonMatchKey, MATCH_KEY_COLUMNS, key_rows)
            counts["persons"] += len(person_rows)
            counts["convictions"] += len(conviction_rows)
            counts["match_keys"] += len(key_rows)
        audit_event_record(
            actor=actor,
            action=AuditAction.BULK_LOAD,
            target="people.person",
            detail={"source": source, "recorded_by": recorded_by.code, **counts},
        )
    return counts["persons"]


def _record_of(item: IdentityRecord | RegistryEntry) -> IdentityRecord:
    return item.record if isinstance(item, RegistryEntry) else item


def _sorted_keys(records: list[IdentityRecord]) -> list[list[str]]:
    """The match keys of each record, sorted (run in a worker process, too)."""
    return [sorted(person_match_keys(record)) for record in records]


def _keyed_batches(
    items: Iterable, batch_size: int, workers: int
) -> Iterator[tuple[list, list[list[str]]]]:
    """(batch of `items`, the match keys of each) for consecutive batches, in order.

    With `workers` > 1 the keys are computed by a pool of spawned processes, at most
    `workers` + 1 batches ahead of the caller (memory stays bounded); the children compute
    only (no database access), the parent keeps its connection.
    """
    iterator = iter(items)
    batches = iter(lambda: list(islice(iterator, batch_size)), [])
    if workers <= 1:
        for batch in batches:
            yield batch, _sorted_keys([_record_of(item) for item in batch])
        return
    # Spawned, not forked: a fork copies the parent's locks while its threads (chart
    # rendering, database drivers) may hold them, and the child can wait forever.
    with multiprocessing.get_context("spawn").Pool(workers, initializer=django.setup) as pool:
        pending: deque = deque()
        for batch in batches:
            records = [_record_of(item) for item in batch]
            pending.append((batch, pool.apply_async(_sorted_keys, (records,))))
            if len(pending) > workers:
                done, keys = pending.popleft()
                yield done, keys.get()
        while pending:
            done, keys = pending.popleft()
            yield done, keys.get()


@contextmanager
def _sqlite_page_cache(kib: int = 256 * 1024):
    """On SQLite, a page cache of `kib` KiB for this connection while the block runs (the
    default 2 MB makes every insert into the match-key index, whose keys arrive in random
    order, read pages from disk once the table outgrows it); the previous size after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _date_value(day: datetime.date | None, sqlite: bool):
    if day is None:
        return None
    return day.isoformat() if sqlite else day


@dataclass(frozen=True)
class RejectedLine:
    """A refused line of an import file: its 1-based number, the field ("" for the whole
    line) and the reason (translated; never the value)."""

    line: int
    field: str
    reason: str


@dataclass
class ImportReport:
    """What registry_import did. `read` counts the non-blank lines; when `rejected` is not
    empty nothing was written (`imported` and `convictions` are 0)."""

    read: int = 0
    imported: int = 0
    convictions: int = 0
    rejected: list[RejectedLine] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        """How many distinct lines were refused."""
        return len({r.line for r in self.rejected})


class _Repeats:
    """Values (person ids, CNIE numbers) met so far in one file, with their line, kept in
    a private temporary SQLite database on disk (deleted on close) so that memory does not
    grow with the file; the values are stored as 16-byte BLAKE2b digests, not in clear."""

    def __init__(self):
        self.db = sqlite3.connect("")
        self.db.execute("CREATE TABLE seen (kind TEXT, value BLOB, line INTEGER)")

    def add(self, rows: list[tuple[str, str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO seen VALUES (?, ?, ?)",
            [
                (kind, hashlib.blake2b(value.encode(), digest_size=16).digest(), line)
                for kind, value, line in rows
            ],
        )

    def repeated(self) -> Iterator[tuple[str, int, int]]:
        """(kind, line, first line) for each value met again after its first line."""
        self.db.execute("CREATE INDEX seen_value ON seen (kind, value, line)")
        yield from self.db.execute(
            "SELECT s.kind, s.line, f.first FROM seen s JOIN ("
            " SELECT kind, value, min(line) AS first FROM seen"
            " GROUP BY kind, value HAVING count(*) > 1"
            ") f ON s.kind = f.kind AND s.value = f.value WHERE s.line > f.first"
        )

    def close(self) -> None:
        self.db.close()


_CHECK_CHUNK = 900  # values per "already in the registry?" query (SQLite: ≤ 999 params)


def registry_import(
    *,
    actor,
    lines: Iterable[str | bytes],
    recorded_by,
    batch_size: int = BULK_BATCH_SIZE,
    defer_indexes_from: int = DEFER_INDEXES_FROM,
    key_workers: int = 1,
) -> ImportReport:
    """Import a records registry: one exchange object per line (amn.people.registry_io),
    with an optional "convictions" list; all or nothing.

    The lines are read twice: a first pass checks every line (fields, `person_id`
    required, person ids and CNIE numbers repeated in the file or already in the registry)
    and writes nothing; if no line is refused, a second pass writes the persons, their
    convictions and match keys through registry_bulk_load, in one transaction. Memory does
    not grow with the file (beyond the list of refused lines).

    Args:
        lines: a re-iterable of lines (str, or bytes decoded as UTF-8): a list, or
            amn.people.registry_io.JsonLinesFile(path). Blank lines are skipped; line
            numbers count every line from 1.
        recorded_by: the OrgUnit recording the persons.
        defer_indexes_from: from this many persons on, when the file at least doubles the
            registry, the indexes are built once at the end (rebuilding them over a much
            larger registry would cost more than it saves).
        key_workers: processes computing match keys (see registry_bulk_load).
    Returns:
        ImportReport; `rejected` lists every refused field of every refused line, by line.
    Raises:
        TypeError: `lines` is a one-shot iterator (it must be read twice).
        ImportProblem: the file changed between the two passes; nothing is written.
    """
    if iter(lines) is lines:
        raise TypeError("registry_import reads its lines twice: pass a list or JsonLinesFile")
    report = ImportReport()
    parser = IdentityParser(convictions=True, require_person_id=True, preload_communes=True)
    repeats = _Repeats()
    try:
        chunk: list[tuple[int, IdentityRecord]] = []
        for number, raw in enumerate(lines, start=1):
            parsed = json_line_parse(parser, number, raw)
            if parsed is None:
                continue
            report.read += 1
            if not parsed.ok:
                report.rejected.extend(
                    RejectedLine(number, e.field, e.reason) for e in parsed.errors
                )
                continue
            chunk.append((number, parsed.record))
            if len(chunk) >= _CHECK_CHUNK:
                _chunk_check(chunk, repeats, report)
                chunk = []
        _chunk_check(chunk, repeats, report)
        for kind, number, first in repeats.repeated():
            report.rejected.append(
                RejectedLine(
                    number,
                    kind,
                    _("Same value as on line %(line)d.") % {"line": first},
                )
            )
    finally:
        repeats.close()
    if report.rejected:
        report.rejected.sort(key=lambda r: (r.line, r.field))
        return report

    def entries() -> Iterator[RegistryEntry]:
        again = IdentityParser(convictions=True, require_person_id=True, today=parser.today)
        again.communes, again.iccs = parser.communes, parser.iccs
        for number, raw in enumerate(lines, start=1):
            parsed = json_line_parse(again, number, raw)
            if parsed is None:
                continue
            if not parsed.ok:
                raise ImportProblem(
                    source="registry",
                    row=number,
                    reason=_("The file changed during the import; nothing was imported."),
                )
            report.convictions += len(parsed.convictions)
            yield parsed.entry()

    report.imported = registry_bulk_load(
        records=entries(),
        recorded_by=recorded_by,
        batch_size=batch_size,
        actor=actor,
        defer_indexes=report.read >= defer_indexes_from and report.read >= Person.objects.count(),
        source="import",
        key_workers=key_workers,
    )
    return report


def _chunk_check(
    chunk: list[tuple[int, IdentityRecord]], repeats: _Repeats, report: ImportReport
) -> None:
    """Record the chunk's person ids and CNIE numbers for the in-file repeat check, and
    refuse the lines whose values are already in the registry."""
    if not chunk:
        return
    rows = []
    for number, record in chunk:
        rows.append(("person_id", record.person_id, number))
        if record.cnie:
            rows.append(("cnie", record.cnie, number))
    repeats.add(rows)
    stored_ids = set(
        Person.objects.filter(registry_id__in=[r.person_id for _n, r in chunk]).values_list(
            "registry_id", flat=True
        )
    )
    cnies = [r.cnie for _n, r in chunk if r.cnie]
    stored_cnies = (
        set(Person.objects.filter(cnie_number__in=cnies).values_list("cnie_number", flat=True))
        if cnies
        else set()
    )
    for number, record in chunk:
        if record.person_id in stored_ids:
            report.rejected.append(
                RejectedLine(
                    number, "person_id", _("A person with this identifier is already recorded.")
                )
            )
        if record.cnie and record.cnie in stored_cnies:
            report.rejected.append(
                RejectedLine(number, "cnie", _("This CNIE number is already recorded."))
            )
