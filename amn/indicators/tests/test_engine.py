"""Exact figures of the statistics engine on the small world of factories.py."""

import pytest

from amn.indicators.definitions import IndicatorDefinitionError, definition_of
from amn.indicators.engine import Engine, FigureError, scope_of
from amn.indicators.models import Indicator
from amn.indicators.selectors import FigureQuery, figure_list

pytestmark = pytest.mark.django_db


def figures(**query):
    return figure_list(actor=None, query=FigureQuery(**{"year": 2025, **query}))


def total(indicator: str, **query) -> tuple:
    (figure,) = figures(indicator=indicator, **query)
    return figure.value, figure.previous_value, figure.change


def cells(indicator: str, by: str, **query) -> dict:
    return {
        f.key: (f.value, f.previous_value) for f in figures(indicator=indicator, by=by, **query)
    }


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        # C1 C2 C3 C5 C8 in 2025 (C4 waits in the inbox); C6 C7 C9 in 2024.
        ("cases_recorded", (5, 3, 66.7)),
        ("offences_recorded", (6, 3, 100.0)),
        # C1, C5 and C7 (recorded 2024, cleared 2025); C3 has an offence not cleared.
        ("cases_cleared", (3, 0, None)),
        ("offences_cleared", (4, 0, None)),
        # ICCS 0101 (C1), 0201 (C3), 0401 (C5); in 2024 0101 (C9).
        ("violent_crime_cases", (3, 1, 200.0)),
        ("drug_cases", (1, 1, 0.0)),
        ("cybercrime_cases", (1, 0, None)),
        ("economic_financial_crime_cases", (0, 0, None)),
        # 12.5 kg + 500 g; the 100 kg of C4 (inbox) is out; 2 kg in 2024.
        ("cannabis_resin_seized_kg", (13.0, 2.0, 550.0)),
        ("migration_networks_dismantled", (1, 0, None)),
        ("networks_dismantled", (2, 0, None)),
        ("arrests", (3, 0, None)),
        # C2 and C3 (the victim of C4 waits in the inbox with its case); C6 in 2024.
        ("victims_recorded", (2, 1, 100.0)),
        ("suspects_recorded", (1, 0, None)),
    ],
)
def test_totals_of_the_national_tree(stats_world, indicator, expected):
    assert total(indicator) == expected


def test_clearance_rate_by_offences_and_by_cases(stats_world):
    # Offences (the default): 4 cleared in 2025 ÷ 6 recorded; 0 ÷ 3 in 2024.
    assert total("clearance_rate") == (66.7, 0.0, None)
    assert total("clearance_rate", counting="offences") == (66.7, 0.0, None)
    # Cases: C1, C5, C7 cleared ÷ 5 cases recorded.
    assert total("clearance_rate", counting="cases") == (60.0, 0.0, None)


def test_counting_is_refused_where_the_indicator_offers_no_choice(stats_world):
    with pytest.raises(IndicatorDefinitionError, match="no choice of counting"):
        figures(indicator="cases_recorded", counting="cases")


def test_inbox_records_are_out_of_every_figure(stats_world):
    """C4 (an offence without ICCS code) has a drug offence and a 100 kg seizure."""
    assert total("drug_cases")[0] == 1
    assert total("cases_recorded", month=3)[0] == 1  # C3 only
    assert total("cannabis_resin_seized_kg", month=3)[0] == 0


def test_the_default_unit_is_the_national_root_and_other_trees_are_apart(stats_world):
    (figure,) = figures(indicator="cases_recorded")
    assert figure.org_unit == "dg"
    assert total("cases_recorded", unit="US-TST") == (1, 0, None)
    assert total("cases_recorded", unit="ws-fes") == (4, 2, 100.0)
    assert total("cases_recorded", unit="sp-taza") == (1, 2, -50.0)


def test_by_region_lists_every_region_of_the_national_tree(stats_world):
    by_region = cells("cases_recorded", "region")
    assert len(by_region) == 12
    assert by_region["03"] == (4, 2)  # Fès-Meknès: Fès and Taza
    assert by_region["09"] == (1, 1)  # Souss-Massa: Agadir
    assert {key: value for key, value in by_region.items() if key not in ("03", "09")} == {
        key: (0, 0) for key in by_region if key not in ("03", "09")
    }


def test_by_region_of_a_subtree_lists_its_regions_only(stats_world):
    assert cells("cases_recorded", "region", unit="ws-fes") == {"03": (4, 2)}
    assert cells("clearance_rate", "region", unit="ws-agadir") == {"09": (0.0, 0.0)}


def test_by_province_and_clearance_by_region(stats_world):
    by_province = cells("offences_recorded", "province", unit="ws-fes")
    assert by_province == {"03.231": (4, 0), "03.561": (1, 2)}
    # Fès-Meknès: cleared C1, C3/0201, C5, C7 ÷ recorded C1, C2, C3 ×2, C5.
    assert cells("clearance_rate", "region")["03"] == (80.0, 0.0)


