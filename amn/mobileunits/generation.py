"""A synthetic national year of mobile-unit activity, for the annual report and benchmarks.

Calibrated on the DGSN release of 17 December 2025: 80 new mobile units brought
ID-document services to remote areas for more than 85,000 citizens. With `scale` 1.0 the
year has 80 units entering service and its stops serve PEOPLE_TARGET (88,000: "more than
85,000") people in total, exactly; other scales multiply both (at least one unit).

Stated assumptions (not facts of the release):

- every region gets one unit (when there are at least 12), the others are spread over the
  regions in proportion to their rural population (RGPH 2024); a unit is attached to the
  region's shallowest police unit serving the public (else the root of the police-unit
  tree) and based at its seat (else the region's most populous urban commune);
- a unit enters service on a working day of January–June, then runs one tour a month from
  the next month to December: STOPS_PER_TOUR stops, one a working day from the month's
  second Monday, 09:00–15:00, in rural communes of its region drawn in proportion to
  population;
- people served are spread over the stops in proportion to random weights; applications
  received are 45–65 % and cards delivered 30–50 % of people served.

Everything is drawn from one `random.Random(seed)` in an order that does not depend on the
database, so the same year, seed and scale give the same rows. Rows are written in bulk in
one transaction with one "bulk_load" audit event. Idempotent: a year already generated is
reported, not generated again.
"""

import datetime
import math
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.core.errors import DomainError
from amn.geo.choices import CommuneType
from amn.geo.models import Commune, Region
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.models import MobileUnit, Stop, Tour, TourSequence
from amn.mobileunits.services import TOUR_PREFIX
from amn.mobileunits.tour_planning import is_working_day
from amn.orgunits.choices import UnitStatus
from amn.orgunits.selectors import national_units

NATIONAL_UNITS = 80
PEOPLE_TARGET = 88_000
STOPS_PER_TOUR = 8
PEOPLE_PER_STOP = 25  # with exact counts: the people a stop serves, about (assumption)
OPEN, CLOSE = datetime.time(9, 0), datetime.time(15, 0)


@dataclass(frozen=True)
class MobileYear:
    """What generate_mobile_year wrote (or found): counts and the seconds it took."""

    year: int
    units: int
    tours: int
    stops: int
    people_served: int
    applications_received: int
    cards_delivered: int
    seconds: float
    already_present: bool = False


def _code_prefix(year: int) -> str:
    return f"gen{year}-"


def _share(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), summing to `total`."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _second_monday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7)


def _days_from(start: datetime.date, count: int) -> list[datetime.date]:
    days, day = [], start
    while len(days) < count and day.month == start.month:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _existing(year: int, started: float) -> MobileYear | None:
    units = MobileUnit.objects.filter(code__startswith=_code_prefix(year))
    if not units.exists():
        return None
    stops = Stop.objects.filter(tour__mobile_unit__in=units)
    sums = stops.aggregate(
        p=Sum("people_served"), a=Sum("applications_received"), c=Sum("cards_delivered")
    )
    return MobileYear(
        year=year,
        units=units.count(),
        tours=Tour.objects.filter(mobile_unit__in=units).count(),
        stops=stops.count(),
        people_served=sums["p"] or 0,
        applications_received=sums["a"] or 0,
        cards_delivered=sums["c"] or 0,
        seconds=round(time.perf_counter() - started, 2),
        already_present=True,
    )


