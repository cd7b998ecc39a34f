"""Writes of appointment calendars: slots, bookings, cancellations, reschedulings, outcomes.

Atomic booking: a seat is taken by one conditional statement,

    UPDATE slot SET booked = booked + 1
     WHERE id = :slot AND NOT closed AND starts_at > :now AND booked < capacity

On PostgreSQL a second transaction updating the same row waits for the first to commit and
then evaluates the condition again on the new row, so the last seat goes to exactly one
citizen; on SQLite writers take the database lock in turn. The check constraint
`booked <= capacity` backs it in the database. Seats of several slots (a rescheduling) are
changed in the order of the slots' ids, so two reschedulings cannot deadlock.

Slots and bookings are registered with django-auditlog (field changes); the bulk creation of
a calendar writes one audit event ("bulk_load") of its own.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.access.scoping import unit_in_scope
from amn.appointments.choices import BookingStatus, Purpose
from amn.appointments.hours import local_day, office_week, opening_window
from amn.appointments.models import Booking, Slot
from amn.appointments.roles import may_manage_calendar
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.core.errors import DomainError
from amn.core.locale_format import format_date

MAX_CAPACITY = 200  # citizens one slot may receive (a sanity bound, not a rule of the service)
SLOT_MINUTES = (5, 480)  # shortest and longest slot
MAX_CALENDAR_DAYS = 92  # one calendar generation covers at most about three months
MAX_DAYS_AHEAD = 366  # slots are opened at most a year ahead (a sanity bound)


def check_calendar_manager(actor, unit) -> None:
    """Refuse an actor who may not manage the calendar of OrgUnit `unit`; `actor` None is
    the command line or a loader acting as the system.

    Raises:
        PermissionDenied: the role does not manage calendars, or `unit` is out of scope.
    """
    if actor is None:
        return
    if not may_manage_calendar(actor) or not unit_in_scope(actor, unit):
        raise PermissionDenied(_("You do not manage the calendar of this office."))


def _slot_place(unit, stop):
    """The police unit receiving the citizens of a slot at `unit` or at `stop`."""
    if (unit is None) == (stop is None):
        raise DomainError(_("A slot is at an office or at a mobile-unit stop."))
    if stop is not None:
        return stop.tour.mobile_unit.police_unit
    if not unit.serves_public:
        raise DomainError(_("This unit does not receive the public."))
    return unit


def _check_slot_time(*, unit, stop, starts_at, ends_at, now, week=None) -> None:
    """Refuse a slot in the past or outside the opening hours of its day."""
    if starts_at <= now:
        raise DomainError(_("A slot cannot start in the past."))
    day = local_day(starts_at)
    window = opening_window(unit_id=unit.pk, stop=stop, day=day, week=week)
    if window is None:
        raise DomainError(
            _("The office is closed on %(day)s.") % {"day": format_date(day, style="short")}
        )
    opens, closes = window
    if starts_at < opens or ends_at > closes or local_day(ends_at) != day:
        raise DomainError(
            _(
                "Outside opening hours: on that day the office receives from %(opens)s "
                "to %(closes)s."
            )
            % {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
        )


def _check_sizes(*, minutes: int, capacity: int) -> None:
    if not SLOT_MINUTES[0] <= minutes <= SLOT_MINUTES[1]:
        raise DomainError(
            _("A slot lasts from %(low)d to %(high)d minutes.")
            % {"low": SLOT_MINUTES[0], "high": SLOT_MINUTES[1]}
        )
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("A slot receives from 1 to %(high)d citizens.") % {"high": MAX_CAPACITY}
        )


@transaction.atomic
def slot_create(
    *,
    actor,
    starts_at: datetime.datetime,
    minutes: int,
    capacity: int,
    unit=None,
    stop=None,
    now: datetime.datetime | None = None,
) -> Slot:
    """Open one slot at office `unit` or at mobile-unit `stop`.

    Args:
        starts_at: aware datetime; minutes: duration (5–480); capacity: citizens (1–200).
        now: the current time (tests); default timezone.now().
    Returns:
        Slot.
    Raises:
        PermissionDenied: the actor does not manage this office's calendar.
        DomainError: both or neither of unit and stop, a unit that does not receive the
            public, a start in the past, a slot outside the opening hours of its day, a bad
            duration or capacity, or a slot already starting at that time there.
    """
    place = _slot_place(unit, stop)
    check_calendar_manager(actor, place)
    _check_sizes(minutes=minutes, capacity=capacity)
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    _check_slot_time(
        unit=place, stop=stop, starts_at=starts_at, ends_at=ends_at, now=now or timezone.now()
    )
    if Slot.objects.filter(unit=place, stop=stop, starts_at=starts_at).exists():
        raise DomainError(_("A slot already starts at this time here."))
    return Slot.objects.create(
        unit=place,
        stop=stop,
        day=local_day(starts_at),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
    )


@transaction.atomic
def slots_generate(
    *,
    actor,
    first_day: datetime.date,
    last_day: datetime.date,
    minutes: int = 30,
    capacity: int = 4,
    unit=None,
    stop=None,
    now: datetime.datetime | None = None,
) -> int:
    """Fill the opening hours of `first_day`..`last_day` (inclusive) at office `unit` or at
    mobile-unit `stop` with back-to-back slots of `minutes` for `capacity` citizens each;
    times already past and slots that already exist are skipped (idempotent).

    Returns:
        int: the number of slots created.
    Raises:
        PermissionDenied: the actor does not manage this office's calendar.
        DomainError: both or neither of unit and stop, a range in the wrong order or longer
            than 92 days, a last day more than MAX_DAYS_AHEAD days after today, a bad
            duration or capacity.
    """
    place = _slot_place(unit, stop)
    check_calendar_manager(actor, place)
    _check_sizes(minutes=minutes, capacity=capacity)
    if last_day < first_day:
        raise DomainError(_("The last day comes before the first day."))
    if (last_day - first_day).days >= MAX_CALENDAR_DAYS:
        raise DomainError(
            _("Generate at most %(days)d days at once.") % {"days": MAX_CALENDAR_DAYS}
        )
    now = now or timezone.now()
    if (last_day - local_day(now)).days > MAX_DAYS_AHEAD:
        raise DomainError(
            _("Slots are opened at most %(days)d days ahead.") % {"days": MAX_DAYS_AHEAD}
        )
    week = None if stop is not None else office_week(place.pk)
    existing = set(
        Slot.objects.filter(
            unit=place, stop=stop, day__gte=first_day, day__lte=last_day
        ).values_list("starts_at", flat=True)
    )
    step = datetime.timedelta(minutes=minutes)
    new = []
    day = first_day
    while day <= last_day:
        window = opening_window(unit_id=place.pk, stop=stop, day=day, week=week)
        if window is not None:
            start, closes = window
            while start + step <= closes:
                if start > now and start not in existing:
                    new.append(
                        Slot(
                            unit=place,
                            stop=stop,
                            day=day,
                            starts_at=start,
                            ends_at=start + step,
                            capacity=capacity,
                        )
                    )
                start += step
        day += datetime.timedelta(days=1)
    Slot.objects.bulk_create(new)
    if new:
        audit_event_record(
            actor=actor,
            action=AuditAction.BULK_LOAD,
            target="appointments.slot",
            detail={
                "unit": place.pk,
                "stop": str(stop.pk) if stop is not None else None,
                "first_day": first_day.isoformat(),
                "last_day": last_day.isoformat(),
                "slots": len(new),
            },
        )
    return len(new)


@transaction.atomic
def slot_update(
    *, actor, slot_id: uuid.UUID, capacity: int | None = None, closed: bool | None = None
) -> Slot:
    """Change a slot's capacity or close it to new bookings (bookings made stay).

    Raises:
        PermissionDenied: the actor does not manage this office's calendar.
        DomainError: no such slot, a capacity out of bounds or below the seats already
            booked.
    """
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise DomainError(_("No such slot."))
    check_calendar_manager(actor, slot.unit)
    if capacity is not None:
        if not 1 <= capacity <= MAX_CAPACITY:
            raise DomainError(
                _("A slot receives from 1 to %(high)d citizens.") % {"high": MAX_CAPACITY}
            )
        if capacity < slot.booked:
            raise DomainError(
                _("%(booked)d seats are already booked: the capacity cannot go below that.")
                % {"booked": slot.booked}
            )
        slot.capacity = capacity
    if closed is not None:
        slot.closed = closed
    slot.save(update_fields=["capacity", "closed", "updated_at"])
    return slot


def _slot_refusal(slot_id, now) -> str:
    """Why the conditional UPDATE took no seat in `slot_id` (read after the fact)."""
    slot = Slot.objects.filter(pk=slot_id).first()
    if slot is None:
        return _("No such slot.")
    if slot.starts_at <= now:
        return _("This slot is in the past: choose a later one.")
    if slot.closed:
        return _("This slot is closed: choose another one.")
    return _("This slot is full: choose another one.")


def _take_seat(slot_id, now) -> None:
    taken = Slot.objects.filter(
        pk=slot_id, closed=False, starts_at__gt=now, booked__lt=F("capacity")
    ).update(booked=F("booked") + 1)
    if not taken:
        raise DomainError(_slot_refusal(slot_id, now))


def _release_seat(slot_id) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _as_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise DomainError(_("No such slot.")) from None


def booking_create(
    *,
    actor,
    slot_id: uuid.UUID,
    purpose: str,
    subject_id: uuid.UUID,
    requested_on: datetime.date | None = None,
    citizen=None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book a seat in slot `slot_id` for record `subject_id` of service `purpose`.

    Args:
        actor: the User acting (a citizen, an agent) or None; recorded by django-auditlog.
        requested_on: local date the citizen asked for the service (default today), the
            start of the waiting time.
        citizen: the citizen account the booking belongs to, if any.
    Returns:
        Booking (status booked).
    Raises:
        DomainError: an unknown purpose; no such slot; a slot in the past, closed or full
            (nothing is written); the record already has a live booking.
    """
    if purpose not in Purpose.values:
        raise DomainError(_("Unknown appointment purpose."))
    slot_id = _as_uuid(slot_id)
    now = now or timezone.now()
    requested_on = requested_on or timezone.localdate()
    try:
        with transaction.atomic():
            _take_seat(slot_id, now)
            slot = Slot.objects.get(pk=slot_id)
            return Booking.objects.create(
                slot=slot,
                purpose=purpose,
                subject_id=subject_id,
                citizen=citizen,
                requested_on=requested_on,
                waiting_days=max((slot.day - requested_on).days, 0),
            )
    except IntegrityError:
        raise DomainError(
            _("This request already has an appointment: move or cancel it instead.")
        ) from None


