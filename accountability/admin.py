from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccountabilityCase, Appeal, Ground, Measure, PersonRecordEntry


@admin.register(Ground)
class GroundAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "citation", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "citation"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Read-only: these change through their pages and services, so every step is in the history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject_unit", "subject_user", "level", "status", "rectify_due", "opened_at"]
    list_filter = ["status", "level"]
    raw_id_fields = ["notice", "case"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["id", "acase", "kind", "level", "status", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["id", "acase", "measure", "decision", "filed_at", "decided_at"]


@admin.register(PersonRecordEntry)
class PersonRecordEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "person", "acase", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
