"""Pages of the mobile units: the permission matrix of the staff pages (anonymous,
citizen, roles without access, other unit, own unit, national roles), recording results
through the form, closing a tour, and the public list of upcoming stops."""

import pytest
from django.urls import reverse

from amn.audit.models import AuditEvent
from amn.mobileunits import selectors
from amn.mobileunits.models import Stop, Tour

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


def _urls(fleet):
    return [
        "/staff/mobile-units/",
        "/staff/mobile-units/tours/",
        f"/staff/mobile-units/tours/{fleet.agadir_tour.pk}/",
        f"/staff/mobile-units/stops/{fleet.agadir_past.pk}/results/",
    ]


def test_urls(fleet):
    assert reverse("mobileunits:upcoming") == "/mobile-units/"
    assert reverse("mobileunits-staff:fleet") == "/staff/mobile-units/"
    assert reverse("mobileunits-staff:tour", args=[fleet.agadir_tour.pk]) == _urls(fleet)[2]


def test_anonymous_is_sent_to_the_staff_login(fleet, client):
    for url in _urls(fleet):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{STAFF_LOGIN}?next={url}"


@pytest.mark.parametrize("username", ["citizen@example.ma", "hr.rabat", "planner.rabat"])
def test_citizens_and_roles_without_access_are_refused(world, fleet, client, username):
    client.force_login(world.users[username])
    for url in _urls(fleet):
        assert client.get(url).status_code == 403


# username → (units listed, may open the Agadir tour, may record the Agadir stop)
MATRIX = {
    "agent.agadir": ({"mu-agadir-t1"}, True, True),
    "agent.agadir.wilaya": ({"mu-agadir-t1"}, True, True),
    "agent.fes": ({"mu-fes-t1"}, False, False),
    "officer.fes": ({"mu-fes-t1"}, False, False),
    "analyst.fes": ({"mu-fes-t1"}, False, False),
    "supervisor.rabat": (set(), False, False),
    "analyst.hq": ({"mu-agadir-t1", "mu-fes-t1"}, True, False),
    "admin": ({"mu-agadir-t1", "mu-fes-t1"}, True, True),
}


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_scope_matrix(world, fleet, client, username):
    units, opens_tour, records = MATRIX[username]
    client.force_login(world.users[username])

    response = client.get("/staff/mobile-units/")
    assert response.status_code == 200
    assert {unit.code for unit in response.context["units"]} == units

    response = client.get("/staff/mobile-units/tours/")
    listed = {tour.mobile_unit.code for tour in response.context["page"].object_list}
    assert listed == units

    response = client.get(f"/staff/mobile-units/tours/{fleet.agadir_tour.pk}/")
    assert response.status_code == (200 if opens_tour else 404)

    response = client.get(f"/staff/mobile-units/stops/{fleet.agadir_past.pk}/results/")
    if records:
        assert response.status_code == 200
    elif username in ("officer.fes", "analyst.fes", "analyst.hq"):
        assert response.status_code == 403  # reads the fleet, never writes it
    else:
        assert response.status_code == 404  # a writer, but of other units


def test_out_of_scope_tour_leaves_a_denied_event(world, fleet, client):
    client.force_login(world.users["agent.fes"])
    client.get(f"/staff/mobile-units/tours/{fleet.agadir_tour.pk}/")
    assert AuditEvent.objects.filter(
        action="denied", target="mobileunits.tour", target_id=str(fleet.agadir_tour.pk)
    ).exists()


def test_recording_results_through_the_form(world, fleet, client, english):
    client.force_login(world.users["agent.agadir"])
    url = f"/staff/mobile-units/stops/{fleet.agadir_past.pk}/results/"

    response = client.post(
        url, {"applications_received": "30", "cards_delivered": "20", "people_served": "10"}
    )
    assert response.status_code == 400
    assert "cannot be fewer than applications received" in response.content.decode()
    assert Stop.objects.get(pk=fleet.agadir_past.pk).people_served is None

    response = client.post(
        url, {"applications_received": "-1", "cards_delivered": "20", "people_served": "40"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["applications_received"]

    response = client.post(
        url, {"applications_received": "٣٠", "cards_delivered": "20", "people_served": "45"}
    )
    assert response.status_code == 302
    assert response.url == f"/staff/mobile-units/tours/{fleet.agadir_tour.pk}/"
    stop = Stop.objects.get(pk=fleet.agadir_past.pk)
    assert (stop.applications_received, stop.cards_delivered, stop.people_served) == (30, 20, 45)

    page = client.get(response.url)
    assert page.context["totals"]["people_served"] == 45


def test_a_stop_to_come_cannot_be_recorded(world, fleet, client, english):
    client.force_login(world.users["agent.agadir"])
    response = client.post(
        f"/staff/mobile-units/stops/{fleet.agadir_future.pk}/results/",
        {"applications_received": "1", "cards_delivered": "1", "people_served": "1"},
    )
    assert response.status_code == 400
    assert "once the stop has taken place" in response.content.decode()


def test_closing_a_tour_from_its_page(world, fleet, client, english):
    client.force_login(world.users["agent.fes"])
    url = f"/staff/mobile-units/tours/{fleet.fes_tour.pk}/close/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"status": "done"}, follow=True)
    assert "every stop&#x27;s results" in response.content.decode()
    client.post(url, {"status": "cancelled"})
    assert Tour.objects.get(pk=fleet.fes_tour.pk).status == "cancelled"
    assert (
        client.post(
            f"/staff/mobile-units/tours/{fleet.agadir_tour.pk}/close/", {"status": "cancelled"}
        ).status_code
        == 404
    )


def test_public_page_lists_upcoming_stops_without_personal_data(fleet, client, english):
    response = client.get("/mobile-units/")
    assert response.status_code == 200
    stops = list(response.context["page"].object_list)
    assert stops == [fleet.agadir_future]  # past stops are not listed
    html = response.content.decode()
    assert "Mid Medium" in html
    assert "Unité mobile test" not in html and "agent" not in html

    assert list(client.get("/mobile-units/?region=03").context["page"].object_list) == []
    assert list(client.get("/mobile-units/?region=09").context["page"].object_list) == stops
    assert client.get("/mobile-units/?region=XX").status_code == 200


def test_tour_list_filters(world, fleet, client):
    client.force_login(world.users["admin"])
    response = client.get(f"/staff/mobile-units/tours/?unit={fleet.fes.pk}")
    assert [t.pk for t in response.context["page"].object_list] == [fleet.fes_tour.pk]
    response = client.get("/staff/mobile-units/tours/?status=done")
    assert list(response.context["page"].object_list) == []
    assert client.get("/staff/mobile-units/tours/?unit=junk").status_code == 200


def test_fleet_page_query_count_is_pinned(world, fleet, client, django_assert_max_num_queries):
    client.force_login(world.users["admin"])
    with django_assert_max_num_queries(20):
        client.get("/staff/mobile-units/")


def test_results_form_starts_from_the_applications_known_to_amn(world, fleet, client, monkeypatch):
    monkeypatch.setattr(
        selectors,
        "online_applications_by_stop",
        lambda ids: {ids[0]: {"applications_received": 7, "cards_delivered": 2}},
    )
    client.force_login(world.users["agent.agadir"])
    response = client.get(f"/staff/mobile-units/stops/{fleet.agadir_past.pk}/results/")
    assert response.context["form"].initial == {"applications_received": 7, "cards_delivered": 2}
