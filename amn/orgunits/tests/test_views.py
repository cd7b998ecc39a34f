"""The public "find a police station" page and the public unit API, on the demo units."""

from collections import Counter
from html import unescape

import pytest

from amn.orgunits.models import OrgUnit

AGADIR_UNITS = {
    "ar": ["المنطقة الإقليمية للأمن بتيكيوين", "ولاية أمن أكادير", "الدائرة الأولى للشرطة بأكادير"],
    "fr": [
        "Sûreté provinciale de Tikiouine",
        "Wilaya de sûreté d'Agadir",
        "1er arrondissement de police d'Agadir",
    ],
    "en": [
        "Tikiouine Provincial Security Area",
        "Agadir Security Wilaya",
        "Agadir 1st Police District",
    ],
}
# Near Agadir but not listed: another commune (Aït Melloul) or not open to the public (CCC).
NOT_AGADIR_STATIONS = {
    "ar": ["ولاية أمن فاس", "الدائرة الأولى للشرطة بفاس", "المنطقة الإقليمية للأمن بآيت ملول"],
    "fr": ["Wilaya de sûreté de Fès", "Sûreté provinciale d'Aït Melloul", "Centre de commandement"],
    "en": ["Fès Security Wilaya", "Fès 1st Police District", "Command and Coordination Centre"],
}
RELEASE = "DGSN, bilan annuel 2025 (communiqué du 17 décembre 2025)"


def _page(client, **query) -> str:
    response = client.get("/stations/", query)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_stations_page_lists_agadir_units_by_latin_or_arabic_city_name(
    client, demo_data, django_assert_max_num_queries, language, direction
):
    client.cookies["django_language"] = language
    others = [name for code, names in AGADIR_UNITS.items() if code != language for name in names]

    for city in ("Agadir", "أكادير"):
        with django_assert_max_num_queries(1):
            html = _page(client, city=city)

        assert f'<html lang="{language}" dir="{direction}">' in html
        listed = [html.find(f"<strong>{name}</strong>") for name in AGADIR_UNITS[language]]
        assert -1 not in listed
        assert listed == sorted(listed), "units are ordered by code within the commune"
        assert html.count('<section class="city">') == 1
        assert not [name for name in NOT_AGADIR_STATIONS[language] if name in html]
        assert not [name for name in others if name in html]


def test_stations_page_is_arabic_by_default_and_one_query_for_every_unit(
    client, demo_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        html = _page(client, HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="ar" dir="rtl">' in html
    assert html.count("<li>") >= 25
    for name in (*AGADIR_UNITS["ar"], "ولاية أمن فاس", "المنطقة الإقليمية للأمن بآيت ملول"):
        assert f"<strong>{name}</strong>" in html


def test_stations_api_filters_by_city(client, demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/units/stations", {"city": "Fès"})

    assert response.status_code == 200
    public_ids = dict(OrgUnit.objects.values_list("code", "public_id"))
    assert response.json() == [
        {
            "id": str(public_ids["ws-fes"]),
            "code": "ws-fes",
            "name_ar": "ولاية أمن فاس",
            "name_fr": "Wilaya de sûreté de Fès",
            "name_en": "Fès Security Wilaya",
            "unit_type": "security-wilaya",
            "commune_code": "03.231.01.0",
            "parent_code": "dgsn",
        },
        {
            "id": str(public_ids["ws-fes-d1"]),
            "code": "ws-fes-d1",
            "name_ar": "الدائرة الأولى للشرطة بفاس",
            "name_fr": "1er arrondissement de police de Fès",
            "name_en": "Fès 1st Police District",
            "unit_type": "police-district",
            "commune_code": "03.231.01.0",
            "parent_code": "ws-fes",
        },
    ]


def test_history_api_returns_the_2025_changes(client, demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/units/history/2025")

    assert response.status_code == 200
    events = response.json()
    assert Counter(event["kind"] for event in events) == {"created": 10, "upgraded": 3, "moved": 1}
    assert {event["decision_reference"] for event in events} == {RELEASE}
    assert {
        event["unit_code"]: (event["from_type"], event["to_type"])
        for event in events
        if event["kind"] == "upgraded"
    } == dict.fromkeys(
        ("cr-tikiouine", "cr-ouislane", "cr-ait-melloul"),
        ("regional-commissariat", "provincial-security-area"),
    )
    assert [event["unit_code"] for event in events if event["kind"] == "moved"] == [
        "sp-khouribga-d1"
    ]
    *year_known, ifrane = events
    assert {(event["effective_on"], event["date_precision"]) for event in year_known} == {
        ("2025-01-01", "year")
    }
    assert ifrane | {"decision_reference": None} == {
        "unit_code": "issh-ifrane",
        "kind": "created",
        "effective_on": "2025-12-01",
        "date_precision": "month",
        "from_type": None,
        "to_type": "training-institute",
        "decision_reference": None,
    }
    assert client.get("/api/v1/units/history/2026").json() == []


@pytest.mark.parametrize("typed", ["Fes", "FÈS", "fès", "فاس", "Fè\x00s"])
def test_stations_search_ignores_case_accents_and_control_characters(client, demo_data, typed):
    response = client.get("/stations/", {"city": typed})
    assert response.status_code == 200
    assert "ws-fes" in {
        unit.code for _commune, units in response.context["by_commune"] for unit in units
    }


@pytest.mark.parametrize("typed", ["اكادير", "أكادير", "agadir", "AGADIR"])
def test_stations_search_folds_hamza_and_case(client, demo_data, typed):
    response = client.get("/api/v1/units/stations", {"city": typed})
    assert "ws-agadir" in {unit["code"] for unit in response.json()}
    assert "ws-fes" not in {unit["code"] for unit in response.json()}
