from django.contrib import admin

from amn.cases.models import IccsCategory, NationalCategory, NationalOffenceCode


@admin.register(NationalCategory)
class NationalCategoryAdmin(admin.ModelAdmin):
    """The release's categories are data: an administrator edits their ICCS code sets."""

    list_display = ("code", "name_en", "name_fr", "name_ar")
    filter_horizontal = ("iccs_codes",)


@admin.register(NationalOffenceCode)
class NationalOffenceCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "label_fr", "iccs")
    search_fields = ("code", "label_fr", "label_ar")
    autocomplete_fields = ("iccs",)


@admin.register(IccsCategory)
class IccsCategoryAdmin(admin.ModelAdmin):
    """ICCS v1.0 is reference data loaded by `amn load-reference`: read-only here."""

    list_display = ("code", "level", "label_en", "label_fr", "label_ar")
    list_filter = ("level",)
    search_fields = ("code", "label_en", "label_fr", "label_ar")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
