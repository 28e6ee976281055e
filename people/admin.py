from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ReceptionDay, Unit, User


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


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["date", "leader", "time_slot", "place"]
    list_filter = ["leader"]
    date_hierarchy = "date"
    search_fields = ["place", "note", "leader__full_name"]
    raw_id_fields = ["cases"]
