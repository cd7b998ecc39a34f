"""Admin of the fleet: listing and search; every change goes through the services'
rules only in the back office, so the admin is read-mostly for tours and stops."""

from django.contrib import admin

from amn.mobileunits.models import MobileUnit, Stop, Tour


@admin.register(MobileUnit)
class MobileUnitAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "police_unit",
        "home_commune",
        "in_service_from",
        "in_service_to",
    )
    search_fields = ("code", "name", "vehicle_registration")
    list_filter = ("in_service_from",)
    raw_id_fields = ("police_unit", "home_commune")


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    fields = (
        "date",
        "commune",
        "starts_at",
        "ends_at",
        "applications_received",
        "cards_delivered",
        "people_served",
        "results_recorded_at",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    """Tours are opened and closed through the back office (amn.mobileunits.services)."""

    list_display = ("reference", "mobile_unit", "season", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("reference", "mobile_unit__code", "season")
    readonly_fields = ("reference", "mobile_unit", "starts_on", "ends_on", "status")
    inlines = [StopInline]

    def has_add_permission(self, request):
        return False
