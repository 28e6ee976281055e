"""The official working-day calendar (DOMAIN.md "Counting").

Workdays follow the calendar the State Council (国务院办公厅) publishes late each year for
the next: days off, and the weekend days made working days (调休). The calendar is data:
seeded from the `chinesecalendar` package (migration 0002) and editable by an
administrator, because a year's schedule is announced late and a package release may lag.

Only the exceptions to the plain Monday–Friday rule are stored; the arithmetic lives in
`deadlines.calendar`. Every change bumps the year's `version` and sends
`deadlines.calendar.calendar_changed`, so that open deadlines can be recomputed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from deadlines import calendar


class CalendarYear(models.Model):
    """One year of the calendar. A year without a row, or with status provisional, has no
    published schedule yet: its deadlines count weekends only (plus any day entered by
    hand) and are marked provisional."""

    class Status(models.TextChoices):
        OFFICIAL = "official", "已发布"
        PROVISIONAL = "provisional", "未发布，仅按周末计算"

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PROVISIONAL)
    version = models.PositiveIntegerField("版本", default=1, editable=False, help_text="该年度日历每次变更加一")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    note = models.CharField(
        "说明", max_length=200, blank=True, help_text="例如：国务院办公厅关于2026年部分节假日安排的通知"
    )

    class Meta:
        verbose_name = "年度日历"
        verbose_name_plural = "年度日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年（{self.get_status_display()}，第{self.version}版）"

    def save(self, *args, **kwargs) -> None:
        # Every change is a new version; F() keeps two concurrent edits from both writing
        # the same number.
        bump = not self._state.adding
        if bump:
            self.version = models.F("version") + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)
        if bump:
            self.refresh_from_db(fields=["version"])


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a day off (a holiday, also when it falls on a
    weekend, so that it keeps its name) or a weekend day made a working day (调休上班)."""

    class Source(models.TextChoices):
        PACKAGE = "package", "软件包导入"
        ADMIN = "admin", "管理员维护"

    date = models.DateField("日期", primary_key=True)
    is_workday = models.BooleanField("上班", help_text="勾选：调休上班的周末；不勾选：放假")
    name = models.CharField("名称", max_length=64, help_text="例如：国庆节、春节、调休上班（春节）")
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.ADMIN)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"

    def clean(self) -> None:
        if self.date and self.is_workday and self.date.weekday() < 5:
            raise ValidationError({"is_workday": "周一至周五本来就是工作日，只有调休上班的周末需要录入。"})


def _bump_year(year: int) -> None:
    """A day changed: its year gets a new version. A year nobody has described yet gets a
    provisional row, so the change is still versioned."""
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, status=CalendarYear.Status.PROVISIONAL, version=0, note="录入例外日时自动创建")],
        ignore_conflicts=True,
    )
    CalendarYear.objects.filter(year=year).update(version=models.F("version") + 1, updated_at=timezone.now())


# Signals, not a service, because the admin and plain ORM writes must both version the
# calendar and drop the cached snapshot. QuerySet.update() on CalendarDay bypasses them.
@receiver(post_save, sender=CalendarDay, dispatch_uid="deadlines.calendar_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="deadlines.calendar_day_deleted")
def _calendar_day_changed(sender, instance: CalendarDay, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata brings the year rows itself
        _bump_year(instance.date.year)
    calendar.invalidate()
    if not raw:
        calendar.calendar_changed.send(sender=CalendarDay, years={instance.date.year})


@receiver(post_save, sender=CalendarYear, dispatch_uid="deadlines.calendar_year_saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="deadlines.calendar_year_deleted")
def _calendar_year_changed(sender, instance: CalendarYear, raw: bool = False, **kwargs) -> None:
    calendar.invalidate()
    if not raw:
        calendar.calendar_changed.send(sender=CalendarYear, years={instance.year})


# Rules, clocks and extensions live in their own module; importing them here registers them.
from deadlines.clocks import Clock, DeadlineRule, Extension  # noqa: E402, F401
