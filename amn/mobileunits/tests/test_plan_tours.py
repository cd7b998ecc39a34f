"""`amn plan-tours` on the small test geography: JSON keys, rules for candidates (fixed
offices, minimum distance, reach), the real fleet or hypothetical units, refusals
(geometry absent, unknown region, no unit in service) with a non-zero exit."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from amn.mobileunits import services
from amn.mobileunits.tests.factories import geography_build, geometry_write
from amn.mobileunits.tour_planning import is_working_day, season_start, working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def geography(world):
    return geography_build()


def _plan(*args) -> dict:
    out = io.StringIO()
    call_command("plan-tours", *args, "--format", "json", "--time-limit", "0.5", stdout=out)
    return json.loads(out.getvalue())


def test_json_plan_with_hypothetical_units(geography, tmp_path):
    folder = geometry_write(tmp_path / "geo")
    data = _plan(
        "--region",
        "09",
        "--days",
        "2",
        "--units",
        "1",
        "--season",
        "2026-03-02",
        "--geometry",
        str(folder),
    )

    for key in ("population_covered", "baseline_population_covered", "stops", "ratio"):
        assert key in data
    assert data["population_covered"] >= data["baseline_population_covered"] > 0
    assert data["ratio"] == round(
        data["population_covered"] / data["baseline_population_covered"], 4
    )
    assert data["days"] == ["2026-03-02", "2026-03-03"]
    codes = {stop["commune_code"] for stop in data["stops"]}
    # the urban commune is a fixed office; "Too Near" lies 5 km from it; "Out Of Reach"
    # is 600 km away: none of them is planned
    assert codes <= {"09.001.07.01", "09.001.07.03", "09.001.07.05", "09.001.07.07"}
    assert data["candidates"]["unreachable"] == ["09.001.07.11"]
    assert data["candidates"]["far_from_fixed_offices"] == 5
    for stop in data["stops"]:
        assert set(stop) >= {"commune_code", "commune_name", "day", "unit", "population"}
        assert stop["day"] in data["days"]
        assert stop["unit"] == "H01"
    for route in data["routes"]:
        assert route["work_minutes"] <= data["parameters"]["day_minutes"]
        assert route["km"] <= data["parameters"]["max_km_per_day"]
    assert data["units"][0]["base_commune_code"] == "09.001.01.01"
    assert data["units"][0]["hypothetical"] is True
    assert data["attribution"] == "© OpenStreetMap contributors, ODbL 1.0"


def test_the_large_communes_come_first(geography, tmp_path):
    """Two days, one unit, 3 h stops: the three largest reachable communes are served."""
    folder = geometry_write(tmp_path / "geo")
    data = _plan(
        "--region",
        "09",
        "--days",
        "2",
        "--units",
        "1",
        "--season",
        "2026-03-02",
        "--geometry",
        str(folder),
    )
    assert data["population_covered"] >= 30_000 + 25_000 + 12_000


def test_table_output_quotes_the_figures_and_the_attribution(geography, tmp_path):
    folder = geometry_write(tmp_path / "geo")
    out = io.StringIO()
    call_command(
        "plan-tours",
        "--region",
        "9",
        "--days",
        "1",
        "--units",
        "1",
        "--geometry",
        str(folder),
        "--time-limit",
        "0.3",
        stdout=out,
    )
    text = out.getvalue()
    assert "Population covered (OR-Tools)" in text
    assert "Ratio OR-Tools / baseline" in text
    assert "© OpenStreetMap contributors, ODbL 1.0" in text


def test_the_recorded_fleet_is_planned_without_units(world, geography, tmp_path):
    folder = geometry_write(tmp_path / "geo")
    with pytest.raises(CommandError, match="No mobile unit based in region 09"):
        _plan("--region", "09", "--days", "1", "--season", "2026-03-02", "--geometry", str(folder))
    services.mobile_unit_create(
        actor=None,
        code="mu-test",
        name="Test",
        police_unit=world.units["ws-agadir-d1"],
        home_commune=geography["09.001.01.01"],
        in_service_from=datetime.date(2026, 1, 1),
    )
    data = _plan(
        "--region", "09", "--days", "1", "--season", "2026-03-02", "--geometry", str(folder)
    )
    assert data["units"][0]["code"] == "mu-test"
    assert data["units"][0]["hypothetical"] is False
    assert {stop["unit"] for stop in data["stops"]} == {"mu-test"}


def test_refused_without_the_geometry_files(geography, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        _plan("--region", "09", "--days", "1", "--units", "1", "--geometry", str(tmp_path / "no"))
    folder = geometry_write(tmp_path / "geo", with_adjacency=False)
    with pytest.raises(CommandError, match=r"adjacency\.csv"):
        _plan("--region", "09", "--days", "1", "--units", "1", "--geometry", str(folder))


def test_refusal_exits_non_zero_with_the_reason(tmp_path, capsys, monkeypatch):
    """From the command line, a refusal ends with exit status 1 and the reason on stderr.
    (run_from_argv closes every connection on its way out: keep the test's open.)"""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            [
                "amn",
                "plan-tours",
                "--region",
                "09",
                "--days",
                "1",
                "--geometry",
                str(tmp_path / "absent"),
            ]
        ).execute()
    assert exit_info.value.code == 1
    assert "commune_centroids.csv" in capsys.readouterr().err


