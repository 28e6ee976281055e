"""责任追究: accountability cases, the measures proposed and decided in them, appeals,
and the person's record (seed 002 第十三–二十条; seed 004 第十四–十九条).

A case names one subject, a unit or a person. The petition office proposes measures;
who decides follows the measure (seed 002 第十四条): 责成说明情况 … 诫勉谈话 and the unit
measures by the school office, 组织调整或组织处理 and 纪律处分 by discipline/HR. A
rectification still unfinished after 通报 moves the case one level up (seed 002 第十六–
十八条). An appeal does not suspend the measure (seed 002 第二十条). Decided measures on a
person go to the person's record (seed 004 第十九条), whose entries are never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.abilities import fsm_permission
from core.models import TransitionHistory
from people.models import User

from . import abilities


class Ground(models.Model):
    """One circumstance that calls for accountability (accountability.seed_grounds)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("追责情形", max_length=120)
    citation = models.CharField("依据", max_length=120)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "追责情形"
        verbose_name_plural = "追责情形"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class MeasureKind(models.TextChoices):
    """Seed 002 第十四条 (people) and seed 004 第十五条 (units); 取消年度评优资格 from
    seed 002 第十七条 and seed 004 第十六条(二); 责令改正, for a unit or a person whose
    failing has not yet done harm, from seed 004 第十四条首款."""

    CORRECT = "correct", "责令改正"
    EXPLAIN = "explain", "责成说明情况"
    WRITTEN_CHECK = "written_check", "责令书面检查"
    CRITICIZE = "criticize", "通报批评"
    ADMONISH = "admonish", "诫勉谈话"
    ORG_ACTION = "org_action", "组织调整或组织处理"
    DISCIPLINE = "discipline", "纪律处分"
    UNIT_CHECK = "unit_check", "责令检查"
    UNIT_CRITICIZE = "unit_criticize", "通报批评（单位）"
    UNIT_SUPERVISE = "unit_supervise", "督查督办"
    UNIT_NO_HONOURS = "unit_no_honours", "取消年度评优资格"


PERSON_MEASURES = (
    MeasureKind.CORRECT,
    MeasureKind.EXPLAIN,
    MeasureKind.WRITTEN_CHECK,
    MeasureKind.CRITICIZE,
    MeasureKind.ADMONISH,
    MeasureKind.ORG_ACTION,
    MeasureKind.DISCIPLINE,
)
UNIT_MEASURES = (
    MeasureKind.CORRECT,
    MeasureKind.UNIT_CHECK,
    MeasureKind.UNIT_CRITICIZE,
    MeasureKind.UNIT_SUPERVISE,
    MeasureKind.UNIT_NO_HONOURS,
)
# Seed 002 第十四条第二款: measures (五)(六) are decided by discipline or HR.
DISCIPLINE_MEASURES = (MeasureKind.ORG_ACTION, MeasureKind.DISCIPLINE)
# A rectification unfinished after one of these moves the case up (seed 002 第十七–十八条;
# seed 004 第十五条(三)).
ESCALATING_MEASURES = (
    MeasureKind.CRITICIZE,
    MeasureKind.ADMONISH,
    MeasureKind.UNIT_CRITICIZE,
    MeasureKind.UNIT_SUPERVISE,
)


def decider_role(kind: str) -> str:
    return User.Role.DISCIPLINE if kind in DISCIPLINE_MEASURES else User.Role.OFFICE


class Level(models.IntegerChoices):
    """The ladder of seed 002 第十六–十八条 and seed 004 第十六条."""

    NOTICE = 1, "通报、限期整改"
    ADMONISH = 2, "诫勉、督促限期整改"
    ORGANIZATION = 3, "组织处理或纪律处分"


# --- permissions: the abilities of accountability.abilities, as django-fsm-2 wants them --

may_open = fsm_permission(abilities.can_open)
may_decide_step = fsm_permission(abilities.can_decide_step)


# --- conditions: pure predicates over the case's own fields -------------------------------


def has_reason(acase: AccountabilityCase) -> bool:
    return bool(acase.pending_reason.strip())


def has_due(acase: AccountabilityCase) -> bool:
    return acase.rectify_due is not None


def below_top(acase: AccountabilityCase) -> bool:
    return acase.level < Level.ORGANIZATION


