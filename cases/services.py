"""Writes. Every change to a case goes through one of these functions.

Each one: opens a transaction, checks the actor's permission, fills in the data the
transition needs, runs the django-fsm-2 transition, saves with the history user and
reason, and only then touches related rows. `ConcurrentTransitionMixin` turns a lost
race into `ConcurrentTransition` because the save runs inside `atomic()`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.fsm import Steps
from notifications.services import notify
from people.models import Unit, User

from . import abilities, conditions, guards
from . import models as m
from .attachments import check_upload
from .choices import REPLIED_STATES
from .models import Attachment, Case, CaseAccessLog, CaseNumberSequence, Petitioner, State
from .selectors import cases_visible_to
from .signals import case_event, case_registered, case_stepped


class TransitionRefused(Exception):
    """A transition that cannot run now; the message is for the user, in Chinese."""


# Why a condition failed, in words a user understands.
CONDITION_MESSAGES = {
    conditions.has_reason: "请填写理由。",
    conditions.has_forward_target: "请填写转送机关和转送理由。",
    conditions.has_proposal: "请选择主办部门、呈报领导并填写拟办意见。",
    conditions.main_unit_not_accused: "被举报部门不能承办针对本部门的举报件，请另选主办部门。",
    conditions.major_goes_to_leader_in_charge: "重大事项须呈报主办部门的分管院领导（同时报告学院主要领导），"
    "所选领导不分管该部门。",
    conditions.suggestion_has_no_outcome: "建议意见类事项经研究论证后予以答复，不作“支持/不予支持”等处理结果"
    "（《信访工作条例》第二十九条）。",
    conditions.has_statutory_route: "请选择法定途径、填写受理机关并写明理由。",
    conditions.has_pending_objection: "该件没有待上级答复的异议，不能退回上级。",
    conditions.has_assignment: "请填写领导批示和办理期限。",
    conditions.has_report: "结案报告不完整：事实、结论、处理意见、信访人意见和处理结果（建议意见类为采纳情况）"
    "都必须填写。",
    conditions.major_case: "该件不是重大事项，无需审定，请直接答复。",
    conditions.ordinary_case: "重大、特别重大事项的答复须经部门负责人和院领导审定，请报送审定。",
    conditions.has_satisfaction: "请选择满意度和评价方式。",
    conditions.not_repeat_of_final: (
        "原信访件已经复核，信访人仍以同一事实和理由提出的不再受理（《信访工作条例》第三十六条第三款），"
        "请作不予受理处理并告知信访人。"
    ),
}


def _announce(case: Case, name: str, actor: User) -> None:
    """Tell the apps above (clocks, supervision) that `case` took step `name`."""
    case_stepped.send(sender=Case, case=case, name=name, actor=actor)


STEPS = Steps(
    refused=TransitionRefused,
    messages=CONDITION_MESSAGES,
    noun="该信访件",
    field="state",
    after=_announce,
    guard=guards.refusal,
)
# The state allows the step and the user's role and unit may run it. Conditions are not
# checked: the form that collects their data comes after this question.
may_run = STEPS.may_run


# --- registration -----------------------------------------------------------------


@dataclass
class PetitionerData:
    name: str
    phone: str = ""
    id_number: str = ""
    address: str = ""
    organisation: str = ""
    relation: str = Petitioner.Relation.STUDENT


@dataclass
class CaseData:
    channel: str
    kind: str
    received_on: date
    summary: str
    content: str = ""
    source: str = m.Source.SELF
    superior_reference: str = ""
    superior_deadline: date | None = None
    topic: m.Topic | None = None
    # 一般 / 重大 / 特别重大; empty: 重大 when is_major, else 一般 (callers that know one flag)
    gravity: str = ""
    is_major: bool = False
    sunshine_class: str = ""
    # empty: from the kind (建议、表扬 → 建议意见类, 条例 第29条; the rest the ordinary procedure)
    procedure: str = ""
    complained_unit: Unit | None = None
    is_group: bool = False
    group_size: int | None = None
    is_over_level: bool = False
    is_leader_case: bool = False
    leader_in_charge: User | None = None
    is_repeat: bool = False
    repeat_of: Case | None = None
    accused_units: list[Unit] = field(default_factory=list)
    accused_people: list[str] = field(default_factory=list)
    # a group visit's representatives, (name, phone), at most 5 (条例 第20条)
    representatives: list[tuple[str, str]] = field(default_factory=list)


def next_case_number(*, year: int) -> str:
    """A yearly number, never duplicated: the row lock on the year's sequence serialises
    concurrent registrations, and `Case.number` is unique besides."""
    updated = CaseNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(year=year, last=1)
        except IntegrityError:
            CaseNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = CaseNumberSequence.objects.get(year=year).last
    return f"{year}-{last:04d}"


def petitioner_find_or_create(*, data: PetitionerData) -> Petitioner:
    """The same person is one petitioner: matched by ID number, else by name and phone."""
    existing = None
    if data.id_number:
        existing = Petitioner.objects.filter(id_number=data.id_number.upper()).first()
    if existing is None and data.phone:
        existing = Petitioner.objects.filter(name=data.name, phone=data.phone).first()
    if existing is None:
        return Petitioner.objects.create(
            name=data.name,
            phone=data.phone,
            id_number=data.id_number.upper(),
            address=data.address,
            organisation=data.organisation,
            relation=data.relation,
        )
    changed = []
    for attr in ("phone", "id_number", "address", "organisation", "relation"):
        value = getattr(data, attr)
        if value and getattr(existing, attr) != value:
            setattr(existing, attr, value.upper() if attr == "id_number" else value)
            changed.append(attr)
    if changed:
        existing.save(update_fields=changed)
    return existing


def case_register(
    *,
    actor: User,
    petitioner: PetitionerData,
    data: CaseData,
    files: list | None = None,
    submission_token: uuid.UUID | None = None,
) -> tuple[Case, bool]:
    """登记 (seed 000 §四.1): record the petition and its scans.

    Returns (case, created). The same `submission_token` twice returns the first case,
    so a double click or a resubmitted form never makes a second case.
    """
    if not abilities.can_register_case(actor):
        raise PermissionDenied("只有登记员、信访办和各部门信访接待员可以登记信访件。")
    representatives = data.representatives if data.is_group else []
    if len(representatives) > m.MAX_REPRESENTATIVES:
        raise TransitionRefused(
            f"集体访推选的代表不得超过{m.MAX_REPRESENTATIVES}人（《信访工作条例》第二十条），"
            f"现有{len(representatives)}人。"
        )
    if submission_token is not None:
        existing = Case.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    written: list[Attachment] = []
    try:
        with transaction.atomic():
            person = petitioner_find_or_create(data=petitioner)
            year = timezone.localdate().year
            case = Case(
                number=next_case_number(year=year),
                year=year,
                channel=data.channel,
                source=data.source,
                superior_reference=data.superior_reference,
                superior_deadline=data.superior_deadline,
                received_on=data.received_on,
                registered_by=actor,
                registered_unit=actor.unit if actor.is_unit_staff else None,
                kind=data.kind,
                topic=data.topic,
                summary=data.summary,
                content=data.content,
                petitioner=person,
                gravity=_gravity(data),
                sunshine_class=data.sunshine_class if data.source == m.Source.SUNSHINE else "",
                procedure=data.procedure or _procedure_for(data.kind),
                complained_unit=data.complained_unit,
                is_group=data.is_group,
                group_size=data.group_size if data.is_group else None,
                is_over_level=data.is_over_level,
                is_leader_case=data.is_leader_case,
                leader_in_charge=data.leader_in_charge if data.is_leader_case else None,
                is_repeat=data.is_repeat,
                repeat_of=data.repeat_of if data.is_repeat else None,
                submission_token=submission_token,
            )
            case._history_user = actor
            case._change_reason = ""
            case._history_transition = "登记"
            case.save()
            case_registered.send(sender=Case, case=case)
            if data.kind == m.Kind.REPORT:
                case.accused_units.set(data.accused_units)
                for name in data.accused_people:
                    _add_accused_person(case=case, name=name)
            for order, (name, phone) in enumerate(representatives, start=1):
                case.representatives.create(name=name, phone=phone, order=order)
            for upload in files or []:
                written.append(_store_attachment(case=case, upload=upload, actor=actor))
            if case.is_group or case.needs_urgent_report:
                _tell_leaders_at_once(case)
    except IntegrityError:
        for attachment in written:
            attachment.file.delete(save=False)
        if submission_token is not None:
            existing = Case.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing, False
        raise
    except Exception:
        for attachment in written:
            attachment.file.delete(save=False)
        raise
    return case, True


def _tell_leaders_at_once(case: Case) -> None:
    """A group visit is reported to the leaders at once (《信访工作条例》第二十条), and a major
    or urgent matter needs a 紧急信访信息报告 to the leaders and the superior (第二十五条; 《兰州
    大学信访工作责任制实施细则》第八条(四)): the leaders who may see the case are told now."""
    leaders = User.objects.filter(role=User.Role.LEADER, is_active=True)
    parts = []
    if case.is_group:
        parts.append(f"集体访{case.group_size or ''}人")
    if case.needs_urgent_report:
        parts.append(f"{case.get_gravity_display()}事项，须报送紧急信访信息报告")
    case_notify(users=list(leaders), case=case, event="、".join(parts), prefix="【紧急】")


def _gravity(data: CaseData) -> str:
    if data.gravity:
        return data.gravity
    return m.Gravity.MAJOR if data.is_major else m.Gravity.ORDINARY


def _procedure_for(kind: str) -> str:
    """条例 第29条: a 建议意见类 matter (建议, 表扬) is studied and answered; the rest follow the
    ordinary procedure until the office routes one to its statutory procedure."""
    if m.KIND_TO_REGULATION_CLASS[m.Kind(kind)] == m.RegulationClass.ADVICE:
        return m.Procedure.SUGGESTION
    return m.Procedure.PETITION


def _add_accused_person(*, case: Case, name: str) -> None:
    """Link the named person to a staff account when exactly one matches, so the case is
    hidden from them (条例 第30条)."""
    matches = list(User.objects.filter(full_name=name).select_related("unit")[:2])
    user = matches[0] if len(matches) == 1 else None
    case.accused_people.create(name=name, user=user, unit=user.unit if user else None)


def _store_attachment(*, case: Case, upload, actor: User) -> Attachment:
    checked = check_upload(upload)
    attachment = Attachment(
        uuid=uuid.uuid4(),
        case=case,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    attachment.file.save(attachment.uuid.hex, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def case_add_attachments(*, case: Case, actor: User, files: list) -> list[Attachment]:
    """Scans added after registration by whoever is working the case."""
    if not abilities.can_add_attachments(actor):
        raise PermissionDenied("您无权为该信访件上传附件。")
    if not case.is_open:
        raise TransitionRefused("该信访件已办结归档，不能再添加附件。")
    return [_store_attachment(case=case, upload=upload, actor=actor) for upload in files]


def case_log_access(*, case: Case, user: User, action: str, ip_address: str | None = None) -> None:
    """Every view of a protected case is logged (seed 004 第九条)."""
    if case.is_protected:
        CaseAccessLog.objects.create(case=case, user=user, action=action, ip_address=ip_address)


def case_notify(*, users, case: Case, event: str, prefix: str = "", link: str = "", notice=None) -> list:
    """Tell people something about a case: only those who may see it now, and about a
    举报 the case number only, no content and no reporter (条例 第30条; seed 004 第九条)."""
    if case.is_protected:
        text = f"{event}：信访件 {case.number}"
    else:
        text = f"{prefix}{event}：{case.number} {case.summary[:40]}"
    allowed = [user for user in users if cases_visible_to(user=user).filter(pk=case.pk).exists()]
    return notify(users=allowed, text=text, link=link or case.get_absolute_url(), case=case, notice=notice)


# --- the lifecycle ---------------------------------------------------------------------


@transaction.atomic
def case_accept(*, case: Case, actor: User, reason: str = "") -> Case:
    """受理 (seed 000 §四.2; 条例 第22–23条)."""
    return STEPS.run(case, actor=actor, name="accept", reason=reason)


@transaction.atomic
def case_decline(*, case: Case, actor: User, reason: str) -> Case:
    """不予受理, with the reason (seed 000 §四.2)."""
    return STEPS.run(case, actor=actor, name="decline", reason=reason)


@transaction.atomic
def case_forward(*, case: Case, actor: User, forwarded_to: str, reason: str) -> Case:
    """转送 to the competent outside body (条例 第22条(一), 第23条)."""
    return STEPS.run(case, actor=actor, name="forward", reason=reason, values={"forwarded_to": forwarded_to})


@transaction.atomic
def case_propose(
    *,
    case: Case,
    actor: User,
    main_unit: Unit,
    co_units: list[Unit],
    approving_leader: User,
    proposal: str,
) -> Case:
    """拟办 (seed 000 §四.3): main unit, co-units (seed 004 第八条), and the leader to read it."""
    STEPS.run(
        case,
        actor=actor,
        name="propose",
        reason=proposal,
        values={"main_unit": main_unit, "approving_leader": approving_leader, "proposal": proposal},
    )
    case.co_units.set([u for u in co_units if u.pk != main_unit.pk])
    if case.gravity != m.Gravity.ORDINARY:
        _report_to_main_leaders(case, exclude=approving_leader)
    return case


def _report_to_main_leaders(case: Case, *, exclude: User | None = None) -> None:
    """《湖南信息职业技术学院信访工作实施方案》四.3: a major matter goes to the 分管 leader and
    is reported to the 主要领导."""
    leaders = User.objects.filter(role=User.Role.LEADER, is_main_leader=True, is_active=True)
    if exclude is not None:
        leaders = leaders.exclude(pk=exclude.pk)
    case_notify(users=list(leaders), case=case, event=f"{case.get_gravity_display()}事项报告", prefix="【报告】")


@transaction.atomic
def case_route_statutory(*, case: Case, actor: User, route: str, body: str, reason: str) -> Case:
    """导入法定途径 (条例 第31条(一)–(四)): the matter belongs to 诉讼, 仲裁, 行政复议 or 人事
    争议仲裁; the case closes here and the petitioner is told in writing where to go (the
    法定途径告知书 of documents)."""
    return STEPS.run(
        case,
        actor=actor,
        name="route_statutory",
        reason=reason,
        values={"statutory_route": route, "statutory_body": body},
    )


@transaction.atomic
def case_assign(*, case: Case, actor: User, instruction: str, due_date: date, requirements: str = "") -> Case:
    """交办 (seed 000 §四.4): the leader's 批示, the requirements and the due date."""
    return STEPS.run(
        case,
        actor=actor,
        name="assign",
        reason=instruction,
        values={"instruction": instruction, "due_date": due_date, "requirements": requirements},
    )