def test_unknown_region_is_refused(geography, tmp_path):
    folder = geometry_write(tmp_path / "geo")
    with pytest.raises(CommandError, match="Unknown region code '99'; known codes: 03, 09"):
        _plan("--region", "99", "--days", "1", "--units", "1", "--geometry", str(folder))


@pytest.mark.parametrize(
    "args, message",
    [
        (("--days", "0", "--units", "1"), "number of days"),
        (("--days", "1", "--units", "0"), "number of units"),
        (("--days", "1", "--units", "1", "--season", "next spring"), "Season 'next spring'"),
        (("--days", "1", "--units", "1", "--service-hours", "10"), "Invalid working-day limits"),
        (("--days", "1", "--units", "1", "--day-start", "25:00"), "HH:MM"),
    ],
)
def test_bad_parameters_are_refused(geography, tmp_path, args, message):
    folder = geometry_write(tmp_path / "geo")
    with pytest.raises(CommandError, match=message):
        _plan(
            "--region", "09", "--units", "1", *args, "--geometry", str(folder)
        ) if "--units" not in args else _plan("--region", "09", *args, "--geometry", str(folder))


def test_working_days_skip_weekends_and_fixed_holidays():
    days = working_days(datetime.date(2026, 7, 29), 3)  # Wed 29 July; 30 July: Throne Day
    assert days == [
        datetime.date(2026, 7, 29),
        datetime.date(2026, 7, 31),
        datetime.date(2026, 8, 3),
    ]
    assert not is_working_day(datetime.date(2026, 1, 14))  # Amazigh New Year
    assert is_working_day(datetime.date(2023, 1, 13))
    assert season_start("2026-autumn") == datetime.date(2026, 9, 1)
    assert season_start("2026-03-02") == datetime.date(2026, 3, 2)


def test_no_candidate_gives_an_empty_plan(geography, tmp_path):
    folder = geometry_write(tmp_path / "geo")
    data = _plan(
        "--region",
        "09",
        "--days",
        "1",
        "--units",
        "1",
        "--min-distance-km",
        "5000",
        "--geometry",
        str(folder),
    )
    assert data["stops"] == []
    assert data["population_covered"] == data["baseline_population_covered"] == 0
    assert data["ratio"] is None


@pytest.mark.parametrize("typed", ["٠٩", "٩", "۰۹"])
def test_region_code_in_arabic_indic_digits_is_read(geography, typed):
    from amn.mobileunits.tour_planning import region_get

    assert region_get(typed).code == "09"
