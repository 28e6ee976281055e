"""Supervision notices (督办单), their triggers, the office's review of a 不满意 follow-up,
and in-app notifications.

A notice reaches a case at any stage, from the deadline scan or from a person (DOMAIN.md
"Supervision"; seed 000 §四.7; seed 002 第十–十一条; seed 004 第十–十一条; 条例 第40条).
It ends only when the unit has answered in writing and the office accepts the answer; a
late answer, or an answer sent back twice, escalates it one step up the ladder.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.abilities import fsm_permission
from core.models import TransitionHistory

from . import abilities


class Level(models.IntegerChoices):
    """The escalation ladder: seed 002 第十一条 and seed 004 第十一条 (催办, 督办), and
    条例 第39条 for the heavier steps (约谈、通报、挂牌督办)."""

    URGE = 1, "催办"
    SUPERVISE = 2, "督办"
    TALK = 3, "约谈/通报"
    LISTED = 4, "挂牌督办"


class Form(models.TextChoices):
    """How the office supervises (seed 002 第十条; seed 004 第十一条)."""

    ONLINE = "online", "网上督办"
    PHONE = "phone", "电话督办"
    LETTER = "letter", "函件督办"
    TALK = "talk", "约谈督办"
    ON_SITE = "on_site", "实地督办"


class Adoption(models.TextChoices):
    """The unit's written answer on the office's suggestions (条例 第40条末款)."""

    ADOPTED = "adopted", "已采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class Trigger(models.Model):
    """One circumstance in which the office supervises: the union of seed 000 §四.7(1),
    seed 002 第十一条 and seed 004 第十一条 (DOMAIN.md "Supervision triggers"). Seeded by
    migration from supervision.seed_triggers and editable in the admin."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("督办情形", max_length=100)
    citation = models.CharField("依据", max_length=120)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "督办情形"
        verbose_name_plural = "督办情形"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


# --- permissions: the abilities of supervision.abilities, as django-fsm-2 wants them ----

may_answer = fsm_permission(abilities.can_answer_notice)
may_supervise = fsm_permission(abilities.can_supervise)


# --- conditions: pure predicates over the notice's own fields ----------------------------


def has_answer(notice: Notice) -> bool:
    return bool(notice.answer.strip())


def answers_suggestions(notice: Notice) -> bool:
    """条例 第40条: the unit answers in writing whether it adopted the office's suggestions;
    seed 000 §四.7(3): a suggestion not adopted needs the reason."""
    if not notice.suggestions.strip():
        return True
    if not notice.adoption:
        return False
    return notice.adoption == Adoption.ADOPTED or bool(notice.adoption_note.strip())


def has_reason(notice: Notice) -> bool:
    return bool(notice.pending_reason.strip())


def below_top(notice: Notice) -> bool:
    return notice.level < Level.LISTED


OPEN_STATUSES = ("sent", "signed", "answered")
AWAITING_UNIT = ("sent", "signed")


