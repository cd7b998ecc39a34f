"""Choices of the appointments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    """Life of a booking: booked, then cancelled or rescheduled by the citizen, or marked
    attended or no-show by staff once the slot has begun."""

    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    RESCHEDULED = "rescheduled", _("Moved to another slot")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class Purpose(models.TextChoices):
    """What an appointment is for; the subject of a booking is a record of that service."""

    CNIE = "cnie", _("Electronic national identity card (CNIE)")


class Weekday(models.IntegerChoices):
    """ISO weekdays counted from 0 (Python's date.weekday())."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
