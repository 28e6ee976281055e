from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at", "emailed_at", "mail_attempts", "mail_error"]
    list_filter = ["read_at", "emailed_at"]
    raw_id_fields = ["user", "case", "notice"]
