"""`amn plan-tours` on the real shared files (RGPH 2024 communes loaded by
`amn load-reference`, OpenStreetMap centroids and borders) for a small region:
Guelmim-Oued Noun (10), 53 communes."""

import io
import json

import pytest
from django.core.management import call_command

from amn.mobileunits.geometry import geometry_load
from amn.mobileunits.road_checks import PUBLISHED_ROAD_KM, road_checks, road_model_report

pytestmark = pytest.mark.django_db


def test_plan_for_guelmim_oued_noun(shared_data, reference_data):
    out = io.StringIO()
    call_command(
        "plan-tours",
        "--region",
        "10",
        "--days",
        "2",
        "--units",
        "2",
        "--season",
        "2026-03-02",
        "--format",
        "json",
        "--time-limit",
        "1",
        "--geometry",
        str(shared_data / "geo" / "morocco"),
        stdout=out,
    )
    data = json.loads(out.getvalue())

    assert data["region"]["code"] == "10"
    assert data["baseline_population_covered"] > 0
    assert data["population_covered"] >= data["baseline_population_covered"]
    assert data["candidates"]["reachable"] >= 20
    assert data["candidates"]["without_position"] == []
    assert len(data["days"]) == 2
    assert {stop["day"] for stop in data["stops"]} <= set(data["days"])
    assert all(stop["commune_code"].startswith("10.") for stop in data["stops"])
    assert len({stop["commune_code"] for stop in data["stops"]}) == len(data["stops"])
    per_unit_day = {(route["unit"], route["day"]) for route in data["routes"]}
    assert len(per_unit_day) == len(data["routes"]) <= 2 * 2
    for route in data["routes"]:
        assert route["work_minutes"] <= 9 * 60
        assert route["km"] <= 300
    population = sum(stop["population"] for stop in data["stops"])
    assert population == data["population_covered"]


def test_road_model_error_against_published_distances(shared_data):
    """The figures quoted in docs/tour-planning.md: 12 town pairs, the model's median
    error about 14 % (at most 25 %), better than the adjacency-graph path."""
    checks = road_checks(geometry_load(shared_data / "geo" / "morocco"))
    report = road_model_report(checks)

    assert report["pairs"] == len(PUBLISHED_ROAD_KM) == 12
    assert report["model_median_abs_error"] <= 0.15
    assert report["model_max_abs_error"] <= 0.26
    assert report["graph_median_abs_error"] > report["model_median_abs_error"]
    assert 1.1 <= report["fitted_detour_factor"] <= 1.4
