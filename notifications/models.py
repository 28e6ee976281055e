from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app message to one person. A message about a 举报 carries the case number
    only: no content and no reporter (条例 第30条); the app that writes it composes the
    text. The deadline scan sends one digest per person per scan, not one message per
    case. Mail goes out after commit, with retries; its outcome is kept here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    # What the message is about, so that it leaves a reader's list when the case leaves
    # their scope. By name: notifications stand below the apps that own these.
    case = models.ForeignKey(
        "cases.Case", verbose_name="信访件", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    notice = models.ForeignKey(
        "supervision.Notice", verbose_name="督办单", on_delete=models.CASCADE, null=True, blank=True
    )
    text = models.CharField("内容", max_length=200)
    link = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField("邮件尝试次数", default=0, db_default=0)
    mail_error = models.CharField("邮件错误", max_length=200, blank=True, db_default="")

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text
