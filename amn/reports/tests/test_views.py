"""The report's pages and API over the statistics world: who reads which report (scope),
record links for staff, the public national report, publishing, and bad input."""

import re

import pytest

from amn.indicators.models import Snapshot
from amn.reports.selectors import report_get as real

pytestmark = pytest.mark.django_db

STAFF_FES = "/staff/reports/2025/ws-fes/"


def get(client, user, path, **params):
    if user is not None:
        client.force_login(user)
    return client.get(path, params)


def test_anonymous_is_sent_to_the_staff_login(stats_world, client):
    response = client.get(STAFF_FES)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_a_role_that_does_not_read_figures_gets_403(stats_world, client):
    assert get(client, stats_world.users["hr.fes"], STAFF_FES).status_code == 403


def test_staff_read_reports_of_their_scope_only(stats_world, client):
    officer = stats_world.users["officer.fes"]
    assert get(client, officer, "/staff/reports/2025/ws-agadir/").status_code == 404
    assert get(client, officer, "/staff/reports/2025/dg/").status_code == 404
    assert get(client, officer, "/staff/reports/2025/no-such-unit/").status_code == 404
    assert get(client, officer, "/staff/reports/2025/sp-taza/", lang="en").status_code == 200


def test_staff_report_in_arabic_is_rtl_with_definitions_and_record_links(stats_world, client):
    response = get(client, stats_world.users["officer.fes"], STAFF_FES, lang="ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="annual-report" lang="ar" dir="rtl">' in html
    # Every figure of the text links to its definition in the annex.
    anchors = set(re.findall(r'class="figure-link" href="#(def-[a-z_0-9]+)"', html))
    assert "def-cases_recorded" in anchors
    assert all(f'id="{anchor}"' in html for anchor in anchors)
    # ... and to the records behind it, for the officer's unit and the year.
    assert 'href="/staff/indicators/cases_recorded/records/?year=2025&amp;unit=ws-fes"' in html
    assert "report-publish" not in html  # officers do not publish


def test_staff_json_download_counts_the_units_subtree(stats_world, client):
    response = get(client, stats_world.users["officer.fes"], STAFF_FES + "report.json", lang="en")
    data = response.json()
    assert (data["year"], data["org_unit"], data["language"]) == (2025, "ws-fes", "en")
    cases = next(f for f in data["figures"] if f["indicator"] == "cases_recorded")
    assert (cases["value"], cases["previous_value"]) == (4, 2)  # C1–C4 and C5; C6, C7
    assert cases["provenance"]["kind"] == "records"


def test_national_analyst_publishes_and_the_report_says_so(stats_world, client):
    analyst = stats_world.users["analyst.hq"]
    page = get(client, analyst, "/staff/reports/2025/dg/", lang="en").content.decode()
    assert 'action="/staff/reports/2025/dg/publish/"' in page
    assert "Provisional figures" in page
    response = client.post("/staff/reports/2025/dg/publish/")
    assert response.status_code == 302
    snapshot = Snapshot.objects.get(year=2025, org_unit__code="dg", superseded_at=None)
    page = client.get("/staff/reports/2025/dg/", {"lang": "en"}).content.decode()
    assert "As published on" in page
    assert snapshot.checksum in page


def test_others_may_not_publish(stats_world, client):
    client.force_login(stats_world.users["officer.fes"])
    assert client.post("/staff/reports/2025/ws-fes/publish/").status_code == 403
    assert client.get("/staff/reports/2025/ws-fes/publish/").status_code == 405
    assert not Snapshot.objects.exists()


def test_public_report_is_national_without_record_links(stats_world, client):
    response = client.get("/reports/2025/", {"lang": "fr"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<article class="annual-report" lang="fr" dir="ltr">' in html
    assert "/records/" not in html
    assert 'href="/reports/2025/report.pdf?lang=fr&amp;numerals=latn"' in html
    assert client.get("/reports/2025/", {"unit": "ws-fes"}).status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/reports/2025/", {"lang": "de"}, 400, "language &#x27;de&#x27; is not offered"),
        ("/reports/2025/", {"numerals": "roman"}, 400, "numerals &#x27;roman&#x27;"),
        ("/reports/1900/", {"lang": "en"}, 404, "No report for 1900"),
    ],
)
def test_public_report_refuses_bad_input_plainly(
    stats_world, client, path, params, status, message
):
    client.cookies["django_language"] = "en"  # the message in the reader's language
    response = client.get(path, params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_api_public_national_report(stats_world, client):
    response = client.get("/api/v1/reports/2025", {"lang": "en"})
    data = response.json()
    assert response.status_code == 200
    assert (data["org_unit"], data["language"], len(data["snapshot_checksum"])) == ("dg", "en", 64)
    assert {"indicator", "value", "previous_value", "change", "definition"} <= set(
        data["figures"][0]
    )


def test_api_other_units_are_for_staff_in_scope(stats_world, client):
    assert client.get("/api/v1/reports/2025", {"unit": "ws-fes"}).status_code == 401
    client.force_login(stats_world.users["hr.fes"])
    assert client.get("/api/v1/reports/2025", {"unit": "ws-fes"}).status_code == 403
    client.force_login(stats_world.users["officer.fes"])
    assert client.get("/api/v1/reports/2025", {"unit": "ws-agadir"}).status_code == 404
    response = client.get("/api/v1/reports/2025", {"unit": "ws-fes", "lang": "fr"})
    assert (response.status_code, response.json()["org_unit"]) == (200, "ws-fes")


def test_api_refuses_a_language_not_offered(stats_world, client):
    response = client.get("/api/v1/reports/2025", {"lang": "de"})
    assert response.status_code == 422
    assert "lang" in str(response.json()["error"])


def test_public_report_is_computed_once_until_published(stats_world, client, monkeypatch):
    from amn.reports import views

    calls = []
    monkeypatch.setattr(views, "report_get", lambda **kw: calls.append(kw) or real(**kw))
    assert "Provisional figures" in client.get("/reports/2025/", {"lang": "en"}).content.decode()
    assert "Provisional figures" in client.get("/reports/2025/", {"lang": "en"}).content.decode()
    assert len(calls) == 1
    client.force_login(stats_world.users["analyst.hq"])
    client.post("/staff/reports/2025/dg/publish/")
    assert "As published on" in client.get("/reports/2025/", {"lang": "en"}).content.decode()
    assert len(calls) == 2


def test_the_public_report_opens_on_the_latest_year(stats_world, client):
    from amn.indicators.services import generated_year_record

    assert client.get("/reports/")["Location"] == "/reports/2025/"  # last year of records
    generated_year_record(year=2024, scale=0.5)
    assert client.get("/reports/")["Location"] == "/reports/2024/"


def test_an_absurd_year_is_a_404_not_a_database_error(stats_world, client):
    response = client.get("/reports/99999999999999999999/", {"lang": "en"})
    assert response.status_code == 404
