from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.admin import CaseScopedAdminMixin
from core.admin import ReadOnlyAdminMixin

from .models import (
    AccountabilityCase,
    Appeal,
    AssessmentNote,
    AssessmentResult,
    AssessmentRow,
    AssessmentScheme,
    AssessmentVeto,
    Dissent,
    Ground,
    Measure,
    PersonRecordEntry,
)


@admin.register(Ground)
class GroundAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "citation", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "citation"]


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["id", "subject_unit", "subject_user", "level", "status", "rectify_due", "opened_at"]
    list_filter = ["status", "level"]
    raw_id_fields = ["notice", "case"]


@admin.register(Measure)
class MeasureAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    case_path = "acase__case"
    list_display = ["id", "acase", "kind", "level", "status", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]


@admin.register(Appeal)
class AppealAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    case_path = "acase__case"
    list_display = ["id", "acase", "measure", "decision", "filed_at", "decided_at"]


@admin.register(Dissent)
class DissentAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    case_path = "acase__case"
    list_display = ["id", "acase", "person", "recorded_by", "recorded_at"]


@admin.register(PersonRecordEntry)
class PersonRecordEntryAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    case_path = "acase__case"
    list_display = ["id", "person", "acase", "created_at"]


# --- the annual assessment ---------------------------------------------------------------


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    """Editable until the year is confirmed; then read-only (the stored result keeps the
    scheme it was computed with)."""

    list_display = ["year", "w_completion", "w_reply", "w_satisfaction", "pass_score", "min_volume", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and AssessmentResult.objects.filter(year=obj.year).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AssessmentVeto)
class AssessmentVetoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "unit", "reason", "created_by", "created_at"]
    list_filter = ["year"]


@admin.register(AssessmentNote)
class AssessmentNoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "text", "created_by", "created_at"]
    list_filter = ["year"]


class AssessmentRowInline(admin.TabularInline):
    model = AssessmentRow
    fields = ["rank", "unit_name", "score", "passed", "vetoed", "veto_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssessmentResult)
class AssessmentResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "confirmed_by", "confirmed_at"]
    inlines = [AssessmentRowInline]
