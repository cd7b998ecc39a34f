"""When an office or a mobile-unit stop receives the public (local time, Africa/Casablanca).

Default hours: Monday to Friday, 08:30–16:30, the continuous working day of Moroccan public
administrations (décret n° 2-05-916 of 2005). An office that records its own hours
(OfficeHours rows) follows them instead; a stop receives on its own date between its own
hours (amn.mobileunits.models.Stop).
"""

import datetime

from django.utils import timezone

from amn.appointments.models import OfficeHours

DEFAULT_HOURS: dict[int, tuple[datetime.time, datetime.time]] = {
    weekday: (datetime.time(8, 30), datetime.time(16, 30)) for weekday in range(5)
}


def office_week(unit_id: int) -> dict[int, tuple[datetime.time, datetime.time]]:
    """The weekly hours of office `unit_id`: {weekday (0 = Monday): (opens, closes)}; the
    default hours when the office records none."""
    rows = OfficeHours.objects.filter(unit_id=unit_id).values_list(
        "weekday", "opens_at", "closes_at"
    )
    week = {weekday: (opens, closes) for weekday, opens, closes in rows}
    return week or dict(DEFAULT_HOURS)


def opening_window(
    *, unit_id: int | None = None, stop=None, day: datetime.date, week: dict | None = None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The aware local datetimes (opens, closes) of `day` at office `unit_id` or at `stop`,
    or None when closed that day.

    Args:
        unit_id: the office's OrgUnit id (ignored when `stop` is given).
        stop: a mobileunits Stop: open on its own date only, between its own hours.
        day: a local date.
        week: the office's weekly hours when already read (office_week), to save a query.
    """
    if stop is not None:
        if stop.date != day:
            return None
        opens, closes = stop.starts_at, stop.ends_at
    else:
        hours = (week if week is not None else office_week(unit_id)).get(day.weekday())
        if hours is None:
            return None
        opens, closes = hours
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(day, opens, tzinfo=zone),
        datetime.datetime.combine(day, closes, tzinfo=zone),
    )


def local_day(moment: datetime.datetime) -> datetime.date:
    """The local date (Africa/Casablanca) of an aware datetime."""
    return timezone.localtime(moment).date()