@transaction.atomic
def case_send_back_proposal(*, case: Case, actor: User, reason: str) -> Case:
    return STEPS.run(case, actor=actor, name="send_back_proposal", reason=reason)


@transaction.atomic
def case_take(*, case: Case, actor: User) -> Case:
    """承办 (seed 000 §四.5)."""
    return STEPS.run(case, actor=actor, name="take")


@transaction.atomic
def case_return(*, case: Case, actor: User, reason: str) -> Case:
    """退回: the unit hands a mis-assigned case back to the office for re-assignment."""
    STEPS.run(case, actor=actor, name="return_to_office", reason=reason)
    case.co_units.clear()
    return case


@transaction.atomic
def case_reply(
    *,
    case: Case,
    actor: User,
    facts: str,
    conclusion: str,
    handling: str,
    petitioner_opinion: str,
    outcome: str = "",
    adoption: str = "",
) -> Case:
    """The 结案报告 (seed 000 §四.5) and the outcome (条例 第32–33条; none for a 建议意见类
    matter, 条例 第29条). An ordinary case is answered at once; a major one goes to the
    unit head and then the leader (seed 000 §四.6(1))."""
    values = {
        "report_facts": facts,
        "report_conclusion": conclusion,
        "report_handling": handling,
        "petitioner_opinion": petitioner_opinion,
        "outcome": outcome,
        "adoption": adoption if case.procedure == m.Procedure.SUGGESTION else "",
    }
    name = "submit_for_review" if case.gravity != m.Gravity.ORDINARY else "reply"
    return STEPS.run(case, actor=actor, name=name, reason=conclusion, values=values)


