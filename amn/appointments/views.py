"""Appointment pages: the public list of offices with their waiting time and next free
time; for staff the week calendar of an office (slots, filling, capacity), the day's
bookings with attended / no-show marking. Reads go through amn.appointments.selectors,
writes through the services."""

import datetime
import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amn.appointments import selectors, services
from amn.appointments.choices import Purpose
from amn.appointments.forms import CalendarGenerateForm, MarkForm, SlotUpdateForm
from amn.appointments.roles import may_manage_calendar, may_read_calendar
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.core.errors import DomainError

# Staff page of the record a booking is for, by purpose (reversed with the record's id).
SUBJECT_PAGES = {Purpose.CNIE: "idcards-staff:detail"}


def offices(request):
    """GET /appointments/: offices receiving the public, with the median waiting time from
    request to appointment and the next free time."""
    units = list(selectors.office_list())
    waiting = selectors.waiting_time_by_office(unit_ids=[unit.pk for unit in units])
    next_free = selectors.next_free_slot_by_office(unit_ids=[unit.pk for unit in units])
    rows = [(unit, waiting.get(unit.pk), next_free.get(unit.pk)) for unit in units]
    return render(request, "appointments/offices.html", {"rows": rows})


def calendar_readers_only(view):
    """Staff whose role reads calendars (amn.appointments.roles); others get 403."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read_calendar(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def calendar_managers_only(view):
    """Staff whose role manages calendars."""

    @calendar_readers_only
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_manage_calendar(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _chosen_unit(request, units):
    """The office asked for by ?unit= (an id among `units`), else the actor's own unit if
    it is one, else the first; Http404 for an office out of scope."""
    wanted = request.GET.get("unit") or request.POST.get("unit")
    by_id = {str(unit.pk): unit for unit in units}
    if wanted:
        if wanted not in by_id:
            raise Http404("No such office in your scope.")
        return by_id[wanted]
    if str(request.user.unit_id) in by_id:
        return by_id[str(request.user.unit_id)]
    if not units:
        raise Http404("No office in your scope.")
    return units[0]


# A day asked for in a URL is shown only within this many days of `default` (today): the
# pages add and subtract weeks, which overflows at the ends of the calendar (year 1, 9999).
DAY_RANGE = datetime.timedelta(days=10 * 366)


def _day(value: str | None, default: datetime.date) -> datetime.date:
    """The ISO day `value` (YYYY-MM-DD), or `default` when it is absent, malformed or more
    than DAY_RANGE away from `default`."""
    try:
        day = datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if abs(day - default) <= DAY_RANGE else default


@calendar_readers_only
def calendar(request):
    """GET /staff/appointments/?unit=<id>&week=YYYY-MM-DD: the week (Monday first) of one
    office in scope: each slot with its bookings and capacity; the office's waiting time;
    the form filling days with slots."""
    units = list(selectors.calendar_unit_list(actor=request.user))
    unit = _chosen_unit(request, units)
    today = timezone.localdate()
    start = _day(request.GET.get("week"), today)
    start -= datetime.timedelta(days=start.weekday())
    end = start + datetime.timedelta(days=6)
    slots = selectors.slot_calendar(
        actor=request.user, unit_id=unit.pk, first_day=start, last_day=end
    )
    days = {start + datetime.timedelta(days=n): [] for n in range(7)}
    for slot in slots:
        days[slot.day].append(slot)
    return render(
        request,
        "appointments/calendar.html",
        {
            "units": units,
            "unit": unit,
            "days": list(days.items()),
            "previous_week": start - datetime.timedelta(days=7),
            "next_week": start + datetime.timedelta(days=7),
            "waiting": selectors.waiting_time_by_office(unit_ids=[unit.pk]).get(unit.pk),
            "generate_form": CalendarGenerateForm(
                initial={"first_day": start, "last_day": end, "minutes": 30, "capacity": 4}
            ),
            "may_manage": may_manage_calendar(request.user),
        },
    )


@calendar_managers_only
@require_POST
def generate(request):
    """POST /staff/appointments/generate/ unit, first_day, last_day, minutes, capacity:
    fill the opening hours of those days with slots (existing ones kept)."""
    units = list(selectors.calendar_unit_list(actor=request.user))
    unit = _chosen_unit(request, units)
    form = CalendarGenerateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.slots_generate(
                actor=request.user,
                unit=unit,
                first_day=data["first_day"],
                last_day=data["last_day"],
                minutes=data["minutes"],
                capacity=data["capacity"],
            )
        except DomainError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("%(n)d slots created.") % {"n": created})
        week = data["first_day"]
    else:
        messages.error(request, _("Check the days, the duration and the capacity."))
        week = timezone.localdate()
    query = urlencode({"unit": unit.pk, "week": week.isoformat()})
    return redirect(f"{reverse('appointments-staff:calendar')}?{query}")


@calendar_managers_only
@require_POST
def slot_update(request, slot_id: uuid.UUID):
    """POST /staff/appointments/slots/<uuid>/ capacity, closed: change one slot."""
    form = SlotUpdateForm(request.POST)
    slot = None
    if form.is_valid():
        try:
            slot = services.slot_update(
                actor=request.user,
                slot_id=slot_id,
                capacity=form.cleaned_data["capacity"],
                closed=form.cleaned_data["closed"],
            )
        except DomainError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("Slot updated."))
    else:
        messages.error(request, _("A capacity from 1 to 200, please."))
    query = {"week": slot.day.isoformat(), "unit": slot.unit_id} if slot else {}
    return redirect(f"{reverse('appointments-staff:calendar')}?{urlencode(query)}")


@calendar_readers_only
def day(request):
    """GET /staff/appointments/day/?unit=<id>&day=YYYY-MM-DD: the bookings of one office on
    one day, with their status and the marking of attendance and no-shows; writes a
    "list" audit event."""
    units = list(selectors.calendar_unit_list(actor=request.user))
    unit = _chosen_unit(request, units)
    when = _day(request.GET.get("day"), timezone.localdate())
    bookings = list(selectors.booking_day_list(actor=request.user, unit_id=unit.pk, day=when))
    for booking in bookings:
        booking.subject_url = _subject_url(booking)
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="appointments.booking",
        detail={"unit": unit.pk, "day": when.isoformat(), "shown": len(bookings)},
    )
    return render(
        request,
        "appointments/day.html",
        {
            "unit": unit,
            "day": when,
            "bookings": bookings,
            "previous_day": when - datetime.timedelta(days=1),
            "next_day": when + datetime.timedelta(days=1),
            "may_manage": may_manage_calendar(request.user),
        },
    )


def _subject_url(booking) -> str:
    name = SUBJECT_PAGES.get(booking.purpose)
    if not name:
        return ""
    try:
        return reverse(name, args=[booking.subject_id])
    except NoReverseMatch:
        return ""


@calendar_managers_only
@require_POST
def mark(request, booking_id: uuid.UUID):
    """POST /staff/appointments/bookings/<uuid>/mark/ outcome=attended|no_show."""
    booking = selectors.access_booking(actor=request.user, booking_id=booking_id)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.booking_mark(
                actor=request.user, booking_id=booking.pk, outcome=form.cleaned_data["outcome"]
            )
        except DomainError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("Recorded."))
    query = urlencode({"unit": booking.slot.unit_id, "day": booking.slot.day.isoformat()})
    return redirect(f"{reverse('appointments-staff:day')}?{query}")
