from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import PolicyFix, ReceptionDay


@admin.register(PolicyFix)
class PolicyFixAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: a fix is recorded through the dashboard, which notes it on each case."""

    list_display = ["title", "unit", "adopted_on", "reference", "created_by"]
    list_filter = ["unit"]
    search_fields = ["title", "reference"]
    date_hierarchy = "adopted_on"


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["date", "leader", "time_slot", "place"]
    list_filter = ["leader"]
    date_hierarchy = "date"
    search_fields = ["place", "note", "leader__full_name"]
    raw_id_fields = ["cases"]
