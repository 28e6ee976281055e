"""Writes for supervision, the follow-up and notifications.

Each write: one transaction; the actor's permission; the django-fsm-2 transition; the
notice's own history row (user, reason, label), which the case page merges into the
case's timeline (cases.selectors.case_timeline), so a notice the scan raised shows there as
well; the notifications; mail queued with `on_commit`, so a mail server that is down
never undoes the action that caused the mail. Follow-up steps that have no history of
their own (不满意研判, 复查, 复核) write a note on the case's history.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.choices import HANDED_TO_UNIT
from cases.models import Case, Satisfaction
from cases.services import case_note, case_notify
from core.days import day_start
from core.fsm import Steps, save_with_history
from deadlines import calendar as cal
from deadlines.clocks import Clock, DeadlineRule, Event, PeriodUnit
from deadlines.services import on_case_event
from notifications.services import retry_mail
from people.models import Unit, User

from . import abilities, selectors
from . import models as m
from .models import (
    AWAITING_UNIT,
    OPEN_STATUSES,
    Adoption,
    Level,
    Notice,
    ReviewRequest,
    SatisfactionReview,
    Trigger,
)
from .seed_triggers import DISSATISFIED, OVERDUE

log = logging.getLogger(__name__)


class SupervisionRefused(Exception):
    """A supervision step that cannot run now; the message is for the user, in Chinese."""


CONDITION_MESSAGES = {
    m.has_answer: "请填写书面反馈的办理情况。",
    m.answers_suggestions: "请说明对改进建议的采纳情况；未采纳或部分采纳的，须写明原因（《信访工作条例》第四十条）。",
    m.has_reason: "请填写理由。",
    m.below_top: "该督办单已是挂牌督办，不能再升级。",
}


# --- the feedback period -----------------------------------------------------------------


def feedback_due(start: dt.date) -> tuple[dt.date, dt.datetime]:
    """The default feedback deadline of a notice sent on `start`: the 督办反馈 rule
    (7 workdays, seed 002 第十一条(一)), counted on the official calendar."""
    rule = DeadlineRule.objects.filter(code="notice-feedback", is_active=True).first()
    length, unit = (rule.length, rule.unit) if rule else (7, PeriodUnit.WORKDAYS)
    due = cal.due_date(start, length, unit, cal.current_calendar())
    return due, end_of(due)


def end_of(day: dt.date) -> dt.datetime:
    """A deadline date runs to the end of that day: late from the next midnight."""
    return day_start(day + dt.timedelta(days=1))


# --- notices -----------------------------------------------------------------------------


STEPS = Steps(refused=SupervisionRefused, messages=CONDITION_MESSAGES, noun="该督办单")
may_run = STEPS.may_run


def may_raise(user: User) -> bool:
    return abilities.can_supervise(user)


def _unit_may_see(case: Case, unit: Unit) -> bool:
    """A notice goes to a unit handling the case (main or co-unit), never to a unit the
    case accuses (条例 第30条)."""
    if case.state not in HANDED_TO_UNIT:
        return False
    if case.accused_units.filter(pk=unit.pk).exists():
        return False
    return case.main_unit_id == unit.pk or case.co_units.filter(pk=unit.pk).exists()


@dataclass
class NoticeData:
    trigger: Trigger
    reason: str = ""
    form: str = m.Form.ONLINE
    requirements: str = ""
    suggestions: str = ""
    feedback_due: dt.date | None = None
    unit: Unit | None = None


@transaction.atomic
def notice_raise(*, case: Case, actor: User, data: NoticeData) -> tuple[Notice, bool]:
    """The office raises a notice by hand, for any trigger (seed 000 §四.7; seed 002
    第十一条; seed 004 第十一条). Returns (notice, created). The same trigger on the same
    case and level finds the notice already open, and lateness finds the notice the scan
    raised for the overdue clock: one notice per trigger and level, whoever raises it."""
    if not may_raise(actor):
        raise PermissionDenied("只有信访办可以发出督办单。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    unit = data.unit or case.main_unit
    if unit is None:
        raise SupervisionRefused("该件尚未交办承办部门，无从督办；请先拟办、交办。")
    if not _unit_may_see(case, unit):
        raise SupervisionRefused(f"“{unit}”不是该件的承办或协办部门，不能向其发出督办单。")
    today = timezone.localdate()
    if data.feedback_due and data.feedback_due < today:
        raise SupervisionRefused("反馈期限不能早于今天。")
    clock = None
    if data.trigger.code == OVERDUE:
        clock = (
            Clock.objects.filter(
                case=case, status=Clock.Status.OVERDUE, rule__raises_notice=True, rule__notice_trigger="", unit=unit
            )
            .order_by("due_at")
            .first()
        )
        if clock is None:
            raise SupervisionRefused("该件在该部门没有超期的办理时限，不能以“超过办理期限”督办；请选择其他督办情形。")
    existing = _existing(case=case, trigger=data.trigger, clock=clock, level=Level.URGE)
    if existing is not None:
        return existing, False
    due, due_at = (data.feedback_due, end_of(data.feedback_due)) if data.feedback_due else feedback_due(today)
    notice = Notice(
        case=case,
        clock=clock,
        unit=unit,
        trigger=data.trigger,
        level=Level.URGE,
        reason=(data.reason.strip() or data.trigger.name)[:200],
        form=data.form,
        requirements=data.requirements.strip(),
        suggestions=data.suggestions.strip(),
        feedback_due=due,
        feedback_due_at=due_at,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            save_with_history(notice, actor, "发出督办单", notice.reason)
    except IntegrityError:
        # The scan inserted the same (clock, level) a moment ago.
        found = _existing(case=case, trigger=data.trigger, clock=clock, level=Level.URGE)
        if found is None:
            raise
        return found, False
    _notify_unit(notice, "收到" + notice.get_level_display() + "单")
    return notice, True


def _existing(*, case: Case, trigger: Trigger | None, clock: Clock | None, level: int) -> Notice | None:
    if clock is not None:
        # the (clock, level) row is unique whatever its status; an escalated or closed
        # one is not "open" for the office's message, but still blocks a second row
        return Notice.objects.filter(clock=clock, level=level).order_by("-pk").first()
    return Notice.objects.filter(case=case, trigger=trigger, level=level, clock=None, status__in=OPEN_STATUSES).first()


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update(of=("self",)).select_related("case", "unit", "trigger").get(pk=notice.pk)


@transaction.atomic
def notice_sign(*, notice: Notice, actor: User) -> Notice:
    """签收: the unit acknowledges the notice."""
    notice = _locked(notice)
    STEPS.run(notice, actor=actor, name="sign", values={"signed_at": timezone.now(), "signed_by": actor})
    _notify_office(notice, f"{notice.unit}已签收")
    return notice


@transaction.atomic
def notice_answer(
    *, notice: Notice, actor: User, answer: str, adoption: str = "", adoption_note: str = "", files: list | tuple = ()
) -> Notice:
    """书面反馈: the unit's written answer, with attachments, and whether it adopted the
    office's suggestions (seed 000 §四.7(3); 条例 第40条)."""
    from cases.services import _store_attachment

    notice = _locked(notice)
    if notice.status == Notice.Status.SENT and may_run(notice, "sign", actor):
        # Answering signs for the notice too: one step for the unit, two in the history.
        STEPS.run(notice, actor=actor, name="sign", values={"signed_at": timezone.now(), "signed_by": actor})
    STEPS.run(
        notice,
        actor=actor,
        name="submit_answer",
        reason=answer.strip()[:500],
        values={
            "answer": answer.strip(),
            "adoption": adoption if notice.suggestions.strip() else "",
            "adoption_note": adoption_note.strip(),
            "answered_at": timezone.now(),
            "answered_by": actor,
        },
    )
    stored = [_store_attachment(case=notice.case, upload=f, actor=actor) for f in files]
    if stored:
        notice.attachments.add(*stored)
    _notify_office(notice, f"{notice.unit}已书面反馈")
    return notice


