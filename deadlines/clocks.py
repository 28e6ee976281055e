"""Deadline rules as data, the clocks they start on cases, and extensions.

Every row of the DOMAIN.md deadline table is a `DeadlineRule` (seeded by migration,
editable in the admin). A case event starts the clocks of the rules that match the case
and stops the clocks whose rule names that event as a stop. The scan (supervision.scan)
compares stored due times with now, in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.TextChoices):
    """Case events that start or stop clocks."""

    REGISTERED = "registered", "登记"
    ACCEPTED = "accepted", "受理"
    NOT_ACCEPTED = "not_accepted", "决定不予受理"
    NOT_ACCEPTED_NOTICE = "not_accepted_notice", "已书面告知不予受理"
    FORWARDED = "forwarded", "转送"
    PROPOSED = "proposed", "拟办"
    ASSIGNED = "assigned", "交办"
    RETURNED = "returned", "退回"
    REPORTED = "reported", "报送结案报告"
    REPLIED = "replied", "答复"
    ARCHIVED = "archived", "归档"
    SUMMONS = "summons", "现场接访通知"
    ARRIVED = "arrived", "到达接访现场"
    REVIEW_REQUESTED = "review_requested", "收到复查申请"
    REVIEW_OPINION = "review_opinion", "作出复查意见"
    REREVIEW_REQUESTED = "rereview_requested", "收到复核申请"
    REREVIEW_OPINION = "rereview_opinion", "作出复核意见"
    # Delivery (送达) of a written document to the petitioner: the law counts from receipt
    # (条例 第23条, 第35–36条), so these, not the documents' dates, start and stop clocks.
    ACCEPTANCE_NOTICE_DELIVERED = "acceptance_delivered", "受理告知书送达"
    FORWARD_NOTICE_DELIVERED = "forward_delivered", "转送告知书送达"
    EXTENSION_NOTICE_DELIVERED = "extension_delivered", "延期办理告知书送达"
    REPLY_DELIVERED = "reply_delivered", "处理意见书送达"
    REVIEW_OPINION_DELIVERED = "review_opinion_delivered", "复查意见书送达"
    REREVIEW_OPINION_DELIVERED = "rereview_opinion_delivered", "复核意见书送达"
    # A 听证 pauses the 复核 period (条例 第36条): its time is not counted.
    HEARING_STARTED = "hearing_started", "听证开始"
    HEARING_ENDED = "hearing_ended", "听证结束"
    # A case handed down: the objection that it is not ours (条例 第23条) and the 复函 sent
    # back to the superior (seed 000 §四.6(2)), which stops the superior's deadline.
    OBJECTION_FILED = "objection_filed", "提出异议"
    SUPERIOR_REPLY_SENT = "superior_reply_sent", "复函上级"
    # Not a case event: the rule below only holds the feedback period of a 督办单.
    NOTICE_SENT = "notice_sent", "发出督办单"


class PeriodUnit(models.TextChoices):
    DAYS = "days", "日"
    WORKDAYS = "workdays", "个工作日"
    MINUTES = "minutes", "分钟"


class DeadlineRule(models.Model):
    """One statutory clock (DOMAIN.md "Deadlines").

    `applies_to` narrows the rule: {"source": [...], "kind": [...], "channel": [...],
    "is_major": true, "area": "city"}; each key must match the case (or the event's
    details); a list means "one of". Among active rules of one `slot` that match a case,
    the most specific wins (most keys), so the sunshine platform's 7 workdays replace the
    default 60 days for its complaints while other slots run beside them.
    """

    class Duty(models.TextChoices):
        OFFICE = "office", "信访办"
        UNIT = "unit", "承办部门"
        PETITIONER = "petitioner", "信访人（申请期限）"

    code = models.SlugField("代码", max_length=48, unique=True)
    name = models.CharField("名称", max_length=64)
    slot = models.SlugField("时限类别", max_length=32, help_text="同一类别中只取最具体的一条规则")
    start_event = models.CharField("起算事件", max_length=32, choices=Event.choices)
    # Rules "from receipt" count from the date the petition reached the school, which the
    # clerk records separately from the time of entry.
    from_received = models.BooleanField("自收到之日起算", default=False)
    stop_events = models.JSONField("停止事件", default=list, blank=True)
    length = models.PositiveIntegerField("期限")
    unit = models.CharField("单位", max_length=10, choices=PeriodUnit.choices)
    applies_to = models.JSONField("适用条件", default=dict, blank=True)
    warn_before = models.PositiveIntegerField("提前预警", default=3)
    warn_unit = models.CharField("预警单位", max_length=10, choices=PeriodUnit.choices, default=PeriodUnit.DAYS)
    duty = models.CharField("责任方", max_length=12, choices=Duty.choices, default=Duty.OFFICE)
    superior_deadline_wins = models.BooleanField("上级期限优先", default=False)
    assignment_due_wins = models.BooleanField("交办期限优先", default=False)
    max_extension_days = models.PositiveIntegerField("最长延期（日）", default=0)
    extension_request_lead_days = models.PositiveIntegerField("须提前申请延期（日）", default=0)
    raises_notice = models.BooleanField("超期督办", default=True)
    # The supervision trigger (supervision.Trigger code) a late clock raises its notice
    # under; blank: 无正当理由超过办理期限. The 送达 rule raises 未履行送达责任.
    notice_trigger = models.SlugField("督办情形代码", max_length=32, blank=True, help_text="留空即“超过办理期限”")
    # 条例 第23条: no written notice is owed when the petitioner's name or address is
    # unknown; such a clock is started 不适用 with the reason, never overdue.
    needs_known_petitioner = models.BooleanField("信访人不明时不适用", default=False)
    # 条例 第36条: the time of a 听证 is not counted; the clock pauses while it lasts.
    pauses_for_hearing = models.BooleanField("听证期间暂停", default=False)
    # When the superior's own deadline governs the clock (superior_deadline_wins), it is
    # answered to the superior: it stops at these events (the 复函) instead of stop_events.
    superior_stop_events = models.JSONField("上级期限停止事件", default=list, blank=True)
    # The start and the stop as the source states them, for the pages and the README.
    starts_when = models.CharField("起算（依规定表述）", max_length=100, blank=True)
    stops_when = models.CharField("止于（依规定表述）", max_length=200, blank=True)
    citation = models.CharField("依据", max_length=200)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "时限规则"
        verbose_name_plural = "时限规则"
        ordering = ["slot", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.length}{self.get_unit_display()}）"

    def matches(self, context: dict) -> bool:
        for key, wanted in self.applies_to.items():
            value = context.get(key)
            if isinstance(wanted, list):
                if value not in wanted:
                    return False
            elif value != wanted:
                return False
        return True

    @property
    def specificity(self) -> int:
        return len(self.applies_to)


class Clock(models.Model):
    """One running (or finished) deadline on one case."""

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已超期"
        STOPPED = "stopped", "已完成"
        # 条例 第36条: a 听证 is under way, its time not counted.
        PAUSED = "paused", "已暂停"
        # 条例 第23条: not owed (the petitioner's name or address unknown); see `note`.
        NOT_APPLICABLE = "not_applicable", "不适用"

    case = models.ForeignKey("cases.Case", verbose_name="信访件", on_delete=models.CASCADE, related_name="clocks")
    rule = models.ForeignKey(DeadlineRule, verbose_name="规则", on_delete=models.PROTECT, related_name="clocks")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    started_at = models.DateTimeField("起算时间")
    start_date = models.DateField("起算日")
    base_due_date = models.DateField("原定到期日", null=True, blank=True)
    due_date = models.DateField("到期日", null=True, blank=True)
    due_at = models.DateTimeField("到期时间", db_index=False)
    warn_at = models.DateTimeField("预警时间")
    due_source = models.CharField("期限来源", max_length=16, default="rule")
    extension_days = models.PositiveIntegerField("已延期（日）", default=0)
    provisional = models.BooleanField("含未发布年度", default=False)
    calendar_versions = models.JSONField("日历版本", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    # Why the clock is 不适用 or 已暂停, in the words the case page shows.
    # db_default: devtools' bulk generator and the bench insert clocks in SQL.
    note = models.CharField("说明", max_length=200, blank=True, default="", db_default="")
    paused_at = models.DateTimeField("暂停时间", null=True, blank=True)
    paused_days = models.PositiveIntegerField("暂停（日）", default=0, db_default=0)
    warned_at = models.DateTimeField("预警时间（实际）", null=True, blank=True)
    overdue_at = models.DateTimeField("超期时间（实际）", null=True, blank=True)
    stopped_at = models.DateTimeField("完成时间", null=True, blank=True)
    on_time = models.BooleanField("按期", null=True, blank=True)
    unit = models.ForeignKey(
        "people.Unit", verbose_name="责任部门", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule", "round"], name="clock_once_per_case_rule_round"),
        ]
        indexes = [
            # The scan reads only open clocks: its cost follows open cases, not history.
            # case and rule ride along so the dashboard's live counts read the index alone
            models.Index(
                fields=["due_at"],
                include=["case", "rule"],
                name="clock_open_due_idx",
                condition=models.Q(status__in=["running", "due_soon"]),
            ),
            models.Index(fields=["warn_at"], name="clock_running_warn_idx", condition=models.Q(status="running")),
            # The dashboard's live figures (overdue now, due soon, 积案): the open clocks of
            # the few open cases; the lapsed petitioner windows (status overdue) make a
            # due-time range useless there.
            models.Index(
                fields=["case"],
                include=["due_at", "rule"],
                name="clock_open_case_idx",
                condition=models.Q(status__in=["running", "due_soon", "overdue"]),
            ),
            # The duty rules' overdue clocks, without the lapsed windows that share the status.
            models.Index(
                fields=["rule"],
                include=["case", "due_at"],
                name="clock_overdue_rule_idx",
                condition=models.Q(status="overdue"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.rule.name}"

    @property
    def is_open(self) -> bool:
        """Still counting (or paused): neither completed nor 不适用."""
        return self.status not in CLOSED_STATUSES


# A clock in these statuses is done with: no event stops it, no scan reads it.
CLOSED_STATUSES = (Clock.Status.STOPPED, Clock.Status.NOT_APPLICABLE)


class Extension(models.Model):
    """延期 (《信访工作条例》第三十四条): the unit asks; the office gives its opinion and
    proposes; the institution's head (本机关、单位负责人, a school leader) approves or
    refuses. The office never approves. A 12345 work order's extension is applied for to
    the superior, 市教育局 (《湖南信息职业技术学院信访工作实施方案》五（三）3): the office
    records the superior's decision, its date and reference number. Only an approval moves
    the completion deadline; the petitioner is then told why (延期办理告知书)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待信访办审核"
        PROPOSED = "proposed", "待院领导审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    clock = models.ForeignKey(Clock, verbose_name="时限", on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField("延期天数")
    reason = models.TextField("延期理由", max_length=2000)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    # The office's opinion when it proposes the extension to a leader.
    office_opinion = models.TextField("信访办意见", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="呈报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField("呈报时间", null=True, blank=True)
    # The leader who decided, or for a 12345 work order the office person who recorded
    # the superior's decision (then superior_decided_on is set).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    superior_decided_on = models.DateField("上级批复日期", null=True, blank=True)
    superior_reference = models.CharField("上级批复文号", max_length=64, blank=True)
    old_due_date = models.DateField("原到期日", null=True, blank=True)
    new_due_date = models.DateField("新到期日", null=True, blank=True)
    # The 延期办理告知书 to the petitioner falls due on approval (the document itself
    # comes with the documents issue); until it is sent the case page says so.
    notice_sent_at = models.DateTimeField("告知书发出时间", null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"延期 {self.days} 日"

    @property
    def to_superior(self) -> bool:
        """A 12345 work order: the superior decides, not a school leader."""
        return self.clock.case.source == "hotline_12345"

    @property
    def approver(self) -> str:
        """Who decided, as the 延期办理告知书 prints it: the leader's name, or the superior
        with its reference number and date."""
        if self.superior_decided_on:
            ref = f"（{self.superior_reference}）" if self.superior_reference else ""
            return f"市教育局{ref}，{self.superior_decided_on:%Y-%m-%d}"
        if self.decided_by_id:
            return self.decided_by.display_name
        return ""