def _locked_live_booking(booking_id) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise DomainError(_("No such appointment."))
    if booking.status != BookingStatus.BOOKED:
        raise DomainError(_("This appointment is no longer booked."))
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking_id: uuid.UUID, now: datetime.datetime | None = None):
    """Cancel a live booking before its slot begins and free its seat.

    The caller has checked that `actor` may act on the booking (its owner, or staff of
    the office: see amn.idcards.services).

    Returns:
        Booking (status cancelled).
    Raises:
        DomainError: no such booking, not live, or its slot has already begun.
    """
    now = now or timezone.now()
    booking = _locked_live_booking(booking_id)
    if booking.slot.starts_at <= now:
        raise DomainError(_("This appointment has already begun: it can no longer be cancelled."))
    booking.status = BookingStatus.CANCELLED
    booking.status_changed_at = now
    booking.status_changed_by = actor if getattr(actor, "is_authenticated", False) else None
    booking.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    _release_seat(booking.slot_id)
    return booking


@transaction.atomic
def booking_reschedule(
    *, actor, booking_id: uuid.UUID, new_slot_id: uuid.UUID, now: datetime.datetime | None = None
) -> Booking:
    """Move a live booking to slot `new_slot_id`: all or nothing (when the new slot is full,
    the old booking stays as it was). The new booking keeps the original request date.

    Returns:
        Booking: the new booking (`replaces` the old one, now "rescheduled").
    Raises:
        DomainError: no such booking or not live, its slot has begun, the same slot, or the
            new slot is unknown, past, closed or full.
    """
    now = now or timezone.now()
    new_slot_id = _as_uuid(new_slot_id)
    old = _locked_live_booking(booking_id)
    if old.slot.starts_at <= now:
        raise DomainError(_("This appointment has already begun: it can no longer be moved."))
    if old.slot_id == new_slot_id:
        raise DomainError(_("The appointment is already at this time."))
    old.status = BookingStatus.RESCHEDULED
    old.status_changed_at = now
    old.status_changed_by = actor if getattr(actor, "is_authenticated", False) else None
    old.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    for slot_id in sorted([old.slot_id, new_slot_id]):
        if slot_id == new_slot_id:
            _take_seat(slot_id, now)
        else:
            _release_seat(slot_id)
    slot = Slot.objects.get(pk=new_slot_id)
    return Booking.objects.create(
        slot=slot,
        purpose=old.purpose,
        subject_id=old.subject_id,
        citizen=old.citizen,
        requested_on=old.requested_on,
        waiting_days=max((slot.day - old.requested_on).days, 0),
        replaces=old,
    )


