from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from amn.accounts.models import User


@admin.register(User)
class AmnUserAdmin(UserAdmin):
    list_display = ("username", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Police service"), {"fields": ("role", "unit", "phone", "grade")}),
    )
