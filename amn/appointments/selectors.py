"""Reads of appointment calendars: public availability, staff calendars and day lists
(unit-scoped), the bookings of one record, and the waiting-time indicator per office."""

import datetime
import statistics
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Min, QuerySet
from django.http import Http404
from django.utils import timezone

from amn.access.scoping import is_national, restrict
from amn.appointments.choices import BookingStatus
from amn.appointments.models import Booking, Slot
from amn.appointments.roles import may_read_calendar
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit


def slot_available_list(
    *,
    unit_id: int | None = None,
    stop_id: uuid.UUID | None = None,
    first_day: datetime.date | None = None,
    days: int = 14,
    now: datetime.datetime | None = None,
) -> QuerySet[Slot]:
    """Public: the slots of office `unit_id` (its own, not its stops') or of stop
    `stop_id` that still take bookings — not closed, not begun, not full — from
    `first_day` (default today, local) for `days` days, in time order."""
    now = now or timezone.now()
    first_day = first_day or timezone.localdate(now)
    slots = Slot.objects.filter(
        closed=False,
        starts_at__gt=now,
        booked__lt=F("capacity"),
        day__gte=first_day,
        day__lt=first_day + datetime.timedelta(days=days),
    )
    if stop_id is not None:
        slots = slots.filter(stop_id=stop_id)
    elif unit_id is not None:
        slots = slots.filter(unit_id=unit_id, stop__isnull=True)
    else:
        return slots.none()
    return slots.order_by("starts_at", "id")


def next_free_slot_by_office(
    *, unit_ids: list[int], now: datetime.datetime | None = None
) -> dict[int, datetime.datetime]:
    """Public: {unit id: start of the office's next slot that takes bookings} (its own
    slots, not its stops'); offices without one are absent. One grouped query."""
    now = now or timezone.now()
    rows = (
        Slot.objects.filter(
            unit_id__in=unit_ids,
            stop__isnull=True,
            closed=False,
            starts_at__gt=now,
            booked__lt=F("capacity"),
        )
        .values_list("unit_id")
        .annotate(first=Min("starts_at"))
        .order_by()
    )
    return dict(rows)


def office_list() -> QuerySet[OrgUnit]:
    """Public: the active units that receive the public (the offices where a citizen may
    book), with their commune, by commune and name."""
    return (
        OrgUnit.objects.filter(serves_public=True, status=UnitStatus.ACTIVE)
        .select_related("commune")
        .order_by("commune__name_fr", "name_fr")
    )


def calendar_unit_list(*, actor) -> QuerySet[OrgUnit]:
    """The offices (units receiving the public) in `actor`'s scope whose calendars the
    actor may read; none for other roles."""
    if not may_read_calendar(actor):
        return OrgUnit.objects.none()
    units = OrgUnit.objects.filter(serves_public=True, status=UnitStatus.ACTIVE)
    if not is_national(actor):
        units = units.filter(path__startswith=actor.unit.path)
    return units.order_by("path")


def slot_calendar(
    *, actor, unit_id: int, first_day: datetime.date, last_day: datetime.date
) -> QuerySet[Slot]:
    """Staff: every slot (office and stops) of unit `unit_id` between two local days
    inclusive, if the unit lies in `actor`'s scope; none otherwise."""
    if not may_read_calendar(actor):
        return Slot.objects.none()
    return restrict(
        Slot.objects.filter(unit_id=unit_id, day__gte=first_day, day__lte=last_day),
        actor,
        unit_field="unit",
    ).order_by("starts_at", "id")


def booking_day_list(*, actor, unit_id: int, day: datetime.date) -> QuerySet[Booking]:
    """Staff: the bookings of unit `unit_id` on local `day` (every status), in time order,
    if the unit lies in `actor`'s scope; none otherwise. The caller audits the listing."""
    if not may_read_calendar(actor):
        return Booking.objects.none()
    return (
        restrict(
            Booking.objects.filter(slot__unit_id=unit_id, slot__day=day),
            actor,
            unit_field="slot__unit",
        )
        .select_related("slot")
        .order_by("slot__starts_at", "created_at", "id")
    )


