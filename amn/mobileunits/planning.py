"""Tour planning: which remote communes each mobile unit visits on which working day.

The problem is a prize-collecting vehicle-routing problem solved with Google OR-Tools:

- a "vehicle" is one mobile unit on one working day: it leaves its home base at the start
  of the day and is back before its end (one round trip per unit per day);
- each candidate commune may be visited at most once in the whole plan; leaving it out
  costs its population (RGPH 2024), so the solver maximises the population covered;
- a time dimension bounds driving time + service time at the stops by the working day,
  and a distance dimension bounds the kilometres driven per day;
- arc cost is driving time, weighted so that any gain in population outweighs any saving
  in driving (see `_prize_weight`).

The same run builds a simple nearest-first plan (`plan_nearest_first`, the baseline); the
optimiser starts from it, so its population covered is never below the baseline's.

Everything here works on plain data (no database), so that it can be tested on synthetic
instances; amn.mobileunits.tour_planning builds the instance of a region.
"""

import math
import time
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from amn.mobileunits.geometry import ROAD_DETOUR_FACTOR, Point, road_km


@dataclass(frozen=True)
class Site:
    """A commune a unit may stop at: HCP code, French name, stop position, RGPH 2024
    population (inhabitants)."""

    code: str
    name: str
    position: Point
    population: int


@dataclass(frozen=True)
class Crew:
    """A mobile unit available for the plan: its code and name, its home base (a Site whose
    population is irrelevant), and whether it is hypothetical (`--units K`)."""

    code: str
    name: str
    base: Site
    hypothetical: bool = False


@dataclass(frozen=True)
class Limits:
    """Working-day limits and the travel model.

    Attributes:
        day_minutes: length of a working day, driving included (minutes).
        service_minutes: time spent open at each stop (minutes).
        max_km_per_day: kilometres a unit may drive in one day (km).
        speed_kmh: average road speed on the estimated road distance (km/h).
        detour_factor: road km per great-circle km (see amn.mobileunits.geometry).
        day_start_minute: when the day starts, in minutes after midnight (08:00 = 480).
    """

    day_minutes: int = 9 * 60
    service_minutes: int = 3 * 60
    max_km_per_day: int = 300
    speed_kmh: float = 50.0
    detour_factor: float = ROAD_DETOUR_FACTOR
    day_start_minute: int = 8 * 60

    def __post_init__(self):
        if self.day_minutes <= 0 or self.service_minutes <= 0:
            raise ValueError("day and service times must be positive")
        if self.service_minutes > self.day_minutes:
            raise ValueError("the service time cannot exceed the working day")
        if self.max_km_per_day <= 0 or self.speed_kmh <= 0 or self.detour_factor < 1:
            raise ValueError("distance limit and speed must be positive, detour factor ≥ 1")
        if not 0 <= self.day_start_minute < 24 * 60:
            raise ValueError("the day must start within the day")
        if self.day_start_minute + self.day_minutes > 24 * 60:
            raise ValueError("the working day must end before midnight")


@dataclass(frozen=True)
class PlannedStop:
    """One stop of a plan: crew code, day index (0-based working day), order within the
    day (1-based), the site, arrival and departure in minutes after midnight."""

    crew: str
    day: int
    order: int
    site: Site
    arrival_minute: int
    departure_minute: int


@dataclass(frozen=True)
class DayRoute:
    """One crew's day: its stops' codes in order, km driven, driving minutes and working
    minutes (driving + service, from leaving the base to coming back)."""

    crew: str
    day: int
    sites: tuple[str, ...]
    km: float
    drive_minutes: int
    work_minutes: int


@dataclass
class Plan:
    """A plan: its stops, its day routes, and facts about how it was found."""

    stops: list[PlannedStop]
    routes: list[DayRoute]
    method: str
    status: str = ""
    seconds: float = 0.0

    @property
    def population_covered(self) -> int:
        """Sum of the RGPH 2024 populations of the communes visited (inhabitants)."""
        return sum(stop.site.population for stop in self.stops)


