"""A synthetic year of issued criminal-record certificates, for the demo year calibrated on
the DGSN release (`amn generate-year`, amn.certificates.release_year) and benchmarks.

The release of 17 December 2025 counts more than 1,575,431 certificates issued in 2025, of
which 34,014 were requested online (E-Police); the rest were requested at a police counter.
The generator writes N issued certificates, each with its application (status ISSUED,
channel online or counter), for fictitious holders (names from amn.idcards.generation).

Stated assumptions (not facts of the release):

- certificates are issued by the police units serving the public, in proportion to the
  RGPH 2024 population of their seat's commune; the application was handled there;
- issue days are the working days (Monday to Friday) of the year, evenly; the application
  was submitted 0–3 working days before (counter requests: the same day), in the year;
- every certificate states "no record" (a record needs a registry person: the demo
  registry's are issued through the real service), is valid three months, and is
  delivered electronically when requested online, collected at the station otherwise.

Serials follow amn.certificates.numbering: "<year>-<unit id, 4 digits>-<sequence>", the
sequences of each unit and year continuing its CertificateCounter, which is advanced, so
that later live issuance does not collide; application references continue the year's
ApplicationCounter. Up to REAL_SEAL_LIMIT certificates carry a real signed QR payload
(amn.seals.signing, about 130 µs each); a larger load (a benchmark volume) leaves
`seal_payload` empty: such a certificate verifies by serial and control key (the control
key is always real), and any QR payload offered for it is FORGED or UNKNOWN, never VALID.

Rows are written through the fast path of amn.cases.bulk in batches inside the caller's
transaction, with the two tables' secondary indexes built once at the end from LARGE_LOAD
certificates on. Idempotent: applications carry a submission key derived from (year,
seed, index); a year whose first key is stored is reported, not generated again.
"""

import bisect
import datetime
import random
import time
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils import timezone

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.bulk import _TimeOrderedIds, deferred_indexes, insert_rows
from amn.certificates.choices import (
    ApplicationStatus,
    CertificateStatus,
    Channel,
    Delivery,
    Purpose,
    Statement,
)
from amn.certificates.models import (
    ApplicationCounter,
    Certificate,
    CertificateApplication,
    CertificateCounter,
)
from amn.certificates.numbering import APPLICATION_PREFIX, add_months, format_serial
from amn.certificates.services import VALIDITY_MONTHS
from amn.core.errors import DomainError
from amn.geo.models import Commune
from amn.idcards.generation import FAMILY_NAMES, GIVEN_NAMES
from amn.orgunits.choices import UnitStatus
from amn.orgunits.selectors import national_units
from amn.people.identity import CheckOutcome
from amn.seals import signing

REAL_SEAL_LIMIT = 200_000
LARGE_LOAD = 50_000
BATCH = 20_000
KEY_TAG = 0x616D6E2D67656E00  # "amn-gen\0": generated submission keys
# Purposes of the requests (assumption: most for a job or a competition).
PURPOSES = (
    (Purpose.EMPLOYMENT, 0.55),
    (Purpose.PUBLIC_SERVICE, 0.15),
    (Purpose.STUDIES, 0.08),
    (Purpose.TRAVEL, 0.12),
    (Purpose.LICENCE, 0.06),
    (Purpose.OTHER, 0.04),
)
CNIE_PREFIXES = ("A", "AB", "BE", "BK", "C", "CD", "D", "EE", "F", "G", "H", "J", "JB", "K")

APPLICATION_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "reference",
    "status",
    "channel",
    "submitted_on",
    "language",
    "cnie",
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "sex",
    "birth_date",
    "birth_place_id",
    "phone",
    "email",
    "purpose",
    "delivery",
    "collection_unit_id",
    "handling_unit_id",
    "consent_at",
    "submission_key",
    "check_outcome",
    "check_score",
    "check_result",
    "check_attempts",
    "checked_at",
)
CERTIFICATE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "application_id",
    "issuing_unit_id",
    "year",
    "sequence",
    "serial",
    "control_key",
    "language",
    "holder_cnie",
    "holder_given_name_ar",
    "holder_family_name_ar",
    "holder_given_name_lat",
    "holder_family_name_lat",
    "holder_birth_date",
    "holder_birth_place_id",
    "statement",
    "convictions",
    "issued_at",
    "issued_on",
    "valid_until",
    "seal_key_id",
    "seal_payload",
    "status",
)


@dataclass(frozen=True)
class CertificateYear:
    """What certificates_year_generate wrote: certificates (each with its application),
    of which online requests, real seals or not, seconds; `already_present` when the
    year was generated before (nothing written)."""

    year: int
    certificates: int
    online: int
    sealed: bool
    seconds: float
    already_present: bool = False


