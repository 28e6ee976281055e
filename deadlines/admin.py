"""The calendar in the admin: a year's schedule is announced late, so an administrator
enters it (or corrects the package) here. Saving versions the year and sends
deadlines.calendar.calendar_changed (see deadlines.models)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.html import format_html

from deadlines.calendar import seed_from_package
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule

WEEKDAYS = "一二三四五六日"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "version", "updated_at", "days_link", "note"]
    list_filter = ["status"]
    readonly_fields = ["version", "updated_at", "days_link"]
    fields = ["year", "status", "note", "version", "updated_at", "days_link"]
    actions = ["import_from_package"]

    def get_queryset(self, request):
        days = (
            CalendarDay.objects.annotate(year=ExtractYear("date"))
            .filter(year=OuterRef("year"))
            .values("year")
            .annotate(n=Count("date"))
            .values("n")
        )
        return super().get_queryset(request).annotate(day_count=Subquery(days))

    def get_readonly_fields(self, request, obj=None):
        # The year is the key: a different year is a different row.
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    @admin.display(description="节假日与调休")
    def days_link(self, obj: CalendarYear) -> str:
        if obj is None or obj.year is None:
            return "-"
        url = reverse("admin:deadlines_calendarday_changelist") + f"?date__year={obj.year}"
        return format_html('<a href="{}">{} 天</a>', url, getattr(obj, "day_count", None) or 0)

    def save_model(self, request, obj, form, change):
        # An unchanged form is not a change: no new version, no recomputation.
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="从 chinesecalendar 软件包导入所选年度（保留管理员维护的日期）")
    def import_from_package(self, request, queryset):
        years = sorted(queryset.values_list("year", flat=True))
        changed = seed_from_package(years)
        self.message_user(request, f"已导入 {', '.join(map(str, years))} 年，变更 {changed} 天。", messages.SUCCESS)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_workday", "name", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "is_workday", "name", "source"]
    readonly_fields = ["source"]

    def get_readonly_fields(self, request, obj=None):
        # The date is the key: moving a day is deleting one and adding another.
        return ["date", "source"] if obj else ["source"]

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return f"星期{WEEKDAYS[obj.date.weekday()]}"

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        # A day touched here is the administrator's: re-importing the package keeps it.
        obj.source = CalendarDay.Source.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """The deadline rules table: each rule's length, its start and stop as the source states
    them, and the source. An administrator changes a length here (the 送达 rule's, say);
    clocks started afterwards count with it."""

    list_display = ["name", "length", "unit", "starts_when", "stops_when", "citation", "is_active"]
    list_filter = ["is_active", "slot", "duty"]
    search_fields = ["name", "code", "citation"]
    fieldsets = [
        (None, {"fields": ["code", "name", "slot", "is_active"]}),
        ("期限", {"fields": ["length", "unit", "warn_before", "warn_unit", "duty"]}),
        (
            "起止（依规定表述）",
            {"fields": ["starts_when", "stops_when", "start_event", "from_received", "stop_events", "citation"]},
        ),
        (
            "适用与例外",
            {
                "fields": [
                    "applies_to",
                    "needs_known_petitioner",
                    "pauses_for_hearing",
                    "superior_deadline_wins",
                    "superior_stop_events",
                    "assignment_due_wins",
                    "max_extension_days",
                    "extension_request_lead_days",
                    "raises_notice",
                    "notice_trigger",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The code is what the software refers to (the 复查 window, the 督办 feedback).
        return ["code"] if obj else []
