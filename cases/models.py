"""Petitioners, cases and the case lifecycle.

The lifecycle follows seed 000 §四 (登记、受理、拟办、交办、承办、答复、催办、归档、跟踪),
with the side paths real work needs (不予受理, 转送, 退回) and the approval of major
replies (seed 000 §四.6(1)). 催办/督办 is deliberately not a state: it can reach a case in
any state and lives in the supervision app.

Each transition below changes only this instance. Its permission is a predicate of
(case, user) and its conditions are pure `can_…`-style predicates over fields that the
service fills in before calling it; services in `cases.services` own the transaction,
the history row (user and reason) and everything else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.abilities import fsm_permission
from core.models import TransitionHistory
from people.models import Unit
from people.selectors import staff_label

from . import abilities

# The vocabulary is cases.choices; the apps and tests also read it from here, with the models.
from .choices import (  # noqa: F401
    CLOSED_STATES,
    FLAG_FIELDS,
    HANDED_TO_UNIT,
    KIND_TO_REGULATION_CLASS,
    OPEN_STATES,
    Adoption,
    Channel,
    ContactMethod,
    Gravity,
    Kind,
    Outcome,
    Procedure,
    RegulationClass,
    Satisfaction,
    Source,
    State,
    StatutoryRoute,
    SunshineClass,
)
from .conditions import (
    accused_people_resolved,
    co_units_not_accused,
    has_assignment,
    has_forward_target,
    has_pending_objection,
    has_proposal,
    has_reason,
    has_report,
    has_satisfaction,
    has_statutory_route,
    main_unit_not_accused,
    major_case,
    major_goes_to_leader_in_charge,
    not_repeat_of_final,
    ordinary_case,
    suggestion_has_no_outcome,
)


class Topic(models.Model):
    """Topic areas from seed 001; editable by an administrator."""

    name = models.CharField("名称", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Petitioner(models.Model):
    """A person who petitions (信访人, 条例 第19条: name, address, request, facts)."""

    class Relation(models.TextChoices):
        STUDENT = "student", "学生"
        STAFF = "staff", "教职工"
        PARENT = "parent", "家长"
        OTHER = "other", "其他"

    name = models.CharField("姓名", max_length=32)
    phone = models.CharField("联系电话", max_length=20, blank=True, db_index=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True, db_index=True)
    address = models.CharField("住址", max_length=200, blank=True)
    organisation = models.CharField("单位或班级", max_length=100, blank=True)
    relation = models.CharField("与学校关系", max_length=10, choices=Relation.choices, default=Relation.STUDENT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "信访人"
        verbose_name_plural = "信访人"
        indexes = [models.Index(fields=["name"], name="petitioner_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask(self.phone, keep_start=3, keep_end=4)

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number, keep_start=4, keep_end=2)


def mask(value: str, *, keep_start: int, keep_end: int) -> str:
    """Personal data is masked in lists; the full value is shown only where needed."""
    if len(value) <= keep_start + keep_end:
        return value
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


class CaseNumberSequence(models.Model):
    """The last number issued per year; one row per year, updated under its row lock."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已用编号", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# --- permissions: the abilities of cases.abilities, as django-fsm-2 wants them ---------

may_intake = fsm_permission(abilities.can_run_intake)
may_approve_proposal = fsm_permission(abilities.can_approve_proposal)
may_handle = fsm_permission(abilities.can_handle_case)
may_review_as_unit = fsm_permission(abilities.can_review_as_unit)
may_review_as_leader = fsm_permission(abilities.can_review_as_leader)


LIST_FILTER_FIELDS = (
    "state",
    "channel",
    "kind",
    "main_unit",
    "received_on",
    "is_major",
    "is_group",
    "is_over_level",
    "is_leader_case",
    "is_repeat",
)


def _list_index(*fields: str, name: str) -> models.Index:
    return models.Index(fields=list(fields), include=[f for f in LIST_FILTER_FIELDS if f not in fields], name=name)


