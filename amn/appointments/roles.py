"""Which staff roles read and manage appointment calendars (unit scope applies on top, see
amn.access.scoping). Front-desk agents receive the citizens; supervisors and administrators
manage too; analysts read."""

from amn.accounts.choices import Role

CALENDAR_MANAGERS = frozenset({Role.FRONT_DESK_AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR})
CALENDAR_READERS = CALENDAR_MANAGERS | {Role.ANALYST}


def may_manage_calendar(actor) -> bool:
    """True when `actor` is an active staff member posted to a unit whose role manages
    calendars (CALENDAR_MANAGERS)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.unit_id is not None
        and actor.role in CALENDAR_MANAGERS
    )


def may_read_calendar(actor) -> bool:
    """True when `actor` may read calendars and bookings of their units (CALENDAR_READERS)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.unit_id is not None
        and actor.role in CALENDAR_READERS
    )