@transaction.atomic
def notice_close(*, notice: Notice, actor: User, note: str = "") -> Notice:
    """办结: the office accepts the unit's answer."""
    notice = _locked(notice)
    STEPS.run(notice, actor=actor, name="close", reason=note, values={"closed_at": timezone.now(), "closed_by": actor})
    _notify_unit(notice, "督办单已办结")
    return notice


# An answer sent back this many times escalates the notice instead.
REJECTIONS_BEFORE_ESCALATION = 2


@transaction.atomic
def notice_send_back(*, notice: Notice, actor: User, reason: str) -> Notice:
    """退回: the office finds the answer wanting. The second answer sent back escalates
    the notice one step (the supervision issue; 条例 第39条)."""
    notice = _locked(notice)
    # a notice at the top rung cannot escalate (the escalate transition's condition)
    if notice.rejections + 1 >= REJECTIONS_BEFORE_ESCALATION and m.below_top(notice):
        if not may_run(notice, "send_back", actor):
            raise PermissionDenied("您无权退回该督办单的反馈。")
        notice.rejections += 1
        return _escalate(notice, actor, f"反馈第{notice.rejections}次被退回：{reason.strip()}", by_person=True)
    STEPS.run(notice, actor=actor, name="send_back", reason=reason)
    _notify_unit(notice, "督办反馈被退回，请重新反馈")
    return notice


