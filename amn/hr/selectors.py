"""Reads of the personnel registry.

Staff records are personal data: lists are scoped to the actor's unit subtree for the roles
that read HR (amn.access.scoping.READERS["hr.staffmember"]: HR officers, supervisors —
a unit's chief —, analysts, administrators; national roles see every unit), and one staff
member is read through staff_member_get, which writes an audit event of the read or of the
refusal. hr_year_counts gives the annual report's four HR figures for a unit subtree.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from amn.access.scoping import READERS, restrict
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.hr.models import (
    Promotion,
    RecruitmentCompetition,
    StaffMember,
    TrainingCompletion,
)
from amn.hr.services import HR_LABEL
from amn.orgunits.models import OrgUnit


def may_read_hr(actor) -> bool:
    """True when `actor` is active staff posted to a unit whose role reads HR records."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "unit_id", None) is not None
        and actor.role in READERS[HR_LABEL]
    )


def staff_member_list(*, actor) -> QuerySet[StaffMember]:
    """Staff members posted to a unit in `actor`'s scope, by staff number (none for roles
    that do not read HR records)."""
    return restrict(StaffMember.objects.select_related("unit"), actor, unit_field="unit")


def staff_member_get(*, actor, pk: int | str) -> StaffMember:
    """One staff member for `actor`, with an audit event of the read ("view"), or of the
    refusal ("denied") so that probing leaves a trace.

    Raises:
        Http404: no such staff member, or out of the actor's scope (the same answer).
    """
    try:
        staff = staff_member_list(actor=actor).select_related("unit__unit_type").get(pk=pk)
    except (StaffMember.DoesNotExist, ValidationError, ValueError, TypeError):
        audit_event_record(
            actor=actor, action=AuditAction.DENIED, target=HR_LABEL, target_id=str(pk)[:64]
        )
        raise Http404("No such staff member.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=staff)
    return staff


def staff_member_promotions(*, staff: StaffMember) -> QuerySet[Promotion]:
    """The promotions of `staff` (already read through staff_member_get), newest first."""
    return Promotion.objects.filter(staff=staff).select_related("unit")


def staff_member_trainings(*, staff: StaffMember) -> QuerySet[TrainingCompletion]:
    """The training completions of `staff` (already read through staff_member_get), newest
    first, with their course."""
    return TrainingCompletion.objects.filter(staff=staff).select_related("course", "unit")


def hr_year_counts(*, year: int, unit: OrgUnit | None = None) -> dict[str, int]:
    """The HR figures of the annual report for `year` (calendar days, inclusive), for the
    subtree of `unit` (the whole country when None):

    - recruits_hired: staff members whose hired_on falls in the year;
    - recruitment_posts_offered: sum of posts_offered of competitions announced in the year;
    - staff_promoted: promotions dated in the year;
    - staff_trained: distinct staff members with at least one completion in the year.

    Rows count under the unit they carry (the posting, the organising unit, the unit at
    the time). Returns a dict of these four codes to ints (0 when nothing is recorded).
    """
    days = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    where = Q(unit__path__startswith=unit.path) if unit is not None else Q()
    return {
        "recruits_hired": StaffMember.objects.filter(where, hired_on__range=days).count(),
        "recruitment_posts_offered": RecruitmentCompetition.objects.filter(
            where, announced_on__range=days
        ).aggregate(total=Sum("posts_offered"))["total"]
        or 0,
        "staff_promoted": Promotion.objects.filter(where, promoted_on__range=days).count(),
        "staff_trained": TrainingCompletion.objects.filter(
            where, completed_on__range=days
        ).aggregate(staff=Count("staff", distinct=True))["staff"],
    }
