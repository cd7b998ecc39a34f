"""The synthetic personnel year: exact counts, consistent rows, idempotency, refusals."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from amn.audit.models import AuditEvent
from amn.core.errors import DomainError
from amn.hr.choices import NEXT_GRADE, CourseKind
from amn.hr.generation import staff_year_generate
from amn.hr.models import (
    Promotion,
    RecruitmentCompetition,
    StaffMember,
    TrainingCompletion,
)
from amn.hr.selectors import hr_year_counts

pytestmark = pytest.mark.django_db

ARGS = {
    "year": 2025,
    "staff": 400,
    "recruits": 23,
    "posts_offered": 41,
    "trained": 57,
    "promoted": 31,
    "seed": 7,
}
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def test_exact_counts_and_idempotency(world):
    summary = staff_year_generate(**ARGS)
    assert not summary.already_present
    assert StaffMember.objects.count() == 400
    expected = {
        "recruits_hired": 23,
        "recruitment_posts_offered": 41,
        "staff_promoted": 31,
        "staff_trained": 57,
    }
    assert hr_year_counts(year=2025) == expected
    assert summary.completions == TrainingCompletion.objects.count() > 57  # some took two
    assert AuditEvent.objects.filter(action="bulk_load", target="hr.staffmember").count() == 1

    again = staff_year_generate(**ARGS)
    assert again.already_present
    assert StaffMember.objects.count() == 400
    assert hr_year_counts(year=2025) == expected


def test_generated_rows_are_consistent(world):
    staff_year_generate(**ARGS)
    first, last = YEAR
    standing = StaffMember.objects.filter(hired_on__lt=first)
    assert standing.count() == 400 - 23
    # The year before has no hires: its report states the published recruits instead.
    assert not StaffMember.objects.filter(hired_on__year=first.year - 1).exists()
    assert Promotion.objects.values("staff").distinct().count() == 31
    for promotion in Promotion.objects.select_related("staff"):
        assert NEXT_GRADE[promotion.from_grade] == promotion.to_grade == promotion.staff.grade
        assert promotion.staff.hired_on < promotion.promoted_on
        assert promotion.unit_id == promotion.staff.unit_id
    late = TrainingCompletion.objects.filter(
        Q(completed_on__lt=F("staff__hired_on")) | Q(completed_on__gt=last)
    )
    assert not late.exists()
    # recruits complete their corps' initial course, others continuing or specialised ones
    recruits = TrainingCompletion.objects.filter(staff__hired_on__gte=first)
    assert set(recruits.values_list("course__kind", flat=True)) <= {CourseKind.INITIAL}
    # nobody who left was promoted or trained
    assert not StaffMember.objects.filter(left_on__isnull=False, promotions__isnull=False).exists()
    assert not StaffMember.objects.filter(
        left_on__isnull=False, training_completions__isnull=False
    ).exists()
    competitions = RecruitmentCompetition.objects.all()
    assert competitions.aggregate(total=Sum("posts_offered"))["total"] == 41
    assert {c.unit.code for c in competitions} == {"dgsn"}
    assert (
        not StaffMember.objects.values("unit").annotate(n=Count("id")).filter(unit__status="closed")
    )


class _Undo(Exception):
    pass


def _generated_rows() -> tuple[list, list]:
    """Generate ARGS, read the rows back, and roll the load back."""
    try:
        with transaction.atomic():
            staff_year_generate(**ARGS)
            staff = list(
                StaffMember.objects.values_list(
                    "staff_number", "family_name", "sex", "grade", "unit__code", "hired_on",
                    "left_on",
                )
            )  # fmt: skip
            promotions = list(
                Promotion.objects.order_by("staff__staff_number").values_list(
                    "staff__staff_number", "promoted_on", "from_grade", "to_grade"
                )
            )
            raise _Undo
    except _Undo:
        return staff, promotions


def test_same_arguments_give_the_same_rows(world):
    staff, promotions = _generated_rows()
    assert (staff, promotions) == _generated_rows()
    assert [row[5] for row in staff] == sorted(row[5] for row in staff)  # numbers by hiring


def test_other_counts_for_a_generated_year_are_refused(world):
    staff_year_generate(**ARGS)
    with pytest.raises(DomainError, match="already generated with other counts"):
        staff_year_generate(**{**ARGS, "trained": 58})
    assert hr_year_counts(year=2025)["staff_trained"] == 57


@pytest.mark.parametrize(
    "changes",
    [
        {"recruits": 401},
        {"trained": 401},
        {"promoted": 399},  # more than the standing staff below the top of their ladder
        {"staff": 0},
        {"posts_offered": -1},
        {"year": 2999},
    ],
)
def test_impossible_counts_are_refused(world, changes):
    with pytest.raises(DomainError):
        staff_year_generate(**{**ARGS, **changes})
    assert not StaffMember.objects.exists()
