"""Rollups for the dashboard (see dashboard/rollups.py).

The whole-school dashboard at a million cases reads these few thousand rows instead of
aggregating the cases table on every request. A beat job rewrites them every few minutes;
the page says when. 'Overdue now' and 'due soon' are never rolled up: they are live.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from people.models import Unit, User


class Rollup(models.Model):
    """Counts for one month and one unit; `dimension`/`value` break the received count
    down by channel, kind or topic ('' for the unit's totals).

    Each count has its own month: cases by the month they were received, closures by
    the month of closing, clocks by the month they stopped. One refresh writes several
    rows per key (one per source); readers always SUM.
    """

    class Dimension(models.TextChoices):
        TOTAL = "", "合计"
        CHANNEL = "channel", "渠道"
        KIND = "kind", "类型"
        TOPIC = "topic", "问题类别"

    month = models.DateField("月份")
    unit = models.ForeignKey(
        "people.Unit", verbose_name="主办部门", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dimension = models.CharField("维度", max_length=8, choices=Dimension.choices, blank=True, default="")
    value = models.CharField("取值", max_length=32, blank=True, default="")

    received = models.PositiveIntegerField("新增", db_default=0)
    open_now = models.PositiveIntegerField("其中尚未办结", db_default=0)
    closed = models.PositiveIntegerField("办结", db_default=0)
    rated = models.PositiveIntegerField("已评价", db_default=0)
    satisfied = models.PositiveIntegerField("满意与基本满意", db_default=0)
    repeat = models.PositiveIntegerField("重复信访", db_default=0)
    over_level = models.PositiveIntegerField("越级访", db_default=0)
    over_level_people = models.PositiveIntegerField("越级访人数", db_default=0)
    group = models.PositiveIntegerField("集体访", db_default=0)
    group_people = models.PositiveIntegerField("集体访人数", db_default=0)
    leader_cases = models.PositiveIntegerField("领导包案", db_default=0)
    leader_open = models.PositiveIntegerField("领导包案未结", db_default=0)
    escalated = models.PositiveIntegerField("升级督办", db_default=0)
    acceptance_stopped = models.PositiveIntegerField("受理时限已完成", db_default=0)
    acceptance_late = models.PositiveIntegerField("受理超期", db_default=0)
    reply_stopped = models.PositiveIntegerField("答复时限已完成", db_default=0)
    reply_late = models.PositiveIntegerField("答复超期", db_default=0)
    completion_stopped = models.PositiveIntegerField("办结时限已完成", db_default=0)
    completion_late = models.PositiveIntegerField("办结超期", db_default=0)

    class Meta:
        verbose_name = "看板汇总"
        verbose_name_plural = "看板汇总"
        indexes = [models.Index(fields=["dimension", "month"], name="rollup_dimension_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_id} {self.dimension}={self.value}"


class RollupRefresh(models.Model):
    """When the rollups were last rewritten (one row)."""

    refreshed_at = models.DateTimeField("汇总时间")
    seconds = models.FloatField("耗时（秒）", default=0)
    rows = models.PositiveIntegerField("行数", db_default=0)

    class Meta:
        verbose_name = "看板汇总时间"
        verbose_name_plural = "看板汇总时间"

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"


class PolicyFix(models.Model):
    """制度完善: a rule the school adopted or changed because petitions kept raising the same
    problem (seed 003: 办好一个信访、解决一类问题、完善一批制度; seed 001 源头治理). Recorded by
    the office against the cases that raised it, through dashboard.policy_fixes."""

    title = models.CharField("制度完善事项", max_length=200)
    description = models.TextField("完善内容", max_length=5000)
    unit = models.ForeignKey(Unit, verbose_name="责任部门", on_delete=models.PROTECT, related_name="policy_fixes")
    adopted_on = models.DateField("出台日期")
    reference = models.CharField("文件名称或文号", max_length=200, blank=True)
    cases = models.ManyToManyField("cases.Case", verbose_name="相关信访件", related_name="policy_fixes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "制度完善"
        verbose_name_plural = "制度完善"
        ordering = ["-adopted_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ReceptionDay(models.Model):
    """A school leader's reception day (领导接访日). Seed 001 (三): during a campaign one
    school leader receives visitors every day; outside it, the fixed-place receptions."""

    date = models.DateField("接访日期")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接访领导",
        on_delete=models.PROTECT,
        limit_choices_to={"role": User.Role.LEADER},
        related_name="reception_days",
    )
    place = models.CharField("接访地点", max_length=100)
    time_slot = models.CharField("接访时段", max_length=50, help_text="如：上午 8:30—11:30")
    note = models.TextField("备注", blank=True)
    # Visits received that day are found by channel and date; a case may also be linked by
    # hand (a visit registered on a later day, or an appointment, 约访).
    cases = models.ManyToManyField("cases.Case", verbose_name="接待的信访件", blank=True, related_name="reception_days")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "领导接访安排"
        verbose_name_plural = "领导接访安排"
        ordering = ["date", "leader_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "leader"],
                name="reception_once_per_leader_and_day",
                violation_error_message="该领导当天已有接访安排。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.leader}"