def submission_key(year: int, seed: int, index: int) -> uuid.UUID:
    """The submission key of generated application `index` of (year, seed): KEY_TAG, the
    year, the seed's low 16 bits and the index, so that a load's keys grow in order (the
    unique index grows at its end)."""
    return uuid.UUID(int=KEY_TAG << 64 | year << 48 | (seed & 0xFFFF) << 32 | index)


def _working_days(year: int) -> list[datetime.date]:
    last = min(datetime.date(year, 12, 31), timezone.localdate())
    day, days = datetime.date(year, 1, 1), []
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def certificates_year_generate(
    *, year: int, certificates: int, online: int, seed: int = 0
) -> CertificateYear:
    """Write `certificates` issued certificates of `year`, `online` of them requested
    online (inside the caller's transaction: call it in transaction.atomic()).

    Args:
        year: calendar year, begun (working days up to today in the current year).
        certificates: ≥ 1; online: 0 ≤ online ≤ certificates; seed: random seed.
    Returns:
        CertificateYear.
    Raises:
        DomainError: counts out of range, a year with no working day yet, no unit serving
            the public with a seat commune (run `amn load-demo`).
    """
    started = time.perf_counter()
    if certificates < 1 or not 0 <= online <= certificates:
        raise DomainError(
            f"Certificates must be at least 1 and online requests between 0 and "
            f"{certificates}, not {online}."
        )
    if CertificateApplication.objects.filter(submission_key=submission_key(year, seed, 0)):
        return CertificateYear(
            year=year,
            certificates=certificates,
            online=online,
            sealed=certificates <= REAL_SEAL_LIMIT,
            seconds=time.perf_counter() - started,
            already_present=True,
        )
    days = _working_days(year)
    units = list(
        national_units()
        .filter(status=UnitStatus.ACTIVE, serves_public=True, commune__isnull=False)
        .order_by("path")
        .values_list("id", "commune__population_2024")
    )
    if not days or not units:
        raise DomainError(
            f"No working day in {year} yet, or no police unit serving the public: run "
            "`amn load-reference` and `amn load-demo` first."
        )
    plan = _Plan(year=year, seed=seed, days=days, units=units, online=online)
    if certificates >= LARGE_LOAD:
        with deferred_indexes(models=(CertificateApplication, Certificate)):
            plan.write(certificates)
    else:
        plan.write(certificates)
    result = CertificateYear(
        year=year,
        certificates=certificates,
        online=online,
        sealed=plan.sealed,
        seconds=time.perf_counter() - started,
    )
    audit_event_record(
        actor=None,
        action=AuditAction.BULK_LOAD,
        target="certificates.certificate",
        detail={
            "generated_year": year,
            "seed": seed,
            "certificates": certificates,
            "online": online,
            "sealed": plan.sealed,
        },
    )
    return result


