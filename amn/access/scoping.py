"""Unit scoping: a staff member sees the records of their unit's subtree only.

National roles (an administrator; an analyst posted at a national-headquarters unit, i.e.
the directorate-general or a central directorate) see every unit. Citizens and anonymous
users see no staff records. This is the one chokepoint every selector of personal or case
data calls.
"""

from django.db.models import Q, QuerySet

from amn.accounts.choices import Role

STAFF_ROLES = frozenset(Role.values) - {Role.CITIZEN}

# Staff roles that may read each registry at all (least privilege), keyed by model label;
# unit scope applies on top. HR officers and event planners work on their own registries.
READERS: dict[str, frozenset[str]] = {
    "people.person": STAFF_ROLES - {Role.HR_OFFICER, Role.EVENT_PLANNER},
    "cases.case": frozenset(
        {Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR}
    ),
    "hr.staffmember": frozenset(
        {Role.HR_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR}
    ),
}


# Staff roles that record and correct each registry (the mission's "records officers,
# judicial police, supervisors"; administrators too). Analysts read cases, never write them.
WRITERS: dict[str, frozenset[str]] = {
    "cases.case": frozenset({Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    "hr.staffmember": frozenset({Role.HR_OFFICER, Role.ADMINISTRATOR}),
}


def may_write(actor, label: str) -> bool:
    """True when `actor` is an active staff member posted to a unit whose role writes the
    registry `label` (e.g. "cases.case"; see WRITERS)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.unit_id is not None
        and actor.role in WRITERS.get(label, frozenset())
    )


def unit_in_scope(actor, unit) -> bool:
    """True when the OrgUnit `unit` lies in `actor`'s subtree (every unit for national roles)."""
    if is_national(actor):
        return True
    return getattr(actor, "unit", None) is not None and unit.path.startswith(actor.unit.path)


def is_national(actor) -> bool:
    """True when `actor` sees every unit's records (administrator, or analyst at HQ)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.role == Role.ADMINISTRATOR:
        return True
    return (
        actor.role == Role.ANALYST and actor.unit is not None and actor.unit.unit_type.is_national
    )


def unit_scope(actor, unit_field: str) -> Q:
    """A filter on `unit_field` (a path to an OrgUnit foreign key) limiting rows to `actor`'s
    scope: everything for national roles, the unit subtree for other staff, nothing else."""
    if is_national(actor):
        return Q()
    if (
        not getattr(actor, "is_authenticated", False)
        or not actor.is_active
        or actor.role not in STAFF_ROLES
        or actor.unit is None
    ):
        return Q(pk__in=[])
    return Q(**{f"{unit_field}__path__startswith": actor.unit.path})


def restrict(queryset: QuerySet, actor, *, unit_field: str) -> QuerySet:
    """`queryset` limited to the rows `actor` may see: none when the actor's role may not
    read this registry (READERS), else the rows of unit_scope."""
    readers = READERS.get(queryset.model._meta.label_lower, STAFF_ROLES)
    if getattr(actor, "role", None) not in readers:
        return queryset.none()
    return queryset.filter(unit_scope(actor, unit_field))
