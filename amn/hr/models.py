"""The personnel registry: staff members, recruitment competitions, promotions, training.

These rows are what the annual report's human-resources section counts (issue 6):
recruits hired, posts offered, staff promoted and staff trained in a year, per unit
subtree. Every dated row carries the OrgUnit it is counted under, so that a subtree's figure
is one indexed prefix query on the unit path.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amn.core.models import TimeStampedModel
from amn.hr.choices import LADDERS, Corps, CourseKind, Grade, Sex


def _grades(corps: str) -> list[str]:
    return [grade for ladder in LADDERS[corps] for grade in ladder]


def _grade_in_corps(field: str) -> Q:
    """`field` holds a grade of the row's corps."""
    return Q(corps=Corps.UNIFORMED, **{f"{field}__in": _grades(Corps.UNIFORMED)}) | Q(
        corps=Corps.CIVIL, **{f"{field}__in": _grades(Corps.CIVIL)}
    )


class StaffMember(TimeStampedModel):
    """One official of the directorate: identity, corps and current grade, the unit they
    serve in, and the dates of hiring and (if gone) leaving.

    `grade` is the current grade (a promotion updates it); `unit` the current posting.
    """

    staff_number = models.CharField(
        _("staff number"), max_length=8, unique=True, help_text=_("A letter and 7 digits.")
    )
    family_name = models.CharField(_("family name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name_ar = models.CharField(_("family name (Arabic)"), max_length=100, blank=True)
    given_name_ar = models.CharField(_("given name (Arabic)"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    corps = models.CharField(_("corps"), max_length=10, choices=Corps.choices)
    grade = models.CharField(_("grade"), max_length=32, choices=Grade.choices)
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        related_name="staff_members",
    )
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["staff_number"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        indexes = [models.Index(fields=["unit", "hired_on"], name="hr_staff_unit_hired_idx")]
        constraints = [
            models.CheckConstraint(condition=_grade_in_corps("grade"), name="hr_staff_grade_corps"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("hired_on")),
                name="hr_staff_leaves_after_hiring",
            ),
        ]

    def __str__(self) -> str:
        return self.staff_number


class RecruitmentCompetition(TimeStampedModel):
    """A recruitment competition (مباراة) for one grade: when it was announced, by which
    unit, how many posts it offered and, once known, how many candidates sat it."""

    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="recruitment_competitions",
    )
    title = models.CharField(_("title"), max_length=200)
    corps = models.CharField(_("corps"), max_length=10, choices=Corps.choices)
    grade = models.CharField(_("grade"), max_length=32, choices=Grade.choices)
    announced_on = models.DateField(_("announced on"))
    posts_offered = models.PositiveIntegerField(_("posts offered"))
    candidates = models.PositiveIntegerField(_("candidates"), null=True, blank=True)

    class Meta:
        ordering = ["-announced_on", "id"]
        verbose_name = _("recruitment competition")
        verbose_name_plural = _("recruitment competitions")
        indexes = [
            models.Index(fields=["unit", "announced_on"], name="hr_competition_unit_day_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=_grade_in_corps("grade"), name="hr_competition_grade_corps"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Promotion(TimeStampedModel):
    """A staff member's move from one grade to the next, dated, counted under the unit they
    served in at the time."""

    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        related_name="staff_promotions",
    )
    promoted_on = models.DateField(_("promoted on"))
    from_grade = models.CharField(_("previous grade"), max_length=32, choices=Grade.choices)
    to_grade = models.CharField(_("new grade"), max_length=32, choices=Grade.choices)
    corps = models.CharField(_("corps"), max_length=10, choices=Corps.choices)

    class Meta:
        ordering = ["-promoted_on", "id"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        indexes = [models.Index(fields=["unit", "promoted_on"], name="hr_promotion_unit_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_grade=F("to_grade")), name="hr_promotion_changes_grade"
            ),
            models.CheckConstraint(
                condition=_grade_in_corps("from_grade") & _grade_in_corps("to_grade"),
                name="hr_promotion_grades_corps",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.from_grade}→{self.to_grade} {self.promoted_on}"


class TrainingCourse(TimeStampedModel):
    """A training course of the directorate's schools and institutes, and its length."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices)
    hours = models.PositiveIntegerField(_("hours"))

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(TimeStampedModel):
    """A staff member's completion of a course on a day, counted under their unit then."""

    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="training_completions",
    )
    course = models.ForeignKey(
        TrainingCourse,
        verbose_name=_("training course"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        related_name="training_completions",
    )
    completed_on = models.DateField(_("completed on"))

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        indexes = [
            models.Index(fields=["unit", "completed_on", "staff"], name="hr_training_unit_day_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course", "completed_on"], name="hr_training_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.course_id} {self.completed_on}"


class HrGeneration(models.Model):
    """A synthetic HR year written by amn.hr.generation, with the counts asked: a second
    run with the same arguments finds it and writes nothing."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    seed = models.IntegerField(_("seed"))
    staff = models.PositiveIntegerField(_("staff members"))
    recruits = models.PositiveIntegerField(_("recruits"))
    posts_offered = models.PositiveIntegerField(_("posts offered"))
    trained = models.PositiveIntegerField(_("staff trained"))
    promoted = models.PositiveIntegerField(_("staff promoted"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("generated HR year")
        verbose_name_plural = _("generated HR years")

    def __str__(self) -> str:
        return str(self.year)
