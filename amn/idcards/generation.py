"""A synthetic national year of CNIE cards for demonstrations and benchmarks
(`amn generate-demo --cnie N [--year Y] [--seed S]`).

The DGSN release of 17 December 2025 counts 3,685,964 CNIE produced in 2025; the generator
writes N cards issued in the year, spread:

- over the communes in proportion to their RGPH 2024 population (the holder's commune of
  residence; the card's region is the commune's), issued by an office receiving the public
  seated in the commune, else in its province, else in its region, else a neighbouring
  region's (the demo tree has no unit in three regions), else any office;
- over the working days (Monday to Friday) of the year, weighted by month (MONTH_WEIGHTS,
  an assumption: more applications before the summer, fewer in August);
- over ages (AGE_BANDS, an assumption shaped on the renewal of a ten-year card by the
  adult population plus the first cards of 18-year-olds) and sexes (half each).

Names are drawn from short lists of common Moroccan names (fictitious holders). Numbers
take the region's letter prefix (amn.idcards.numbers) and counter values reserved batch by
batch. Everything is drawn from one `random.Random(seed)` in an order that does not depend
on the database, and ids are derived from (year, seed, N, index): the same arguments give
the same rows (numbers too, when the prefix counters start at the same values).

Rows go through the fast path of amn.cases.bulk (executemany on SQLite, COPY on
PostgreSQL), in batches; from LARGE_LOAD cards the whole load is one transaction with the
card table's secondary indexes (and PostgreSQL foreign keys) built once at the end. A
CardLoad row written in the same transaction makes a second run with the same arguments
write nothing.
"""

import bisect
import datetime
import hashlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.bulk import deferred_indexes, insert_rows
from amn.core.errors import DomainError
from amn.geo.models import Commune
from amn.idcards.choices import CardStatus
from amn.idcards.models import Card, CardLoad
from amn.idcards.numbers import (
    DEFAULT_PREFIX,
    REGION_PREFIX,
    card_expiry,
    format_card_number,
    reserve_card_numbers,
)
from amn.orgunits.choices import UnitStatus
from amn.orgunits.selectors import national_units

NATIONAL_CARDS = 3_685_964  # CNIE produced in 2025 (DGSN release, 17 December 2025)
LARGE_LOAD = 50_000

# Relative number of cards issued per working day, by month (assumption), January first.
MONTH_WEIGHTS = (0.95, 0.95, 1.00, 1.00, 1.05, 1.15, 1.10, 0.80, 1.05, 1.00, 0.95, 0.90)
# (share of cards, youngest age, oldest age) of the holders at issue (assumption).
AGE_BANDS = ((0.03, 12, 15), (0.17, 16, 19), (0.45, 20, 44), (0.28, 45, 64), (0.07, 65, 90))
MINOR_AGE = 18
# Regions without a demo office: their holders go to a neighbouring region's offices.
NEIGHBOUR_REGION = {"08": "07", "10": "09", "12": "11"}

