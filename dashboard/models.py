"""Rollups for the dashboard (see dashboard/rollups.py).

The whole-school dashboard at a million cases reads these few thousand rows instead of
aggregating the cases table on every request. A beat job rewrites them every few minutes;
the page says when. 'Overdue now' and 'due soon' are never rolled up: they are live.
"""

from __future__ import annotations

from django.db import models


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
