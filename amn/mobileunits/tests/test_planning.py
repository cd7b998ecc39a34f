"""The planner on synthetic instances (no database): the OR-Tools plan covers at least the
nearest-first baseline, both respect the working day, the kilometre limit and the number
of days, and no commune is visited twice."""

import itertools
import math
import random

import pytest

from amn.mobileunits.geometry import Point, great_circle_km, road_km
from amn.mobileunits.planning import (
    Crew,
    Limits,
    Problem,
    Site,
    plan_compare,
    plan_nearest_first,
)

KM_PER_DEGREE_LAT = 111.195  # on the 6,371.0088 km sphere


ORIGIN = Point(-8.0, 31.0)


def _site(code, km_north, km_east, population, origin=ORIGIN):
    lat = origin.lat + km_north / KM_PER_DEGREE_LAT
    lon = origin.lon + km_east / (KM_PER_DEGREE_LAT * math.cos(math.radians(origin.lat)))
    return Site(code=code, name=code, position=Point(lon=lon, lat=lat), population=population)


def _random_problem(seed=7, sites=40, days=3):
    rng = random.Random(seed)  # noqa: S311 (test data)
    candidates = [
        _site(f"C{i:02d}", rng.uniform(-120, 120), rng.uniform(-120, 120), rng.randint(500, 30_000))
        for i in range(sites)
    ]
    crews = [
        Crew(code="U1", name="U1", base=_site("B1", 0, 0, 0)),
        Crew(code="U2", name="U2", base=_site("B2", 40, -30, 0)),
    ]
    return Problem(candidates=candidates, crews=crews, days=days, limits=Limits())


def _check_limits(problem, plan):
    """Recompute each day from the positions, independently of the planner's matrices."""
    limits = problem.limits
    crews = {crew.code: crew for crew in problem.crews}
    sites = {site.code: site for site in problem.candidates}
    seen = set()
    for route in plan.routes:
        assert 0 <= route.day < problem.days
        points = [crews[route.crew].base.position]
        points += [sites[code].position for code in route.sites]
        points.append(crews[route.crew].base.position)
        km = sum(road_km(a, b) for a, b in itertools.pairwise(points))
        drive = km / limits.speed_kmh * 60
        work = drive + limits.service_minutes * len(route.sites)
        # the planner rounds each leg up to the minute, so the exact figures are lower
        assert work <= limits.day_minutes + 1e-6
        assert km <= limits.max_km_per_day + 0.01
        assert abs(route.km - km) < 0.1 * len(points)
        assert route.work_minutes <= limits.day_minutes
        for code in route.sites:
            assert code not in seen, f"{code} visited twice"
            seen.add(code)
    for stop in plan.stops:
        assert stop.arrival_minute >= limits.day_start_minute
        assert stop.departure_minute <= limits.day_start_minute + limits.day_minutes
        assert stop.departure_minute - stop.arrival_minute == limits.service_minutes
    assert {stop.site.code for stop in plan.stops} == seen


def test_optimised_plan_covers_at_least_the_baseline_within_the_limits():
    problem = _random_problem()
    optimised, baseline = plan_compare(problem, time_limit_s=1)

    assert baseline.population_covered > 0
    assert optimised.population_covered >= baseline.population_covered
    assert optimised.method == "or-tools" and baseline.method == "nearest-first"
    _check_limits(problem, optimised)
    _check_limits(problem, baseline)
    assert len({(r.crew, r.day) for r in optimised.routes}) == len(optimised.routes)


def test_nearest_first_takes_the_nearest_commune_and_the_optimiser_does_better():
    """One unit, one day, 3 h per stop in a 9 h day: the baseline drives to the tiny
    commune next door and then has no time left for either large commune 60 km west;
    the optimiser serves a large one instead."""
    base = _site("BASE", 0, 0, 0)
    tiny = _site("TINY", 0, 10, 1_000)
    large = _site("LARGE", 0, -60, 30_000)
    other = _site("OTHER", 0, -72, 25_000)
    problem = Problem(
        candidates=[tiny, large, other],
        crews=[Crew(code="U", name="U", base=base)],
        days=1,
    )
    optimised, baseline = plan_compare(problem, time_limit_s=1)

    assert baseline.stops[0].site.code == "TINY"
    assert baseline.population_covered == 1_000
    assert optimised.population_covered >= 30_000
    _check_limits(problem, optimised)


def test_a_commune_no_unit_can_reach_in_a_day_is_never_planned():
    far = _site("FAR", 400, 0, 90_000)
    near = _site("NEAR", 30, 0, 2_000)
    problem = Problem(
        candidates=[far, near], crews=[Crew(code="U", name="U", base=_site("B", 0, 0, 0))], days=2
    )
    assert not problem.reachable(problem.candidate_node(0))
    optimised, baseline = plan_compare(problem, time_limit_s=0.5)
    assert [s.site.code for s in optimised.stops] == ["NEAR"]
    assert [s.site.code for s in baseline.stops] == ["NEAR"]


def test_the_kilometre_limit_binds_as_well_as_time():
    """A 100 km day allows a round trip to a commune 35 km away (91 road km) only."""
    limits = Limits(max_km_per_day=100, day_minutes=12 * 60, day_start_minute=7 * 60)
    sites = [_site("A35", 35, 0, 5_000), _site("B45", 0, 45, 8_000)]
    problem = Problem(
        candidates=sites,
        crews=[Crew(code="U", name="U", base=_site("B", 0, 0, 0))],
        days=1,
        limits=limits,
    )
    optimised, _baseline = plan_compare(problem, time_limit_s=0.5)
    assert [s.site.code for s in optimised.stops] == ["A35"]
    assert optimised.routes[0].km <= 100


def test_stop_hours_follow_the_drive_from_the_base():
    site = _site("S", 0, 50, 1_000)
    problem = Problem(
        candidates=[site], crews=[Crew(code="U", name="U", base=_site("B", 0, 0, 0))], days=1
    )
    plan, _routes = plan_nearest_first(problem)
    drive = math.ceil(
        round(great_circle_km(problem.crews[0].base.position, site.position) * 1.3 * 1000)
        / (50_000 / 60)
    )
    assert plan.stops[0].arrival_minute == 8 * 60 + drive
    assert plan.stops[0].departure_minute == 8 * 60 + drive + 180


@pytest.mark.parametrize(
    "kwargs",
    [
        {"service_minutes": 600},
        {"day_minutes": 0},
        {"max_km_per_day": 0},
        {"detour_factor": 0.9},
        {"day_start_minute": 20 * 60},
    ],
)
def test_impossible_limits_are_refused(kwargs):
    with pytest.raises(ValueError):
        Limits(**kwargs)


def test_a_problem_needs_a_crew_and_a_day():
    with pytest.raises(ValueError):
        Problem(candidates=[], crews=[], days=1)
    with pytest.raises(ValueError):
        Problem(candidates=[], crews=[Crew("U", "U", _site("B", 0, 0, 0))], days=0)
