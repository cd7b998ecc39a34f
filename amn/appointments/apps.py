from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """The appointments app; registers its models with django-auditlog."""

    name = "amn.appointments"
    verbose_name = _("Appointments")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.appointments.models import Booking, OfficeHours, Slot

        # Seat counters change through conditional UPDATEs (no signal): the bookings
        # themselves are the audited record of who took which seat.
        auditlog.register(Slot, exclude_fields=["booked"])
        auditlog.register(Booking)
        auditlog.register(OfficeHours)