class Case(ConcurrentTransitionMixin, models.Model):
    """A petition (信访事项) from registration to follow-up."""

    number = models.CharField("编号", max_length=16, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    channel = models.CharField("信访渠道", max_length=16, choices=Channel.choices)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.SELF)
    superior_reference = models.CharField("上级交办编号", max_length=64, blank=True)
    superior_deadline = models.DateField("上级办理期限", null=True, blank=True)
    received_on = models.DateField("收到日期")
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="registered_cases",
    )
    # 二级信访 (《安徽教育信息》三.三): the unit whose receptionist or head registered what
    # reached it directly; the unit sees the case from registration on.
    registered_unit = models.ForeignKey(
        Unit,
        verbose_name="登记部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_cases",
    )
    kind = models.CharField("信访类型", max_length=16, choices=Kind.choices)
    topic = models.ForeignKey(Topic, verbose_name="问题类别", on_delete=models.PROTECT, null=True, blank=True)
    summary = models.CharField("反映的主要问题", max_length=500)
    content = models.TextField("信访内容", max_length=20000, blank=True)
    petitioner = models.ForeignKey(Petitioner, verbose_name="信访人", on_delete=models.PROTECT, related_name="cases")

    # 一般 / 重大 / 特别重大 (《湖南信息职业技术学院信访工作实施方案》四.3, 四.6(1)). `is_major`
    # stays stored, always equal to gravity != 一般 (save() keeps it so): the dashboard,
    # the list's partial index and the ledger read it.
    gravity = models.CharField(
        "事项等级", max_length=10, choices=Gravity.choices, default=Gravity.ORDINARY, db_default=Gravity.ORDINARY
    )
    is_major = models.BooleanField("重大/紧急", default=False)
    # The 教育阳光服务中心 platform's own class of a case it hands down; blank otherwise.
    sunshine_class = models.CharField(
        "阳光平台事项分类", max_length=16, choices=SunshineClass.choices, blank=True, db_default=""
    )
    # 条例 第29–33条: the procedure the request follows.
    procedure = models.CharField(
        "办理程序", max_length=12, choices=Procedure.choices, default=Procedure.PETITION, db_default=Procedure.PETITION
    )
    statutory_route = models.CharField(
        "法定途径", max_length=24, choices=StatutoryRoute.choices, blank=True, db_default=""
    )
    statutory_body = models.CharField("受理机关", max_length=100, blank=True, db_default="")
    is_group = models.BooleanField("集体访", default=False)
    group_size = models.PositiveIntegerField("人数", null=True, blank=True)
    is_over_level = models.BooleanField("越级访", default=False)
    is_leader_case = models.BooleanField("领导包案", default=False)
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包案领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
    )
    is_repeat = models.BooleanField("重复信访", default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="原信访件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
    )
    accused_units = models.ManyToManyField(Unit, verbose_name="被举报部门", blank=True, related_name="accused_in")
    # The unit the petition is about, whoever handles it: the annual report's "units most
    # complained about" counts this, not the handling unit (条例 第41条).
    complained_unit = models.ForeignKey(
        Unit,
        verbose_name="被反映单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complained_in",
    )

    state = FSMField("状态", max_length=20, choices=State.choices, default=State.REGISTERED, protected=True)

    # 不予受理 / 转送 / 退回: the last reason stays on the case, every reason in the history.
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    forwarded_to = models.CharField("转送机关", max_length=100, blank=True)
    forward_reason = models.TextField("转送理由", blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)

    # 拟办 (seed 000 §四.3)
    main_unit = models.ForeignKey(
        Unit,
        verbose_name="主办部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="main_cases",
    )
    co_units = models.ManyToManyField(Unit, verbose_name="协办部门", blank=True, related_name="co_cases")
    proposal = models.TextField("拟办意见", blank=True)
    approving_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="呈报领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_to_approve",
    )
    proposed_at = models.DateTimeField("拟办时间", null=True, blank=True)

    # 交办 (seed 000 §四.4)
    instruction = models.TextField("领导批示", blank=True)
    requirements = models.TextField("办理要求", blank=True)
    due_date = models.DateField("办理期限", null=True, blank=True)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    taken_at = models.DateTimeField("承办时间", null=True, blank=True)

    # 承办 → 答复: the 结案报告 (seed 000 §四.5) and the 条例 第32条 outcome
    report_facts = models.TextField("调查核实的事实", blank=True)
    report_conclusion = models.TextField("结论", blank=True)
    report_handling = models.TextField("处理意见", blank=True)
    petitioner_opinion = models.TextField("信访人意见", blank=True)
    outcome = models.CharField("处理结果", max_length=16, choices=Outcome.choices, blank=True)
    # a 建议意见类 answer says what was adopted instead (条例 第29条)
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, blank=True, db_default="")
    unit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="部门审定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="领导审定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)

    # 跟踪 (seed 000 §四.9)
    satisfaction = models.CharField("满意度", max_length=16, choices=Satisfaction.choices, blank=True)
    satisfaction_method = models.CharField("评价方式", max_length=16, choices=ContactMethod.choices, blank=True)
    satisfaction_comment = models.TextField("评价意见", blank=True)
    followed_up_at = models.DateTimeField("回访时间", null=True, blank=True)

    # One token per registration form: a second click finds the case the first made.
    submission_token = models.UUIDField("提交标识", null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(bases=[TransitionHistory], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        indexes = [
            _list_index("registered_at", "id", name="case_registered_idx"),
            _list_index("received_on", "id", name="case_received_idx"),
            _list_index("state", "registered_at", "id", name="case_state_idx"),
            _list_index("main_unit", "registered_at", "id", name="case_unit_idx"),
            _list_index("channel", "registered_at", "id", name="case_channel_idx"),
            _list_index("kind", "registered_at", "id", name="case_kind_idx"),
            # a unit's cases over a period, counted from this index alone
            models.Index(fields=["main_unit", "received_on"], name="case_unit_received_idx"),
            # the flags are rare: a small partial index each
            *(
                models.Index(
                    fields=["registered_at", "id"],
                    include=["state", "channel", "kind", "main_unit", "received_on"],
                    condition=models.Q(**{flag: True}),
                    name=name,
                )
                for flag, name in (
                    ("is_major", "case_major_idx"),
                    ("is_group", "case_group_idx"),
                    ("is_over_level", "case_over_level_idx"),
                    ("is_leader_case", "case_leader_case_idx"),
                    ("is_repeat", "case_repeat_idx"),
                )
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_group=False) | models.Q(group_size__gte=2),
                name="case_group_has_size",
            ),
            models.CheckConstraint(
                condition=(models.Q(gravity=Gravity.ORDINARY) & models.Q(is_major=False))
                | (~models.Q(gravity=Gravity.ORDINARY) & models.Q(is_major=True)),
                name="case_is_major_follows_gravity",
            ),
            models.CheckConstraint(
                condition=~models.Q(procedure=Procedure.STATUTORY) | ~models.Q(statutory_route=""),
                name="case_statutory_has_route",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.summary[:20]}"

    def save(self, *args, **kwargs):
        """`is_major` is derived: gravity 重大 or 特别重大."""
        self.is_major = self.gravity != Gravity.ORDINARY
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "gravity" in update_fields and "is_major" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "is_major"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    # The reason the acting user gave for the transition being run; the service sets it,
    # conditions read it and the history row keeps it.
    pending_reason: str = ""
    # The co-units (协办) the service is about to set, read by co_units_not_accused before
    # they are saved; None: the case's own co-units.
    pending_co_unit_ids: set[int] | None = None

    @property
    def regulation_class(self) -> str:
        return KIND_TO_REGULATION_CLASS[Kind(self.kind)].label

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_protected(self) -> bool:
        """A 举报 (检举控告类, 条例 第30条): every view of it is logged."""
        return self.kind == Kind.REPORT

    # --- transitions ------------------------------------------------------------------

    @transition(
        field=state,
        source=State.REGISTERED,
        target=State.ACCEPTED,
        permission=may_intake,
        conditions=[not_repeat_of_final],
        custom={"label": "受理"},
    )
    def accept(self) -> None:
        """受理: within 15 days of registration (seed 000 §四.2; 条例 第22–23条). A repeat
        of a matter already through 复核 is not accepted again (条例 第36条第三款)."""
        self.accepted_at = timezone.now()

    @transition(
        field=state,
        source=State.REGISTERED,
        target=State.NOT_ACCEPTED,
        permission=may_intake,
        conditions=[has_reason],
        custom={"label": "不予受理"},
    )
    def decline(self) -> None:
        """不予受理 with the reason told to the petitioner within 3 days (seed 000 §四.2)."""
        self.not_accepted_reason = self.pending_reason

    @transition(
        field=state,
        source=[State.REGISTERED, State.ACCEPTED],
        target=State.STATUTORY,
        permission=may_intake,
        conditions=[has_statutory_route],
        custom={"label": "导入法定途径"},
    )
    def route_statutory(self) -> None:
        """条例 第31条(一)–(四): a matter that belongs to 诉讼, 仲裁, 行政复议 or 人事争议仲裁
        is routed there and the petitioner told in writing (法定途径告知书)."""
        self.procedure = Procedure.STATUTORY

    @transition(
        field=state,
        source=State.REGISTERED,
        target=State.FORWARDED,
        permission=may_intake,
        conditions=[has_forward_target],
        custom={"label": "转送"},
    )
    def forward(self) -> None:
        """转送 to the competent body outside the school (条例 第22条(一), 第23条)."""
        self.forward_reason = self.pending_reason

    @transition(
        field=state,
        source=State.ACCEPTED,
        target=State.PROPOSED,
        permission=may_intake,
        conditions=[
            has_proposal,
            accused_people_resolved,
            main_unit_not_accused,
            co_units_not_accused,
            major_goes_to_leader_in_charge,
        ],
        custom={"label": "拟办"},
    )
    def propose(self) -> None:
        """拟办: the office names the main unit and reports to the leader within 2 workdays
        (seed 000 §四.3); several units may share a case (主办 + 协办, seed 004 第八条). A
        举报 goes to no unit that must keep out of it, as 主办 or 协办, and waits until
        every accused person is known (《信访工作条例》第三十条)."""
        self.proposed_at = timezone.now()

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.ASSIGNED,
        permission=may_approve_proposal,
        conditions=[has_assignment, accused_people_resolved, main_unit_not_accused, co_units_not_accused],
        custom={"label": "批示交办"},
    )
    def assign(self) -> None:
        """交办: the leader's 批示, with requirements and a due date (seed 000 §四.4); the
        units are checked again, as the office may have corrected an accused person since
        the proposal (《信访工作条例》第三十条)."""
        self.assigned_at = timezone.now()

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.ACCEPTED,
        permission=may_approve_proposal,
        conditions=[has_reason],
        custom={"label": "退回拟办"},
    )
    def send_back_proposal(self) -> None:
        """The leader does not agree with the proposal; the office proposes again."""
        self.proposed_at = None

    @transition(
        field=state,
        source=State.ASSIGNED,
        target=State.HANDLING,
        permission=may_handle,
        custom={"label": "承办"},
    )
    def take(self) -> None:
        """承办: the main unit takes the case (seed 000 §四.5)."""
        self.taken_at = timezone.now()

    @transition(
        field=state,
        source=State.ASSIGNED,
        target=State.ACCEPTED,
        permission=may_handle,
        conditions=[has_reason],
        custom={"label": "退回"},
    )
    def return_to_office(self) -> None:
        """退回: a mis-assigned case goes back to the office for re-assignment."""
        self.return_reason = self.pending_reason
        self.main_unit = None
        self.approving_leader = None
        self.proposed_at = None
        self.assigned_at = None

    @transition(
        field=state,
        source=State.HANDLING,
        target=State.REPLIED,
        permission=may_handle,
        conditions=[has_report, suggestion_has_no_outcome, ordinary_case],
        custom={"label": "答复"},
    )
    def reply(self) -> None:
        """答复: an ordinary case is answered by the unit directly (seed 000 §四.6(1))
        with one of the outcomes of 条例 第32–33条; a 建议意见类 matter is answered without
        one (条例 第29条)."""
        self.replied_at = timezone.now()

    @transition(
        field=state,
        source=State.HANDLING,
        target=State.UNIT_REVIEW,
        permission=may_handle,
        conditions=[has_report, suggestion_has_no_outcome, major_case],
        custom={"label": "报送审定"},
    )
    def submit_for_review(self) -> None:
        """A major case's reply is settled by the unit head, then the 分管院领导, a 特别重大
        one by the 主要领导 (seed 000 §四.6(1)), before it goes out."""

    @transition(
        field=state,
        source=State.UNIT_REVIEW,
        target=State.LEADER_REVIEW,
        permission=may_review_as_unit,
        custom={"label": "部门审定"},
    )
    def approve_as_unit_head(self) -> None:
        """部门负责人审定 (seed 000 §四.6(1))."""

    @transition(
        field=state,
        source=State.LEADER_REVIEW,
        target=State.REPLIED,
        permission=may_review_as_leader,
        custom={"label": "领导审定并答复"},
    )
    def approve_as_leader(self) -> None:
        """分管院领导审定 (seed 000 §四.6(1)); the reply then goes to the petitioner."""
        self.replied_at = timezone.now()

    @transition(
        field=state,
        source=State.UNIT_REVIEW,
        target=State.HANDLING,
        permission=may_review_as_unit,
        conditions=[has_reason],
        custom={"label": "部门退回修改"},
    )
    def reject_as_unit_head(self) -> None:
        """The unit head sends the report back to be redone."""

    @transition(
        field=state,
        source=State.LEADER_REVIEW,
        target=State.HANDLING,
        permission=may_review_as_leader,
        conditions=[has_reason],
        custom={"label": "领导退回修改"},
    )
    def reject_as_leader(self) -> None:
        """The leader sends the report back to be redone."""

    @transition(
        field=state,
        source=[State.REGISTERED, State.ACCEPTED, State.PROPOSED, State.ASSIGNED, State.HANDLING],
        target=State.RETURNED_UP,
        permission=may_intake,
        conditions=[has_pending_objection],
        custom={"label": "退回上级"},
    )
    def return_to_superior(self) -> None:
        """The superior agreed to the school's objection that the handed-down case is not
        its own (条例 第23条): the case goes back and is closed as such."""

    @property
    def needs_urgent_report(self) -> bool:
        """A major or urgent matter is reported at once to the leaders and the superior by a
        紧急信访信息报告 (《信访工作条例》第二十五条; 《兰州大学信访工作责任制实施细则》第八条(四))."""
        return self.gravity != Gravity.ORDINARY

    @property
    def is_handed_down(self) -> bool:
        return self.source != Source.SELF

    @property
    def latest_superior_reply(self):
        """The latest 复函 to the superior that the leader has settled (or that was sent):
        its text is what documents renders as the reply-to-superior PDF."""
        return (
            self.superior_replies.filter(status__in=(SuperiorReply.Status.SETTLED, SuperiorReply.Status.SENT))
            .order_by("-settled_at", "-pk")
            .first()
        )

    @transition(
        field=state,
        source=State.REPLIED,
        target=State.ARCHIVED,
        permission=may_intake,
        custom={"label": "归档"},
    )
    def archive(self) -> None:
        """归档: the office files the handled case (seed 000 §四.8)."""
        self.archived_at = timezone.now()

    @transition(
        field=state,
        source=State.ARCHIVED,
        target=State.FOLLOWED_UP,
        permission=may_intake,
        conditions=[has_satisfaction],
        custom={"label": "回访"},
    )
    def follow_up(self) -> None:
        """跟踪: satisfaction 满意/基本满意/不满意 and how it was obtained (seed 000 §四.9;
        seed 004 第七条)."""
        self.followed_up_at = timezone.now()


