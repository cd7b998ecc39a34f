"""Admin of the CNIE service: verification partners (the API key is shown once, when made
or rotated; only its digest is stored), and read-only views of the logs."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amn.idcards import services
from amn.idcards.models import Consent, Partner, VerificationCall


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Partners: name, kind, rate; a new partner's API key is displayed once."""

    list_display = ("name", "kind", "is_active", "calls_per_minute", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    fields = ("name", "kind", "calls_per_minute", "is_active")
    actions = ("rotate_key",)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        prefix, key = services.new_key()
        obj.key_prefix, obj.key_hash = prefix, services.key_digest(key)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("API key of %(name)s, shown this once — copy it now: %(key)s")
            % {"name": obj.name, "key": key},
        )

    @admin.action(description=gettext_lazy("Rotate the API key (the old one stops working)"))
    def rotate_key(self, request, queryset):
        """Give each selected partner a new key, shown once in a message."""
        for partner in queryset:
            key = services.partner_key_rotate(actor=request.user, partner_id=partner.pk)
            messages.warning(
                request,
                _("New API key of %(name)s, shown this once: %(key)s")
                % {"name": partner.name, "key": key},
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and records written by the services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VerificationCall)
class VerificationCallAdmin(ReadOnlyAdmin):
    """The log of partner calls (read-only)."""

    list_display = ("at", "partner", "result")
    list_filter = ("result", "partner")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Consents, granted online or at a counter (read-only here)."""

    list_display = ("partner", "channel", "granted_at", "revoked_at")
    list_filter = ("channel", "partner")
