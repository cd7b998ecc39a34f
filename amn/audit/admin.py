from django.contrib import admin

from amn.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events can be searched but never added, changed or deleted."""

    list_display = ("at", "actor", "actor_unit", "action", "target", "target_id", "ip_address")
    list_filter = ("action", "target")
    search_fields = ("target_id", "request_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
