"""Where communes are and how far apart by road: the distance model of tour planning.

Inputs (a folder, by default $AMN_SHARED_DATA/geo/morocco; see shared/data/SOURCES.md):

- `commune_centroids.csv` — one representative point per commune (OpenStreetMap boundaries,
  ODbL 1.0). Required.
- `adjacency.csv` — which communes share a border (OpenStreetMap, ODbL 1.0). Required: it
  gives the graph distance that docs/tour-planning.md compares the model with.
- `geonames_places.csv` — located towns (GeoNames, CC BY 4.0). Optional: when a commune's
  main locality bears its name and lies near its centroid, a stop is placed there.

Road distance between two points = great-circle distance × ROAD_DETOUR_FACTOR (1.3); the
factor and its error against published road distances are documented in
docs/tour-planning.md. Anything shown from these files carries ATTRIBUTION.
"""

import csv
import heapq
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.core.text_search import search_fold

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius, the one SOURCES.md uses for areas
ROAD_DETOUR_FACTOR = 1.3  # road km per great-circle km; see docs/tour-planning.md
CENTROIDS_FILE = "commune_centroids.csv"
ADJACENCY_FILE = "adjacency.csv"
PLACES_FILE = "geonames_places.csv"
REQUIRED_FILES = (CENTROIDS_FILE, ADJACENCY_FILE)
ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
SOURCES_CREDIT = (
    "Positions: © OpenStreetMap contributors, ODbL 1.0; GeoNames (geonames.org), CC BY 4.0. "
    "Populations: Haut-Commissariat au Plan, RGPH 2024, CC BY 4.0."
)


class GeometryMissing(DomainError):
    """The geometry folder or one of its required files is absent or unreadable;
    `str(error)` names the folder and the files."""


@dataclass(frozen=True)
class Point:
    """A WGS84 position in decimal degrees."""

    lon: float
    lat: float


def great_circle_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance between `a` and `b`, in km, on a sphere of radius
    EARTH_RADIUS_KM."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    d_phi = phi2 - phi1
    d_lambda = math.radians(b.lon - a.lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def road_km(a: Point, b: Point, *, detour_factor: float = ROAD_DETOUR_FACTOR) -> float:
    """Estimated road distance in km: great-circle distance × `detour_factor`."""
    return great_circle_km(a, b) * detour_factor


@dataclass
class Geometry:
    """The loaded geometry files.

    Attributes:
        folder: where they were read.
        centroids: commune code → Point (representative point of the commune, OSM).
        areas_km2: commune code → area in km².
        neighbours: commune code → {neighbour code: shared border length in km}.
        places: list of (folded name, Point, population) from GeoNames (may be empty).
    """

    folder: Path
    centroids: dict[str, Point]
    areas_km2: dict[str, float]
    neighbours: dict[str, dict[str, float]]
    places: list[tuple[str, Point, int]]

    def stop_position(self, code: str, name_fr: str) -> tuple[Point | None, str]:
        """Where a mobile unit would stop in commune `code` (French name `name_fr`).

        The GeoNames place bearing the commune's name (folded comparison) nearest to the
        centroid when it lies within max(10 km, 2 × the radius of a disc of the commune's
        area) of it — the main locality; else the centroid.

        Returns:
            (Point or None when the commune has no centroid, "place" | "centroid" | "").
        """
        centroid = self.centroids.get(code)
        if centroid is None:
            return None, ""
        folded = search_fold(name_fr)
        radius = max(10.0, 2 * math.sqrt(self.areas_km2.get(code, 0.0) / math.pi))
        best: tuple[float, Point] | None = None
        for place_name, point, _population in self.places:
            if place_name != folded:
                continue
            distance = great_circle_km(centroid, point)
            if distance <= radius and (best is None or distance < best[0]):
                best = (distance, point)
        if best is not None:
            return best[1], "place"
        return centroid, "centroid"

    def graph_km(self, source: str, targets: set[str]) -> dict[str, float]:
        """Shortest path length in km from commune `source` to each of `targets` along the
        adjacency graph, each hop weighted by the great-circle distance between the two
        communes' centroids (Dijkstra). Unreachable targets are left out."""
        found: dict[str, float] = {}
        best = {source: 0.0}
        queue = [(0.0, source)]
        remaining = set(targets)
        while queue and remaining:
            distance, code = heapq.heappop(queue)
            if distance > best.get(code, math.inf):
                continue
            if code in remaining:
                found[code] = distance
                remaining.discard(code)
            here = self.centroids.get(code)
            for neighbour in self.neighbours.get(code, {}):
                there = self.centroids.get(neighbour)
                if here is None or there is None:
                    continue
                candidate = distance + great_circle_km(here, there)
                if candidate < best.get(neighbour, math.inf):
                    best[neighbour] = candidate
                    heapq.heappush(queue, (candidate, neighbour))
        return found


def geometry_load(folder: Path | str) -> Geometry:
    """Read the geometry files of `folder`.

    Raises:
        GeometryMissing: the folder or a required file (commune_centroids.csv,
            adjacency.csv) is absent, or a required column is missing; the message names
            them.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GeometryMissing(
            _("The geometry folder %(folder)s does not exist; it must hold %(files)s.")
            % {"folder": folder, "files": ", ".join(REQUIRED_FILES)}
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise GeometryMissing(
            _(
                "The geometry folder %(folder)s lacks %(files)s: travel distances cannot be "
                "estimated without them."
            )
            % {"folder": folder, "files": ", ".join(missing)}
        )
    try:
        return _parse(folder)
    except (ValueError, csv.Error) as error:
        raise GeometryMissing(
            _("The geometry files of %(folder)s cannot be read: %(reason)s")
            % {"folder": folder, "reason": error}
        ) from None


def _parse(folder: Path) -> Geometry:
    """Parse the files of `folder` (see geometry_load); ValueError on a malformed number."""
    centroids: dict[str, Point] = {}
    areas: dict[str, float] = {}
    for row in _rows(folder / CENTROIDS_FILE, ("code", "lon", "lat", "area_km2")):
        centroids[row["code"]] = Point(lon=float(row["lon"]), lat=float(row["lat"]))
        areas[row["code"]] = float(row["area_km2"] or 0)
    neighbours: dict[str, dict[str, float]] = {}
    for row in _rows(folder / ADJACENCY_FILE, ("code_a", "code_b", "km")):
        km = float(row["km"])
        neighbours.setdefault(row["code_a"], {})[row["code_b"]] = km
        neighbours.setdefault(row["code_b"], {})[row["code_a"]] = km
    places: list[tuple[str, Point, int]] = []
    if (folder / PLACES_FILE).is_file():
        for row in _rows(folder / PLACES_FILE, ("name", "lat", "lon", "population")):
            places.append(
                (
                    search_fold(row["name"]),
                    Point(lon=float(row["lon"]), lat=float(row["lat"])),
                    int(float(row["population"] or 0)),
                )
            )
    return Geometry(
        folder=folder, centroids=centroids, areas_km2=areas, neighbours=neighbours, places=places
    )


def _rows(path: Path, required: tuple[str, ...]):
    """The rows of CSV file `path` as dicts, after checking its header has `required`."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        absent = [name for name in required if name not in (reader.fieldnames or ())]
        if absent:
            raise GeometryMissing(
                _("%(file)s lacks the column(s) %(columns)s.")
                % {"file": path, "columns": ", ".join(absent)}
            )
        yield from reader
