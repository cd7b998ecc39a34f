from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from amn.accounts.models import User


@admin.register(User)
class AmnUserAdmin(UserAdmin):
    list_display = ("username", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Amn", {"fields": ("role", "unit", "phone", "grade")}))
