"""Which staff roles process and read CNIE applications (unit scope applies on top, see
amn.access.scoping): front-desk agents receive the citizens and move applications along;
supervisors and administrators too; analysts read."""

from amn.accounts.choices import Role

CNIE_PROCESSORS = frozenset({Role.FRONT_DESK_AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR})
CNIE_READERS = CNIE_PROCESSORS | {Role.ANALYST}


def _active_staff(actor) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "unit_id", None) is not None
    )


def may_process(actor) -> bool:
    """True when `actor` is active staff whose role processes CNIE applications."""
    return _active_staff(actor) and actor.role in CNIE_PROCESSORS


def may_read(actor) -> bool:
    """True when `actor` is active staff whose role reads CNIE applications."""
    return _active_staff(actor) and actor.role in CNIE_READERS