@transaction.atomic
def case_review(*, case: Case, actor: User, approve: bool, reason: str = "") -> Case:
    """审定 of a major reply: the unit head first, then the leader (seed 000 §四.6(1))."""
    if case.state == State.UNIT_REVIEW:
        if approve:
            STEPS.run(case, actor=actor, name="approve_as_unit_head", reason=reason, values={"unit_approved_by": actor})
            if case.gravity == m.Gravity.GRAVE:
                # 四.6(1): a 特别重大 reply waits for the 主要领导 alone: tell them
                leaders = User.objects.filter(role=User.Role.LEADER, is_main_leader=True, is_active=True)
                case_notify(users=list(leaders), case=case, event="特别重大事项答复待您审定", prefix="【待审定】")
            return case
        return STEPS.run(case, actor=actor, name="reject_as_unit_head", reason=reason)
    if approve:
        return STEPS.run(
            case, actor=actor, name="approve_as_leader", reason=reason, values={"leader_approved_by": actor}
        )
    return STEPS.run(case, actor=actor, name="reject_as_leader", reason=reason)


@transaction.atomic
def case_archive(*, case: Case, actor: User, reason: str = "") -> Case:
    """归档 (seed 000 §四.8)."""
    return STEPS.run(case, actor=actor, name="archive", reason=reason)


