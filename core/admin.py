"""Admin pieces shared by the apps."""

from __future__ import annotations

from django.contrib import admin

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


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """The sources are data: a title or a number is corrected here, and every page that
    cites the source follows (core.sources)."""

    list_display = ["title", "code", "issuer", "year", "number", "order"]
    search_fields = ["title", "short_name", "issuer", "number"]
    ordering = ["order", "code"]
