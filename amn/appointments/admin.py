"""Admin of the appointment calendars: offices' opening hours (editable); slots read-only
(made and changed through the staff calendar, whose services keep the seat counters)."""

from django.contrib import admin

from amn.appointments.models import OfficeHours, Slot


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    """Opening hours per office and weekday; an office without rows keeps the default
    hours (amn.appointments.hours.DEFAULT_HOURS)."""

    list_display = ("unit", "weekday", "opens_at", "closes_at")
    list_filter = ("weekday",)
    raw_id_fields = ("unit",)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Slots, read-only: the staff calendar and its services change them."""

    list_display = ("unit", "day", "starts_at", "capacity", "booked", "closed")
    list_filter = ("closed",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