class AccountabilityCase(ConcurrentTransitionMixin, models.Model):
    """A 责任追究 case against one unit or one person."""

    class Status(models.TextChoices):
        OPENED = "opened", "立案"
        PROPOSED = "proposed", "拟处理"
        DECIDED = "decided", "已决定"
        RECTIFYING = "rectifying", "整改中"
        CLOSED = "closed", "已办结"
        DISMISSED = "dismissed", "不予追究"

    notice = models.ForeignKey(
        "supervision.Notice",
        verbose_name="来源督办单",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="来源信访件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
    )
    subject_unit = models.ForeignKey(
        "people.Unit",
        verbose_name="被追责单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被追责人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
    )
    grounds = models.ManyToManyField(Ground, verbose_name="追责情形", related_name="cases")
    facts = models.TextField("事实经过")
    level = models.PositiveSmallIntegerField("追责层级", choices=Level.choices, default=Level.NOTICE)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    status = FSMField("状态", max_length=16, choices=Status.choices, default=Status.OPENED, protected=True)
    opened_at = models.DateTimeField("立案时间", auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    history = HistoricalRecords(bases=[TransitionHistory])

    class Meta:
        verbose_name = "责任追究"
        verbose_name_plural = "责任追究"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_unit__isnull=False, subject_user__isnull=True)
                | models.Q(subject_unit__isnull=True, subject_user__isnull=False),
                name="accountability_one_subject",
                violation_error_message="被追责对象须为一个单位或一名人员。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:detail", args=[self.pk])

    # Set by the service for the transition being run; conditions read it, history keeps it.
    pending_reason: str = ""

    @property
    def number(self) -> str:
        return f"责{self.opened_at:%Y}-{self.pk:05d}" if self.opened_at else ""

    @property
    def subject(self) -> str:
        return str(self.subject_unit or self.subject_user)

    @property
    def is_person(self) -> bool:
        return self.subject_user_id is not None

    @property
    def measure_kinds(self) -> tuple[str, ...]:
        return PERSON_MEASURES if self.is_person else UNIT_MEASURES

    # --- transitions ------------------------------------------------------------------

    @transition(
        field=status,
        source=[Status.OPENED, Status.PROPOSED],
        target=Status.PROPOSED,
        permission=may_open,
        custom={"label": "提出处理建议"},
    )
    def propose(self) -> None:
        """The petition office proposes measures (seed 002 第十四条第二款)."""

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.DECIDED,
        permission=may_decide_step,
        custom={"label": "作出决定"},
    )
    def decide(self) -> None:
        """Every proposed measure has been decided by its decider (seed 002 第十四条)."""

    @transition(
        field=status,
        source=Status.DECIDED,
        target=Status.RECTIFYING,
        permission=may_open,
        conditions=[has_due],
        custom={"label": "限期整改"},
    )
    def start_rectification(self) -> None:
        """通报，限期整改 (seed 002 第十六条)."""

    @transition(
        field=status,
        source=[Status.DECIDED, Status.RECTIFYING],
        target=Status.CLOSED,
        permission=may_open,
        conditions=[has_reason],
        custom={"label": "办结"},
    )
    def close(self) -> None:
        """The measures are carried out and any rectification is finished."""

    @transition(
        field=status,
        source=Status.RECTIFYING,
        target=Status.PROPOSED,
        permission=may_open,
        conditions=[has_reason, below_top],
        custom={"label": "升级追责"},
    )
    def escalate(self) -> None:
        """Rectification still unfinished after 通报 (or 诫勉): the next level (seed 002
        第十七–十八条; seed 004 第十五条(三)、第十六条)."""
        self.level += 1
        self.rectify_due = None

    @transition(
        field=status,
        source=[Status.OPENED, Status.PROPOSED],
        target=Status.DISMISSED,
        permission=may_open,
        conditions=[has_reason],
        custom={"label": "不予追究"},
    )
    def dismiss(self) -> None:
        """The facts do not call for accountability. (A failing that has done no harm yet
        is met with 责令改正, a measure of its own: seed 004 第十四条首款.)"""