@transaction.atomic
def booking_mark(
    *, actor, booking_id: uuid.UUID, outcome: str, now: datetime.datetime | None = None
) -> Booking:
    """Record that the citizen came (attended) or did not (no_show). A no-show can be
    marked once the slot has begun, an attendance from the slot's day on; either may be
    corrected to the other. The seat stays counted.

    Raises:
        PermissionDenied: the actor does not manage this office's calendar.
        DomainError: an unknown outcome, no such booking, a cancelled or moved booking, or
            a time too early for that outcome.
    """
    if outcome not in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        raise DomainError(_("Mark an appointment as attended or as a no-show."))
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__unit")
        .filter(pk=booking_id)
    ).first()
    if booking is None:
        raise DomainError(_("No such appointment."))
    check_calendar_manager(actor, booking.slot.unit)
    if booking.status not in (
        BookingStatus.BOOKED,
        BookingStatus.ATTENDED,
        BookingStatus.NO_SHOW,
    ):
        raise DomainError(_("This appointment was cancelled or moved."))
    if outcome == BookingStatus.NO_SHOW and booking.slot.starts_at > now:
        raise DomainError(_("A no-show can be recorded once the appointment time has come."))
    if outcome == BookingStatus.ATTENDED and booking.slot.day > local_day(now):
        raise DomainError(_("This appointment is on a later day."))
    booking.status = outcome
    booking.status_changed_at = now
    booking.status_changed_by = actor if getattr(actor, "is_authenticated", False) else None
    booking.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    return booking