@transaction.atomic
def case_follow_up(*, case: Case, actor: User, satisfaction: str, method: str, comment: str = "") -> Case:
    """跟踪 (seed 000 §四.9): the petitioner's satisfaction and how it was obtained. 不满意
    opens the office's review of the unit's handling (seed 004 第十一条(七)): supervision
    hears the step (cases.signals.case_stepped)."""
    return STEPS.run(
        case,
        actor=actor,
        name="follow_up",
        reason=comment,
        values={"satisfaction": satisfaction, "satisfaction_method": method, "satisfaction_comment": comment},
    )


# --- cases from above: 异议 and 复函 ----------------------------------------------------

OBJECTION_WORKDAYS = 5


def case_note(case: Case, actor: User | None, label: str, reason: str) -> None:
    """A history row on the case for a change that is not a state transition (a
    document, a delivery, an objection, a clock's pause), with its reason whole
    (SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD)."""
    case.history.bulk_history_create(
        [case],
        update=True,
        default_user=actor,
        default_change_reason=reason,
        custom_historical_attrs={"transition": label},
    )


def objection_due_date(case: Case) -> date | None:
    """The last day to object: the due date of the case's objection clock (5 workdays from
    receipt over the school's calendar, deadlines' rule "objection"), read through the
    reverse relation so that cases needs no import of deadlines; None when it has none."""
    return case.clocks.filter(rule__slot="objection").order_by("round").values_list("due_date", flat=True).first()


