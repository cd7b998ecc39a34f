"""Staff pages: the permission matrix of the person record and the scoped person list."""

import re
import uuid

import pytest
from django.urls import reverse

from amn.access.tests.factories import (
    AGADIR_D1_PERSON,
    FES_D1_PERSON,
    FES_D1_YEAR_ONLY_PERSON,
    RABAT_D1_PERSON,
)
from amn.people.models import Person

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"


def _detail_url(person) -> str:
    return f"/staff/people/{person.id}/"


def test_person_url_is_the_opaque_uuid(world):
    person = world.persons[FES_D1_PERSON]

    assert reverse("backoffice:person-detail", args=[person.id]) == _detail_url(person)


def test_anonymous_is_sent_to_the_staff_login(world, client):
    url = _detail_url(world.persons[FES_D1_PERSON])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{STAFF_LOGIN}?next={url}"


def test_citizen_is_refused(world, client):
    client.force_login(world.users["citizen@example.ma"])

    response = client.get(_detail_url(world.persons[FES_D1_PERSON]))

    assert response.status_code == 403
    assert "Alaoui" not in response.content.decode()


@pytest.mark.parametrize(
    ("username", "cnie", "status"),
    [
        # other unit: an Agadir front-desk agent cannot read a Fès person by URL
        ("agent.agadir", FES_D1_PERSON, 404),
        ("agent.agadir", RABAT_D1_PERSON, 404),
        ("agent.fes", AGADIR_D1_PERSON, 404),
        ("supervisor.rabat", FES_D1_PERSON, 404),
        # own unit
        ("agent.agadir", AGADIR_D1_PERSON, 200),
        ("agent.fes", FES_D1_PERSON, 200),
        ("agent.agadir.wilaya", AGADIR_D1_PERSON, 200),
        # parent unit sees the records of its child units
        ("officer.fes", FES_D1_PERSON, 200),
        ("officer.fes", AGADIR_D1_PERSON, 404),
        # national roles see everything
        ("admin", FES_D1_PERSON, 200),
        ("admin", AGADIR_D1_PERSON, 200),
        ("analyst.hq", FES_D1_PERSON, 200),
        ("analyst.hq", RABAT_D1_PERSON, 200),
        ("analyst.dpj", AGADIR_D1_PERSON, 200),
        # an analyst posted at a wilaya is not national
        ("analyst.fes", FES_D1_PERSON, 200),
        ("analyst.fes", AGADIR_D1_PERSON, 404),
        ("analyst.fes", RABAT_D1_PERSON, 404),
    ],
)
def test_person_detail_matrix(world, client, username, cnie, status):
    person = world.persons[cnie]
    client.force_login(world.users[username])

    response = client.get(_detail_url(person))

    assert response.status_code == status
    body = response.content.decode()
    if status == 200:
        assert response.context["person"] == person
        assert person.family_name_latin in body
    else:
        assert person.family_name_latin not in body
        assert person.family_name_ar not in body


def test_out_of_scope_and_unknown_records_look_the_same(world, client):
    """Existence does not leak: an out-of-scope record answers like a missing one."""
    client.force_login(world.users["agent.agadir"])

    hidden_url = _detail_url(world.persons[FES_D1_PERSON])
    missing_url = f"/staff/people/{uuid.uuid4()}/"
    hidden, missing = client.get(hidden_url), client.get(missing_url)

    assert hidden.status_code == missing.status_code == 404
    # The pages differ only by the CSRF token and their own address (the switcher's "next").
    assert _without_csrf(hidden.content).replace(hidden_url.encode(), b"URL") == _without_csrf(
        missing.content
    ).replace(missing_url.encode(), b"URL")


def _without_csrf(html: bytes) -> bytes:
    """The page minus its CSRF token, which Django masks afresh on every response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.mark.parametrize("path", ["not-a-uuid", "C100001", "1", "%27%20OR%201=1"])
def test_malformed_person_id_is_not_found(world, client, path):
    client.force_login(world.users["admin"])

    assert client.get(f"/staff/people/{path}/").status_code == 404


def test_year_only_birth_is_shown_as_a_year(world, client):
    client.force_login(world.users["agent.fes"])

    response = client.get(_detail_url(world.persons[FES_D1_YEAR_ONLY_PERSON]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "1975" in body
    assert "1975-01-01" not in body
    assert "01/01/1975" not in body


@pytest.mark.parametrize("url", ["/staff/", "/staff/people/"])
def test_staff_pages_refuse_anonymous_and_citizens(world, client, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(f"{STAFF_LOGIN}?next=")

    client.force_login(world.users["citizen@example.ma"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("username", "listed"),
    [
        ("agent.agadir", {AGADIR_D1_PERSON}),
        ("agent.fes", {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON}),
        ("officer.fes", {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON}),
        ("analyst.fes", {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON}),
        ("supervisor.rabat", {RABAT_D1_PERSON}),
        (
            "admin",
            {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON, AGADIR_D1_PERSON, RABAT_D1_PERSON},
        ),
        (
            "analyst.hq",
            {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON, AGADIR_D1_PERSON, RABAT_D1_PERSON},
        ),
    ],
)
def test_people_list_shows_only_persons_in_scope(world, client, username, listed):
    client.force_login(world.users[username])

    response = client.get("/staff/people/")

    assert response.status_code == 200
    assert {p.cnie_number for p in response.context["page"].object_list} == listed
    body = response.content.decode()
    for cnie, person in world.persons.items():
        shown = cnie in listed
        assert (_detail_url(person) in body) is shown
        assert (person.family_name_latin in body) is shown


def test_dashboard_counts_persons_in_scope(world, client):
    client.force_login(world.users["agent.agadir"])
    assert client.get("/staff/").context["people_count"] == 1

    client.force_login(world.users["analyst.hq"])
    assert client.get("/staff/").context["people_count"] == 4


def test_people_list_query_count_does_not_grow_with_rows(
    world, client, django_assert_max_num_queries
):
    """Session, user, the staff member's TOTP device (django-otp), the count, one page of
    persons with their units (one join), and the audit event (lock the chain head, insert,
    move the head): eight queries however many rows."""
    client.force_login(world.users["admin"])
    for n in range(30):
        Person.objects.create(
            recorded_by=world.units[f"ws-{('fes', 'agadir', 'rabat')[n % 3]}-d1"],
            family_name_latin=f"Extra{n:02d}",
            cnie_number=f"X{n:06d}",
        )

    with django_assert_max_num_queries(8):
        response = client.get("/staff/people/")

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 34


def test_person_page_and_api_answer_are_never_cached(world, client):
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["officer.fes"])

    for url in (_detail_url(person), f"/api/v1/people/{person.id}"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
