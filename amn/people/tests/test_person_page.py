"""The staff person page: registry fields and convictions shown, the read audited."""

import datetime

import pytest

from amn.audit.models import AuditEvent
from amn.people.services import conviction_record, person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def convicted(registry_world):
    world, communes = registry_world
    person = person_create(
        actor=None,
        recorded_by=world.units["ws-fes-d1"],
        family_name_ar="بوزيان",
        given_name_ar="كريم",
        family_name_latin="Bouziane",
        given_name_latin="Karim",
        birth_year=1960,
        birth_place=communes["02.411.01.23"],
        father_given_name="عبد الحق",
        mother_given_name="Naima",
        registry_id="R-PAGE-1",
    )
    for judged, code, cleared in (
        (datetime.date(2006, 2, 14), "0805", datetime.date(2011, 2, 14)),
        (datetime.date(2019, 9, 30), "0601", None),
    ):
        conviction_record(
            actor=None,
            person=person,
            court="المحكمة الابتدائية بوجدة",
            judgment_date=judged,
            iccs_code=code,
            sentence="ستة أشهر حبسا نافذا",
            cleared_on=cleared,
        )
    return world, person


def test_the_page_shows_registry_fields_and_convictions(convicted, client):
    world, person = convicted
    client.force_login(world.users["agent.fes"])
    client.cookies["django_language"] = "en"

    response = client.get(f"/staff/people/{person.id}/")

    assert response.status_code == 200
    body = response.content.decode()
    for shown in ("عبد الحق", "Naima", "R-PAGE-1", "02.411.01.23", "المحكمة الابتدائية بوجدة"):
        assert shown in body
    assert "0805" in body and "0601" in body
    assert "Still on record" in body
    convictions = list(response.context["convictions"])
    assert [c.judgment_date.year for c in convictions] == [2019, 2006]
    event = AuditEvent.objects.get(action="view", target_id=str(person.id))
    assert event.actor == world.users["agent.fes"]


def test_another_unit_gets_404_and_no_convictions(convicted, client):
    world, person = convicted
    client.force_login(world.users["agent.agadir"])

    response = client.get(f"/staff/people/{person.id}/")

    assert response.status_code == 404
    assert "المحكمة الابتدائية بوجدة" not in response.content.decode()
    assert AuditEvent.objects.get(target_id=str(person.id)).action == "denied"


def test_the_page_query_count_does_not_grow_with_convictions(
    convicted, client, django_assert_max_num_queries
):
    world, person = convicted
    client.force_login(world.users["agent.fes"])
    for year in range(2012, 2018):
        conviction_record(
            actor=None,
            person=person,
            court="c",
            judgment_date=datetime.date(year, 1, 1),
            iccs_code="0401",
            sentence="s",
        )

    with django_assert_max_num_queries(14):
        assert client.get(f"/staff/people/{person.id}/").status_code == 200
