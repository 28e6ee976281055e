"""Admin pieces shared by the apps."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from .models import Source


class ReadOnlyAdminMixin:
    """For records that change only through their pages and services, so that every step
    is in the history with its user and reason: the admin may look, never write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedHistoryAdminMixin:
    """For a SimpleHistoryAdmin whose `get_queryset` is a scope: simple-history's history
    list falls back to the latest history row, and its history form reads the history
    table directly, so both would show a record the scope hides. Here each answers 404
    unless the object is in `get_queryset` (《信访工作条例》第三十条)."""

    def _in_scope_or_404(self, request, object_id) -> None:
        if not str(object_id).isdigit() or not self.get_queryset(request).filter(pk=object_id).exists():  # type: ignore[attr-defined]
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """The sources are data: a title or a number is corrected here, and every page that
    cites the source follows (core.sources)."""

    list_display = ["title", "code", "issuer", "year", "number", "order"]
    search_fields = ["title", "short_name", "issuer", "number"]
    ordering = ["order", "code"]
