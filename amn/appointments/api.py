"""JSON API of the appointment calendars.

Public: GET /offices (waiting-time indicator and next free time), GET /slots (free slots
of an office or a mobile-unit stop). Staff (session): POST /bookings/{id}/mark (attended
or no-show, offices in scope).
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from amn.api.security import staff_auth
from amn.appointments import selectors, services
from amn.appointments.schemas import BookingOut, MarkIn, OfficeOut, SlotOut

router = Router(tags=["appointments"])

MAX_DAYS = 60


@router.get("/offices", response=list[OfficeOut])
def office_list(request):
    """Offices receiving the public with their waiting time (median days from request to
    appointment over the last three months up to the coming three) and next free time."""
    units = list(selectors.office_list())
    ids = [unit.pk for unit in units]
    waiting = selectors.waiting_time_by_office(unit_ids=ids)
    next_free = selectors.next_free_slot_by_office(unit_ids=ids)
    return [
        {
            "id": unit.pk,
            "code": unit.code,
            "name_ar": unit.name_ar,
            "name_fr": unit.name_fr,
            "commune": unit.commune.code if unit.commune else None,
            "waiting_median_days": waiting[unit.pk].median_days if unit.pk in waiting else None,
            "waiting_bookings": waiting[unit.pk].bookings if unit.pk in waiting else 0,
            "next_free": next_free.get(unit.pk),
        }
        for unit in units
    ]


@router.get("/slots", response=list[SlotOut])
def slot_list(
    request,
    unit: int | None = Query(None, ge=1, le=2**31 - 1),
    stop: uuid.UUID | None = None,
    first_day: datetime.date | None = None,
    days: int = Query(14, ge=1, le=MAX_DAYS),
):
    """Free slots (not closed, not begun, not full) of office `unit` or stop `stop` from
    `first_day` (default today) for `days` days (1–60), in time order; 422 without
    exactly one of unit and stop."""
    if (unit is None) == (stop is None):
        raise HttpError(422, _("Give an office (unit) or a mobile-unit stop (stop)."))
    if not 1 <= days <= MAX_DAYS:
        raise HttpError(422, _("Ask for 1 to 60 days."))
    slots = selectors.slot_available_list(
        unit_id=unit, stop_id=stop, first_day=first_day, days=days
    )
    return [
        {
            "id": slot.pk,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "remaining": slot.remaining,
        }
        for slot in slots
    ]


@router.post("/bookings/{booking_id}/mark", response=BookingOut, auth=staff_auth)
def booking_mark(request, booking_id: uuid.UUID, payload: MarkIn):
    """Staff: record that the citizen came ("attended") or not ("no_show"); 404 out of
    your offices; 403 for a role that does not manage calendars; 409 too early."""
    booking = selectors.access_booking(actor=request.auth, booking_id=booking_id)
    try:
        return services.booking_mark(
            actor=request.auth, booking_id=booking.pk, outcome=payload.outcome
        )
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