@transaction.atomic
def notice_escalate(*, notice: Notice, actor: User, reason: str) -> Notice:
    """The office escalates by its own judgement; returns the new, higher notice."""
    notice = _locked(notice)
    return _escalate(notice, actor, reason, by_person=True)


def _escalate(
    notice: Notice, actor: User | None, reason: str, *, by_person: bool, now: dt.datetime | None = None
) -> Notice:
    """Mark `notice` escalated and send the next level to the same unit, now also to its
    分管领导 (约谈/通报) and then the 主要领导 (挂牌督办)."""
    if by_person and actor is not None and not abilities.can_supervise(actor):
        raise PermissionDenied("只有信访办可以升级督办。")
    now = now or timezone.now()
    STEPS.run(
        notice,
        actor=actor if by_person else None,
        name="escalate",
        reason=reason,
        values={"escalated_at": now},
    )
    level = Level(notice.level + 1)
    due, due_at = feedback_due(timezone.localdate(now))
    child = Notice(
        case=notice.case,
        clock=notice.clock,
        unit=notice.unit,
        trigger=notice.trigger,
        level=level,
        reason=f"{notice.reason}（由{notice.get_level_display()}升级）"[:200],
        form=m.Form.TALK if level >= Level.TALK else notice.form,
        requirements=notice.requirements,
        suggestions=notice.suggestions,
        feedback_due=due,
        feedback_due_at=due_at,
        parent=notice,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            save_with_history(child, actor, f"升级为{level.label}", reason)
    except IntegrityError:
        # A notice of this level for the same trigger is already open: it carries on.
        found = _existing(case=notice.case, trigger=notice.trigger, clock=notice.clock, level=level)
        if found is None:
            raise
        return found
    _notify_unit(child, f"收到{level.label}单")
    _notify_leaders(child, f"{child.unit}的督办事项升级为{level.label}")
    _notify_office(child, f"督办升级为{level.label}")
    return child


def escalate_late(now: dt.datetime | None = None) -> int:
    """The sweep: every notice whose feedback is late escalates one step, once. A notice
    is claimed under its row lock with SKIP LOCKED and re-checked, so two sweeps at once
    escalate it once; each escalation is its own transaction."""
    now = now or timezone.now()
    done = 0
    late = Notice.objects.filter(
        status__in=AWAITING_UNIT,
        feedback_due_at__lte=now,
        level__lt=Level.LISTED,  # below_top, the escalate transition's condition, as SQL
    ).values_list("pk", flat=True)
    for pk in list(late[:500]):
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "unit", "trigger")
                .filter(pk=pk, status__in=AWAITING_UNIT, feedback_due_at__lte=now)
                .first()
            )
            if notice is None:
                continue
            _escalate(notice, None, f"逾期未反馈（反馈期限 {notice.feedback_due:%Y-%m-%d}）", by_person=False, now=now)
            done += 1
    return done


# --- recipients and notifications --------------------------------------------------------


def _active(qs):
    return qs.filter(is_active=True)


def _notify_unit(notice: Notice, event: str) -> None:
    users = _active(User.objects.filter(unit=notice.unit, role__in=(User.Role.UNIT_HEAD, User.Role.RECEPTIONIST)))
    notify(users=users, case=notice.case, notice=notice, event=event)


