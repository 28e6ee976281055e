from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Notification
from .selectors import in_scope


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at", "emailed_at", "mail_attempts", "mail_error"]
    list_filter = ["read_at", "emailed_at"]
    raw_id_fields = ["user", "case", "notice"]

    def get_queryset(self, request):
        # What the administrator may see of the cases (a 举报's notifications are not).
        return in_scope(user=request.user, qs=super().get_queryset(request))
