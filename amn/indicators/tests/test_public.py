"""The public statistics page (/statistics/, no sign-in): public indicators only, small
counts suppressed with the rule shown, Arabic and French, and the per-client rate limit
shared with the public values API."""

import pytest
from django.test import override_settings
from django.utils.html import escape

from amn.indicators.engine import Engine
from amn.indicators.models import Indicator
from amn.indicators.selectors import PUBLIC_RATE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("amn.indicators.tests.urls_public")]

PAGE = "/statistics/"
PUBLIC_API = "/api/v1/indicators/public/values"
LIMIT = int(PUBLIC_RATE.split("/")[0])


def rows(response) -> dict:
    """{indicator code: (value, previous, change)} as the page shows them."""
    return {
        cell.figure.indicator: (cell.row["value"], cell.row["previous_value"], cell.row["change"])
        for cell in response.context["totals"]
    }


def test_anyone_reads_the_national_figures_with_small_counts_hidden(stats_world, client):
    response = client.get(PAGE)

    assert response.status_code == 200
    shown = rows(response)
    # 5 cases recorded in 2025 (not hidden), 3 in 2024 (hidden), so no change.
    assert shown["cases_recorded"] == (5, "<5", None)
    assert shown["offences_recorded"] == (6, "<5", None)
    assert shown["drug_cases"] == ("<5", "<5", None)
    # A rate resting on 4 cleared offences is not shown.
    assert shown["clearance_rate"][0] is None
    body = response.content.decode()
    assert "&lt;5" in body
    assert 'data-indicator="clearance_rate"' in body


def test_each_figure_is_shown_with_its_rule_and_the_suppression_rule(stats_world, client):
    client.cookies["django_language"] = "fr"

    body = client.get(PAGE).content.decode()

    drug = Indicator.objects.get(code="drug_cases")
    assert escape(drug.name_fr) in body and escape(drug.counting_rule_fr) in body
    assert 'id="suppression-rule"' in body
    assert '<html lang="fr"' in body


def test_arabic_by_default(stats_world, client):
    body = client.get(PAGE).content.decode()

    drug = Indicator.objects.get(code="drug_cases")
    assert 'lang="ar"' in body and 'dir="rtl"' in body
    assert escape(drug.name_ar) in body and escape(drug.counting_rule_ar) in body


def test_the_threshold_is_a_setting(stats_world, client):
    with override_settings(AMN_SUPPRESSION_THRESHOLD=2):
        shown = rows(client.get(PAGE))
    assert shown["cases_recorded"] == (5, 3, 66.7)
    assert shown["drug_cases"] == ("<2", "<2", None)


def test_one_indicator_by_region(stats_world, client):
    response = client.get(PAGE, {"year": 2025, "indicator": "cases_recorded"})

    assert response.status_code == 200
    cells = {cell.figure.key: cell.row["value"] for cell in response.context["regions"]}
    assert cells["03"] == "<5"  # Fès and Taza: 4 cases
    assert cells["09"] == "<5"
    assert len(cells) == 12  # every region of the national tree


def test_only_public_indicators_are_published(stats_world, client):
    Indicator.objects.filter(code="drug_cases").update(is_public=False)

    response = client.get(PAGE)

    assert "drug_cases" not in rows(response)
    assert client.get(PAGE, {"indicator": "drug_cases"}).status_code == 400


def test_a_year_without_records_is_a_clear_400(stats_world, client):
    response = client.get(PAGE, {"year": "1999"})

    assert response.status_code == 400
    assert "year" in response.context["form"].errors


def test_the_page_and_the_api_share_a_rate_limit_per_client(stats_world, client):
    for _ in range(LIMIT - 1):
        assert client.get(PAGE).status_code == 200
    assert client.get(PUBLIC_API, {"year": 2025, "indicator": "cases_recorded"}).status_code == 200

    page = client.get(PAGE)
    api = client.get(PUBLIC_API, {"year": 2025})

    assert page.status_code == api.status_code == 429
    assert page["Retry-After"] and api["Retry-After"]
    assert api.json()["error"]["code"] == "rate_limited"
    other = client.get(PAGE, REMOTE_ADDR="192.0.2.7")  # another client is not affected
    assert other.status_code == 200


def test_no_records_no_figures(stats_world, client, monkeypatch):
    monkeypatch.setattr(Engine, "records_years", lambda engine: None)
    client.cookies["django_language"] = "en"

    response = client.get(PAGE)

    assert response.status_code == 200
    assert response.context["error"] == "No figures are published yet."
    assert "totals" not in response.context
