"""Writes of the personnel registry: staff members, promotions, training completions,
recruitment competitions.

Each write runs in one transaction; django-auditlog records the field changes (the models
are registered in amn.hr.apps). The actor must be an HR writer (amn.access.scoping.WRITERS
["hr.staffmember"]: HR officers and administrators) posted above the unit concerned;
`actor=None` is the command line. Refusals raise specific errors whose messages name the
field and the reason, never the person.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.access.scoping import may_write, unit_in_scope
from amn.core.digits import ascii_digits
from amn.core.errors import DomainError
from amn.hr.choices import GRADE_CORPS, GRADE_STEP, LADDERS, Corps, Sex
from amn.hr.models import (
    Promotion,
    RecruitmentCompetition,
    StaffMember,
    TrainingCompletion,
    TrainingCourse,
)
from amn.orgunits.models import OrgUnit

HR_LABEL = "hr.staffmember"
STAFF_NUMBER = re.compile(r"[A-Z][0-9]{7}")
NAME_MAX = 100


class HrInputError(DomainError):
    """A value refused by a personnel write; `field` names the field at fault."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class PromotionRefused(HrInputError):
    """A promotion the rules refuse (base class of the specific refusals below)."""


class StaffMemberLeft(PromotionRefused):
    """The staff member had left the service by the promotion date."""


class SameGrade(PromotionRefused):
    """The new grade is the staff member's current grade."""


class PromotionBeforeHiring(PromotionRefused):
    """The promotion date falls before the staff member was hired."""


def check_hr_writer(actor, unit: OrgUnit) -> None:
    """Refuse `actor` unless it records personnel (WRITERS["hr.staffmember"]) and `unit`
    lies in its subtree; `actor=None` (the command line) passes.

    Raises:
        PermissionDenied: the role does not write HR records, or the unit is out of scope.
    """
    if actor is None:
        return
    if not may_write(actor, HR_LABEL):
        raise PermissionDenied(_("Your role does not record personnel."))
    if not unit_in_scope(actor, unit):
        raise PermissionDenied(_("This police unit lies outside your units."))


