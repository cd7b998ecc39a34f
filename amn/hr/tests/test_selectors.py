"""Reads: the staff list is scoped to the unit subtree for the roles that read HR, a staff
member's record is read with an audit event (404 and a "denied" event out of scope), and
hr_year_counts counts the report's four figures per subtree."""

import datetime

import pytest
from django.http import Http404

from amn.audit.models import AuditEvent
from amn.hr import services
from amn.hr.choices import Corps, CourseKind, Grade, Sex
from amn.hr.models import TrainingCourse
from amn.hr.selectors import hr_year_counts, staff_member_get, staff_member_list

pytestmark = pytest.mark.django_db

# username → staff numbers seen (Rabat, Fès, Agadir postings: see conftest.POSTINGS)
SCOPE = {
    "admin": {"P0000001", "P0000002", "P0000003"},
    "analyst.hq": {"P0000001", "P0000002", "P0000003"},
    "analyst.fes": {"P0000002"},  # an analyst at a wilaya is not national
    "supervisor.rabat": {"P0000001"},  # the unit's chief: their subtree
    "hr.rabat": {"P0000001"},
    "officer.fes": set(),  # records officers do not read HR records
    "planner.rabat": set(),
    "agent.fes": set(),
}


@pytest.mark.parametrize(("username", "seen"), SCOPE.items())
def test_staff_list_is_scoped(world, members, username, seen):
    listed = staff_member_list(actor=world.users[username])
    assert {staff.staff_number for staff in listed} == seen


def test_reading_a_staff_member_is_audited(world, members):
    actor = world.users["supervisor.rabat"]
    staff = staff_member_get(actor=actor, pk=members["P0000001"].pk)
    assert staff.staff_number == "P0000001"
    event = AuditEvent.objects.get(action="view", target="hr.staffmember")
    assert (event.actor, event.target_id) == (actor, str(staff.pk))


@pytest.mark.parametrize("username", ["supervisor.rabat", "officer.fes"])
def test_out_of_scope_reads_are_not_found_and_audited(world, members, username):
    actor = world.users[username]
    with pytest.raises(Http404):
        staff_member_get(actor=actor, pk=members["P0000003"].pk)
    event = AuditEvent.objects.get(action="denied", target="hr.staffmember")
    assert (event.actor, event.target_id) == (actor, str(members["P0000003"].pk))


def test_unknown_ids_are_not_found(world):
    with pytest.raises(Http404):
        staff_member_get(actor=world.users["admin"], pk="not-a-number")


def test_year_counts_per_subtree(world, members):
    day = datetime.date(2025, 5, 5)
    rabat, fes = world.units["ws-rabat-d1"], world.units["ws-fes-d1"]
    recruit = services.staff_member_record(
        actor=None,
        staff_number="P0000010",
        family_name="Fictif",
        given_name="Recrue",
        sex=Sex.FEMALE,
        corps=Corps.UNIFORMED,
        grade=Grade.GARDIEN_PAIX,
        unit=rabat,
        hired_on=day,
    )
    services.competition_record(
        actor=None,
        unit=world.units["dgsn"],
        title="Concours 2025",
        corps=Corps.UNIFORMED,
        grade=Grade.GARDIEN_PAIX,
        announced_on=day,
        posts_offered=120,
    )
    services.competition_record(
        actor=None,
        unit=world.units["dgsn"],
        title="Concours 2024",
        corps=Corps.UNIFORMED,
        grade=Grade.INSPECTEUR,
        announced_on=datetime.date(2024, 12, 31),
        posts_offered=50,
    )
    services.promotion_record(
        actor=None, staff=members["P0000002"], to_grade=Grade.BRIGADIER, promoted_on=day
    )
    first, second = (
        TrainingCourse.objects.create(title=title, kind=CourseKind.CONTINUING, hours=20)
        for title in ("A", "B")
    )
    for staff, course in ((recruit, first), (recruit, second), (members["P0000001"], first)):
        services.training_completion_record(
            actor=None, staff=staff, course=course, completed_on=datetime.date(2025, 12, 1)
        )
    assert hr_year_counts(year=2025) == {
        "recruits_hired": 1,
        "recruitment_posts_offered": 120,
        "staff_promoted": 1,
        "staff_trained": 2,  # distinct staff: the recruit's two courses count once
    }
    assert hr_year_counts(year=2025, unit=world.units["ws-rabat"]) == {
        "recruits_hired": 1,
        "recruitment_posts_offered": 0,  # competitions are organised nationally
        "staff_promoted": 0,
        "staff_trained": 2,
    }
    assert hr_year_counts(year=2025, unit=fes)["staff_promoted"] == 1
    assert hr_year_counts(year=2024)["recruitment_posts_offered"] == 50
    assert hr_year_counts(year=2023) == dict.fromkeys(hr_year_counts(year=2025), 0)