def _notify_leaders(notice: Notice, event: str) -> None:
    """约谈/通报 reaches the unit's 分管领导; 挂牌督办 the 主要领导 as well."""
    if notice.level < Level.TALK:
        return
    who = Q(charge_units=notice.unit)
    if notice.level >= Level.LISTED:
        who |= Q(is_main_leader=True)
    users = _active(User.objects.filter(who, role=User.Role.LEADER).distinct())
    notify(users=users, case=notice.case, notice=notice, event=event)


def _notify_office(notice: Notice, event: str) -> None:
    notify(users=_active(User.objects.filter(role=User.Role.OFFICE)), case=notice.case, notice=notice, event=event)


def notify(*, users, case: Case, event: str, notice: Notice | None = None, link: str = "") -> list:
    """Tell people about a notice or its case: the level leads the text, the notice's
    page is the link (cases.services.case_notify keeps a 举报 to its number)."""
    prefix = f"【{notice.get_level_display()}】" if notice else ""
    link = link or (notice.get_absolute_url() if notice else "")
    return case_notify(users=users, case=case, event=event, prefix=prefix, link=link, notice=notice)


@dataclass
class SweepResult:
    escalated: int
    mail_retried: int

    def __str__(self) -> str:
        return f"升级督办 {self.escalated} 份，重发邮件 {self.mail_retried} 封"


def sweep(now: dt.datetime | None = None) -> SweepResult:
    """The beat job (and `manage.py supervise`): escalate late notices, retry mail."""
    return SweepResult(escalated=escalate_late(now), mail_retried=retry_mail(now))


# --- follow-up: 不满意 -------------------------------------------------------------------


def on_case_stepped(sender, case: Case, name: str, actor: User, **kwargs) -> None:
    """Connected to cases.signals.case_stepped: a 不满意 at the 回访 opens the review."""
    if name == "follow_up" and case.satisfaction == Satisfaction.DISSATISFIED:
        dissatisfaction_open(case=case, actor=actor)


def dissatisfaction_open(*, case: Case, actor: User) -> SatisfactionReview:
    """A 不满意 follow-up opens the office's review (seed 004 第十一条(七)); the caller
    (cases.services.case_follow_up) holds the transaction."""
    review, created = SatisfactionReview.objects.get_or_create(case=case)
    if created:
        case_note(case, actor, "不满意待研判", "信访人评价不满意，信访办研判承办部门处理是否到位。")
        notify(users=_active(User.objects.filter(role=User.Role.OFFICE)), case=case, event="信访人评价不满意，请研判")
    return review


@transaction.atomic
def dissatisfaction_decide(
    *, review: SatisfactionReview, actor: User, inadequate: bool, note: str, notice: NoticeData | None = None
) -> SatisfactionReview:
    """The office decides whether the unit's handling was adequate; if not, it supervises
    (seed 004 第十一条(七))."""
    if not abilities.can_supervise(actor):
        raise PermissionDenied("只有信访办可以研判。")
    review = SatisfactionReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    if review.status != SatisfactionReview.Status.PENDING:
        raise SupervisionRefused("该不满意评价已研判。")
    if not note.strip():
        raise SupervisionRefused("请填写研判意见。")
    review.note, review.decided_at, review.decided_by = note.strip(), timezone.now(), actor
    if inadequate:
        data = notice or NoticeData(trigger=Trigger.objects.get(code=DISSATISFIED))
        if not data.reason:
            data.reason = f"信访人评价不满意且处理不到位：{note.strip()}"[:200]
        review.notice, _ = notice_raise(case=review.case, actor=actor, data=data)
        review.status = SatisfactionReview.Status.INADEQUATE
    else:
        review.status = SatisfactionReview.Status.ADEQUATE
    review.save()
    case_note(review.case, actor, "不满意研判", f"{review.get_status_display()}：{review.note}")
    return review


# --- follow-up: 复查 and 复核 (条例 第35–36条) ---------------------------------------------