@dataclass
class Problem:
    """A planning instance: candidate sites, crews, number of working days and limits.

    `travel` is built on demand: integer matrices of km and driving minutes between all
    nodes, where nodes are the distinct crew bases first, then the candidates.
    """

    candidates: list[Site]
    crews: list[Crew]
    days: int
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        if self.days < 1:
            raise ValueError("at least one day")
        if not self.crews:
            raise ValueError("at least one crew")
        codes = [site.code for site in self.candidates]
        if len(set(codes)) != len(codes):
            raise ValueError("candidate codes must be unique")
        self.bases: list[Site] = []
        self._base_index: dict[str, int] = {}
        for crew in self.crews:
            if crew.base.code not in self._base_index:
                self._base_index[crew.base.code] = len(self.bases)
                self.bases.append(crew.base)
        self.nodes: list[Site] = [*self.bases, *self.candidates]
        self.metres, self.minutes = self._travel()

    def base_node(self, crew: Crew) -> int:
        """Node index of `crew`'s home base."""
        return self._base_index[crew.base.code]

    def candidate_node(self, index: int) -> int:
        """Node index of candidate number `index`."""
        return len(self.bases) + index

    def is_candidate(self, node: int) -> bool:
        return node >= len(self.bases)

    def _travel(self) -> tuple[list[list[int]], list[list[int]]]:
        """Road metres and driving minutes (rounded up) between every pair of nodes."""
        metres, minutes = [], []
        speed_m_per_min = self.limits.speed_kmh * 1000 / 60
        for a in self.nodes:
            row_m, row_t = [], []
            for b in self.nodes:
                distance = (
                    0
                    if a is b
                    else round(
                        road_km(a.position, b.position, detour_factor=self.limits.detour_factor)
                        * 1000
                    )
                )
                row_m.append(distance)
                row_t.append(math.ceil(distance / speed_m_per_min) if distance else 0)
            metres.append(row_m)
            minutes.append(row_t)
        return metres, minutes

    def service(self, node: int) -> int:
        """Minutes spent at `node` (the service time at candidates, 0 at bases)."""
        return self.limits.service_minutes if self.is_candidate(node) else 0

    def reachable(self, node: int) -> bool:
        """True when some crew can go from its base to `node`, serve it and come back
        within one working day and the daily kilometre limit."""
        for crew in self.crews:
            base = self.base_node(crew)
            work = self.minutes[base][node] + self.service(node) + self.minutes[node][base]
            km = self.metres[base][node] + self.metres[node][base]
            if work <= self.limits.day_minutes and km <= self.limits.max_km_per_day * 1000:
                return True
        return False

    def vehicles(self) -> list[tuple[int, Crew]]:
        """(day index, crew) of each vehicle of the routing model, day-major."""
        return [(day, crew) for day in range(self.days) for crew in self.crews]

    def plan_from_routes(
        self, routes: list[list[int]], *, method: str, status: str = "", seconds: float = 0.0
    ) -> Plan:
        """The Plan of `routes` (one list of candidate node indices per vehicle, in
        `vehicles()` order), with stop times and day totals.

        Raises:
            ValueError: a route breaks the working day or the kilometre limit, or a
                commune is visited twice (a bug in the planner, never bad input).
        """
        stops: list[PlannedStop] = []
        day_routes: list[DayRoute] = []
        seen: set[int] = set()
        for (day, crew), route in zip(self.vehicles(), routes, strict=True):
            if not route:
                continue
            base = self.base_node(crew)
            clock, metres, drive, previous = 0, 0, 0, base
            for order, node in enumerate(route, start=1):
                if node in seen or not self.is_candidate(node):
                    raise ValueError(f"node {node} visited twice or not a candidate")
                seen.add(node)
                drive += self.minutes[previous][node]
                metres += self.metres[previous][node]
                clock += self.minutes[previous][node]
                start = self.limits.day_start_minute + clock
                clock += self.service(node)
                stops.append(
                    PlannedStop(
                        crew=crew.code,
                        day=day,
                        order=order,
                        site=self.nodes[node],
                        arrival_minute=start,
                        departure_minute=start + self.service(node),
                    )
                )
                previous = node
            drive += self.minutes[previous][base]
            metres += self.metres[previous][base]
            clock += self.minutes[previous][base]
            if clock > self.limits.day_minutes or metres > self.limits.max_km_per_day * 1000:
                raise ValueError(f"route of {crew.code} on day {day} breaks the limits")
            day_routes.append(
                DayRoute(
                    crew=crew.code,
                    day=day,
                    sites=tuple(self.nodes[node].code for node in route),
                    km=round(metres / 1000, 1),
                    drive_minutes=drive,
                    work_minutes=clock,
                )
            )
        return Plan(stops=stops, routes=day_routes, method=method, status=status, seconds=seconds)


def plan_nearest_first(problem: Problem) -> tuple[Plan, list[list[int]]]:
    """The baseline: day after day, unit after unit, drive to the nearest unvisited
    candidate (shortest driving time; ties by code) that still lets the unit serve it and
    return home within the day's time and kilometre limits; go home when none fits.

    Returns:
        (Plan, routes) — routes as candidate node indices per vehicle (`vehicles()` order),
        which seed the optimiser.
    """
    started = time.perf_counter()
    limits = problem.limits
    unvisited = {problem.candidate_node(i) for i in range(len(problem.candidates))}
    routes: list[list[int]] = []
    for _day, crew in problem.vehicles():
        base = problem.base_node(crew)
        here, clock, metres, route = base, 0, 0, []
        while True:
            best = None
            for node in sorted(
                unvisited, key=lambda n: (problem.minutes[here][n], problem.nodes[n].code)
            ):
                work = (
                    clock
                    + problem.minutes[here][node]
                    + problem.service(node)
                    + problem.minutes[node][base]
                )
                km = metres + problem.metres[here][node] + problem.metres[node][base]
                if work <= limits.day_minutes and km <= limits.max_km_per_day * 1000:
                    best = node
                    break
            if best is None:
                break
            clock += problem.minutes[here][best] + problem.service(best)
            metres += problem.metres[here][best]
            route.append(best)
            unvisited.discard(best)
            here = best
        routes.append(route)
    plan = problem.plan_from_routes(
        routes,
        method="nearest-first",
        status="done",
        seconds=round(time.perf_counter() - started, 3),
    )
    return plan, routes