FAMILY_NAMES = (
    ("Alami", "العلمي"), ("Bennani", "بناني"), ("Berrada", "برادة"), ("Chraibi", "الشرايبي"),
    ("El Idrissi", "الإدريسي"), ("Tazi", "التازي"), ("Fassi", "الفاسي"), ("Amrani", "العمراني"),
    ("Ouazzani", "الوزاني"), ("Benjelloun", "بنجلون"), ("Lahlou", "لحلو"), ("Kettani", "الكتاني"),
    ("Sqalli", "السقلي"), ("Naciri", "الناصري"), ("Ait Ouahmane", "آيت واحمان"),
    ("Amazigh", "أمازيغ"), ("Boukhari", "البخاري"), ("Zerouali", "الزروالي"),
    ("Haddaoui", "الحداوي"), ("Rifi", "الريفي"), ("Soussi", "السوسي"), ("Doukkali", "الدكالي"),
    ("Sahraoui", "الصحراوي"), ("Filali", "الفيلالي"), ("Tahiri", "الطاهري"),
    ("Mansouri", "المنصوري"),
    ("Hajji", "الحجي"), ("Ziani", "الزياني"), ("Benali", "بنعلي"), ("Kabbaj", "القباج"),
)  # fmt: skip
GIVEN_NAMES = {
    "M": (
        ("Mohamed", "محمد"), ("Ahmed", "أحمد"), ("Youssef", "يوسف"), ("Hamza", "حمزة"),
        ("Omar", "عمر"), ("Karim", "كريم"), ("Said", "سعيد"), ("Rachid", "رشيد"),
        ("Mustapha", "مصطفى"), ("Brahim", "إبراهيم"), ("Hassan", "حسن"), ("Anas", "أنس"),
        ("Driss", "إدريس"), ("Khalid", "خالد"), ("Mehdi", "مهدي"), ("Ayoub", "أيوب"),
    ),
    "F": (
        ("Fatima", "فاطمة"), ("Khadija", "خديجة"), ("Aicha", "عائشة"), ("Meryem", "مريم"),
        ("Salma", "سلمى"), ("Nadia", "نادية"), ("Leila", "ليلى"), ("Hanane", "حنان"),
        ("Zineb", "زينب"), ("Imane", "إيمان"), ("Sara", "سارة"), ("Hajar", "هاجر"),
        ("Asmae", "أسماء"), ("Naima", "نعيمة"), ("Houda", "هدى"), ("Amina", "أمينة"),
    ),
}  # fmt: skip

CARD_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "number",
    "family_name_latin",
    "given_name_latin",
    "family_name_ar",
    "given_name_ar",
    "sex",
    "birth_date",
    "commune_id",
    "region_id",
    "unit_id",
    "issued_on",
    "expires_on",
    "status",
)


@dataclass
class CardGenerationSummary:
    """What a generation did: cards asked and written (0 when the same load was already
    stored: `already_present`), per region HCP code, the seconds it took."""

    cards: int
    written: int = 0
    already_present: bool = False
    by_region: dict[str, int] | None = None
    seconds: float = 0.0


def scaled(national: int, cards: int) -> float:
    """`national` scaled to `cards` out of NATIONAL_CARDS (float)."""
    return national * cards / NATIONAL_CARDS


