from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notice, Notification, ReviewRequest, SatisfactionReview, Trigger


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "citation", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "citation"]


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    """Read-only: a notice changes through its pages, so that every step is in the history."""

    list_display = ["id", "case", "unit", "level", "trigger", "status", "feedback_due", "created_at"]
    list_filter = ["level", "status", "form", "trigger", "unit"]
    search_fields = ["case__number", "reason"]
    raw_id_fields = ["case", "clock", "parent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SatisfactionReview)
class SatisfactionReviewAdmin(admin.ModelAdmin):
    list_display = ["case", "status", "opened_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["case", "notice"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "stage", "received_on", "body", "decision", "decided_on"]
    list_filter = ["stage", "decision"]
    raw_id_fields = ["case"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at", "emailed_at", "mail_attempts", "mail_error"]
    list_filter = ["read_at", "emailed_at"]
    raw_id_fields = ["user", "case", "notice"]

    def has_change_permission(self, request, obj=None):
        return False