class Notice(ConcurrentTransitionMixin, models.Model):
    """A supervision notice (督办通知书). `clock` is set when a deadline ran out; the
    unique (clock, level) makes the scan and a person raising the same lateness meet in
    one notice. For the other triggers one open notice per case, trigger and level."""

    class Status(models.TextChoices):
        SENT = "sent", "已发出"
        SIGNED = "signed", "已签收"
        ANSWERED = "answered", "已反馈"
        CLOSED = "closed", "已办结"
        ESCALATED = "escalated", "已升级"

    case = models.ForeignKey("cases.Case", verbose_name="信访件", on_delete=models.CASCADE, related_name="notices")
    clock = models.ForeignKey(
        "deadlines.Clock", verbose_name="时限", on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    unit = models.ForeignKey(
        "people.Unit", verbose_name="督办部门", on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    trigger = models.ForeignKey(
        Trigger, verbose_name="督办情形", on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices, default=Level.URGE)
    reason = models.CharField("督办事由", max_length=200)
    form = models.CharField("督办方式", max_length=10, choices=Form.choices, default=Form.ONLINE, db_default="online")
    requirements = models.TextField("督办要求", blank=True, db_default="")
    suggestions = models.TextField(
        "改进建议", blank=True, db_default="", help_text="《信访工作条例》第四十条：承办部门须书面反馈采纳情况"
    )
    feedback_due = models.DateField("反馈期限", null=True, blank=True)
    feedback_due_at = models.DateTimeField("反馈截止时间", null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="由此升级", on_delete=models.PROTECT, null=True, blank=True, related_name="escalations"
    )

    status = FSMField("状态", max_length=16, choices=Status.choices, default=Status.SENT, protected=True)
    created_at = models.DateTimeField("发出时间", auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发出人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField("书面反馈", blank=True, db_default="")
    adoption = models.CharField("建议采纳情况", max_length=12, choices=Adoption.choices, blank=True, db_default="")
    adoption_note = models.TextField("未采纳的原因", blank=True, db_default="")
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attachments = models.ManyToManyField(
        "cases.Attachment", verbose_name="反馈附件", blank=True, related_name="notices"
    )
    rejections = models.PositiveSmallIntegerField("退回次数", default=0, db_default=0)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField("升级时间", null=True, blank=True)

    history = HistoricalRecords(bases=[TransitionHistory])

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "level"], name="notice_once_per_clock_and_level"),
            models.UniqueConstraint(
                fields=["case", "trigger", "level"],
                condition=models.Q(clock__isnull=True, status__in=OPEN_STATUSES),
                name="notice_open_once_per_trigger_and_level",
            ),
        ]
        indexes = [
            # the escalation sweep reads only notices still waiting for the unit
            models.Index(
                fields=["feedback_due_at"], name="notice_awaiting_idx", condition=models.Q(status__in=AWAITING_UNIT)
            ),
            models.Index(fields=["unit", "status"], name="notice_unit_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.reason}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:detail", args=[self.pk])

    # Set by the service for the transition being run; conditions read it, history keeps it.
    pending_reason: str = ""

    @property
    def number(self) -> str:
        return f"督{self.created_at:%Y}-{self.pk:05d}" if self.created_at else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # --- transitions ------------------------------------------------------------------

    @transition(
        field=status,
        source=Status.SENT,
        target=Status.SIGNED,
        permission=may_answer,
        custom={"label": "签收督办单"},
    )
    def sign(self) -> None:
        """The unit signs for the notice (seed 000 §四.7(3): 收到督办通知书后)."""

    @transition(
        field=status,
        source=Status.SIGNED,
        target=Status.ANSWERED,
        permission=may_answer,
        conditions=[has_answer, answers_suggestions],
        custom={"label": "书面反馈"},
    )
    def submit_answer(self) -> None:
        """The unit answers in writing within the period; what it cannot finish in time or
        a suggestion it did not adopt, it explains (seed 000 §四.7(3); 条例 第40条)."""

    @transition(
        field=status,
        source=Status.ANSWERED,
        target=Status.CLOSED,
        permission=may_supervise,
        custom={"label": "督办办结"},
    )
    def close(self) -> None:
        """The office accepts the answer; supervision of this notice ends."""

    @transition(
        field=status,
        source=Status.ANSWERED,
        target=Status.SIGNED,
        permission=may_supervise,
        conditions=[has_reason],
        custom={"label": "退回反馈"},
    )
    def send_back(self) -> None:
        """The office finds the answer wanting and sends it back with its reasons."""
        self.rejections += 1

    @transition(
        field=status,
        source=[Status.SENT, Status.SIGNED, Status.ANSWERED],
        target=Status.ESCALATED,
        permission=may_supervise,
        conditions=[has_reason, below_top],
        custom={"label": "升级督办"},
    )
    def escalate(self) -> None:
        """One step up the ladder: late feedback, a second rejected answer, or the office's
        judgement (条例 第39条: 约谈、通报、挂牌督办)."""


class SatisfactionReview(models.Model):
    """The office's review after a 不满意 follow-up: if the unit's handling was inadequate,
    it supervises (seed 004 第十一条(七): 群众评价不满意且责任单位处理不到位)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待研判"
        ADEQUATE = "adequate", "处理到位"
        INADEQUATE = "inadequate", "处理不到位，已督办"

    case = models.OneToOneField(
        "cases.Case", verbose_name="信访件", on_delete=models.CASCADE, related_name="satisfaction_review"
    )
    status = models.CharField("研判结果", max_length=12, choices=Status.choices, default=Status.PENDING)
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    note = models.TextField("研判意见", blank=True)
    decided_at = models.DateTimeField("研判时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="研判人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice = models.ForeignKey(
        Notice, verbose_name="督办单", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "不满意研判"
        verbose_name_plural = "不满意研判"
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"


class ReviewRequest(models.Model):
    """A petitioner's request for 复查 (条例 第35条) or, after the review opinion, 复核
    (条例 第36条). Each has a 30-day window to ask and a 30-day clock for the opinion
    (deadlines rules review-request … rereview-opinion). After the 复核 opinion the same
    request on the same facts is not accepted again (终结)."""

    class Stage(models.TextChoices):
        REVIEW = "review", "复查"
        REREVIEW = "rereview", "复核"

    class Decision(models.TextChoices):
        UPHELD = "upheld", "维持原处理意见"
        CHANGED = "changed", "撤销或变更原处理意见"

    case = models.ForeignKey(
        "cases.Case", verbose_name="信访件", on_delete=models.CASCADE, related_name="review_requests"
    )
    stage = models.CharField("类别", max_length=10, choices=Stage.choices)
    received_on = models.DateField("收到申请日期")
    request = models.TextField("请求事项及理由", max_length=5000)
    body = models.CharField("复查（复核）机关", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    decision = models.CharField("结论", max_length=10, choices=Decision.choices, blank=True)
    opinion = models.TextField("意见", blank=True)
    decided_on = models.DateField("意见日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记意见人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "复查复核"
        verbose_name_plural = "复查复核"
        ordering = ["received_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="review_once_per_case_and_stage")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.received_on:%Y-%m-%d}"