MAX_REPRESENTATIVES = 5


class GroupRepresentative(models.Model):
    """A representative of a group visit: at most 5 (《信访工作条例》第二十条第三款)."""

    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField("代表姓名", max_length=32)
    phone = models.CharField("联系电话", max_length=20)
    order = models.PositiveSmallIntegerField("序号")

    class Meta:
        verbose_name = "集体访代表"
        verbose_name_plural = "集体访代表"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="representative_order_unique"),
            models.CheckConstraint(
                condition=models.Q(order__gte=1, order__lte=MAX_REPRESENTATIVES), name="representatives_at_most_five"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """异议 (条例 第23条): a handed-down case the school holds is not its own, filed with
    reasons within 5 workdays of receipt; the superior agrees (the case is returned and
    closed) or disagrees (handling goes on)."""

    class Answer(models.TextChoices):
        PENDING = "pending", "待上级答复"
        AGREED = "agreed", "上级同意，已退回"
        DISAGREED = "disagreed", "上级不同意，继续办理"

    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.CASCADE, related_name="objections")
    reasons = models.TextField("异议理由", max_length=2000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("提出时间", default=timezone.now)
    answer = models.CharField("上级答复", max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_on = models.DateField("上级答复日期", null=True, blank=True)
    answer_note = models.TextField("答复内容", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(answer="pending"), name="objection_one_pending_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 异议"


class SuperiorReply(models.Model):
    """复函 to the superior on a handed-down case (《湖南信息职业技术学院信访工作实施方案》
    四.6(2)): drafted by the handling unit, checked by the office, settled by the 分管
    leader (the 主要领导 when major), then sent; its steps are SuperiorReplyStep rows."""

    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        CHECKED = "checked", "信访办已审核"
        SETTLED = "settled", "领导已审定"
        SENT = "sent", "已报送上级"

    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.CASCADE, related_name="superior_replies")
    text = models.TextField("复函内容", max_length=10000)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    settled_at = models.DateTimeField("审定时间", null=True, blank=True)
    sent_on = models.DateField("报送日期", null=True, blank=True)

    class Meta:
        verbose_name = "复函"
        verbose_name_plural = "复函"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case.number} 复函"


class SuperiorReplyStep(models.Model):
    """One step of a 复函: who, what, why, when."""

    reply = models.ForeignKey(SuperiorReply, verbose_name="复函", on_delete=models.CASCADE, related_name="steps")
    label = models.CharField("操作", max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "复函办理记录"
        verbose_name_plural = "复函办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.label


class AccusedPerson(models.Model):
    """A person named as accused in a 举报 (《信访工作条例》第三十条第三款: 检举、揭发材料
    不得透露或者转给被检举、揭发的人员或者单位; seed 004 第九条).

    The clerk picks the person from the staff directory (`user`, and the unit they work
    in then): the case is hidden from them and from their unit's staff, and no unit they
    work in, head or lead (分管) may handle it (cases.conditions.barred_units). A name
    that was written but not picked is kept as written and is 未核实 until the office
    links it to a member of staff or confirms the person is not on the staff; until then
    the case is neither proposed nor assigned. Every correction is in `history`, with
    who made it and why."""

    class Status(models.TextChoices):
        LINKED = "linked", "本校工作人员"
        UNRESOLVED = "unresolved", "未核实"
        EXTERNAL = "external", "非本校工作人员"

    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.CASCADE, related_name="accused_people")
    name = models.CharField("姓名", max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="对应工作人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accused_in",
    )
    unit = models.ForeignKey(Unit, verbose_name="所在部门", on_delete=models.PROTECT, null=True, blank=True)
    # a row written without one (a bulk load) is 未核实: the office looks at it first
    status = models.CharField(
        "核实情况",
        max_length=12,
        choices=Status.choices,
        default=Status.UNRESOLVED,
        db_default=Status.UNRESOLVED,
    )

    history = HistoricalRecords()
    # set by the services just before a save, read by simple-history for the new row
    _history_user: Any
    _change_reason: str

    class Meta:
        verbose_name = "被举报人"
        verbose_name_plural = "被举报人"
        ordering = ["pk"]
        indexes = [
            # the names still 未核实 are read on every list (cases.selectors._naming)
            models.Index(fields=["case"], condition=models.Q(status="unresolved"), name="accused_unresolved_idx"),
        ]
        constraints = [
            # linked to a member of staff exactly when 本校工作人员
            models.CheckConstraint(
                condition=(models.Q(status="linked") & models.Q(user__isnull=False))
                | (~models.Q(status="linked") & models.Q(user__isnull=True)),
                name="accused_person_linked_has_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_resolution(self) -> bool:
        return self.status == self.Status.UNRESOLVED

    @property
    def label(self) -> str:
        """The name as written, and who it is: 姓名 · 部门 · 职务 of the member of staff,
        else 未核实 or 非本校工作人员."""
        if self.user is None:
            return f"{self.name}（{self.get_status_display()}）"
        who = staff_label(self.user)
        return who if self.name == self.user.display_name else f"{self.name}（{who}）"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name carries no user input: the original name is kept in a field.
    return f"cases/{instance.case.year}/{instance.case_id}/{instance.uuid.hex}"


class Attachment(models.Model):
    """A scanned letter or photo, stored under MEDIA_ROOT (outside any web root) and
    served only through the scoped download view."""

    uuid = models.UUIDField("标识", unique=True, editable=False)
    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class CaseAccessLog(models.Model):
    """Every view of a protected case (seed 004 第九条; 条例 第30条)."""

    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.CASCADE, related_name="access_logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=32)
    # what was refused and why, for an attempt the system turned down (REFUSED_ROUTING)
    detail = models.TextField("说明", blank=True, db_default="")
    at = models.DateTimeField("时间", auto_now_add=True)
    ip_address = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = "查阅记录"
        verbose_name_plural = "查阅记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.case_id}"


class Recusal(models.Model):
    """回避: a member of staff with an interest in the matter or in the petitioner keeps
    out of the case (《信访工作条例》第二十八条第三款: 工作人员与信访事项或者信访人有直接
    利害关系的，应当回避; 《河南省教育系统信访工作责任制实施细则》第九条).

    From the row on the case is hidden from `user` as if they were accused
    (cases.selectors.accused_case_ids): every page, list, count and download leaves it
    out, and nobody may choose them to approve, lead or handle it. The row is
    append-only (core.audit): a recusal is never lifted, least of all by the person."""

    class Kind(models.TextChoices):
        DECLARED = "declared", "声明利害关系"
        STEPPED_ASIDE = "stepped_aside", "中途回避"
        ORDERED = "ordered", "信访办决定回避"

    case = models.ForeignKey(Case, verbose_name="信访件", on_delete=models.PROTECT, related_name="recusals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回避人员", on_delete=models.PROTECT, related_name="recusals"
    )
    kind = models.CharField("回避方式", max_length=16, choices=Kind.choices)
    reason = models.TextField("回避理由", max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "回避记录"
        verbose_name_plural = "回避记录"
        ordering = ["recorded_at", "pk"]
        constraints = [
            # one person steps aside from one case once: a second click finds the first row
            models.UniqueConstraint(fields=["case", "user"], name="recusal_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.user} {self.get_kind_display()}"


# CaseAccessLog.action of an attempt to give a 举报 to a unit that must keep out of it
# (cases.services.check_routing): the row stays although the step did not happen.
REFUSED_ROUTING = "拒绝交由须回避部门办理"


def document_path(instance, filename: str) -> str:
    """Historical: migration 0006 made Document (now documents.Document) with this upload_to."""
    return f"documents/{instance.year}/{instance.case_id}/{instance.kind}-{instance.sequence:05d}.pdf"


def flag_choices() -> list[tuple[str, str]]:
    """(field, label) for each flag, the label being the field's own (重大/紧急, 集体访, …)."""
    return [(name, str(Case._meta.get_field(name).verbose_name)) for name in FLAG_FIELDS]


def flag_labels(values) -> list[str]:
    """The labels of the flags set in `values` (a case, or a row of its values); a group
    visit says how many came (集体访5人)."""
    labels = []
    for name, label in flag_choices():
        if _value(values, name):
            n = _value(values, "group_size") if name == "is_group" else None
            labels.append(f"{label}{n}人" if n else label)
    return labels


def _value(values, name: str):
    return values[name] if isinstance(values, dict) else getattr(values, name)


class SavedSearch(models.Model):
    """常用查询: a named case-list query, a person's own or one the office shares with
    everyone (issue 14). It keeps the list's filter parameters only; what it finds is
    always read through the reader's own scope, so a shared query shows each person the
    cases they may see."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="所有人",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_searches",
        help_text="留空：信访办共享",
    )
    name = models.CharField("名称", max_length=30)
    query = models.CharField("查询条件", max_length=1000)
    shared = models.BooleanField("共享给全体", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "常用查询"
        verbose_name_plural = "常用查询"
        ordering = ["-shared", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_per_owner")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('cases:list')}?{self.query}"


class Phrase(models.Model):
    """常用语: a stock phrase for a reason, a proposal, an instruction or a reply, kept by
    a person for themselves or by a unit (its head or the office) for its staff; the
    school-wide ones have neither (issue 14)."""

    class Use(models.TextChoices):
        REASON = "reason", "理由与意见"
        PROPOSAL = "proposal", "拟办意见"
        INSTRUCTION = "instruction", "批示"
        REPLY = "reply", "答复与处理意见"

    use = models.CharField("用途", max_length=12, choices=Use.choices)
    text = models.CharField("内容", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="个人",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phrases",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="部门", on_delete=models.CASCADE, null=True, blank=True, related_name="phrases"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "常用语"
        verbose_name_plural = "常用语"
        ordering = ["use", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(owner__isnull=False, unit__isnull=False), name="phrase_person_or_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]
