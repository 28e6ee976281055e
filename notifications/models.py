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
    # The same without the case's summary: what SMS and a work group's robot carry, since
    # those leave the system (a 举报's text is its number only anyway)
    brief = models.CharField("简要内容", max_length=200, blank=True, db_default="")
    link = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField("邮件尝试次数", default=0, db_default=0)
    mail_error = models.CharField("邮件错误", max_length=200, blank=True, db_default="")
    # Whether its SMS and robot deliveries have been written (notify() does so in the
    # action's transaction; rows the deadline scan inserts in SQL are fanned out by the sweep)
    fanned_out = models.BooleanField("已分发", default=False, db_default=False)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """How one person is told, beside the in-app list that everyone has: by mail, by SMS,
    through their unit's work-group robot (企业微信/钉钉群机器人), each at once or batched
    into a digest. Without a row: mail at once, nothing else."""

    class Digest(models.TextChoices):
        NONE = "none", "逐条即时发送"
        HOURLY = "hourly", "每小时汇总一次"
        DAILY = "daily", "每天 8:00 汇总一次"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="notification_preference"
    )
    by_mail = models.BooleanField("邮件", default=True)
    by_sms = models.BooleanField("短信", default=False)
    by_robot = models.BooleanField("工作群机器人", default=False)
    digest = models.CharField("发送方式", max_length=10, choices=Digest.choices, default=Digest.NONE)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self) -> str:
        return str(self.user)


class UnitRobot(models.Model):
    """A unit's work-group robot: the webhook of a 企业微信 or 钉钉 group the unit's staff
    are in. A message to it @-mentions the person by their phone number and carries the
    brief text only (no summary, no petitioner)."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    unit = models.OneToOneField("people.Unit", verbose_name="部门", on_delete=models.CASCADE, related_name="robot")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    webhook = models.URLField("Webhook 地址", max_length=500)
    # 钉钉's 加签: the robot refuses a message without the signature of this secret
    secret = models.CharField("加签密钥（钉钉）", max_length=100, blank=True)

    class Meta:
        verbose_name = "工作群机器人"
        verbose_name_plural = "工作群机器人"

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class Delivery(models.Model):
    """One notification through one channel other than mail (the outbox row): written in
    the action's transaction, sent after commit by the worker, retried by the sweep, held
    for the digest when the person asked for one."""

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        ROBOT = "robot", "工作群机器人"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        HELD = "held", "待汇总"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        DROPPED = "dropped", "不再发送"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("错误", max_length=200, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知发送"
        verbose_name_plural = "通知发送"
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [models.Index(fields=["status"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.notification}"
