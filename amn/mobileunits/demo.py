"""Demo mobile units (fictitious vehicles and results) attached to demo police units of
amn.orgunits.demo, with a closed 2025 tour, a current tour with past stops (results
recorded) and upcoming stops, and upcoming tours, all through amn.mobileunits.services.

Dates of the current and upcoming tours are relative to the day of loading, so the
public list of upcoming stops is never empty right after `amn load-demo`.
"""

import datetime

from django.utils import timezone

from amn.core.errors import DomainError
from amn.geo.models import Commune
from amn.mobileunits import services
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.models import MobileUnit
from amn.mobileunits.tour_planning import is_working_day, working_days
from amn.orgunits.models import OrgUnit

D = datetime.date
OPEN, CLOSE = datetime.time(9, 0), datetime.time(15, 0)

# code, name, police unit, home commune (HCP), in service from, vehicle registration
UNITS = (
    ("mu-agadir-01", "Unité mobile Agadir 1", "ws-agadir", "09.001.01.01", D(2025, 3, 3), "12345-أ-9"),
    ("mu-agadir-02", "Unité mobile Aït Melloul 1", "cr-ait-melloul", "09.273.01.05", D(2025, 3, 3), "12346-أ-9"),
    ("mu-fes-01", "Unité mobile Fès 1", "ws-fes", "03.231.01.0", D(2025, 4, 7), "23456-ب-3"),
    ("mu-taza-01", "Unité mobile Taza 1", "sp-taza", "03.561.01.11", D(2025, 4, 7), "23457-ب-3"),
    ("mu-beni-mellal-01", "Unité mobile Béni Mellal 1", "ws-beni-mellal", "05.091.01.01", D(2025, 5, 5), "34567-د-5"),
)

# 2025 tours, closed: unit code, season, stops (commune, date, applications, cards, people)
TOURS_2025 = (
    (
        "mu-agadir-01",
        "2025-autumn",
        (
            ("09.001.07.29", D(2025, 10, 6), 58, 41, 112),
            ("09.001.07.05", D(2025, 10, 7), 37, 22, 66),
            ("09.001.07.13", D(2025, 10, 8), 44, 30, 81),
            ("09.001.07.07", D(2025, 10, 9), 19, 15, 38),
            ("09.001.07.15", D(2025, 10, 10), 63, 40, 118),
        ),
    ),
    (
        "mu-taza-01",
        "2025-autumn",
        (
            ("03.561.09.01", D(2025, 11, 3), 92, 60, 171),
            ("03.561.09.07", D(2025, 11, 4), 71, 44, 130),
            ("03.561.09.09", D(2025, 11, 5), 40, 31, 77),
            ("03.561.07.07", D(2025, 11, 7), 120, 85, 221),
        ),
    ),
)

# Current and upcoming tours: unit code, communes of the stops (one a working day). The
# current tour starts four working days before today; the others start after today.
CURRENT_TOUR = ("mu-agadir-01", ("09.001.07.21", "09.001.07.23", "09.001.07.25", "09.001.07.29", "09.001.07.05", "09.001.07.13", "09.001.07.07"))
UPCOMING_TOURS = (
    ("mu-fes-01", ("03.451.07.13", "03.451.07.05", "03.451.03.15", "03.451.03.05")),
    ("mu-beni-mellal-01", ("05.091.05.01", "05.091.05.17", "05.091.05.05")),
)
# Results of the current tour's past stops: applications, cards, people served.
CURRENT_RESULTS = ((26, 18, 51), (33, 20, 60), (71, 52, 140), (45, 29, 83))


def _working_days_back(today: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days before `today`."""
    day, seen = today, 0
    while seen < count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            seen += 1
    return day


def _tour_with_stops(unit, season, days, communes, results=()):
    tour = services.tour_create(
        actor=None, mobile_unit=unit, starts_on=days[0], ends_on=days[-1], season=season
    )
    for index, (commune, day) in enumerate(zip(communes, days, strict=False)):
        stop = services.stop_add(
            actor=None, tour=tour, commune=commune, date=day, starts_at=OPEN, ends_at=CLOSE
        )
        if index < len(results):
            applications, cards, people = results[index]
            services.stop_record_results(
                actor=None,
                stop=stop,
                applications_received=applications,
                cards_delivered=cards,
                people_served=people,
            )
    return tour


def load_demo() -> str:
    """Create the demo fleet and tours (idempotent: skips when mu-agadir-01 exists).

    Raises:
        DomainError: the demo police units or the census geography are not loaded.
    """
    if MobileUnit.objects.filter(code=UNITS[0][0]).exists():
        return "mobile units: already loaded"
    police = {u.code: u for u in OrgUnit.objects.filter(code__in={row[2] for row in UNITS})}
    codes = {row[3] for row in UNITS}
    codes |= {stop[0] for _unit, _season, stops in TOURS_2025 for stop in stops}
    codes |= set(CURRENT_TOUR[1]) | {c for _unit, communes in UPCOMING_TOURS for c in communes}
    communes = {c.code: c for c in Commune.objects.filter(code__in=codes)}
    if len(police) < len(UNITS) or len(communes) < len(codes):
        raise DomainError("Demo police units or communes missing: load the reference and demo units.")
    units = {}
    for code, name, police_code, home, since, plate in UNITS:
        units[code] = services.mobile_unit_create(
            actor=None,
            code=code,
            name=name,
            police_unit=police[police_code],
            home_commune=communes[home],
            in_service_from=since,
            vehicle_registration=plate,
        )
    for unit_code, season, stops in TOURS_2025:
        tour = _tour_with_stops(
            units[unit_code],
            season,
            [stop[1] for stop in stops],
            [communes[stop[0]] for stop in stops],
            [stop[2:] for stop in stops],
        )
        services.tour_status_set(actor=None, tour=tour, status=TourStatus.DONE)
    today = timezone.localdate()
    unit_code, stop_codes = CURRENT_TOUR
    first = _working_days_back(today, len(CURRENT_RESULTS))
    days = working_days(first, len(stop_codes))
    past = sum(1 for day in days if day < today)
    _tour_with_stops(
        units[unit_code],
        f"{today.year}-current",
        days,
        [communes[c] for c in stop_codes],
        CURRENT_RESULTS[:past],
    )
    start = today + datetime.timedelta(days=7)
    for unit_code, stop_codes in UPCOMING_TOURS:
        days = working_days(start, len(stop_codes))
        _tour_with_stops(
            units[unit_code], f"{start.year}-upcoming", days, [communes[c] for c in stop_codes]
        )
    return f"mobile units: {len(units)} units, 5 tours"
