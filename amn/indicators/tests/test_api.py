"""/api/v1/indicators: permission matrix, unit scoping, suppression on public outputs only."""

import pytest

pytestmark = pytest.mark.django_db

VALUES = "/api/v1/indicators/values"
PUBLIC = "/api/v1/indicators/public/values"


def get(client, url, user=None, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, {"year": 2025, **params})


def test_anonymous_gets_401(stats_world, client):
    response = get(client, VALUES, indicator="cases_recorded")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("username", "unit", "status", "value"),
    [
        ("officer.fes", None, 200, 4),  # default: the actor's own unit
        ("officer.fes", "ws-fes", 200, 4),
        ("officer.fes", "sp-taza", 200, 1),  # a unit below
        ("officer.fes", "ws-agadir", 404, None),  # another unit
        ("officer.fes", "dg", 404, None),  # the unit above
        ("officer.agadir", "ws-fes", 404, None),
        ("officer.agadir", None, 200, 1),
        ("officer.fes", "no-such-unit", 404, None),
        ("analyst.hq", None, 200, 5),  # national role: the tree root by default
        ("analyst.hq", "ws-agadir", 200, 1),
        ("analyst.hq", "US-TST", 200, 1),
        ("hr.fes", None, 403, None),  # a role that does not read crime figures
    ],
)
def test_unit_scoping(stats_world, client, username, unit, status, value):
    params = {"indicator": "cases_recorded"} | ({"unit": unit} if unit else {})
    response = get(client, VALUES, stats_world.users[username], **params)

    assert response.status_code == status, response.content
    if status == 200:
        assert [row["value"] for row in response.json()] == [value]
    else:
        assert set(response.json()) == {"error"}


def test_out_of_scope_answers_exactly_like_an_unknown_unit(stats_world, client):
    client.force_login(stats_world.users["officer.agadir"])
    hidden = client.get(VALUES, {"year": 2025, "unit": "ws-fes"})
    missing = client.get(VALUES, {"year": 2025, "unit": "no-such-unit"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_staff_figures_have_the_published_keys_and_are_never_suppressed(stats_world, client):
    response = get(
        client, VALUES, stats_world.users["analyst.hq"], indicator="cases_recorded", by="region"
    )

    rows = response.json()
    assert rows[2] == {
        "indicator": "cases_recorded",
        "org_unit": "dg",
        "period": "2025",
        "value": 4,
        "unit_of_measure": "cases",
        "previous_value": 2,
        "change": 100.0,
        "region": "03",
    }
    assert [row["value"] for row in rows].count(0) == 10  # zeros shown as zeros


def test_public_figures_hide_small_counts(stats_world, client, settings):
    settings.AMN_SUPPRESSION_THRESHOLD = 5

    (row,) = get(client, PUBLIC, indicator="cases_recorded").json()
    regions = get(client, PUBLIC, indicator="cases_recorded", by="region").json()

    assert (row["value"], row["previous_value"], row["change"]) == (5, "<5", None)
    assert {r["value"] for r in regions} == {"<5"}


def test_public_ratios_resting_on_small_counts_are_withheld(stats_world, client, settings):
    settings.AMN_SUPPRESSION_THRESHOLD = 5
    (row,) = get(client, PUBLIC, indicator="clearance_rate").json()
    assert (row["value"], row["previous_value"]) == (None, None)  # 4 cleared; 0 cleared

    settings.AMN_SUPPRESSION_THRESHOLD = 3
    (row,) = get(client, PUBLIC, indicator="clearance_rate").json()
    assert (row["value"], row["previous_value"]) == (66.7, None)


def test_the_threshold_is_a_setting(stats_world, client, settings):
    settings.AMN_SUPPRESSION_THRESHOLD = 2
    (row,) = get(client, PUBLIC, indicator="cases_recorded").json()
    assert (row["value"], row["previous_value"], row["change"]) == (5, 3, 66.7)


def test_public_figures_of_any_unit(stats_world, client, settings):
    settings.AMN_SUPPRESSION_THRESHOLD = 1
    (row,) = get(client, PUBLIC, indicator="cases_recorded", unit="ws-fes").json()
    assert (row["org_unit"], row["value"]) == ("ws-fes", 4)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"indicator": "no_such_indicator"}, 404),
        ({"year": 2019}, 400),
        ({"indicator": "cases_recorded", "by": "iccs"}, 400),
        ({"by": "planet"}, 422),
        ({"year": "twenty"}, 422),
        ({"month": 13}, 422),
    ],
)
def test_bad_requests(stats_world, client, params, status):
    response = get(client, VALUES, stats_world.users["analyst.hq"], **params)
    assert response.status_code == status
    assert set(response.json()) == {"error"}


def test_without_an_indicator_every_indicator_allowing_the_breakdown(stats_world, client):
    rows = get(client, VALUES, stats_world.users["analyst.hq"], by="iccs").json()
    indicators = list(dict.fromkeys(row["indicator"] for row in rows))
    assert indicators == [
        "offences_recorded",
        "offences_cleared",
        "clearance_rate",
        "violent_crime_cases",
        "drug_cases",
        "cybercrime_cases",
        "economic_financial_crime_cases",
        "money_laundering_cases",
        "illegal_migration_cases",
        "crime_rate_per_100k",
    ]


def test_catalogue(stats_world, client):
    client.force_login(stats_world.users["officer.fes"])
    staff = client.get("/api/v1/indicators/").json()
    public = client.get("/api/v1/indicators/public").json()
    clearance = next(item for item in staff if item["code"] == "clearance_rate")
    assert clearance["name_ar"] == "معدل الزجر"
    assert clearance["parameters"] == {"counting": "offences"}
    assert "÷" in clearance["counting_rule_fr"]
    assert len(staff) == len(public) == 34
