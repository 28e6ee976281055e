from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import Attachment, Case, CaseAccessLog, Petitioner, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Petitioner)
class PetitionerAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_phone", "relation", "organisation"]
    search_fields = ["name", "phone"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: every change to a case goes through the services and the pages."""

    list_display = ["number", "channel", "kind", "state", "main_unit", "received_on"]
    list_filter = ["state", "channel", "kind", "source"]
    search_fields = ["number"]
    raw_id_fields = ["petitioner", "repeat_of"]

    def get_queryset(self, request):
        # The admin reads through the same scope as every page (条例 第30条).
        from .selectors import cases_visible_to

        return cases_visible_to(user=request.user)


@admin.register(CaseAccessLog)
class CaseAccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """An audit trail: nobody edits or deletes it."""

    list_display = ["case", "user", "action", "at", "ip_address"]
    list_filter = ["action"]


admin.site.register(Attachment)
admin.site.site_header = "信访工作管理系统"
