"""Tour proposals for one region: builds the planning instance from the registries and the
geometry files, runs amn.mobileunits.planning, and shapes the result (`amn plan-tours`).

Rules (documented in docs/tour-planning.md):

- Fixed ID offices: every urban commune (RGPH 2024 type "urban") and every commune that
  seats an active police unit serving the public (amn.orgunits, `serves_public`). In
  Morocco the CNIE is applied for at police premises, which stand in urban centres.
- Candidate communes: the region's other communes whose stop lies at least
  `min_distance_km` (default 20 km) by the road model from the nearest fixed office, in
  any region, and that some unit can reach, serve and leave within one working day.
- Units: without `units`, the region's mobile units (home base in the region) in service
  over the whole plan; with `units=K`, K hypothetical units spread over the region's
  police-unit bases (distinct seats of its active police units serving the public), or —
  with `bases="provinces"` or when the region has no police unit — over the most
  populous urban commune of each province.
- Days: the N working days from the season's start, Monday to Friday, skipping Morocco's
  fixed-date public holidays (FIXED_HOLIDAYS; Islamic holidays move with the lunar
  calendar and are not skipped).
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.core.digits import ascii_digits
from amn.core.errors import DomainError
from amn.geo.choices import CommuneType
from amn.geo.models import Commune, Region
from amn.mobileunits.geometry import (
    ATTRIBUTION,
    SOURCES_CREDIT,
    Geometry,
    Point,
    geometry_load,
    road_km,
)
from amn.mobileunits.models import MobileUnit
from amn.mobileunits.planning import Crew, Limits, Plan, Problem, Site, plan_compare
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit

DEFAULT_MIN_DISTANCE_KM = 20.0
MAX_DAYS = 60
MAX_UNITS = 40

# Fixed-date public holidays of Morocco (month, day): New Year, Independence Manifesto
# (11 Jan), Amazigh New Year (14 Jan, a public holiday since 2024), Labour Day, Throne Day
# (30 Jul), Oued Ed-Dahab (14 Aug), Revolution of the King and the People (20 Aug), Youth
# Day (21 Aug), Green March (6 Nov), Independence Day (18 Nov).
FIXED_HOLIDAYS = {(1, 1), (1, 11), (5, 1), (7, 30), (8, 14), (8, 20), (8, 21), (11, 6), (11, 18)}
AMAZIGH_NEW_YEAR = (1, 14)
AMAZIGH_NEW_YEAR_FROM = 2024

SEASON_STARTS = {"winter": (1, 1), "spring": (3, 1), "summer": (6, 1), "autumn": (9, 1)}
_SEASON_RE = re.compile(r"^(\d{4})-(winter|spring|summer|autumn)$")


def is_working_day(day: datetime.date) -> bool:
    """True for Monday–Friday days that are not a fixed-date public holiday."""
    if day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS:
        return False
    return not ((day.month, day.day) == AMAZIGH_NEW_YEAR and day.year >= AMAZIGH_NEW_YEAR_FROM)


def season_start(season: str | None, *, today: datetime.date | None = None) -> datetime.date:
    """First calendar day of `season`: "YYYY-MM-DD", or "YYYY-winter|spring|summer|autumn"
    (1 January, 1 March, 1 June, 1 September); None means tomorrow (Africa/Casablanca).

    Raises:
        DomainError: any other text.
    """
    if not season:
        return (today or timezone.localdate()) + datetime.timedelta(days=1)
    match = _SEASON_RE.match(season.strip().lower())
    if match:
        month, day = SEASON_STARTS[match.group(2)]
        return datetime.date(int(match.group(1)), month, day)
    try:
        return datetime.date.fromisoformat(season.strip())
    except ValueError:
        raise DomainError(
            _(
                "Season %(value)r is not understood: give a start date (2026-03-02) or a "
                "season (2026-spring, 2026-summer, 2026-autumn, 2026-winter)."
            )
            % {"value": season}
        ) from None


def working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """The first `count` working days on or after `start` (see is_working_day)."""
    days, day = [], start
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


@dataclass
class Proposal:
    """A tour proposal for a region and its baseline.

    Attributes:
        region: the Region.
        dates: the working days of the plan (index = PlannedStop.day).
        crews: the units planned (real or hypothetical).
        candidates: the candidate communes (Sites) given to the planners.
        far_communes: communes far from any fixed office (before the reach test).
        unreachable: far communes no unit can serve within a working day.
        without_position: the region's communes absent from the geometry files.
        optimised, baseline: the two plans.
        limits, min_distance_km, time_limit_s, geometry_folder: the parameters.
        placed_at_locality: candidates whose stop is their GeoNames main locality.
    """

    region: Region
    dates: list[datetime.date]
    crews: list[Crew]
    candidates: list[Site]
    far_communes: int
    unreachable: list[Site]
    without_position: list[str]
    optimised: Plan
    baseline: Plan
    limits: Limits
    min_distance_km: float
    time_limit_s: float
    geometry_folder: str
    placed_at_locality: int

    @property
    def ratio(self) -> float | None:
        """Population covered by the optimised plan ÷ by the baseline (None if 0)."""
        base = self.baseline.population_covered
        return round(self.optimised.population_covered / base, 4) if base else None


def region_get(code: str) -> Region:
    """The Region of HCP code `code` ("01" … "12"; "9" is read as "09"; Arabic-Indic digits
    are read as ASCII ones).

    Raises:
        DomainError: the geography is not loaded, or no region has this code (the message
            lists the known codes).
    """
    code = ascii_digits(code or "").strip()
    if code.isascii() and code.isdigit() and len(code) == 1:
        code = f"0{code}"
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return region
    known = list(Region.objects.values_list("code", flat=True))
    if not known:
        raise DomainError(_("The census geography is not loaded: run `amn load-reference`."))
    raise DomainError(
        _("Unknown region code %(code)r; known codes: %(known)s.")
        % {"code": code, "known": ", ".join(known)}
    )


def _site(geometry: Geometry, commune: Commune) -> tuple[Site | None, str]:
    position, how = geometry.stop_position(commune.code, commune.name_fr)
    if position is None:
        return None, ""
    return Site(
        code=commune.code,
        name=commune.name_fr,
        position=position,
        population=commune.population_2024,
    ), how


def fixed_office_codes() -> set[str]:
    """HCP codes of the communes with a fixed ID office: urban communes and seats of active
    police units serving the public."""
    urban = set(Commune.objects.filter(type=CommuneType.URBAN).values_list("code", flat=True))
    seats = set(
        OrgUnit.objects.filter(
            status=UnitStatus.ACTIVE, serves_public=True, commune__isnull=False
        ).values_list("commune__code", flat=True)
    )
    return urban | seats


def _crews_real(region: Region, dates: list[datetime.date], geometry: Geometry) -> list[Crew]:
    units = (
        MobileUnit.objects.filter(home_commune__province__region=region)
        .filter(in_service_from__lte=dates[0])
        .filter(Q(in_service_to__isnull=True) | Q(in_service_to__gte=dates[-1]))
        .select_related("home_commune")
        .order_by("code")
    )
    crews = []
    for unit in units:
        base, _how = _site(geometry, unit.home_commune)
        if base is not None:
            crews.append(Crew(code=unit.code, name=unit.name, base=base))
    if not crews:
        raise DomainError(
            _(
                "No mobile unit based in region %(region)s is in service from %(start)s to "
                "%(end)s: record the fleet, or plan for hypothetical units with --units K."
            )
            % {"region": region.code, "start": dates[0], "end": dates[-1]}
        )
    return crews


def _bases(region: Region, bases: str) -> list[Commune]:
    """Base communes for hypothetical units (see the module docstring), in order."""
    communes: list[Commune] = []
    if bases == "police":
        units = (
            OrgUnit.objects.filter(
                status=UnitStatus.ACTIVE,
                serves_public=True,
                commune__province__region=region,
            )
            .select_related("commune")
            .order_by("depth", "code")
        )
        for unit in units:
            if unit.commune not in communes:
                communes.append(unit.commune)
    if not communes:
        seats: dict[int, Commune] = {}
        for commune in Commune.objects.filter(
            province__region=region, type=CommuneType.URBAN
        ).order_by("-population_2024", "code"):
            seats.setdefault(commune.province_id, commune)
        communes = sorted(seats.values(), key=lambda c: (-c.population_2024, c.code))
    return communes


def _crews_hypothetical(region: Region, count: int, bases: str, geometry: Geometry) -> list[Crew]:
    sites = [site for site, _how in (_site(geometry, c) for c in _bases(region, bases)) if site]
    if not sites:
        raise DomainError(
            _("Region %(region)s has no located base for mobile units.") % {"region": region.code}
        )
    return [
        Crew(
            code=f"H{i + 1:02d}",
            name=_("Hypothetical unit %(number)d (%(base)s)")
            % {"number": i + 1, "base": sites[i % len(sites)].name},
            base=sites[i % len(sites)],
            hypothetical=True,
        )
        for i in range(count)
    ]


def tours_propose(
    *,
    region_code: str,
    days: int,
    units: int | None = None,
    season: str | None = None,
    geometry_dir,
    limits: Limits | None = None,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
    time_limit_s: float = 20.0,
    bases: str = "police",
) -> Proposal:
    """Propose tours for region `region_code` over `days` working days.

    Args:
        region_code: HCP region code ("01" … "12").
        days: number of working days (1 … MAX_DAYS).
        units: None to plan the region's real fleet, or a number of hypothetical units
            (1 … MAX_UNITS).
        season: start of the plan (see season_start).
        geometry_dir: folder of the geometry files (amn.mobileunits.geometry).
        limits: working-day limits and travel model (planning.Limits defaults).
        min_distance_km: road km from the nearest fixed office beyond which a commune is a
            candidate.
        time_limit_s: OR-Tools search time (seconds).
        bases: "police" or "provinces" — where hypothetical units are based.
    Returns:
        Proposal.
    Raises:
        GeometryMissing: the geometry folder or its files are absent (checked first).
        DomainError: unknown region, bad numbers or season, no unit in service.
    """
    geometry = geometry_load(geometry_dir)
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(
            _("The number of days must be between 1 and %(max)d.") % {"max": MAX_DAYS}
        )
    if units is not None and not 1 <= units <= MAX_UNITS:
        raise DomainError(
            _("The number of units must be between 1 and %(max)d.") % {"max": MAX_UNITS}
        )
    if bases not in ("police", "provinces"):
        raise DomainError(_("Bases must be 'police' or 'provinces'."))
    if min_distance_km < 0 or time_limit_s <= 0:
        raise DomainError(_("Distances and time limits must be positive."))
    limits = limits or Limits()
    region = region_get(region_code)
    dates = working_days(season_start(season), days)
    crews = (
        _crews_real(region, dates, geometry)
        if units is None
        else _crews_hypothetical(region, units, bases, geometry)
    )

    fixed = fixed_office_codes()
    office_points: list[Point] = [geometry.centroids[c] for c in fixed if c in geometry.centroids]
    far: list[Site] = []
    without_position: list[str] = []
    placed = 0
    for commune in Commune.objects.filter(province__region=region).order_by("code"):
        if commune.code in fixed:
            continue
        site, how = _site(geometry, commune)
        if site is None:
            without_position.append(commune.code)
            continue
        nearest = min(
            (road_km(site.position, p, detour_factor=limits.detour_factor) for p in office_points),
            default=float("inf"),
        )
        if nearest >= min_distance_km:
            far.append(site)
            placed += how == "place"
    reach = Problem(candidates=far, crews=crews, days=1, limits=limits)
    reachable = [s for i, s in enumerate(far) if reach.reachable(reach.candidate_node(i))]
    unreachable = [s for s in far if s not in reachable]
    problem = Problem(candidates=reachable, crews=crews, days=days, limits=limits)
    optimised, baseline = plan_compare(problem, time_limit_s=time_limit_s)
    return Proposal(
        region=region,
        dates=dates,
        crews=crews,
        candidates=reachable,
        far_communes=len(far),
        unreachable=unreachable,
        without_position=without_position,
        optimised=optimised,
        baseline=baseline,
        limits=limits,
        min_distance_km=min_distance_km,
        time_limit_s=time_limit_s,
        geometry_folder=str(geometry.folder),
        placed_at_locality=placed,
    )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _stops_json(plan: Plan, proposal: Proposal) -> list[dict]:
    names = {crew.code: crew.name for crew in proposal.crews}
    return [
        {
            "commune_code": stop.site.code,
            "commune_name": stop.site.name,
            "population": stop.site.population,
            "day": proposal.dates[stop.day].isoformat(),
            "day_index": stop.day + 1,
            "order": stop.order,
            "unit": stop.crew,
            "unit_name": names[stop.crew],
            "arrival": _clock(stop.arrival_minute),
            "departure": _clock(stop.departure_minute),
        }
        for stop in sorted(plan.stops, key=lambda s: (s.day, s.crew, s.order))
    ]


def _routes_json(plan: Plan, proposal: Proposal) -> list[dict]:
    return [
        {
            "unit": route.crew,
            "day": proposal.dates[route.day].isoformat(),
            "communes": list(route.sites),
            "km": route.km,
            "drive_minutes": route.drive_minutes,
            "work_minutes": route.work_minutes,
        }
        for route in sorted(plan.routes, key=lambda r: (r.day, r.crew))
    ]


def proposal_as_json(proposal: Proposal) -> dict:
    """The proposal as JSON-safe data: `population_covered`, `baseline_population_covered`,
    `ratio`, `stops` (commune code/name, population, day, unit, hours) and the context
    (region, dates, units, candidates, parameters, routes, baseline, attribution)."""
    limits = proposal.limits
    return {
        "region": {"code": proposal.region.code, "name": proposal.region.name_fr},
        "population_covered": proposal.optimised.population_covered,
        "baseline_population_covered": proposal.baseline.population_covered,
        "ratio": proposal.ratio,
        "stops": _stops_json(proposal.optimised, proposal),
        "days": [day.isoformat() for day in proposal.dates],
        "units": [
            {
                "code": crew.code,
                "name": crew.name,
                "base_commune_code": crew.base.code,
                "base_commune_name": crew.base.name,
                "hypothetical": crew.hypothetical,
            }
            for crew in proposal.crews
        ],
        "candidates": {
            "far_from_fixed_offices": proposal.far_communes,
            "reachable": len(proposal.candidates),
            "reachable_population": sum(site.population for site in proposal.candidates),
            "unreachable": [site.code for site in proposal.unreachable],
            "without_position": proposal.without_position,
            "placed_at_main_locality": proposal.placed_at_locality,
        },
        "parameters": {
            "min_distance_km": proposal.min_distance_km,
            "day_minutes": limits.day_minutes,
            "service_minutes": limits.service_minutes,
            "max_km_per_day": limits.max_km_per_day,
            "speed_kmh": limits.speed_kmh,
            "detour_factor": limits.detour_factor,
            "day_start": _clock(limits.day_start_minute),
            "time_limit_s": proposal.time_limit_s,
            "geometry": proposal.geometry_folder,
        },
        "routes": _routes_json(proposal.optimised, proposal),
        "solver": {
            "method": proposal.optimised.method,
            "status": proposal.optimised.status,
            "seconds": proposal.optimised.seconds,
        },
        "baseline": {
            "method": proposal.baseline.method,
            "stops": _stops_json(proposal.baseline, proposal),
        },
        "attribution": ATTRIBUTION,
        "sources": SOURCES_CREDIT,
    }
