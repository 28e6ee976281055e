"""Supervision notices (督办单) and in-app notifications.

The deadline scan raises a notice when a clock runs out (DOMAIN.md "Deadlines": overdue
raises a supervision notice once per case, rule and level, however often the scan runs).
The full notice lifecycle (签收, 反馈, 升级) comes with the supervision issue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Level(models.IntegerChoices):
    """The escalation ladder of seed 002 第十一条 and seed 004 第十一条."""

    URGE = 1, "催办"
    SUPERVISE = 2, "督办"
    TALK = 3, "约谈/通报"
    LISTED = 4, "挂牌督办"


class Notice(models.Model):
    """A supervision notice. `clock` is set when the deadline scan raised it; the unique
    constraint on (clock, level) is what makes the scan idempotent."""

    class Status(models.TextChoices):
        SENT = "sent", "已发出"
        SIGNED = "signed", "已签收"
        ANSWERED = "answered", "已反馈"
        CLOSED = "closed", "已办结"
        ESCALATED = "escalated", "升级"

    case = models.ForeignKey("cases.Case", verbose_name="信访件", on_delete=models.CASCADE, related_name="notices")
    clock = models.ForeignKey(
        "deadlines.Clock", verbose_name="时限", on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    unit = models.ForeignKey(
        "people.Unit", verbose_name="督办部门", on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices, default=Level.URGE)
    reason = models.CharField("督办事由", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField("发出时间", auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发出人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "level"], name="notice_once_per_clock_and_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.reason}"


class Notification(models.Model):
    """An in-app message to one person. It never carries a case's content or petitioner,
    so a notification about a 举报 reveals nothing (条例 第30条). The deadline scan sends
    one digest per unit and per office member per scan, not one message per case."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="信访件", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    notice = models.ForeignKey(Notice, verbose_name="督办单", on_delete=models.CASCADE, null=True, blank=True)
    text = models.CharField("内容", max_length=200)
    link = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text
