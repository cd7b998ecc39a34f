"""Staff pages /staff/indicators/: access, figures, chart and table in Arabic and French."""

import base64
import re

import pytest
from django.conf import settings
from django.utils import translation

from amn.indicators import charts
from amn.indicators.selectors import FigureQuery, figure_list, indicator_dashboard

pytestmark = pytest.mark.django_db


def dashboard(client, user, code="cases_recorded", language=None, **params):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(f"/staff/indicators/{code}/", params)


def svg_of(html: str, index: int = 0) -> str:
    uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    return base64.b64decode(uris[index]).decode("utf-8")


def test_anonymous_is_sent_to_the_staff_login(stats_world, client):
    response = client.get("/staff/indicators/cases_recorded/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_a_role_that_does_not_read_figures_gets_403(stats_world, client):
    assert dashboard(client, stats_world.users["hr.fes"]).status_code == 403
    assert client.get("/staff/indicators/").status_code == 403


def test_unknown_indicator_is_404(stats_world, client):
    assert dashboard(client, stats_world.users["officer.fes"], code="no_such").status_code == 404


def test_dashboard_in_arabic_shows_the_unit_figure_rule_chart_and_regions(stats_world, client):
    response = dashboard(client, stats_world.users["officer.fes"])
    html = response.content.decode()

    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert '<strong data-figure="value">4</strong>' in html  # the officer's wilaya
    assert 'data-figure="previous">2<' in html
    assert "تُحتسب كل قضية مرة واحدة" in html  # the counting rule
    assert re.findall(r'<tr data-key="([^"]*)">', html) == ["03"]
    assert "فاس-مكناس" in html
    assert "فاس-مكناس" in svg_of(html)  # region names inside the chart, in Arabic


def test_dashboard_in_french_formats_numbers_the_moroccan_way(stats_world, client):
    html = dashboard(
        client, stats_world.users["analyst.hq"], code="clearance_rate", language="fr"
    ).content.decode()

    assert 'dir="ltr"' in html
    assert "Taux d&#x27;élucidation" in html
    assert '<strong data-figure="value">66,7</strong>' in html
    assert "Fès-Meknès" in html
    assert len(re.findall(r'<tr data-key="', html)) == 12


def test_counting_by_cases_from_the_form(stats_world, client):
    html = dashboard(
        client, stats_world.users["analyst.hq"], code="clearance_rate", counting="cases"
    ).content.decode()
    assert '<strong data-figure="value">60,0</strong>' in html


def test_a_unit_outside_the_actors_units_is_reported_like_an_unknown_one(stats_world, client):
    hidden = dashboard(client, stats_world.users["officer.agadir"], unit="ws-fes")
    missing = dashboard(client, stats_world.users["officer.agadir"], unit="nowhere")
    assert hidden.status_code == missing.status_code == 200
    assert 'role="alert"' in hidden.content.decode()
    assert 'data-figure="value"' not in hidden.content.decode()
    assert "ws-fes" in hidden.content.decode()  # named back in the message, nothing more


def test_a_year_outside_the_records_is_refused_by_the_form(stats_world, client):
    assert dashboard(client, stats_world.users["analyst.hq"], year=1990).status_code == 400


def test_index_lists_the_catalogue(stats_world, client):
    client.force_login(stats_world.users["officer.fes"])
    html = client.get("/staff/indicators/").content.decode()
    assert html.count('href="/staff/indicators/') == 34 + 1  # + the navigation link


def test_charts_mirror_in_arabic(stats_world):
    """Right to left: the category axis stands on the right of the bars."""
    with translation.override("ar"):
        cells = figure_list(
            actor=None, query=FigureQuery(year=2025, indicator="cases_recorded", by="region")
        )
        svg_ar = base64.b64decode(
            charts.bar_chart(cells, title="t", unit="u", decimals=0).split(",", 1)[1]
        ).decode()
    with translation.override("fr"):
        svg_fr = base64.b64decode(
            charts.bar_chart(cells, title="t", unit="u", decimals=0).split(",", 1)[1]
        ).decode()

    def label_anchor(svg: str) -> str:
        return re.search(r'text-anchor="(start|end)"[^>]*>فاس-مكناس', svg).group(1)

    assert label_anchor(svg_ar) == "start"  # labels read from the axis on the right
    assert re.search(r'text-anchor="end"[^>]*>Fès-Meknès|text-anchor="end"[^>]*>فاس', svg_fr)


def test_dashboard_figures(stats_world):
    dashboard = indicator_dashboard(
        actor=stats_world.users["officer.fes"],
        query=FigureQuery(year=2025, indicator="cases_recorded"),
    )
    assert dashboard.unit.code == "ws-fes"
    assert (dashboard.total.by, dashboard.total.value, dashboard.total.previous_value) == (
        None,
        4,
        2,
    )
    assert [(f.key, f.value) for f in dashboard.by_region] == [("03", 4)]
    assert [f.value for f in dashboard.by_month] == [1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert {f.by for f in dashboard.by_month} == {"month"}
