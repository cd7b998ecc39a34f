"""The error of the road-distance model, measured against published road distances.

PUBLISHED_ROAD_KM lists town pairs whose road distance is stated in a public source
(motorway operator figures, travel guides, travel diaries with a kilometre count). Each
town is placed at its commune's stop position (amn.mobileunits.geometry.Geometry.
stop_position) and compared with:

- the model: great-circle distance × detour factor (geometry.road_km);
- the graph: the shortest path along the commune adjacency graph, hop by hop between
  centroids (Geometry.graph_km) — the other model SOURCES.md suggests.

docs/tour-planning.md quotes the result of `road_model_report` on the shared files.
"""

import statistics
from dataclasses import dataclass

from amn.mobileunits.geometry import ROAD_DETOUR_FACTOR, Geometry, great_circle_km

# (commune code, town, commune code, town, road km, source)
PUBLISHED_ROAD_KM = (
    (
        "09.001.01.01",
        "Agadir",
        "07.351.01.0",
        "Marrakech",
        233.0,
        "A7 motorway length, agence-de-voyages.info/distance-entre-agadir-et-marrakech",
    ),
    (
        "09.273.01.15",
        "Inezgane",
        "09.581.01.07",
        "Tiznit",
        95.0,
        "maroc.baroudeur.free.fr/tiznit/tiznit.htm",
    ),
    (
        "09.541.01.13",
        "Taroudannt",
        "09.273.01.15",
        "Inezgane",
        80.0,
        "maroc.baroudeur.free.fr/tiznit/tiznit.htm",
    ),
    (
        "09.581.01.05",
        "Tafraout",
        "09.581.01.07",
        "Tiznit",
        110.0,
        "explore-agadirsoussmassa.com/fr/?p=6394",
    ),
    (
        "03.561.01.11",
        "Taza",
        "03.231.01.0",
        "Fès",
        120.0,
        "bicheklita.blogspot.com/2012/06/de-taza-fes-120-km.html",
    ),
    (
        "02.533.01.33",
        "Taourirt",
        "03.561.01.11",
        "Taza",
        115.0,
        "bicheklita.blogspot.com/2012/06/de-taourirt-taza-115-km.html",
    ),
    (
        "02.265.01.03",
        "Guercif",
        "03.561.01.11",
        "Taza",
        64.0,
        "bicheklita.blogspot.com/2012/06/de-taourirt-taza-115-km.html",
    ),
    (
        "07.351.01.0",
        "Marrakech",
        "08.401.01.07",
        "Ouarzazate",
        196.0,
        "N9 over Tizi n'Tichka, 122 miles: orlando-guide.info (marrakech-an-overview-part-31)",
    ),
    (
        "03.271.01.03",
        "Ifrane",
        "03.231.01.0",
        "Fès",
        70.0,
        "gill05.wixsite.com/maroc2017/route-de-fes",
    ),
    (
        "04.421.01.0",
        "Rabat",
        "06.141.01.0",
        "Casablanca",
        90.0,
        "A3 motorway length, investintangier.com/pages/Routes.html",
    ),
    (
        "04.421.01.0",
        "Rabat",
        "01.511.01.0",
        "Tanger",
        223.0,
        "A1 motorway length, investintangier.com/pages/Routes.html",
    ),
    (
        "01.511.01.0",
        "Tanger",
        "01.227.05.05",
        "Ksar Sghir",
        30.0,
        "Rocade méditerranéenne section, apdn.ma (Agence pour le développement du Nord)",
    ),
)


@dataclass(frozen=True)
class RoadCheck:
    """One pair: names, published road km, great-circle km, model km, graph km (None when
    the graph does not connect them), and the relative errors (model − road) / road."""

    town_a: str
    town_b: str
    road_km: float
    great_circle_km: float
    model_km: float
    graph_km: float | None

    @property
    def model_error(self) -> float:
        return (self.model_km - self.road_km) / self.road_km

    @property
    def graph_error(self) -> float | None:
        return None if self.graph_km is None else (self.graph_km - self.road_km) / self.road_km


def road_checks(
    geometry: Geometry, *, detour_factor: float = ROAD_DETOUR_FACTOR
) -> list[RoadCheck]:
    """Compare the models with PUBLISHED_ROAD_KM (pairs whose communes are located)."""
    checks = []
    for code_a, town_a, code_b, town_b, road, _source in PUBLISHED_ROAD_KM:
        a, _how_a = geometry.stop_position(code_a, town_a)
        b, _how_b = geometry.stop_position(code_b, town_b)
        if a is None or b is None:
            continue
        crow = great_circle_km(a, b)
        graph = geometry.graph_km(code_a, {code_b}).get(code_b)
        checks.append(
            RoadCheck(
                town_a=town_a,
                town_b=town_b,
                road_km=road,
                great_circle_km=round(crow, 1),
                model_km=round(crow * detour_factor, 1),
                graph_km=None if graph is None else round(graph, 1),
            )
        )
    return checks


def road_model_report(checks: list[RoadCheck]) -> dict[str, float]:
    """Summary of `checks`: the fitted detour factor (median road ÷ great-circle), the
    model's median and largest absolute relative error and mean signed error, and the
    graph model's median absolute error — as fractions (0.12 = 12 %)."""
    model = [c.model_error for c in checks]
    graph = [c.graph_error for c in checks if c.graph_error is not None]
    return {
        "pairs": len(checks),
        "fitted_detour_factor": round(
            statistics.median(c.road_km / c.great_circle_km for c in checks), 3
        ),
        "model_median_abs_error": round(statistics.median(abs(e) for e in model), 3),
        "model_max_abs_error": round(max(abs(e) for e in model), 3),
        "model_mean_error": round(statistics.mean(model), 3),
        "graph_median_abs_error": round(statistics.median(abs(e) for e in graph), 3),
        "graph_max_abs_error": round(max(abs(e) for e in graph), 3),
    }
