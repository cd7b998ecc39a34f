"""Staff pages: who may open them, what they show within the actor's scope, audit events,
filters and the list's query count."""

import pytest
from django.urls import reverse

from amn.audit.models import AuditEvent
from amn.hr.choices import Grade
from amn.hr.models import StaffMember

pytestmark = pytest.mark.django_db

LIST = reverse("hr:staff-list")


def test_anonymous_users_are_sent_to_the_staff_login(client, members):
    response = client.get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("username", ["officer.fes", "agent.fes", "planner.rabat"])
def test_roles_that_do_not_read_hr_are_refused(client, world, members, username):
    client.force_login(world.users[username])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("hr:staff-detail", args=[members["P0000002"].pk])).status_code == 403


def test_the_list_shows_the_subtree_only_and_is_audited(english, world, members):
    english.force_login(world.users["hr.rabat"])
    response = english.get(LIST)
    assert response.status_code == 200
    assert "P0000001" in response.text
    assert "P0000002" not in response.text and "P0000003" not in response.text
    event = AuditEvent.objects.get(action="list", target="hr.staffmember")
    assert event.detail["shown"] == 1


def test_filters_by_unit_corps_and_grade(english, world, members):
    StaffMember.objects.filter(staff_number="P0000003").update(grade=Grade.BRIGADIER)
    english.force_login(world.users["admin"])
    by_unit = english.get(LIST, {"unit": "ws-fes"})
    assert "P0000002" in by_unit.text and "P0000001" not in by_unit.text
    by_grade = english.get(LIST, {"grade": Grade.BRIGADIER, "corps": "uniformed"})
    assert "P0000003" in by_grade.text and "P0000002" not in by_grade.text
    # a unit outside the actor's scope is not a valid choice: nothing is listed
    english.force_login(world.users["hr.rabat"])
    outside = english.get(LIST, {"unit": "ws-fes"})
    assert outside.status_code == 200 and "P0000001" not in outside.text


def test_the_list_query_count_does_not_grow_with_the_page(
    english, world, members, django_assert_max_num_queries
):
    english.force_login(world.users["admin"])
    with django_assert_max_num_queries(14):
        assert english.get(LIST).status_code == 200


def test_the_detail_page_is_audited_and_out_of_scope_is_not_found(english, world, members):
    english.force_login(world.users["supervisor.rabat"])
    own = english.get(reverse("hr:staff-detail", args=[members["P0000001"].pk]))
    assert own.status_code == 200 and "P0000001" in own.text
    assert AuditEvent.objects.filter(action="view", target="hr.staffmember").count() == 1
    other = english.get(reverse("hr:staff-detail", args=[members["P0000003"].pk]))
    assert other.status_code == 404 and "P0000003" not in other.text
    assert AuditEvent.objects.filter(action="denied", target="hr.staffmember").count() == 1