def _prize_weight(problem: Problem) -> int:
    """Cost of leaving out one inhabitant: one more than the largest possible total
    driving time of all vehicles (minutes), so that covering one more inhabitant is always
    worth more than any saving in driving. With integer populations, the optimiser's plan
    therefore covers at least the population of the plan it starts from."""
    return len(problem.vehicles()) * problem.limits.day_minutes + 1


_STATUS = {
    0: "not solved",
    1: "success",
    2: "no solution found",
    3: "time limit reached",
    4: "invalid model",
}


def plan_optimised(
    problem: Problem, *, time_limit_s: float = 20.0, initial: list[list[int]] | None = None
) -> Plan:
    """The OR-Tools plan: prize-collecting VRP with time and distance dimensions, improved
    by guided local search for `time_limit_s` seconds from `initial` routes (normally the
    nearest-first plan's; `vehicles()` order).

    Returns:
        Plan (method "or-tools"); its population covered is ≥ that of `initial`.
    """
    started = time.perf_counter()
    vehicles = problem.vehicles()
    starts = [problem.base_node(crew) for _day, crew in vehicles]
    manager = pywrapcp.RoutingIndexManager(len(problem.nodes), len(vehicles), starts, starts)
    routing = pywrapcp.RoutingModel(manager)

    def drive_time(from_index, to_index):
        return problem.minutes[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    def work_time(from_index, to_index):
        origin = manager.IndexToNode(from_index)
        return problem.minutes[origin][manager.IndexToNode(to_index)] + problem.service(origin)

    def distance(from_index, to_index):
        return problem.metres[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    drive_callback = routing.RegisterTransitCallback(drive_time)
    work_callback = routing.RegisterTransitCallback(work_time)
    distance_callback = routing.RegisterTransitCallback(distance)
    routing.SetArcCostEvaluatorOfAllVehicles(drive_callback)
    routing.AddDimension(work_callback, 0, problem.limits.day_minutes, True, "work")
    routing.AddDimension(
        distance_callback, 0, problem.limits.max_km_per_day * 1000, True, "distance"
    )
    weight = _prize_weight(problem)
    for i, site in enumerate(problem.candidates):
        index = manager.NodeToIndex(problem.candidate_node(i))
        routing.AddDisjunction([index], max(1, site.population) * weight)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(max(100, int(time_limit_s * 1000)))
    routing.CloseModelWithParameters(parameters)

    solution = None
    if initial is not None:
        seed = routing.ReadAssignmentFromRoutes(
            [[manager.NodeToIndex(node) for node in route] for route in initial], True
        )
        if seed is not None:
            solution = routing.SolveFromAssignmentWithParameters(seed, parameters)
    if solution is None:
        solution = routing.SolveWithParameters(parameters)
    status = _STATUS.get(routing.status(), str(routing.status()))
    if solution is None:
        return Plan(stops=[], routes=[], method="or-tools", status=status)
    routes = []
    for vehicle in range(len(vehicles)):
        index = routing.Start(vehicle)
        route = []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        routes.append(route)
    routes = _earliest_days_first(problem, routes)
    return problem.plan_from_routes(
        routes,
        method="or-tools",
        status=status,
        seconds=round(time.perf_counter() - started, 3),
    )


def _earliest_days_first(problem: Problem, routes: list[list[int]]) -> list[list[int]]:
    """Routes of one crew on different days are interchangeable: give each crew's busiest
    routes (most population) the earliest days, so the plan reads in a stable order."""
    vehicles = problem.vehicles()
    by_crew: dict[str, list[list[int]]] = {}
    for (_day, crew), route in zip(vehicles, routes, strict=True):
        by_crew.setdefault(crew.code, []).append(route)
    for crew_routes in by_crew.values():
        crew_routes.sort(key=lambda r: (-sum(problem.nodes[n].population for n in r), r))
    ordered = []
    for _day, crew in vehicles:
        ordered.append(by_crew[crew.code].pop(0))
    return ordered


def plan_compare(problem: Problem, *, time_limit_s: float = 20.0) -> tuple[Plan, Plan]:
    """Plan `problem` twice: nearest-first (baseline), then OR-Tools seeded with it.

    Returns:
        (optimised Plan, baseline Plan).
    """
    baseline, routes = plan_nearest_first(problem)
    optimised = plan_optimised(problem, time_limit_s=time_limit_s, initial=routes)
    return optimised, baseline
