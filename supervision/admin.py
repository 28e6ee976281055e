from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.admin import CaseScopedAdminMixin
from core.admin import ReadOnlyAdminMixin

from .models import Notice, ReviewRequest, SatisfactionReview, Trigger


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "citation", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "citation"]


@admin.register(Notice)
class NoticeAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: a notice changes through its pages, so that every step is in the history."""

    list_display = ["id", "case", "unit", "level", "trigger", "status", "feedback_due", "created_at"]
    list_filter = ["level", "status", "form", "trigger", "unit"]
    search_fields = ["case__number", "reason"]
    raw_id_fields = ["case", "clock", "parent"]


@admin.register(SatisfactionReview)
class SatisfactionReviewAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "status", "opened_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["case", "notice"]


@admin.register(ReviewRequest)
class ReviewRequestAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "stage", "received_on", "body", "decision", "decided_on"]
    list_filter = ["stage", "decision"]
    raw_id_fields = ["case"]
