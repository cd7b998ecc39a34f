"""Indicator definitions as data: the catalogue, and what the checks refuse."""

import pytest
from django.core.exceptions import ValidationError

from amn.core.errors import ImportProblem
from amn.indicators.definitions import IndicatorDefinitionError, Population, definition_of
from amn.indicators.models import Indicator
from amn.indicators.reference import catalogue_entries, load_reference

REQUIRED = (
    "cases_recorded",
    "offences_recorded",
    "cases_cleared",
    "clearance_rate",
    "violent_crime_cases",
    "drug_cases",
    "cybercrime_cases",
    "economic_financial_crime_cases",
    "money_laundering_cases",
    "illegal_migration_cases",
    "cannabis_resin_seized_kg",
    "cocaine_seized_kg",
    "psychotropic_pills_seized",
    "migration_networks_dismantled",
    "networks_dismantled",
    "arrests",
    "crime_rate_per_100k",
)


def indicator(**fields) -> Indicator:
    base = {
        "code": "test_indicator",
        "numerator": {"source": "offences", "date": "recorded_on"},
        "unit_of_measure": "offences",
        "disaggregations": ["region"],
    }
    return Indicator(**(base | fields))


def test_the_catalogue_defines_the_release_indicators_in_three_languages():
    entries = {entry["code"]: entry for entry in catalogue_entries()}
    assert set(REQUIRED) <= set(entries)
    for entry in entries.values():
        for text in ("name", "definition", "counting_rule"):
            assert all(entry[f"{text}_{language}"] for language in ("ar", "fr", "en"))


def test_clearance_rate_definition():
    (entry,) = [e for e in catalogue_entries() if e["code"] == "clearance_rate"]
    definition = definition_of(Indicator(**entry))
    assert (definition.numerator.date, definition.denominator.date) == ("cleared_on", "recorded_on")
    assert (definition.scale, definition.counting) == (100, "offences")
    cases = definition.with_counting("cases")
    assert (cases.numerator.source, cases.denominator.source) == ("cases", "cases")
    assert "iccs" not in cases.disaggregations


def test_a_category_filter_counting_cases_counts_distinct_cases():
    definition = definition_of(
        indicator(
            numerator={"source": "offences", "date": "cleared_on", "iccs_prefixes": ["06"]},
            denominator={"source": "offences", "date": "recorded_on"},
            parameters={"counting": "offences"},
            scale=100,
            unit_of_measure="percent",
        )
    ).with_counting("cases")
    assert (definition.numerator.source, definition.numerator.aggregate) == (
        "offences",
        "count_distinct_case",
    )


def test_rate_per_inhabitants():
    definition = definition_of(indicator(denominator={"population": "rgph_2024"}, scale=100_000))
    assert definition.denominator == Population()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "Cases-Recorded"}, "snake_case"),
        ({"numerator": {"source": "parking_tickets", "date": "recorded_on"}}, "unknown source"),
        ({"numerator": {"source": "offences", "date": "occurred_on"}}, "counted by"),
        (
            {
                "numerator": {
                    "source": "cases",
                    "date": "recorded_on",
                    "aggregate": "sum_standard_quantity",
                }
            },
            "cannot be added up",
        ),
        (
            {"numerator": {"source": "cases", "date": "recorded_on", "iccs_prefixes": ["06"]}},
            "cannot be filtered by iccs_prefixes",
        ),
        (
            {"numerator": {"source": "offences", "date": "recorded_on", "iccs_prefixes": ["6a"]}},
            "iccs_prefixes",
        ),
        (
            {"numerator": {"source": "seizures", "date": "seized_on", "substance": "tea"}},
            "unknown substance",
        ),
        (
            {"numerator": {"source": "offences", "date": "recorded_on", "colour": "red"}},
            "unknown keys colour",
        ),
        ({"disaggregations": ["sex"]}, "cannot be broken down by sex"),
        ({"disaggregations": ["planet"]}, "unknown disaggregations planet"),
        ({"unit_of_measure": "furlongs"}, "unknown unit of measure"),
        (
            {
                "parameters": {"counting": "offences"},
                "numerator": {"source": "cases", "date": "recorded_on"},
            },
            "counting choice",
        ),
        ({"denominator": {"population": "rgph_1960"}}, "unknown keys population"),
    ],
)
def test_definitions_the_engine_cannot_compute_are_refused(fields, message):
    with pytest.raises(IndicatorDefinitionError, match=message):
        definition_of(indicator(**fields))


def test_an_administrators_edit_is_checked_by_clean():
    with pytest.raises(ValidationError, match="unknown source 'rumours'"):
        indicator(numerator={"source": "rumours", "date": "recorded_on"}).clean()


def test_a_broken_catalogue_is_refused_with_its_file_name(tmp_path):
    path = tmp_path / "catalogue.toml"
    path.write_text('[[indicator]]\ncode = "x"\nunit_of_measure = "cases"\n', encoding="utf-8")
    with pytest.raises(
        ImportProblem, match=r"catalogue\.toml: indicator 1 \(x\): missing 'numerator'"
    ):
        catalogue_entries(path)


@pytest.mark.django_db
def test_loading_is_idempotent_and_keeps_administrators_indicators(stats_world):
    Indicator.objects.create(**{**catalogue_entries()[0], "code": "local_indicator", "rank": 99})
    before = Indicator.objects.count()
    assert load_reference(actor=None) == "indicators: 34"
    assert Indicator.objects.count() == before