@transaction.atomic
def case_file_objection(*, case: Case, actor: User, reasons: str) -> m.Objection:
    """异议 (条例 第23条): the office holds that a handed-down case is not the school's; it
    says why within 5 workdays of receipt, and the clocks hear of it (case_event)."""
    if not abilities.can_run_intake(actor):
        raise PermissionDenied("只有信访办可以对交办事项提出异议。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_handed_down:
        raise TransitionRefused("只有上级交办的信访件才能提出异议。")
    if not case.is_open or case.state in REPLIED_STATES:
        raise TransitionRefused(f"该信访件当前为“{case.get_state_display()}”，不能再提出异议。")
    if case.objections.filter(answer=m.Objection.Answer.PENDING).exists():
        raise TransitionRefused("该件已提出异议，正等待上级答复。")
    if not reasons.strip():
        raise TransitionRefused("请写明异议理由（《信访工作条例》第二十三条）。")
    due = objection_due_date(case)
    if due is not None and timezone.localdate() > due:
        raise TransitionRefused(
            f"提出异议的期限已过：应自收到之日（{case.received_on:%Y-%m-%d}）起{OBJECTION_WORKDAYS}个工作日内，"
            f"即 {due:%Y-%m-%d} 前提出（《信访工作条例》第二十三条）。请按交办要求办理。"
        )
    objection = case.objections.create(reasons=reasons.strip(), filed_by=actor)
    case_note(case, actor, "提出异议", reasons.strip())
    case_event.send(sender=Case, case=case, event="objection_filed", at=objection.filed_at, actor=actor, details=None)
    return objection


@transaction.atomic
def case_record_objection_answer(
    *, case: Case, actor: User, agreed: bool, answered_on: date, note: str = ""
) -> m.Objection:
    """The superior's answer to the objection: agreed, the case is returned and closed
    (已退回上级); disagreed, handling goes on and the history says so."""
    if not abilities.can_run_intake(actor):
        raise PermissionDenied("只有信访办可以记录上级的答复。")
    objection = case.objections.select_for_update().filter(answer=m.Objection.Answer.PENDING).first()
    if objection is None:
        raise TransitionRefused("该件没有待上级答复的异议。")
    if answered_on < timezone.localdate(objection.filed_at) or answered_on > timezone.localdate():
        raise TransitionRefused("上级答复日期应在提出异议之日与今天之间。")
    reason = note.strip() or ("上级同意退回" if agreed else "上级不同意异议，继续办理")
    if agreed:
        STEPS.run(case, actor=actor, name="return_to_superior", reason=reason)
    else:
        case_note(case, actor, "上级不同意异议，继续办理", reason)
    objection.answer = m.Objection.Answer.AGREED if agreed else m.Objection.Answer.DISAGREED
    objection.answered_on = answered_on
    objection.answer_note = note.strip()
    objection.answered_by = actor
    objection.save()
    return objection


def _reply_step(reply: m.SuperiorReply, actor: User, label: str, reason: str = "") -> None:
    reply.steps.create(label=label, user=actor, reason=reason)
    case_note(reply.case, actor, f"复函：{label}", reason)


@transaction.atomic
def superior_reply_draft(*, case: Case, actor: User, text: str) -> m.SuperiorReply:
    """The handling unit drafts the 复函 (seed 000 §四.6(2)), or redoes one sent back."""
    if not case.is_handed_down:
        raise TransitionRefused("只有上级交办的信访件需要向上级复函。")
    if not abilities.can_draft_superior_reply(actor, case):
        raise PermissionDenied("复函由承办部门起草。")
    if not text.strip():
        raise TransitionRefused("请填写复函内容。")
    reply = case.superior_replies.filter(status=m.SuperiorReply.Status.DRAFT).first()
    if reply is None:
        if case.superior_replies.filter(
            status__in=(m.SuperiorReply.Status.CHECKED, m.SuperiorReply.Status.SETTLED)
        ).exists():
            raise TransitionRefused("已有复函在审核或待报送，不能另起草。")
        reply = case.superior_replies.create(text=text.strip(), drafted_by=actor)
    else:
        reply.text = text.strip()
        reply.drafted_by = actor
        reply.save(update_fields=["text", "drafted_by"])
    _reply_step(reply, actor, "起草")
    return reply


def _open_reply(case: Case, status: str) -> m.SuperiorReply:
    reply = case.superior_replies.select_for_update().filter(status=status).first()
    if reply is None:
        label = m.SuperiorReply.Status(status).label
        raise TransitionRefused(f"该件没有“{label}”状态的复函，请刷新页面查看最新情况。")
    return reply


@transaction.atomic
def superior_reply_check(*, case: Case, actor: User, approve: bool, reason: str = "") -> m.SuperiorReply:
    """The office (党政办公室/信访办) checks the draft, or sends it back with a reason."""
    if not abilities.can_run_intake(actor):
        raise PermissionDenied("复函由信访办审核。")
    reply = _open_reply(case, m.SuperiorReply.Status.DRAFT)
    if not approve and not reason.strip():
        raise TransitionRefused("退回修改请写明理由。")
    if approve:
        reply.status, reply.checked_by = m.SuperiorReply.Status.CHECKED, actor
        reply.save(update_fields=["status", "checked_by"])
    _reply_step(reply, actor, "信访办审核通过" if approve else "信访办退回修改", reason.strip())
    return reply


@transaction.atomic
def superior_reply_settle(*, case: Case, actor: User, approve: bool, reason: str = "") -> m.SuperiorReply:
    """The 分管 leader settles the checked 复函, the 主要领导 when the case is major (seed 000
    §四.6(2)); sending back returns it to the unit's draft."""
    if not abilities.can_settle_superior_reply(actor, case):
        raise PermissionDenied(
            "重大事项的复函由学院主要领导审定。" if case.is_major else "复函由主办部门的分管院领导审定。"
        )
    reply = _open_reply(case, m.SuperiorReply.Status.CHECKED)
    if not approve and not reason.strip():
        raise TransitionRefused("退回修改请写明理由。")
    if approve:
        reply.status, reply.settled_by, reply.settled_at = m.SuperiorReply.Status.SETTLED, actor, timezone.now()
    else:
        reply.status, reply.checked_by = m.SuperiorReply.Status.DRAFT, None
    reply.save(update_fields=["status", "settled_by", "settled_at", "checked_by"])
    _reply_step(reply, actor, "领导审定" if approve else "领导退回修改", reason.strip())
    return reply


@transaction.atomic
def superior_reply_send(*, case: Case, actor: User, sent_on: date) -> m.SuperiorReply:
    """The office sends the settled 复函: the superior's deadline stops then (case_event
    "superior_reply_sent"), not when the petitioner is answered."""
    if not abilities.can_run_intake(actor):
        raise PermissionDenied("复函由信访办报送上级。")
    reply = _open_reply(case, m.SuperiorReply.Status.SETTLED)
    if sent_on > timezone.localdate() or sent_on < timezone.localdate(reply.settled_at):
        raise TransitionRefused("报送日期应在审定之日与今天之间。")
    reply.status, reply.sent_on = m.SuperiorReply.Status.SENT, sent_on
    reply.save(update_fields=["status", "sent_on"])
    _reply_step(reply, actor, "报送上级", f"{sent_on:%Y-%m-%d} 报送")
    at = timezone.now() if sent_on == timezone.localdate() else _day_start(sent_on)
    case_event.send(sender=Case, case=case, event="superior_reply_sent", at=at, actor=actor, details=None)
    return reply


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
