"""Dates and times for calendar tests: working days ahead of today (local time), so that
slots fall inside the default opening hours (Monday–Friday, 08:30–16:30)."""

import datetime

from django.utils import timezone


def working_day(ahead: int = 1) -> datetime.date:
    """The `ahead`-th working day (Monday–Friday) after today (local)."""
    day = timezone.localdate()
    count = 0
    while count < ahead:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware local datetime (Africa/Casablanca) on `day`."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def weekend_day() -> datetime.date:
    """The next Saturday or Sunday after today."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() < 5:
        day += datetime.timedelta(days=1)
    return day
