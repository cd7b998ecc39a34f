"""The mobile-unit API: public upcoming stops, scoped staff reads, recording results."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db
API = "/api/v1/mobile-units"


def test_upcoming_stops_are_public(fleet, client):
    response = client.get(f"{API}/stops/upcoming?region=09")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["commune"] == "09.001.07.05"
    assert item["region"] == "09"
    assert set(item) == {
        "id",
        "date",
        "starts_at",
        "ends_at",
        "commune",
        "commune_name_fr",
        "commune_name_ar",
        "province",
        "region",
    }


def test_staff_reads_are_scoped(world, fleet, client):
    assert client.get(f"{API}/units").status_code == 401
    client.force_login(world.users["agent.fes"])
    assert [u["code"] for u in client.get(f"{API}/units").json()] == ["mu-fes-t1"]
    assert client.get(f"{API}/tours/{fleet.agadir_tour.pk}").status_code == 404
    tour = client.get(f"{API}/tours/{fleet.fes_tour.pk}").json()
    assert [stop["commune"] for stop in tour["stops"]] == ["03.231.01.0"]
    client.force_login(world.users["hr.rabat"])
    assert client.get(f"{API}/units").status_code == 403


def test_recording_results(world, fleet, client):
    url = f"{API}/stops/{fleet.agadir_past.pk}/results"
    payload = {"applications_received": 5, "cards_delivered": 3, "people_served": 9}
    client.force_login(world.users["officer.fes"])
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.force_login(world.users["agent.fes"])
    assert client.post(url, payload, content_type="application/json").status_code == 404
    client.force_login(world.users["agent.agadir"])
    bad = {**payload, "people_served": 2}
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "refused"
    negative = {**payload, "cards_delivered": -1}
    assert client.post(url, negative, content_type="application/json").status_code == 422
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["people_served"] == 9


def test_year_counts_in_scope(world, fleet, client):
    year = timezone.localdate().year
    client.force_login(world.users["agent.agadir"])
    client.post(
        f"{API}/stops/{fleet.agadir_past.pk}/results",
        {"applications_received": 5, "cards_delivered": 3, "people_served": 9},
        content_type="application/json",
    )
    counts = client.get(f"{API}/counts/{year}").json()
    assert counts["units_in_service"] == 1
    assert counts["people_served"] == (9 if fleet.agadir_past.date.year == year else 0)
    client.force_login(world.users["agent.fes"])
    assert client.get(f"{API}/counts/{year}").json()["people_served"] == 0
