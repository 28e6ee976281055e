from django.contrib import admin

from cases.models import Case
from core.admin import ReadOnlyAdminMixin

from .models import PolicyFix, ReceptionDay


@admin.register(PolicyFix)
class PolicyFixAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: a fix is recorded through the dashboard, which notes it on each case."""

    list_display = ["title", "unit", "adopted_on", "reference", "created_by"]
    list_filter = ["unit"]
    search_fields = ["title", "reference"]
    date_hierarchy = "adopted_on"

    def get_queryset(self, request):
        """A fix that came of a case the administrator may not see (a 举报) is not listed
        (《信访工作条例》第三十条)."""
        from cases.selectors import cases_visible_to

        qs = super().get_queryset(request)
        visible = cases_visible_to(user=request.user).values("pk")
        return qs.exclude(cases__in=Case.objects.exclude(pk__in=visible)).distinct()


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["date", "leader", "time_slot", "place"]
    list_filter = ["leader"]
    date_hierarchy = "date"
    search_fields = ["place", "note", "leader__full_name"]
    raw_id_fields = ["cases"]
