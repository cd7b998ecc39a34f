"""Test data of the mobileunits app: a small census geography (no reference load), a
geometry folder written to disk, and a fleet attached to the demo units of the `world`.

Geography: region 09 "Souss-Massa (test)" with province 09.001; the urban commune
09.001.01.01 (a fixed office) at the origin; rural communes east of it at known
distances; region 03 with one urban commune for the scoping tests.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from amn.geo.choices import CommuneType, ProvinceType
from amn.geo.models import Commune, Province, Region
from amn.mobileunits import services
from amn.mobileunits.models import MobileUnit, Stop, Tour

D = datetime.date
T = datetime.time
BASE_LON, BASE_LAT = -9.0, 30.0
KM_PER_DEGREE_LON = 96.3  # at 30° N on the 6,371 km sphere (111.2 × cos 30°)

# code, name, type, population, km east of the base (0 = the base)
COMMUNES_09 = (
    ("09.001.01.01", "Base Ville", CommuneType.URBAN, 400_000, 0),
    ("09.001.07.01", "Near Small", CommuneType.RURAL, 1_000, 25),
    ("09.001.07.03", "Mid Large", CommuneType.RURAL, 30_000, 40),
    ("09.001.07.05", "Mid Medium", CommuneType.RURAL, 12_000, 55),
    ("09.001.07.07", "Far Large", CommuneType.RURAL, 25_000, 90),
    ("09.001.07.09", "Too Near", CommuneType.RURAL, 50_000, 5),
    ("09.001.07.11", "Out Of Reach", CommuneType.RURAL, 9_000, 600),
)
COMMUNES_03 = (("03.231.01.0", "Fès Test", CommuneType.URBAN, 900_000, None),)


def _division(model, code, name, population, **extra):
    return model.objects.create(
        code=code,
        name_fr=name,
        name_ar=name,
        population_2024=population,
        households_2024=max(1, population // 4),
        **extra,
    )


def geography_build() -> dict[str, Commune]:
    """The small geography above; returns communes by code."""
    communes = {}
    for region_code, rows in (("09", COMMUNES_09), ("03", COMMUNES_03)):
        total = sum(row[3] for row in rows)
        region = _division(Region, region_code, f"Region {region_code}", total)
        province = _division(
            Province,
            f"{region_code}.001",
            f"Province {region_code}",
            total,
            region=region,
            type=ProvinceType.PROVINCE,
        )
        for code, name, kind, population, _km in rows:
            communes[code] = _division(
                Commune,
                code,
                name,
                population,
                province=province,
                slug=name.lower().replace(" ", "-"),
                type=kind,
                search_name=name.lower(),
            )
    return communes


def geometry_write(folder: Path, *, with_adjacency: bool = True) -> Path:
    """Write commune_centroids.csv (and adjacency.csv) for the small geography to
    `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["code,lon,lat,area_km2"]
    for code, _name, _kind, _population, km in COMMUNES_09:
        lines.append(f"{code},{BASE_LON + km / KM_PER_DEGREE_LON:.6f},{BASE_LAT:.6f},100.0")
    lines.append("03.231.01.0,-5.0,34.0,100.0")
    (folder / "commune_centroids.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if with_adjacency:
        (folder / "adjacency.csv").write_text(
            "code_a,name_a,code_b,name_b,km\n"
            "09.001.01.01,Base Ville,09.001.07.09,Too Near,4.0\n"
            "09.001.07.01,Near Small,09.001.07.09,Too Near,6.0\n",
            encoding="utf-8",
        )
    return folder


@dataclass
class Fleet:
    """The test fleet: Agadir unit (ws-agadir-d1) and Fès unit (ws-fes-d1), a planned
    Agadir tour with a past stop and a future stop, a Fès tour with a past stop."""

    communes: dict[str, Commune]
    agadir: MobileUnit
    fes: MobileUnit
    agadir_tour: Tour
    fes_tour: Tour
    agadir_past: Stop
    agadir_future: Stop
    fes_past: Stop


def fleet_build(world, today: datetime.date) -> Fleet:
    """Build the Fleet with services acting as the system; dates relative to `today`."""
    communes = geography_build()
    agadir = services.mobile_unit_create(
        actor=None,
        code="mu-agadir-t1",
        name="Unité mobile test Agadir",
        police_unit=world.units["ws-agadir-d1"],
        home_commune=communes["09.001.01.01"],
        in_service_from=today - datetime.timedelta(days=400),
    )
    fes = services.mobile_unit_create(
        actor=None,
        code="mu-fes-t1",
        name="Unité mobile test Fès",
        police_unit=world.units["ws-fes-d1"],
        home_commune=communes["03.231.01.0"],
        in_service_from=today - datetime.timedelta(days=400),
    )
    agadir_tour = services.tour_create(
        actor=None,
        mobile_unit=agadir,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        season="test",
    )
    fes_tour = services.tour_create(
        actor=None,
        mobile_unit=fes,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
    )
    agadir_past = services.stop_add(
        actor=None,
        tour=agadir_tour,
        commune=communes["09.001.07.03"],
        date=today - datetime.timedelta(days=2),
        starts_at=T(9),
        ends_at=T(15),
    )
    agadir_future = services.stop_add(
        actor=None,
        tour=agadir_tour,
        commune=communes["09.001.07.05"],
        date=today + datetime.timedelta(days=3),
        starts_at=T(9),
        ends_at=T(15),
    )
    fes_past = services.stop_add(
        actor=None,
        tour=fes_tour,
        commune=communes["03.231.01.0"],
        date=today - datetime.timedelta(days=1),
        starts_at=T(9),
        ends_at=T(14),
    )
    return Fleet(
        communes=communes,
        agadir=agadir,
        fes=fes,
        agadir_tour=agadir_tour,
        fes_tour=fes_tour,
        agadir_past=agadir_past,
        agadir_future=agadir_future,
        fes_past=fes_past,
    )