def test_records_without_a_commune_are_a_cell_of_their_own(stats_world):
    assert cells("cases_recorded", "region", unit="US-TST") == {None: (1, 0)}


def test_by_month_and_quarter(stats_world):
    by_month = cells("cases_recorded", "month")
    assert list(by_month) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert {k: v for k, v in by_month.items() if v != (0, 0)} == {
        "2025-01": (1, 0),
        "2025-02": (1, 0),
        "2025-03": (1, 0),
        "2025-05": (0, 1),
        "2025-06": (1, 0),
        "2025-07": (0, 1),
        "2025-09": (1, 0),
        "2025-11": (0, 1),
    }
    assert cells("cases_recorded", "quarter") == {
        "2025-Q1": (3, 0),
        "2025-Q2": (1, 1),
        "2025-Q3": (1, 1),
        "2025-Q4": (0, 1),
    }
    assert cells("cases_recorded", "month", quarter=2) == {
        "2025-04": (0, 0),
        "2025-05": (0, 1),
        "2025-06": (1, 0),
    }


def test_a_quarter_is_compared_with_the_same_quarter_a_year_earlier(stats_world):
    (figure,) = figures(indicator="cases_recorded", quarter=3)
    assert (figure.period, figure.value, figure.previous_value) == ("2025-Q3", 1, 1)


def test_by_iccs_section(stats_world):
    by_section = cells("offences_recorded", "iccs")
    assert list(by_section) == [f"{n:02d}" for n in range(1, 12)]  # every section
    assert {k: v for k, v in by_section.items() if v != (0, 0)} == {
        "01": (1, 1),
        "02": (1, 0),
        "04": (1, 0),
        "05": (1, 1),
        "06": (1, 1),
        "09": (1, 0),
    }
    # The sections the category's ICCS prefixes (01, 0201…0205, 03, 04) reach.
    assert cells("violent_crime_cases", "iccs") == {
        "01": (1, 1),
        "02": (1, 0),
        "03": (0, 0),
        "04": (1, 0),
    }


def test_by_national_category_uses_the_iccs_prefix_sets(stats_world):
    """0101, 0201 and 0401 are violent crime through the prefixes 01, 0201 and 04."""
    assert cells("offences_recorded", "category") == {
        "cybercrime": (1, 0),
        "drug_offences": (1, 1),
        "economic_financial_crime": (0, 0),
        "illegal_migration": (0, 0),
        "money_laundering": (0, 0),
        "violent_crime": (3, 1),
    }


def test_a_national_category_edited_by_an_administrator_changes_the_figures(stats_world):
    from amn.cases.models import NationalCategory

    NationalCategory.objects.get(code="violent_crime").iccs_codes.remove("04")
    assert total("violent_crime_cases")[0] == 2


def test_persons_of_arrests(stats_world):
    assert cells("arrests", "sex") == {"F": (1, 0), "M": (2, 0)}
    assert cells("arrests", "age_group") == {
        "0-17": (1, 0),
        "18-24": (0, 0),
        "25-34": (1, 0),
        "35-44": (1, 0),
        "45-54": (0, 0),
        "55-64": (0, 0),
        "65+": (0, 0),
    }
    assert cells("arrests", "nationality") == {"DZ": (1, 0), "MA": (2, 0)}


def test_victims_and_suspects_by_sex_age_group_and_nationality(stats_world):
    assert cells("victims_recorded", "sex") == {"F": (1, 0), "M": (1, 1)}
    assert cells("victims_recorded", "age_group") == {
        "0-17": (0, 0),
        "18-24": (0, 0),
        "25-34": (1, 1),
        "35-44": (0, 0),
        "45-54": (0, 0),
        "55-64": (1, 0),
        "65+": (0, 0),
    }
    assert cells("victims_recorded", "nationality") == {"FR": (1, 0), "MA": (1, 1)}
    assert cells("suspects_recorded", "age_group")["18-24"] == (1, 0)
    # Placed by their case's recording unit and commune: Fès and Taza are in region 03.
    assert cells("victims_recorded", "region")["03"] == (2, 1)
    assert cells("victims_recorded", "month")["2025-03"] == (1, 0)
    assert total("victims_recorded", unit="sp-taza") == (0, 1, -100.0)


def test_a_disaggregation_the_indicator_does_not_allow_is_refused(stats_world):
    with pytest.raises(FigureError, match="cannot be broken down by iccs"):
        figures(indicator="cases_recorded", by="iccs")
    with pytest.raises(FigureError, match="cannot be broken down by iccs"):
        figures(indicator="clearance_rate", by="iccs", counting="cases")


