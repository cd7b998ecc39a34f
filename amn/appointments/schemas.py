"""Response and request bodies of the appointments API."""

import datetime
import uuid

from ninja import Schema


class OfficeOut(Schema):
    """An office receiving the public, with its waiting-time indicator (median days from
    request to appointment, null without bookings) and its next free time."""

    id: int
    code: str
    name_ar: str
    name_fr: str
    commune: str | None
    waiting_median_days: float | None
    waiting_bookings: int
    next_free: datetime.datetime | None


class SlotOut(Schema):
    """A slot that still takes bookings."""

    id: uuid.UUID
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    remaining: int


class MarkIn(Schema):
    """The outcome of an appointment: "attended" or "no_show"."""

    outcome: str


class BookingOut(Schema):
    """A booking after marking: id, status and the slot's start."""

    id: uuid.UUID
    status: str
    starts_at: datetime.datetime

    @staticmethod
    def resolve_starts_at(booking) -> datetime.datetime:
        """The slot's start."""
        return booking.slot.starts_at
