"""`amn stats`: formats, defaults and clear refusals."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amn.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def stats(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", "--year", "2025", *args, stdout=out)
    return out.getvalue()


def test_json_is_a_list_of_figures_with_the_published_keys(stats_world):
    rows = json.loads(stats("--indicator", "cases_recorded", "--format", "json"))
    assert rows == [
        {
            "indicator": "cases_recorded",
            "org_unit": "dg",
            "period": "2025",
            "value": 5,
            "unit_of_measure": "cases",
            "previous_value": 3,
            "change": 66.7,
        }
    ]


def test_json_by_month_carries_the_disaggregation_key(stats_world):
    rows = json.loads(
        stats(
            "--indicator", "cases_recorded", "--by", "month", "--unit", "ws-fes", "--format", "json"
        )
    )
    assert [row["month"] for row in rows] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert [row["value"] for row in rows] == [1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert {row["org_unit"] for row in rows} == {"ws-fes"}


def test_csv_has_a_header_and_raw_numbers(stats_world):
    text = stats("--indicator", "clearance_rate", "--counting", "cases", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(text))) == [
        {
            "indicator": "clearance_rate",
            "org_unit": "dg",
            "period": "2025",
            "value": "60.0",
            "unit_of_measure": "percent",
            "previous_value": "0.0",
            "change": "",
        }
    ]


def test_every_indicator_by_default(stats_world):
    rows = json.loads(stats("--format", "json"))
    assert len(rows) == Indicator.objects.filter(kind="records").count() == 31
    assert rows[0]["indicator"] == "cases_recorded"


def test_table_shows_the_rule_next_to_the_figure(stats_world):
    text = stats("--indicator", "clearance_rate", "--language", "fr")
    assert "Taux d'élucidation" in text
    assert "66,7" in text  # French decimal comma
    assert "Taux d'élucidation = élucidées pendant la période ÷ enregistrées" in text


def test_table_by_region_in_arabic(stats_world):
    text = stats("--indicator", "cases_recorded", "--by", "region", "--language", "ar")
    assert "فاس-مكناس" in text
    assert "القضايا الزجرية المسجلة" in text


def test_public_output_hides_small_counts(stats_world, settings):
    settings.AMN_SUPPRESSION_THRESHOLD = 5
    (row,) = json.loads(stats("--indicator", "cases_recorded", "--format", "json", "--public"))
    assert (row["value"], row["previous_value"]) == (5, "<5")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unit", "no-such-unit"), "No police unit no-such-unit"),
        (("--indicator", "no_such_indicator"), "No indicator no_such_indicator"),
        (("--indicator", "cases_recorded", "--by", "iccs"), "cannot be broken down by iccs"),
        (("--indicator", "cases_recorded", "--counting", "cases"), "no choice of counting"),
    ],
)
def test_refusals_are_clear(stats_world, args, message):
    with pytest.raises(CommandError, match=message):
        stats(*args)


def test_a_year_without_records_is_refused(stats_world):
    with pytest.raises(
        CommandError, match="No records for 2019: recorded offences cover 2024–2025"
    ):
        call_command("stats", "--year", "2019", stdout=io.StringIO())


def test_an_impossible_year_is_refused_by_the_parser(stats_world):
    with pytest.raises(CommandError, match="is not a year"):
        call_command("stats", "--year", "20x5", stdout=io.StringIO())


def test_a_refusal_exits_non_zero(stats_world, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["amn", "stats", "--year", "2025", "--unit", "nowhere"]).execute()
    assert exit_info.value.code != 0
    assert "No police unit nowhere" in capsys.readouterr().err