def test_rate_per_100k_of_a_subtree_uses_the_communes_it_covers(stats_world):
    """2025: 5 offences over Fès + Taza; 2024: 2 offences over Taza only."""
    fes, taza = (
        stats_world.communes[code].population_2024 for code in ("03.231.01.0", "03.561.01.11")
    )
    value, previous, _change = total("crime_rate_per_100k", unit="ws-fes")
    assert value == round(5 / (fes + taza) * 100_000, 1)
    assert previous == round(2 / taza * 100_000, 1)


def test_national_rate_per_100k_uses_the_census_total(stats_world):
    """An indicator defined in the test (data, not code) with four decimals."""
    Indicator.objects.create(
        code="offences_per_100k_precise",
        name_ar="x",
        name_fr="x",
        name_en="x",
        definition_ar="x",
        definition_fr="x",
        definition_en="x",
        counting_rule_ar="x",
        counting_rule_fr="x",
        counting_rule_en="x",
        numerator={"source": "offences", "date": "recorded_on"},
        denominator={"population": "rgph_2024"},
        scale=100_000,
        decimals=4,
        unit_of_measure="per_100000_inhabitants",
    )
    value, previous, _change = total("offences_per_100k_precise")
    assert value == round(6 / 36_828_330 * 100_000, 4) == 0.0163
    assert previous == round(3 / 36_828_330 * 100_000, 4)


def test_years_outside_the_records_are_refused(stats_world):
    with pytest.raises(FigureError, match="No records for 2023"):
        figures(year=2023)
    with pytest.raises(FigureError, match="No records for 2026"):
        figures(year=2026)


def test_a_comparison_year_before_the_records_has_no_previous_value(stats_world):
    (figure,) = figures(year=2024, indicator="cases_recorded")
    assert (figure.value, figure.previous_value, figure.change) == (3, None, None)


def test_one_indicator_is_one_aggregate_query_a_period(stats_world, django_assert_num_queries):
    """Once the subtree is resolved and the years of records known, a count is ONE query
    per period (the year, then the year before) and a ratio two, whatever the number of
    records; a year without records the year before reads one period."""
    engine = Engine()
    engine.records_years()
    engine.categories()
    scope = scope_of(stats_world.units["dg"])
    from amn.indicators.periods import Period

    count = definition_of(Indicator.objects.get(code="drug_cases"))
    ratio = definition_of(Indicator.objects.get(code="clearance_rate"))
    with django_assert_num_queries(2):
        engine.figures(count, scope=scope, period=Period(2025))
    with django_assert_num_queries(4):
        engine.figures(ratio, scope=scope, period=Period(2025))
    with django_assert_num_queries(3):  # + the communes' provinces and regions
        engine.figures(count, scope=scope, period=Period(2025), by="region")
    with django_assert_num_queries(1):  # 2024 is the first year of records
        (figure,) = engine.figures(count, scope=scope, period=Period(2024))
    assert figure.previous_value is None


def test_one_indicator_from_the_request_is_a_handful_of_queries(
    stats_world, django_assert_max_num_queries
):
    """Indicator, unit, subtree, the years of records (2), national categories, the count
    of the year and of the year before."""
    with django_assert_max_num_queries(8):
        figures(indicator="drug_cases", unit="ws-fes")


@pytest.mark.parametrize("unit", ["dg", "ws-fes"])
def test_every_region_and_the_total_in_one_pass(stats_world, django_assert_num_queries, unit):
    """Regions partition the records: their totals equal the totals computed apart, for
    every indicator (ratios and the covered population included), at no extra query."""
    from amn.indicators.periods import Period

    engine = Engine()
    engine.records_years()
    engine.categories()
    engine.communes()
    scope = scope_of(stats_world.units[unit])
    definitions = [
        definition_of(indicator) for indicator in Indicator.objects.filter(kind="records")
    ]
    apart = engine.figures_many(definitions, scope=scope, period=Period(2025))
    regions = engine.figures_many(definitions, scope=scope, period=Period(2025), by="region")
    specs = {d.numerator for d in definitions} | {
        d.denominator for d in definitions if hasattr(d.denominator, "date")
    }
    groups = {(spec.source, spec.date): spec for spec in specs}
    # the year, and the year before where the table has records that old
    queries = sum(
        2 if engine.has_previous(spec, Period(2025)) else 1 for spec in groups.values()
    ) + (unit != "dg")  # the communes a subtree covers, for the rate per inhabitants
    with django_assert_num_queries(queries):
        together = engine.figures_many(
            definitions, scope=scope, period=Period(2025), by="region", with_total=True
        )

    def published(figures):
        return [(f.indicator, f.value, f.previous_value, f.change) for f in figures]

    assert published([f for f in together if f.by is None]) == published(apart)
    assert published([f for f in together if f.by is not None]) == published(regions)
