from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_main_leader", "is_active"]
    list_filter = ["role", "unit", "is_main_leader"]
    search_fields = ["username", "full_name"]
    filter_horizontal = ["charge_units", "groups", "user_permissions"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("信访工作", {"fields": ("full_name", "role", "unit", "charge_units", "is_main_leader", "phone")}),
    )
