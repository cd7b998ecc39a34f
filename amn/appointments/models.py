"""Appointment calendars of the offices and mobile-unit stops: opening hours, slots with a
capacity, and bookings.

A Slot counts its bookings in `booked`; the database refuses `booked > capacity`, and the
booking service takes a seat with one conditional UPDATE (amn.appointments.services), so two
citizens can never get the last seat. A Booking is for one record of a service (`purpose`,
`subject_id`: e.g. a CNIE application) and at most one booking per subject is live at a time
(a partial unique index).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amn.appointments.choices import BookingStatus, Purpose, Weekday
from amn.core.models import TimeStampedModel


class OfficeHours(models.Model):
    """The hours an office receives the public on one weekday (local time,
    Africa/Casablanca). An office without any row keeps the default hours of
    amn.appointments.hours.DEFAULT_HOURS; a weekday without a row is then closed."""

    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["unit", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["unit", "weekday"], name="officehours_one_per_day"),
            models.CheckConstraint(
                name="officehours_ordered", condition=Q(closes_at__gt=F("opens_at"))
            ),
            models.CheckConstraint(name="officehours_weekday_range", condition=Q(weekday__lte=6)),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.weekday} {self.opens_at}-{self.closes_at}"


class Slot(TimeStampedModel):
    """A time at an office (or at a mobile-unit stop) with room for `capacity` citizens.

    `unit` is the police unit whose staff receive the citizens: the office itself, or the
    police unit a mobile unit is attached to for a stop (access scoping follows it). `day` is
    the local date of `starts_at` (computed in Python, Africa/Casablanca). `closed` slots take
    no new booking.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    stop = models.ForeignKey(
        "mobileunits.Stop",
        verbose_name=_("mobile-unit stop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="slots",
    )
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    closed = models.BooleanField(_("closed to new bookings"), default=False)

    class Meta:
        ordering = ["starts_at", "unit", "id"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints = [
            models.CheckConstraint(
                name="slot_not_over_capacity", condition=Q(booked__lte=F("capacity"))
            ),
            models.CheckConstraint(name="slot_booked_non_negative", condition=Q(booked__gte=0)),
            models.CheckConstraint(name="slot_ordered", condition=Q(ends_at__gt=F("starts_at"))),
            models.UniqueConstraint(
                fields=["unit", "starts_at"],
                condition=Q(stop__isnull=True),
                name="slot_one_per_office_time",
            ),
            models.UniqueConstraint(
                fields=["stop", "starts_at"],
                condition=Q(stop__isnull=False),
                name="slot_one_per_stop_time",
            ),
        ]
        indexes = [models.Index(fields=["unit", "day", "starts_at"], name="slot_unit_day_idx")]

    def __str__(self) -> str:
        return f"slot {self.id}"

    @property
    def remaining(self) -> int:
        """Seats left (int, 0 when full)."""
        return max(self.capacity - self.booked, 0)


class Booking(TimeStampedModel):
    """One citizen's seat in a slot, for one record of a service.

    `requested_on` is the local date the citizen asked for the service (kept across
    reschedulings); `waiting_days` is the slot's day minus that date, the figure behind the
    waiting-time indicator. `replaces` links a rescheduled booking to the one it replaced.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    subject_id = models.UUIDField(_("record"))
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField(_("requested on"))
    waiting_days = models.PositiveIntegerField(_("waiting time (days)"))
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "subject_id"],
                condition=Q(status=BookingStatus.BOOKED),
                name="booking_one_live_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["slot", "status"], name="booking_slot_status_idx"),
            models.Index(fields=["purpose", "subject_id"], name="booking_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"booking {self.id}"