def access_booking(*, actor, booking_id: uuid.UUID | str) -> Booking:
    """One booking for staff `actor`, with an audit event of the read (or of the refusal).

    Raises:
        Http404: no such booking, or out of the actor's scope (same answer).
    """
    bookings = Booking.objects.none()
    if may_read_calendar(actor):
        bookings = restrict(
            Booking.objects.select_related("slot__unit"), actor, unit_field="slot__unit"
        )
    try:
        booking = bookings.get(pk=booking_id)
    except (Booking.DoesNotExist, ValidationError, ValueError):
        audit_event_record(
            actor=actor,
            action=AuditAction.DENIED,
            target="appointments.booking",
            target_id=str(booking_id)[:64],
        )
        raise Http404("No such booking.") from None
    audit_event_record(actor=actor, action=AuditAction.VIEW, target=booking)
    return booking


def booking_live(*, purpose: str, subject_id: uuid.UUID) -> Booking | None:
    """The live (booked) booking of record `subject_id` of service `purpose`, with its
    slot, or None. For the service owning the record, after its own access check."""
    return (
        Booking.objects.filter(purpose=purpose, subject_id=subject_id, status=BookingStatus.BOOKED)
        .select_related("slot__unit")
        .first()
    )


def booking_history(*, purpose: str, subject_id: uuid.UUID) -> list[Booking]:
    """Every booking of record `subject_id` of service `purpose`, oldest first, with its
    slot and unit. For the service owning the record, after its own access check."""
    return list(
        Booking.objects.filter(purpose=purpose, subject_id=subject_id)
        .select_related("slot__unit")
        .order_by("created_at", "id")
    )


def booking_list_for_subjects(*, purpose: str, subject_ids: list) -> dict:
    """{subject_id: live Booking} for the records among `subject_ids` that have one."""
    rows = Booking.objects.filter(
        purpose=purpose, subject_id__in=subject_ids, status=BookingStatus.BOOKED
    ).select_related("slot")
    return {booking.subject_id: booking for booking in rows}


@dataclass(frozen=True)
class WaitingTime:
    """Waiting-time indicator of one office: the median number of days from a citizen's
    request to the appointment (`median_days`, float) over `bookings` bookings."""

    median_days: float
    bookings: int

    @property
    def rounded_days(self) -> int:
        """The median rounded to whole days, half up (for display)."""
        return int(self.median_days + 0.5)


def waiting_time_by_office(
    *,
    unit_ids: list[int] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> dict[int, WaitingTime]:
    """Waiting-time indicator per office: {unit id: WaitingTime} over the bookings whose
    appointment day lies in since..until inclusive (default: the last 90 days up to the
    coming 90), cancelled ones left out (a moved booking counts once, by its last slot,
    from the original request). Offices without bookings are absent. Aggregate figures
    only, no personal data: public.

    Source of the definition: issue 5 ("a waiting-time indicator per office": days from
    request to the appointment, median).
    """
    today = timezone.localdate()
    since = since or today - datetime.timedelta(days=90)
    until = until or today + datetime.timedelta(days=90)
    rows = Booking.objects.filter(slot__day__gte=since, slot__day__lte=until).exclude(
        status__in=(BookingStatus.CANCELLED, BookingStatus.RESCHEDULED)
    )
    if unit_ids is not None:
        rows = rows.filter(slot__unit_id__in=unit_ids)
    by_unit: dict[int, list[int]] = {}
    for unit_id, days in rows.values_list("slot__unit_id", "waiting_days").iterator():
        by_unit.setdefault(unit_id, []).append(days)
    return {
        unit_id: WaitingTime(median_days=float(statistics.median(values)), bookings=len(values))
        for unit_id, values in by_unit.items()
    }