class _Plan:
    """Draws and writes the rows (one random.Random(f"{year}:{seed}"))."""

    def __init__(self, *, year, seed, days, units, online):
        self.year, self.seed, self.days, self.online = year, seed, days, online
        self.rng = random.Random(f"{year}:{seed}")  # noqa: S311 — synthetic data
        self.unit_ids = [unit_id for unit_id, _population in units]
        cumulative, total = [], 0
        for _unit_id, population in units:
            total += max(1, population or 0)
            cumulative.append(total)
        self.unit_cumulative = cumulative
        self.communes = list(Commune.objects.order_by("code").values_list("id", flat=True))
        self.sealed = False
        self.digests: dict[str, str] = {}

    def write(self, count: int) -> None:
        """Draw and insert `count` applications and certificates; advance the counters."""
        self.sealed = count <= REAL_SEAL_LIMIT
        rng, year = self.rng, self.year
        # Which indexes are online requests: exactly `online` of them, at random.
        online = set(rng.sample(range(count), self.online))
        cumulative, total = self.unit_cumulative, self.unit_cumulative[-1]
        ids, pick = self.unit_ids, bisect.bisect
        units = [ids[pick(cumulative, rng.random() * total)] for _i in range(count)]
        starts = {
            unit_id: last
            for unit_id, last in CertificateCounter.objects.filter(year=year).values_list(
                "unit_id", "last"
            )
        }
        counter, _created = ApplicationCounter.objects.select_for_update().get_or_create(year=year)
        first_reference = counter.last
        sequences = dict(starts)
        now = timezone.now()
        sqlite = connection.vendor == "sqlite"
        # Time-ordered ids (UUIDv7): primary keys grow at the end of their index.
        ids = _TimeOrderedIds()

        def stamp(value):
            """The value as the driver takes it: on SQLite, text as Django stores it
            (dates ISO, datetimes in UTC without offset)."""
            if sqlite:
                if isinstance(value, datetime.datetime):
                    return str(value.astimezone(datetime.UTC).replace(tzinfo=None))
                return value.isoformat()
            return value

        now_value = stamp(now)
        purposes = [purpose for purpose, _share in PURPOSES]
        purpose_weights = [share for _purpose, share in PURPOSES]
        days = self.days
        applications, certificates = [], []
        for index in range(count):
            unit_id = units[index]
            sequence = sequences.get(unit_id, 0) + 1
            sequences[unit_id] = sequence
            serial = format_serial(year=year, unit_number=unit_id, sequence=sequence)
            day_index = index * len(days) // count
            issued_on = days[day_index]
            is_online = index in online
            submitted_on = days[max(0, day_index - rng.randint(0, 3))] if is_online else issued_on
            sex = "F" if rng.random() < 0.5 else "M"
            given_lat, given_ar = rng.choice(GIVEN_NAMES[sex])
            family_lat, family_ar = rng.choice(FAMILY_NAMES)
            born = datetime.date(year - rng.randint(18, 65), rng.randint(1, 12), rng.randint(1, 28))
            birth_place = rng.choice(self.communes)
            cnie = f"{rng.choice(CNIE_PREFIXES)}{rng.randint(100000, 999999)}"
            # 08:00–14:59 UTC: the same day in Morocco (UTC+1, UTC during Ramadan).
            issued_at = datetime.datetime.combine(
                issued_on, datetime.time(rng.randint(8, 14), rng.randint(0, 59)), datetime.UTC
            )
            valid_until = add_months(issued_on, VALIDITY_MONTHS)
            application_id, certificate_id = ids.take(2)
            reference = f"{APPLICATION_PREFIX}-{year}-{first_reference + index + 1:06d}"
            applications.append(
                (
                    application_id,
                    now_value,
                    now_value,
                    reference,
                    ApplicationStatus.ISSUED.value,
                    (Channel.ONLINE if is_online else Channel.COUNTER).value,
                    stamp(submitted_on),
                    "ar",
                    cnie,
                    given_ar,
                    family_ar,
                    given_lat,
                    family_lat,
                    sex,
                    stamp(born),
                    birth_place,
                    f"+2126{rng.randint(10_000_000, 99_999_999)}",
                    "",
                    rng.choices(purposes, purpose_weights)[0].value,
                    (Delivery.ELECTRONIC if is_online else Delivery.COLLECT).value,
                    None if is_online else unit_id,
                    unit_id,
                    stamp(issued_at - datetime.timedelta(hours=1)),
                    submission_key(year, self.seed, index),
                    CheckOutcome.NO_RECORD.value,
                    0.0,
                    "{}",
                    1,
                    stamp(issued_at),
                )
            )
            certificates.append(
                (
                    certificate_id,
                    now_value,
                    now_value,
                    application_id,
                    unit_id,
                    year,
                    sequence,
                    serial,
                    signing.control_key(serial),
                    "ar",
                    cnie,
                    given_ar,
                    family_ar,
                    given_lat,
                    family_lat,
                    stamp(born),
                    birth_place,
                    Statement.NO_RECORD.value,
                    "[]",
                    stamp(issued_at),
                    stamp(issued_on),
                    stamp(valid_until),
                    *self._seal(serial, issued_on, valid_until, f"{given_ar} {family_ar}"),
                    CertificateStatus.VALID.value,
                )
            )
            if len(certificates) == BATCH:
                self._flush(applications, certificates)
        self._flush(applications, certificates)
        counter.last = first_reference + count
        counter.save(update_fields=["last"])
        for unit_id, last in sequences.items():
            if unit_id in starts:
                CertificateCounter.objects.filter(unit_id=unit_id, year=year).update(
                    last=F("last") + (last - starts[unit_id])
                )
            else:
                CertificateCounter.objects.create(unit_id=unit_id, year=year, last=last)

    def _seal(self, serial, issued_on, valid_until, holder) -> tuple[str, str]:
        """(seal_key_id, seal_payload): real when `sealed`, empty otherwise."""
        if not self.sealed:
            return "", ""
        digest = self.digests.get(holder)
        if digest is None:
            digest = self.digests[holder] = signing.holder_digest(holder)
        payload = signing.seal_payload(
            {
                "serial": serial,
                "issued_on": issued_on,
                "valid_until": valid_until,
                "statement": Statement.NO_RECORD.value,
                "holder": digest,
            }
        )
        return payload.split(".")[1], payload

    @staticmethod
    def _flush(applications: list, certificates: list) -> None:
        insert_rows(CertificateApplication, APPLICATION_COLUMNS, applications)
        insert_rows(Certificate, CERTIFICATE_COLUMNS, certificates)
        applications.clear()
        certificates.clear()