class CardYearPlan:
    """Everything drawn from the reference data before the first card: communes and their
    offices, working days and their weights."""

    def __init__(self, *, cards: int, year: int, seed: int):
        self.cards, self.year, self.seed = cards, year, seed
        self.rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
        today = timezone.localdate()
        if year > today.year:
            raise DomainError(
                _("Cannot generate the year %(year)d: it has not begun.") % {"year": year}
            )
        first = datetime.date(year, 1, 1)
        last = min(datetime.date(year, 12, 31), today)
        self.days, weights = [], []
        day = first
        while day <= last:
            if day.weekday() < 5:
                self.days.append(day)
                weights.append(MONTH_WEIGHTS[day.month - 1])
            day += datetime.timedelta(days=1)
        if not self.days:
            raise DomainError(_("The year has no working day yet."))
        self.day_cumulative = list(_cumulate(weights))
        self._load_places()
        digest = hashlib.sha256(f"cnie|{year}|{seed}|{cards}".encode()).digest()
        self.id_base = int.from_bytes(digest[:8], "big") << 64

    def _load_places(self) -> None:
        communes = list(
            Commune.objects.order_by("code").values_list(
                "id",
                "population_2024",
                "province__code",
                "province__region__code",
                "province__region_id",
            )
        )
        offices = list(
            national_units()
            .filter(serves_public=True, status=UnitStatus.ACTIVE, commune__isnull=False)
            .order_by("path")
            .values_list(
                "id", "commune_id", "commune__province__code", "commune__province__region__code"
            )
        )
        if not communes or not offices:
            raise DomainError(
                _(
                    "No commune or no office receiving the public: run `amn load-reference` "
                    "and `amn load-demo` first."
                )
            )
        by_commune, by_province, by_region = {}, {}, {}
        for office in offices:
            by_commune.setdefault(office[1], []).append(office[0])
            by_province.setdefault(office[2], []).append(office[0])
            by_region.setdefault(office[3], []).append(office[0])
        everyone = [office[0] for office in offices]
        self.places = []
        weights = []
        for commune_id, population, province, region, region_id in communes:
            if not population:
                continue
            candidates = (
                by_commune.get(commune_id)
                or by_province.get(province)
                or by_region.get(region)
                or by_region.get(NEIGHBOUR_REGION.get(region, ""))
                or everyone
            )
            prefix = REGION_PREFIX.get(region, DEFAULT_PREFIX)
            self.places.append((commune_id, region_id, region, prefix, tuple(candidates)))
            weights.append(population)
        self.place_cumulative = list(_cumulate(weights))

    def card_id(self, index: int) -> uuid.UUID:
        """The id of the card `index`: deterministic, increasing with the index (index
        locality), a version-8 UUID (RFC 9562 "custom")."""
        value = self.id_base | index
        value = (value & ~(0xF << 76)) | (0x8 << 76)
        value = (value & ~(0x3 << 62)) | (0x2 << 62)
        return uuid.UUID(int=value)

    def batch(self, start: int, size: int) -> list[tuple]:
        """Draw cards `start`..`start + size - 1`: tuples (id, number prefix, family Latin,
        given Latin, family Arabic, given Arabic, sex, birth date, commune id, region id,
        region code, unit id, issued on, expires on)."""
        rng = self.rng
        random_ = rng.random
        places, place_cumulative = self.places, self.place_cumulative
        place_total = place_cumulative[-1]
        days, day_cumulative = self.days, self.day_cumulative
        day_total = day_cumulative[-1]
        bands = list(_cumulate(band[0] for band in AGE_BANDS))
        bisect_ = bisect.bisect
        families = FAMILY_NAMES
        rows = []
        for index in range(start, start + size):
            commune_id, region_id, region, prefix, offices = places[
                bisect_(place_cumulative, random_() * place_total)
            ]
            unit_id = offices[int(random_() * len(offices))]
            issued = days[bisect_(day_cumulative, random_() * day_total)]
            _share, youngest, oldest = AGE_BANDS[min(bisect_(bands, random_()), len(AGE_BANDS) - 1)]
            age = youngest + int(random_() * (oldest - youngest + 1))
            born = issued - datetime.timedelta(days=365 * age + int(random_() * 365))
            sex = "M" if random_() < 0.5 else "F"
            family_latin, family_ar = families[int(random_() * len(families))]
            given = GIVEN_NAMES[sex]
            given_latin, given_ar = given[int(random_() * len(given))]
            rows.append(
                (
                    self.card_id(index), prefix, family_latin, given_latin, family_ar, given_ar,
                    sex, born, commune_id, region_id, region, unit_id, issued,
                    card_expiry(issued_on=issued, minor=_age(born, issued) < MINOR_AGE),
                )
            )  # fmt: skip
        return rows