@transaction.atomic
def review_request_record(
    *, case: Case, actor: User, stage: str, received_on: dt.date, request_text: str, body: str
) -> ReviewRequest:
    """The office records a petitioner's request for 复查 or 复核, inside its window; the
    opinion's 30-day clock starts at receipt (条例 第35–36条)."""
    if not abilities.can_supervise(actor):
        raise PermissionDenied("只有信访办可以登记复查、复核申请。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    name = ReviewRequest.Stage(stage).label
    if selectors.is_final(case):
        raise SupervisionRefused(
            "该信访事项已经复核，信访人仍以同一事实和理由提出的，不再受理（《信访工作条例》第三十六条第三款），已终结。"
        )
    if case.review_requests.filter(stage=stage).exists():
        raise SupervisionRefused(f"该件已登记过{name}申请。")
    window = selectors.review_window(case, stage)
    if window is None:
        raise SupervisionRefused(selectors.review_window_closed(case, stage))
    start, last = window
    if not request_text.strip() or not body.strip():
        raise SupervisionRefused(f"请填写{name}请求和{name}机关。")
    if received_on > timezone.localdate():
        raise SupervisionRefused("收到申请日期不能晚于今天。")
    if received_on < start:
        raise SupervisionRefused(f"收到申请日期不能早于{start:%Y-%m-%d}。")
    if received_on > last:
        is_review = stage == ReviewRequest.Stage.REVIEW
        basis = "《信访工作条例》第三十五条" if is_review else "《信访工作条例》第三十六条"
        what = "书面答复" if is_review else "复查意见"
        raise SupervisionRefused(
            f"已超过{name}申请期限：应自{start:%Y-%m-%d}收到{what}之日起30日内（至{last:%Y-%m-%d}）提出，"
            f"申请于{received_on:%Y-%m-%d}收到（{basis}）。"
        )
    review = ReviewRequest.objects.create(
        case=case,
        stage=stage,
        received_on=received_on,
        request=request_text.strip(),
        body=body.strip(),
        recorded_by=actor,
    )
    event = Event.REVIEW_REQUESTED if stage == ReviewRequest.Stage.REVIEW else Event.REREVIEW_REQUESTED
    on_case_event(case, event, at=day_start(received_on))
    case_note(
        case, actor, f"收到{name}申请", f"{received_on:%Y-%m-%d}收到，{name}机关：{review.body}。{review.request}"
    )
    return review


@transaction.atomic
def review_opinion_record(
    *, review: ReviewRequest, actor: User, decision: str, opinion: str, decided_on: dt.date
) -> ReviewRequest:
    """The 复查 or 复核 opinion, answered in writing; its clock stops. After 复核 the matter
    is final (条例 第36条)."""
    if not abilities.can_supervise(actor):
        raise PermissionDenied("只有信访办可以登记复查、复核意见。")
    review = ReviewRequest.objects.select_for_update().select_related("case").get(pk=review.pk)
    name = review.get_stage_display()
    if review.decided_on is not None:
        raise SupervisionRefused(f"该{name}已有意见。")
    if not opinion.strip() or decision not in ReviewRequest.Decision.values:
        raise SupervisionRefused(f"请选择{name}结论并填写{name}意见。")
    if decided_on < review.received_on or decided_on > timezone.localdate():
        raise SupervisionRefused(f"{name}意见日期应在收到申请之日（{review.received_on:%Y-%m-%d}）与今天之间。")
    review.decision, review.opinion, review.decided_on, review.decided_by = decision, opinion.strip(), decided_on, actor
    review.save()
    event = Event.REVIEW_OPINION if review.stage == ReviewRequest.Stage.REVIEW else Event.REREVIEW_OPINION
    on_case_event(review.case, event, at=day_start(decided_on))
    final = "；复核意见作出，该信访事项终结" if review.stage == ReviewRequest.Stage.REREVIEW else ""
    case_note(review.case, actor, f"作出{name}意见", f"{review.get_decision_display()}：{review.opinion}{final}")
    return review


__all__ = [
    "Adoption",
    "NoticeData",
    "SupervisionRefused",
    "dissatisfaction_decide",
    "dissatisfaction_open",
    "escalate_late",
    "notice_answer",
    "notice_close",
    "notice_escalate",
    "notice_raise",
    "notice_send_back",
    "notice_sign",
    "notify",
    "review_opinion_record",
    "review_request_record",
    "sweep",
]