def _name(value: str | None, field: str, *, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise HrInputError(field, _("%(field)s is required.") % {"field": field})
    if len(text) > NAME_MAX:
        raise HrInputError(
            field,
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": NAME_MAX},
        )
    return text


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise HrInputError(field, _("%(field)s cannot be in the future.") % {"field": field})


def _check_grade(corps: str, grade: str, field: str = "grade") -> None:
    if corps not in Corps.values:
        raise HrInputError("corps", _("corps must be one of: %(v)s.") % {"v": ", ".join(Corps)})
    if GRADE_CORPS.get(grade) != corps:
        raise HrInputError(field, _("%(field)s is not a grade of this corps.") % {"field": field})


def staff_number_normalise(value: str | None) -> str:
    """`value` with surrounding spaces removed, upper-cased, Arabic-Indic digits as ASCII.

    Raises:
        HrInputError: the result is not one letter A–Z and 7 digits (e.g. P0123456).
    """
    number = ascii_digits((value or "").strip()).upper()
    if not STAFF_NUMBER.fullmatch(number):
        raise HrInputError(
            "staff_number", _("staff_number must be one letter and 7 digits (e.g. P0123456).")
        )
    return number


@transaction.atomic
def staff_member_record(
    *,
    actor,
    staff_number: str,
    family_name: str,
    given_name: str,
    sex: str,
    corps: str,
    grade: str,
    unit: OrgUnit,
    hired_on: datetime.date,
    family_name_ar: str = "",
    given_name_ar: str = "",
) -> StaffMember:
    """Record a newly hired staff member.

    Args:
        staff_number: one letter and 7 digits (normalised, see staff_number_normalise);
        family_name, given_name: Latin script, 1–100 characters; *_ar: Arabic, optional;
        sex: "F" or "M"; corps: a Corps value; grade: a Grade of that corps;
        unit: the posting; hired_on: the hiring date (not in the future).
    Returns:
        StaffMember, saved.
    Raises:
        PermissionDenied: see check_hr_writer.
        HrInputError: a field refused (its `field` names it), or the staff number is taken.
    """
    check_hr_writer(actor, unit)
    number = staff_number_normalise(staff_number)
    if sex not in Sex.values:
        raise HrInputError("sex", _("sex must be F or M."))
    _check_grade(corps, grade)
    _not_future(hired_on, "hired_on")
    if StaffMember.objects.filter(staff_number=number).exists():
        raise HrInputError("staff_number", _("This staff number is already recorded."))
    return StaffMember.objects.create(
        staff_number=number,
        family_name=_name(family_name, "family_name"),
        given_name=_name(given_name, "given_name"),
        family_name_ar=_name(family_name_ar, "family_name_ar", required=False),
        given_name_ar=_name(given_name_ar, "given_name_ar", required=False),
        sex=sex,
        corps=corps,
        grade=grade,
        unit=unit,
        hired_on=hired_on,
    )


def _same_ladder(corps: str, first: str, second: str) -> bool:
    return any(first in ladder and second in ladder for ladder in LADDERS[corps])


@transaction.atomic
def promotion_record(
    *, actor, staff: StaffMember, to_grade: str, promoted_on: datetime.date
) -> Promotion:
    """Promote `staff` from their current grade to `to_grade` on `promoted_on`; the staff
    member's grade becomes `to_grade`, and the promotion is counted under their unit.

    Returns:
        Promotion, saved.
    Raises:
        PermissionDenied: see check_hr_writer (the staff member's unit).
        StaffMemberLeft: the staff member left the service on or before `promoted_on`.
        SameGrade: `to_grade` is the current grade.
        PromotionBeforeHiring: `promoted_on` precedes the hiring date.
        HrInputError: `to_grade` is not a higher grade on the same ladder of the staff
            member's corps (amn.hr.choices.LADDERS), or `promoted_on` is in the future.
    """
    staff = StaffMember.objects.select_for_update().select_related("unit").get(pk=staff.pk)
    check_hr_writer(actor, staff.unit)
    if staff.left_on is not None and promoted_on >= staff.left_on:
        raise StaffMemberLeft(
            "promoted_on", _("This staff member had left the service by the promotion date.")
        )
    if to_grade == staff.grade:
        raise SameGrade("to_grade", _("to_grade is the staff member's current grade."))
    if promoted_on < staff.hired_on:
        raise PromotionBeforeHiring(
            "promoted_on", _("promoted_on falls before the staff member was hired.")
        )
    _not_future(promoted_on, "promoted_on")
    _check_grade(staff.corps, to_grade, "to_grade")
    if not _same_ladder(staff.corps, staff.grade, to_grade) or (
        GRADE_STEP[to_grade] < GRADE_STEP[staff.grade]
    ):
        raise HrInputError(
            "to_grade", _("to_grade must be a higher grade on the staff member's career path.")
        )
    promotion = Promotion.objects.create(
        staff=staff,
        unit=staff.unit,
        promoted_on=promoted_on,
        from_grade=staff.grade,
        to_grade=to_grade,
        corps=staff.corps,
    )
    staff.grade = to_grade
    staff.save(update_fields=["grade", "updated_at"])
    return promotion


@transaction.atomic
def training_completion_record(
    *, actor, staff: StaffMember, course: TrainingCourse, completed_on: datetime.date
) -> TrainingCompletion:
    """Record that `staff` completed `course` on `completed_on`, counted under their unit.

    Returns:
        TrainingCompletion, saved.
    Raises:
        PermissionDenied: see check_hr_writer (the staff member's unit).
        HrInputError: `completed_on` before hiring, on or after leaving, in the future, or
            the same completion (staff, course, day) is already recorded.
    """
    staff = StaffMember.objects.select_related("unit").get(pk=staff.pk)
    check_hr_writer(actor, staff.unit)
    if completed_on < staff.hired_on:
        raise HrInputError(
            "completed_on", _("completed_on falls before the staff member was hired.")
        )
    if staff.left_on is not None and completed_on >= staff.left_on:
        raise HrInputError(
            "completed_on", _("This staff member had left the service by that date.")
        )
    _not_future(completed_on, "completed_on")
    if TrainingCompletion.objects.filter(
        staff=staff, course=course, completed_on=completed_on
    ).exists():
        raise HrInputError(
            "completed_on", _("This completion of the course on that day is already recorded.")
        )
    return TrainingCompletion.objects.create(
        staff=staff, course=course, unit=staff.unit, completed_on=completed_on
    )


@transaction.atomic
def competition_record(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    corps: str,
    grade: str,
    announced_on: datetime.date,
    posts_offered: int,
    candidates: int | None = None,
) -> RecruitmentCompetition:
    """Record a recruitment competition organised by `unit`.

    Args:
        title: 1–200 characters; corps, grade: the grade recruited (a grade of the corps);
        announced_on: the announcement date (not in the future); posts_offered: ≥ 1;
        candidates: ≥ 0, or None while unknown.
    Returns:
        RecruitmentCompetition, saved.
    Raises:
        PermissionDenied: see check_hr_writer.
        HrInputError: a field refused (its `field` names it).
    """
    check_hr_writer(actor, unit)
    title = " ".join((title or "").split())
    if not title or len(title) > 200:
        raise HrInputError("title", _("title must have 1 to 200 characters."))
    _check_grade(corps, grade)
    _not_future(announced_on, "announced_on")
    if not isinstance(posts_offered, int) or posts_offered < 1:
        raise HrInputError("posts_offered", _("posts_offered must be a whole number ≥ 1."))
    if candidates is not None and (not isinstance(candidates, int) or candidates < 0):
        raise HrInputError("candidates", _("candidates must be a whole number ≥ 0."))
    return RecruitmentCompetition.objects.create(
        unit=unit,
        title=title,
        corps=corps,
        grade=grade,
        announced_on=announced_on,
        posts_offered=posts_offered,
        candidates=candidates,
    )
