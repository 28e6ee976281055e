from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Delivery, Notification, Preference, UnitRobot
from .selectors import in_scope


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at", "emailed_at", "mail_attempts", "mail_error"]
    list_filter = ["read_at", "emailed_at"]
    raw_id_fields = ["user", "case", "notice"]

    def get_queryset(self, request):
        # What the administrator may see of the cases (a 举报's notifications are not).
        return in_scope(user=request.user, qs=super().get_queryset(request))


@admin.register(UnitRobot)
class UnitRobotAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "webhook"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "by_mail", "by_sms", "by_robot", "digest"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "error", "sent_at"]
    list_filter = ["channel", "status"]

    def get_queryset(self, request):
        visible = in_scope(user=request.user, qs=Notification.objects.all())
        return super().get_queryset(request).filter(notification__in=visible)