def _age(born: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _cumulate(values):
    total = 0
    for value in values:
        total += value
        yield total


def cnie_year_generate(
    *,
    actor,
    cards: int,
    year: int,
    seed: int = 0,
    batch_size: int = 50_000,
    defer_indexes: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> CardGenerationSummary:
    """Generate and write `cards` CNIE cards issued in `year` (see the module docstring).

    Args:
        actor: the User running it (None from the command line), named in the audit event.
        cards: number of cards, > 0; year: year of issue (up to today in the current
            year); seed: the random seed; batch_size: cards per batch.
        defer_indexes: one transaction with the card table's indexes built at the end;
            None: from LARGE_LOAD cards on.
        progress: called with the number of cards written after each batch.
    Returns:
        CardGenerationSummary.
    Raises:
        DomainError: a count below 1, a year not begun, no commune or no office.
    """
    started = time.perf_counter()
    if cards < 1 or batch_size < 1:
        raise DomainError(_("The number of cards and the batch size must be at least 1."))
    if CardLoad.objects.filter(year=year, seed=seed, cards=cards).exists():
        return CardGenerationSummary(cards=cards, already_present=True)
    plan = CardYearPlan(cards=cards, year=year, seed=seed)
    if defer_indexes is None:
        defer_indexes = cards >= LARGE_LOAD
    with transaction.atomic():
        if defer_indexes:
            with deferred_indexes(models=(Card,)):
                by_region = _write(plan, batch_size=batch_size, progress=progress)
        else:
            by_region = _write(plan, batch_size=batch_size, progress=progress)
        CardLoad.objects.create(year=year, seed=seed, cards=cards, written=cards)
    summary = CardGenerationSummary(
        cards=cards, written=cards, by_region=dict(sorted(by_region.items()))
    )
    summary.seconds = time.perf_counter() - started
    audit_event_record(
        actor=actor,
        action=AuditAction.BULK_LOAD,
        target="idcards.card",
        detail={
            "generator": "generate-demo --cnie",
            "year": year,
            "seed": seed,
            "cards": cards,
            "seconds": round(summary.seconds, 1),
        },
    )
    return summary


def _write(plan: CardYearPlan, *, batch_size: int, progress) -> Counter:
    now = timezone.now()
    if connection.vendor == "sqlite":  # stored as Django stores it (text, UTC)
        now = connection.ops.adapt_datetimefield_value(now)
    active = CardStatus.ACTIVE.value
    by_region: Counter = Counter()
    done = 0
    while done < plan.cards:
        size = min(batch_size, plan.cards - done)
        drawn = plan.batch(done, size)
        per_prefix = Counter(row[1] for row in drawn)
        numbers = {
            prefix: iter(reserve_card_numbers(prefix=prefix, count=count))
            for prefix, count in sorted(per_prefix.items())
        }
        rows = []
        for row in drawn:
            (card_id, prefix, family_latin, given_latin, family_ar, given_ar, sex, born,
             commune_id, region_id, region, unit_id, issued, expires) = row  # fmt: skip
            rows.append(
                (
                    card_id, now, now, format_card_number(prefix, next(numbers[prefix])),
                    family_latin, given_latin, family_ar, given_ar, sex, born, commune_id,
                    region_id, unit_id, issued, expires, active,
                )
            )  # fmt: skip
            by_region[region] += 1
        insert_rows(Card, CARD_COLUMNS, rows)
        done += size
        if progress is not None:
            progress(done)
    return by_region


DEFAULT_YEAR = 2025  # the year of the DGSN release's 3,685,964 cards


def generate_from_command(
    command, *, cards: int, year: int | None, seed: int, verbose: bool = False
) -> None:
    """`amn generate-demo --cnie N [--year Y] [--seed S]` (amn.cases' generate-demo command
    hands its --cnie option here): generate, then print what was written and the time.

    Raises:
        django.core.management.base.CommandError: a refused count or year, or missing
            reference data (nothing written).
    """
    from django.core.management.base import CommandError

    try:
        summary = cnie_year_generate(
            actor=None,
            cards=cards,
            year=year or DEFAULT_YEAR,
            seed=seed,
            progress=(lambda n: command.stderr.write(f"{n:,}")) if verbose else None,
        )
    except DomainError as problem:
        raise CommandError(
            _("%(problem)s — no card was generated.") % {"problem": problem}
        ) from None
    write = command.stdout.write
    if summary.already_present:
        write(_("CNIE cards: already generated for this year, seed and count"))
        return
    write(_("CNIE cards written: %(n)d") % {"n": summary.written})
    for region, count in (summary.by_region or {}).items():
        write(_("  region %(region)s: %(n)d") % {"region": region, "n": count})
    write(_("seconds: %(s).1f") % {"s": summary.seconds})