@transaction.atomic
def generate_mobile_year(
    year: int,
    seed: int = 0,
    scale: float = 1.0,
    *,
    units: int | None = None,
    people: int | None = None,
) -> MobileYear:
    """Generate a national year of mobile units, tours and stops with results.

    Args:
        year: the calendar year (2000–2100); must be over (before today's year) or the
            current year up to today — stops are dated in the year, results recorded.
        seed: random seed.
        scale: 1.0 = 80 units and 88,000 people served; 0.1 = 8 units and 8,800 people.
        units, people: exact numbers of units (≥ 1) and people served (≥ 0) instead of
            the scaled ones (amn.mobileunits.release_year); each unit then runs as many
            tours (up to one a month) and stops per tour (up to STOPS_PER_TOUR) as serve
            about PEOPLE_PER_STOP people a stop, at least one stop.
    Returns:
        MobileYear.
    Raises:
        DomainError: scale not positive, units below 1 or people below 0, year out of
            range or in the future, the census geography or the police-unit tree not loaded.
    """
    started = time.perf_counter()
    if not 2000 <= year <= 2100 or year > timezone.localdate().year:
        raise DomainError("The year must be between 2000 and the current year.")
    if scale <= 0:
        raise DomainError("The scale must be positive.")
    if (units is not None and units < 1) or (people is not None and people < 0):
        raise DomainError("The units must be at least 1 and the people served at least 0.")
    found = _existing(year, started)
    if found is not None:
        return found
    root = national_units().filter(depth=1).first()
    regions = list(Region.objects.order_by("code"))
    if root is None or not regions:
        raise DomainError("Load the census geography and the police units first.")
    rng = random.Random(f"{year}:{seed}:{scale}")  # noqa: S311 (synthetic data, not secrets)
    units_total = max(1, round(NATIONAL_UNITS * scale)) if units is None else units
    people_total = round(PEOPLE_TARGET * scale) if people is None else people
    tours_per_unit, stops_per_tour = 12, STOPS_PER_TOUR
    if units is not None or people is not None:
        stops_per_unit = max(1, math.ceil(people_total / PEOPLE_PER_STOP / units_total))
        tours_per_unit = math.ceil(stops_per_unit / STOPS_PER_TOUR)
        stops_per_tour = math.ceil(stops_per_unit / tours_per_unit)

    rural = {
        region.code: list(
            Commune.objects.filter(province__region=region, type=CommuneType.RURAL).order_by("code")
        )
        for region in regions
    }
    weights = [sum(c.population_2024 for c in rural[r.code]) or 1 for r in regions]
    if units_total >= len(regions):  # every region gets one unit, the rest by rural population
        per_region = [1 + n for n in _share(units_total - len(regions), weights)]
    else:
        per_region = _share(units_total, weights)
    police = list(
        national_units()
        .filter(status=UnitStatus.ACTIVE, serves_public=True, commune__isnull=False)
        .select_related("commune__province")
        .order_by("depth", "code")
    )

    sequence, _created = TourSequence.objects.select_for_update().get_or_create(year=year)
    fleet: list[MobileUnit] = []
    tours: list[Tour] = []
    stops: list[Stop] = []
    today = timezone.localdate()
    recorded_at = timezone.now()
    number = 0
    for region, count in zip(regions, per_region, strict=True):
        attached = next((u for u in police if u.commune.province.region_id == region.pk), None)
        if attached is not None:
            home = attached.commune
        else:
            home = (
                Commune.objects.filter(province__region=region, type=CommuneType.URBAN)
                .order_by("-population_2024", "code")
                .first()
            ) or rural[region.code][0]
        communes = rural[region.code] or [home]
        population = [max(1, c.population_2024) for c in communes]
        for _i in range(count):
            number += 1
            month = rng.randint(1, 6)
            since = datetime.date(year, month, 1)
            while not is_working_day(since):
                since += datetime.timedelta(days=1)
            unit = MobileUnit(
                code=f"{_code_prefix(year)}{number:03d}",
                name=f"Unité mobile {region.code}-{number:03d} ({year})",
                police_unit=attached or root,
                home_commune=home,
                in_service_from=since,
                vehicle_registration=f"{rng.randint(10000, 99999)}-{region.code}",
            )
            fleet.append(unit)
            for tour_month in range(month + 1, min(13, month + 1 + tours_per_unit)):
                days = [
                    d
                    for d in _days_from(_second_monday(year, tour_month), stops_per_tour)
                    if d <= today
                ]
                if not days:
                    continue
                sequence.last += 1
                tour = Tour(
                    reference=f"{TOUR_PREFIX}-{year}-{sequence.last:06d}",
                    mobile_unit=unit,
                    season=f"{year}-{tour_month:02d}",
                    starts_on=days[0],
                    ends_on=days[-1],
                    status=TourStatus.DONE,
                )
                tours.append(tour)
                chosen = rng.choices(communes, weights=population, k=len(days) * 2)
                used: set[int] = set()
                for day in days:
                    commune = next((c for c in chosen if c.pk not in used), chosen[0])
                    used.add(commune.pk)
                    stops.append(
                        Stop(tour=tour, commune=commune, date=day, starts_at=OPEN, ends_at=CLOSE)
                    )
    if not stops:
        raise DomainError("No stop could be dated in the year up to today.")
    people = _share(people_total, [rng.uniform(0.5, 1.5) for _stop in stops])
    for stop, served in zip(stops, people, strict=True):
        stop.people_served = served
        stop.applications_received = round(served * rng.uniform(0.45, 0.65))
        stop.cards_delivered = round(served * rng.uniform(0.30, 0.50))
        stop.results_recorded_at = recorded_at
    sequence.save(update_fields=["last"])
    MobileUnit.objects.bulk_create(fleet, batch_size=500)
    Tour.objects.bulk_create(tours, batch_size=500)
    Stop.objects.bulk_create(stops, batch_size=1000)
    result = MobileYear(
        year=year,
        units=len(fleet),
        tours=len(tours),
        stops=len(stops),
        people_served=sum(s.people_served for s in stops),
        applications_received=sum(s.applications_received for s in stops),
        cards_delivered=sum(s.cards_delivered for s in stops),
        seconds=round(time.perf_counter() - started, 2),
    )
    audit_event_record(
        actor=None,
        action=AuditAction.BULK_LOAD,
        target="mobileunits.mobileunit",
        detail={
            "generated_year": year,
            "seed": seed,
            "scale": scale,
            "units": result.units,
            "tours": result.tours,
            "stops": result.stops,
            "people_served": result.people_served,
        },
    )
    return result
