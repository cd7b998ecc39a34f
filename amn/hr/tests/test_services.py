"""Writes of the personnel registry: refusals name the field and the reason; promotions
move one step up the ladder and update the grade; only HR writers in scope write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from amn.hr import services
from amn.hr.choices import Corps, CourseKind, Grade, Sex
from amn.hr.models import Promotion, StaffMember, TrainingCourse
from amn.hr.services import (
    HrInputError,
    PromotionBeforeHiring,
    SameGrade,
    StaffMemberLeft,
)
from amn.hr.tests.conftest import HIRED_ON

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 3)


def _record(world, **changes):
    values = {
        "actor": None,
        "staff_number": "P0100000",
        "family_name": "Fictif",
        "given_name": "Agent",
        "sex": Sex.FEMALE,
        "corps": Corps.UNIFORMED,
        "grade": Grade.INSPECTEUR,
        "unit": world.units["ws-rabat-d1"],
        "hired_on": HIRED_ON,
    }
    values.update(changes)
    return services.staff_member_record(**values)


def test_staff_number_is_normalised(world):
    staff = _record(world, staff_number=" p٠١٠٠٠٠٠ ", family_name="  El   Fictif ")
    assert staff.staff_number == "P0100000"
    assert staff.family_name == "El Fictif"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"staff_number": "P12"}, "staff_number"),
        ({"family_name": "  "}, "family_name"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"sex": "X"}, "sex"),
        ({"corps": "army"}, "corps"),
        ({"corps": Corps.CIVIL, "grade": Grade.INSPECTEUR}, "grade"),
        ({"hired_on": datetime.date.today() + datetime.timedelta(days=2)}, "hired_on"),
    ],
)
def test_staff_member_refusals_name_the_field(world, changes, field):
    with pytest.raises(HrInputError) as refused:
        _record(world, **changes)
    assert refused.value.field == field
    assert not StaffMember.objects.exists()


def test_a_staff_number_is_recorded_once(world, members):
    with pytest.raises(HrInputError, match="already recorded") as refused:
        _record(world, staff_number="P0000001")
    assert refused.value.field == "staff_number"


def test_only_hr_writers_within_their_subtree_record(world):
    with pytest.raises(PermissionDenied):  # supervisors read HR, they do not write it
        _record(world, actor=world.users["supervisor.rabat"])
    with pytest.raises(PermissionDenied):  # an HR officer of Rabat, a unit of Fès
        _record(world, actor=world.users["hr.rabat"], unit=world.units["ws-fes-d1"])
    staff = _record(world, actor=world.users["hr.rabat"])
    assert staff.unit.code == "ws-rabat-d1"
    assert _record(world, actor=world.users["admin"], staff_number="P0100001").pk


def test_promotion_moves_one_step_up_and_updates_the_grade(world, members):
    staff = members["P0000001"]
    promotion = services.promotion_record(
        actor=world.users["hr.rabat"], staff=staff, to_grade=Grade.BRIGADIER, promoted_on=DAY
    )
    assert (promotion.from_grade, promotion.to_grade) == (Grade.GARDIEN_PAIX, Grade.BRIGADIER)
    assert promotion.unit.code == "ws-rabat-d1" and promotion.corps == Corps.UNIFORMED
    assert StaffMember.objects.get(pk=staff.pk).grade == Grade.BRIGADIER


def test_promotion_of_someone_who_left_is_refused(world, members):
    staff = members["P0000001"]
    StaffMember.objects.filter(pk=staff.pk).update(left_on=datetime.date(2024, 12, 31))
    with pytest.raises(StaffMemberLeft) as refused:
        services.promotion_record(
            actor=None, staff=staff, to_grade=Grade.BRIGADIER, promoted_on=DAY
        )
    assert refused.value.field == "promoted_on"
    assert not Promotion.objects.exists()


def test_promotion_to_the_same_grade_is_refused(world, members):
    with pytest.raises(SameGrade):
        services.promotion_record(
            actor=None, staff=members["P0000001"], to_grade=Grade.GARDIEN_PAIX, promoted_on=DAY
        )


def test_promotion_before_hiring_is_refused(world, members):
    with pytest.raises(PromotionBeforeHiring):
        services.promotion_record(
            actor=None,
            staff=members["P0000001"],
            to_grade=Grade.BRIGADIER,
            promoted_on=HIRED_ON - datetime.timedelta(days=1),
        )


@pytest.mark.parametrize("to_grade", [Grade.INSPECTEUR, Grade.TECHNICIEN])
def test_promotion_off_the_career_path_is_refused(world, members, to_grade):
    with pytest.raises(HrInputError) as refused:
        services.promotion_record(
            actor=None, staff=members["P0000001"], to_grade=to_grade, promoted_on=DAY
        )
    assert refused.value.field == "to_grade"
    assert StaffMember.objects.get(pk=members["P0000001"].pk).grade == Grade.GARDIEN_PAIX


def test_promotion_out_of_scope_is_refused(world, members):
    with pytest.raises(PermissionDenied):
        services.promotion_record(
            actor=world.users["hr.rabat"],
            staff=members["P0000002"],  # posted at Fès
            to_grade=Grade.BRIGADIER,
            promoted_on=DAY,
        )


def test_training_completion_is_recorded_once_a_day_and_while_in_service(world, members):
    course = TrainingCourse.objects.create(title="Cours", kind=CourseKind.CONTINUING, hours=30)
    staff = members["P0000003"]
    done = services.training_completion_record(
        actor=None, staff=staff, course=course, completed_on=DAY
    )
    assert done.unit.code == "ws-agadir-d1"
    with pytest.raises(HrInputError, match="already recorded"):
        services.training_completion_record(
            actor=None, staff=staff, course=course, completed_on=DAY
        )
    with pytest.raises(HrInputError, match="before the staff member was hired"):
        services.training_completion_record(
            actor=None, staff=staff, course=course, completed_on=datetime.date(2010, 1, 1)
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"posts_offered": 0}, "posts_offered"),
        ({"candidates": -1}, "candidates"),
        ({"title": ""}, "title"),
        ({"grade": Grade.BRIGADIER, "corps": Corps.CIVIL}, "grade"),
    ],
)
def test_competition_refusals_name_the_field(world, changes, field):
    values = {
        "actor": None,
        "unit": world.units["dgsn"],
        "title": "Concours des gardiens de la paix 2025",
        "corps": Corps.UNIFORMED,
        "grade": Grade.GARDIEN_PAIX,
        "announced_on": DAY,
        "posts_offered": 3000,
    }
    values.update(changes)
    with pytest.raises(HrInputError) as refused:
        services.competition_record(**values)
    assert refused.value.field == field
