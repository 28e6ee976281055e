from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ScopedHistoryAdminMixin
from core.security import client_ip

from .models import Attachment, Case, CaseAccessLog, Petitioner, Phrase, Recusal, SavedSearch, Topic


class CaseScopedAdminMixin(ScopedHistoryAdminMixin):
    """The admin reads a case, and whatever hangs off one, through the same scope as
    every page: a system administrator who does not also hold the discipline role sees
    no 举报 and nothing derived from one (《信访工作条例》第三十条; seed 004 第九条).
    `case_path` leads from the model to its case; a row with no case stays visible."""

    case_path = "case"

    def get_queryset(self, request):
        from .selectors import cases_visible_to

        qs = super().get_queryset(request)  # type: ignore[misc]
        visible = cases_visible_to(user=request.user).values("pk")
        return qs.filter(Q(**{f"{self.case_path}__isnull": True}) | Q(**{f"{self.case_path}__in": visible}))


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Petitioner)
class PetitionerAdmin(admin.ModelAdmin):
    """A petitioner is listed only with a case the administrator may see: a reporter
    (举报人) whose only cases are 举报 is not (《信访工作条例》第三十条)."""

    list_display = ["name", "masked_phone", "relation", "organisation"]
    search_fields = ["name", "phone"]

    def get_queryset(self, request):
        from .selectors import cases_visible_to

        qs = super().get_queryset(request)
        return qs.filter(Exists(cases_visible_to(user=request.user).filter(petitioner_id=OuterRef("pk"))))


@admin.register(Case)
class CaseAdmin(ScopedHistoryAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: every change to a case goes through the services and the pages."""

    list_display = ["number", "channel", "kind", "state", "main_unit", "received_on"]
    list_filter = ["state", "channel", "kind", "source"]
    search_fields = ["number"]
    raw_id_fields = ["petitioner", "repeat_of"]

    def get_queryset(self, request):
        # The admin reads through the same scope as every page (条例 第30条).
        from .selectors import cases_visible_to

        return cases_visible_to(user=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A protected case opened here is logged like on its page (seed 004 第九条)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log(request, object_id, "管理后台查看")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log(request, object_id, "管理后台查看历史")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log(request, object_id, "管理后台查看历史版本")
        return response

    def _log(self, request, object_id, action: str) -> None:
        from .services import case_log_access

        case = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        if case is not None:
            case_log_access(case=case, user=request.user, action=action, ip_address=client_ip(request))


@admin.register(CaseAccessLog)
class CaseAccessLogAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """An audit trail: nobody edits or deletes it."""

    list_display = ["case", "user", "action", "at", "ip_address"]
    list_filter = ["action"]


@admin.register(Attachment)
class AttachmentAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, and scoped: a scan is read through the case's download view, which logs it."""

    list_display = ["original_name", "case", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]


@admin.register(Recusal)
class RecusalAdmin(CaseScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """回避记录 (《信访工作条例》第二十八条): an audit trail, append-only, read through the
    case's scope: nobody edits, deletes or lifts a recusal here."""

    list_display = ["case", "user", "kind", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "user", "recorded_by"]


admin.site.site_header = "信访工作管理系统"


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "shared", "query"]
    list_filter = ["shared"]
    raw_id_fields = ["owner"]


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    list_display = ["text", "use", "unit", "owner", "order"]
    list_filter = ["use", "unit"]
    raw_id_fields = ["owner"]
