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
from deadlines.models import CalendarDay, CalendarYear

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
