"""Admin pieces shared by the apps."""

from __future__ import annotations


class ReadOnlyAdminMixin:
    """For records that change only through their pages and services, so that every step
    is in the history with its user and reason: the admin may look, never write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