class Measure(models.Model):
    """One measure proposed in a case. Once decided (or declined) the row never changes:
    a correction is a new measure, and an appeal leaves it in force (seed 002 第二十条)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "拟处理"
        DECIDED = "decided", "已决定"
        DECLINED = "declined", "不予采纳"

    acase = models.ForeignKey(
        AccountabilityCase, verbose_name="责任追究", on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField("追责方式", max_length=20, choices=MeasureKind.choices)
    level = models.PositiveSmallIntegerField("追责层级", choices=Level.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposal = models.TextField("建议理由", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="建议人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField("建议时间", auto_now_add=True)
    decision_note = models.TextField("决定意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    history = HistoricalRecords(bases=[TransitionHistory])

    class Meta:
        verbose_name = "追责措施"
        verbose_name_plural = "追责措施"
        ordering = ["level", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.Status.PROPOSED:
                raise ValidationError("已决定的追责措施不能修改；更正请另行登记。")
        super().save(*args, **kwargs)

    @property
    def decider_role(self) -> str:
        return decider_role(self.kind)

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.DECIDED


class Dissent(models.Model):
    """A person's dissent on record: they opposed the wrong decision or act in clear
    terms and were overruled, so they bear no share of the collective (leadership)
    responsibility (seed 004 第十四条第二款: 对错误决策或行为提出明确反对意见而没有被
    采纳的，不承担领导责任). Recorded by the petition office on the case; the person is
    then left out of it (accountability.services)."""

    acase = models.ForeignKey(
        AccountabilityCase, verbose_name="责任追究", on_delete=models.CASCADE, related_name="dissents"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出反对意见的人员", on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField("反对意见及记录出处", help_text="如：2026年3月5日院务会，明确反对该方案，见会议纪要")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "反对意见记录"
        verbose_name_plural = "反对意见记录"
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["acase", "person"],
                name="accountability_one_dissent_per_person",
                violation_error_message="该人员的反对意见已记录。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}：{self.statement[:30]}"


class Appeal(models.Model):
    """A written appeal (申诉) against a case's measures (seed 002 第二十条). It is decided by
    the office or discipline/HR and never suspends the measure."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "维持原决定"
        CHANGED = "changed", "变更原决定（另行登记更正）"

    acase = models.ForeignKey(
        AccountabilityCase, verbose_name="责任追究", on_delete=models.CASCADE, related_name="appeals"
    )
    measure = models.ForeignKey(
        Measure, verbose_name="申诉的措施", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals"
    )
    grounds = models.TextField("申诉理由")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    decision = models.CharField("处理结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    opinion = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    history = HistoricalRecords(bases=[TransitionHistory])

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["filed_at", "id"]

    def __str__(self) -> str:
        return f"申诉（{self.get_decision_display()}）"


class PersonRecordEntry(models.Model):
    """An entry in a person's record (seed 004 第十九条: 问责决定材料归入个人档案). Entries are
    written once: a correction is a new entry pointing at the one it corrects."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="record_entries"
    )
    acase = models.ForeignKey(
        AccountabilityCase, verbose_name="责任追究", on_delete=models.PROTECT, related_name="record_entries"
    )
    measure = models.ForeignKey(
        Measure, verbose_name="追责措施", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.ForeignKey(
        "self", verbose_name="更正的记录", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    text = models.TextField("记录内容")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "个人档案记录"
        verbose_name_plural = "个人档案记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.person}：{self.text[:30]}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("个人档案记录一经登记不能修改；更正请另行登记。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("个人档案记录不能删除；更正请另行登记。")


# --- the annual assessment (issue 7 item 2; seed 000 §五(五); seed 004 第十二–十三条) ---------


def _points(name: str, default: int) -> models.DecimalField:
    return models.DecimalField(name, max_digits=6, decimal_places=2, default=default)


class AssessmentScheme(models.Model):
    """A year's weights and thresholds. The score is the weighted rates (points at 100 %)
    less the deductions per counted item; a unit passes with at least `pass_score` and a
    completion on-time rate of at least `min_completion_rate`, unless vetoed."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    w_completion = _points("办结按期率权重", 40)
    w_reply = _points("答复按期率权重", 30)
    w_satisfaction = _points("满意率权重", 30)
    p_overdue = _points("每件超期扣分", 2)
    p_notice = _points("每份督办单扣分", 2)
    p_escalated = _points("每次督办升级扣分", 5)
    p_repeat = _points("每件重复信访扣分", 1)
    p_over_level = _points("每件越级访扣分", 3)
    p_group = _points("每件集体访扣分", 3)
    pass_score = _points("合格分数线", 60)
    min_completion_rate = _points("办结按期率下限（%）", 80)
    min_volume = models.PositiveSmallIntegerField("参与排名的最少件数", default=3)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度考核方案"
        verbose_name_plural = "年度考核方案"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度考核方案"


class AssessmentVeto(models.Model):
    """一票否决 (seed 000 §五(五)), recorded by the petition office: the unit fails the
    year whatever its score."""

    year = models.PositiveSmallIntegerField("年度")
    unit = models.ForeignKey("people.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("否决理由")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "一票否决"
        verbose_name_plural = "一票否决"
        ordering = ["year", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}：{self.reason[:30]}"


class AssessmentNote(models.Model):
    """A note on a year's result. After confirmation a note is the only correction."""

    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("说明")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核说明"
        verbose_name_plural = "考核说明"
        ordering = ["year", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.year}：{self.text[:30]}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("考核说明一经登记不能修改；更正请另行登记。")
        super().save(*args, **kwargs)


class AssessmentResult(models.Model):
    """A confirmed (frozen) year: its rows are the stored figures, never recomputed."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    scheme = models.JSONField("考核方案（确认时）", default=dict)
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "年度考核结果"
        verbose_name_plural = "年度考核结果"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度考核结果"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("考核结果已确认，不能修改；更正请登记说明。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("考核结果已确认，不能删除。")


class AssessmentRow(models.Model):
    """One unit's stored figures in a confirmed result."""

    result = models.ForeignKey(AssessmentResult, verbose_name="考核结果", on_delete=models.PROTECT, related_name="rows")
    unit = models.ForeignKey("people.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=64)
    figures = models.JSONField("指标", default=dict)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    passed = models.BooleanField("合格")
    vetoed = models.BooleanField("一票否决")
    veto_reason = models.TextField("否决理由", blank=True)
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)

    class Meta:
        verbose_name = "年度考核结果行"
        verbose_name_plural = "年度考核结果行"
        ordering = ["result", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.result.year} {self.unit_name}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("考核结果已确认，不能修改；更正请登记说明。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("考核结果已确认，不能删除。")
