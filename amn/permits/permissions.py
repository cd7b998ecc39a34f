"""Who may do what with residence permits and visas (least privilege); unit scope applies
on top (amn.access.scoping).

Front-desk agents receive applicants and check their documents; records officers and
supervisors of the handling unit decide, issue cards and visas; analysts read (for the
figures); administrators do everything. HR officers and event planners have no access.
"""

from amn.access.scoping import unit_in_scope
from amn.accounts.choices import Role

PERMIT_READERS = frozenset(
    {Role.FRONT_DESK_AGENT, Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR}
)
CHECKLIST_WRITERS = frozenset(
    {Role.FRONT_DESK_AGENT, Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}
)
DECIDERS = frozenset({Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})


def _active_staff(actor) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "unit_id", None) is not None
    )


def may_read_permits(actor) -> bool:
    """True when `actor`'s role reads permit and visa applications (of its units)."""
    return _active_staff(actor) and actor.role in PERMIT_READERS


def may_check_documents(actor, unit=None) -> bool:
    """True when `actor` may record the documents checklist, at `unit` if given."""
    return (
        _active_staff(actor)
        and actor.role in CHECKLIST_WRITERS
        and (unit is None or unit_in_scope(actor, unit))
    )


def may_decide(actor, unit=None) -> bool:
    """True when `actor` may decide applications and issue cards and visas, at `unit` if
    given (the application's handling unit must lie in the actor's subtree)."""
    return (
        _active_staff(actor)
        and actor.role in DECIDERS
        and (unit is None or unit_in_scope(actor, unit))
    )
