"""Writes. Every change to a case goes through one of these functions.

Each one: opens a transaction, checks the actor's permission, fills in the data the
transition needs, runs the django-fsm-2 transition, saves with the history user and
reason, and only then touches related rows. `ConcurrentTransitionMixin` turns a lost
race into `ConcurrentTransition` because the save runs inside `atomic()`.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.fsm import Steps, transition_label
from core.security import security_log
from notifications.services import notify
from people.models import Unit, User
from people.selectors import staff_in_directory, staff_label

from . import abilities, conditions, guards, handoffs
from . import models as m
from .attachments import check_upload
from .choices import REPLIED_STATES
from .models import Attachment, Case, CaseAccessLog, CaseNumberSequence, Petitioner, State
from .selectors import cases_visible_to
from .signals import case_event, case_registered, case_stepped
from .validators import normalise_id_number, normalise_name, normalise_phone


class TransitionRefused(Exception):
    """A transition that cannot run now; the message is for the user, in Chinese."""


# Why a condition failed, in words a user understands.
CONDITION_MESSAGES = {
    conditions.has_reason: "请填写理由。",
    conditions.has_forward_target: "请填写转送机关和转送理由。",
    conditions.has_proposal: "请选择主办部门、呈报领导并填写拟办意见。",
    conditions.main_unit_not_accused: "被举报部门不能承办针对本部门的举报件，请另选主办部门（负责人、分管领导或工作人员"
    "被举报的部门同样须回避，《信访工作条例》第三十条）。",
    conditions.co_units_not_accused: "被举报部门不能协办针对本部门的举报件，请另选协办部门（负责人、分管领导或工作人员"
    "被举报的部门同样须回避，《信访工作条例》第三十条）。",
    conditions.accused_people_resolved: "被举报人尚未核实：请信访办先将每位未核实的被举报人对应到本校工作人员，"
    "或确认为非本校工作人员（《信访工作条例》第三十条）。",
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


@dataclass(frozen=True)
class CaseSteps(Steps):
    """The lifecycle's steps, and one rule over all of them: whoever stepped aside from a
    case runs none of its steps (回避, 《信访工作条例》第二十八条第三款; Recusal)."""

    def run(self, obj, *, actor, name: str, reason: str = "", values: dict | None = None):
        if actor is not None:
            refuse_recused_actor(case=obj, actor=actor, doing=transition_label(obj, name, self.field))
        super().run(obj, actor=actor, name=name, reason=reason, values=values)
        handoffs.tell_next(obj, name, actor, reason)
        return obj


STEPS = CaseSteps(
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
    # each accused person: a member of staff picked from the directory, or a name as
    # written (linked when exactly one member of staff has that name, else 未核实)
    accused_people: list[User | str] = field(default_factory=list)
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
    """The same person is one petitioner: matched by ID number, else by name and phone.

    Name, phone and ID number are normalised here (cases.validators), not only in the
    form, so that every caller — the form, the demo, an import — matches and stores the
    same way: "+86 138-0013-8000" finds the petitioner stored as 13800138000 (issue 13
    point 9; STYLE.md: writes live in services)."""
    name = normalise_name(data.name)
    typed = {
        "phone": normalise_phone(data.phone),
        "id_number": normalise_id_number(data.id_number),
        "address": data.address,
        "organisation": data.organisation,
        "relation": data.relation,
    }
    existing = None
    if typed["id_number"]:
        existing = Petitioner.objects.filter(id_number=typed["id_number"]).first()
    if existing is None and typed["phone"]:
        existing = Petitioner.objects.filter(name=name, phone=typed["phone"]).first()
    if existing is None:
        return Petitioner.objects.create(name=name, **typed)
    changed = []
    for attr, value in typed.items():
        if value and getattr(existing, attr) != value:
            setattr(existing, attr, value)
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
                _add_accused_people(case=case, entries=data.accused_people, actor=actor)
            for order, (name, phone) in enumerate(representatives, start=1):
                case.representatives.create(name=normalise_name(name), phone=normalise_phone(phone), order=order)
            for upload in files or []:
                written.append(_store_attachment(case=case, upload=upload, actor=actor))
            if case.is_group or case.needs_urgent_report:
                _tell_leaders_at_once(case)
            handoffs.tell_next(case, "register", actor)
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


def _add_accused_people(*, case: Case, entries: list[User | str], actor: User) -> None:
    """The accused people of a 举报 (《信访工作条例》第三十条). A member of staff picked from
    the directory is linked to the case: it is hidden from them and their unit, and kept
    from the units they work in, head or lead. A name as written is linked only when it
    is exactly the name of one member of staff; otherwise (nobody, or namesakes) it is
    kept as written and 未核实, and the case waits for the office to say who is meant
    (accused_person_resolve) before it can be proposed."""
    seen: set[int] = set()
    user: User | None
    for entry in entries:
        if isinstance(entry, User):
            user, name = entry, entry.display_name
        else:
            name = accused_name(entry)
            if not name:
                continue
            matches = list(staff_in_directory().filter(full_name=name.replace(" ", ""))[:2])
            user = matches[0] if len(matches) == 1 else None
            name = user.display_name if user is not None else name
        if user is not None and user.pk in seen:
            continue
        if user is not None:
            seen.add(user.pk)
        person = m.AccusedPerson(
            case=case,
            name=name[:32],
            user=user,
            unit=user.unit if user else None,
            status=m.AccusedPerson.Status.LINKED if user else m.AccusedPerson.Status.UNRESOLVED,
        )
        person._history_user = actor
        person._change_reason = "登记"
        person.save()


def accused_name(text: str) -> str:
    """A name as typed, in one form: full-width letters and brackets folded (NFKC), runs
    of spaces made one; it matches a member of staff without its spaces ("刘 院长" is
    刘院长)."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


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
    refuse_recused_actor(case=case, actor=actor, doing="上传附件")
    if not abilities.can_add_attachments(actor):
        raise PermissionDenied("您无权为该信访件上传附件。")
    if not case.is_open:
        raise TransitionRefused("该信访件已办结归档，不能再添加附件。")
    return [_store_attachment(case=case, upload=upload, actor=actor) for upload in files]


COMPLETION_STATES = (State.REGISTERED, State.ACCEPTED)
COMPLETION_FIELDS = {"phone": "联系电话", "address": "住址", "id_number": "身份证号", "organisation": "单位或班级"}


def may_complete_registration(*, case: Case, user: User) -> bool:
    """Who registered the case, or the office, while it has not gone to a unit."""
    if case.state not in COMPLETION_STATES:
        return False
    return abilities.is_office(user) or (case.registered_by_id is not None and case.registered_by_id == user.pk)


@transaction.atomic
def case_complete_registration(*, case: Case, actor: User, values: dict[str, str]) -> list[str]:
    """补全登记: fill in what the registration left blank of the petitioner's contact
    details (a value already recorded is not overwritten here; the office corrects those
    in the admin). The case history says what was added, not the values (they are
    personal data). Returns the labels of the fields filled."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_complete_registration(case=case, user=actor):
        raise PermissionDenied("只有登记人和信访办可以在交办前补全登记。")
    person = case.petitioner
    filled = []
    changed = []
    for name, label in COMPLETION_FIELDS.items():
        value = (values.get(name) or "").strip()
        if value and not getattr(person, name):
            setattr(person, name, value)
            changed.append(name)
            filled.append(label)
    if not filled:
        raise TransitionRefused("所填各项均已登记，没有需要补全的内容。")
    person.save(update_fields=changed)
    case_note(case, actor, "补全登记", "补全了信访人的" + "、".join(filled))
    return filled


def case_log_access(*, case: Case, user: User, action: str, ip_address: str | None = None) -> None:
    """Every view of a protected case is logged (seed 004 第九条)."""
    if case.is_protected:
        CaseAccessLog.objects.create(case=case, user=user, action=action, ip_address=ip_address)


def case_notify(*, users, case: Case, event: str, prefix: str = "", link: str = "", notice=None) -> list:
    """Tell people something about a case: only those who may see it now, and about a
    举报 the case number only, no content and no reporter (条例 第30条; seed 004 第九条)."""
    if case.is_protected:
        text = f"{prefix}{event}：信访件 {case.number}"
    else:
        text = f"{prefix}{event}：{case.number} {case.summary[:40]}"
    allowed = [user for user in users if cases_visible_to(user=user).filter(pk=case.pk).exists()]
    if not allowed:
        return []
    # SMS and a work group's robot leave the system: the event and the number only
    brief = f"{event}：信访件 {case.number}"
    return notify(users=allowed, text=text, brief=brief, link=link or case.get_absolute_url(), case=case, notice=notice)


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


def check_routing(*, case: Case, actor: User, step: str, main_unit: Unit | None, co_units: Iterable[Unit]) -> None:
    """Before a 举报 goes to units (拟办, 交办): every accused person is known, and no unit
    that must keep out of it is 主办 or 协办 (《信访工作条例》第三十条; seed 004 第九条;
    cases.conditions.barred_units). A refusal of a unit is written to the access log
    (查阅记录, action REFUSED_ROUTING, with the units and why) before the step's own
    transaction opens, so that the row stays though the step does not happen. A user who
    may not run the step at all is left to the step's own refusal."""
    if not may_run(case, step, actor):
        return
    label = transition_label(case, step, "state")
    refuse_recused_actor(case=case, actor=actor, doing=label)
    unresolved = list(
        case.accused_people.filter(status=m.AccusedPerson.Status.UNRESOLVED).values_list("name", flat=True)
    )
    if unresolved:
        names = "、".join(f"“{n}”" for n in unresolved)
        raise TransitionRefused(
            f"被举报人{names}尚未核实，不能{label}：请信访办在本件页面将其对应到本校工作人员，"
            "或确认为非本校工作人员（《信访工作条例》第三十条）。"
        )
    why = conditions.barred_units(case)
    main = [main_unit] if main_unit is not None and main_unit.pk in why else []
    co = [u for u in co_units if u.pk in why and (main_unit is None or u.pk != main_unit.pk)]
    if not main and not co:
        return
    detail = "；".join(
        [f"主办：{u.name}（{why[u.pk]}）" for u in main] + [f"协办：{u.name}（{why[u.pk]}）" for u in co]
    )
    CaseAccessLog.objects.create(case=case, user=actor, action=m.REFUSED_ROUTING, detail=f"{label}：{detail}")
    parts = []
    if main:
        parts.append(f"被举报部门不能承办针对本部门的举报件，请另选主办部门：{main[0].name}（{why[main[0].pk]}）")
    if co:
        parts.append(
            "被举报部门不能协办针对本部门的举报件，请另选协办部门：" + "、".join(f"{u.name}（{why[u.pk]}）" for u in co)
        )
    raise TransitionRefused(
        "；".join(parts)
        + "。负责人、分管领导或工作人员被举报的部门同样须回避（《信访工作条例》第三十条），本次操作已记录。"
    )


def case_propose(
    *,
    case: Case,
    actor: User,
    main_unit: Unit,
    co_units: list[Unit],
    approving_leader: User,
    proposal: str,
) -> Case:
    """拟办 (seed 000 §四.3): main unit, co-units (seed 004 第八条), and the leader to read
    it; never to a unit that must keep out of a 举报 (check_routing, 《信访工作条例》第三十条),
    nor to a leader who stepped aside from the case (回避, 《信访工作条例》第二十八条)."""
    refuse_recused_choice(case=case, user=approving_leader, doing="审批", instead="请另选呈报领导")
    co = [u for u in co_units if u.pk != main_unit.pk]
    check_routing(case=case, actor=actor, step="propose", main_unit=main_unit, co_units=co)
    with transaction.atomic():
        STEPS.run(
            case,
            actor=actor,
            name="propose",
            reason=proposal,
            values={
                "main_unit": main_unit,
                "approving_leader": approving_leader,
                "proposal": proposal,
                "pending_co_unit_ids": {u.pk for u in co},
            },
        )
        case.co_units.set(co)
        case.pending_co_unit_ids = None
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


def case_assign(*, case: Case, actor: User, instruction: str, due_date: date, requirements: str = "") -> Case:
    """交办 (seed 000 §四.4): the leader's 批示, the requirements and the due date. The units
    are checked again (check_routing): the office may have corrected an accused person
    since the proposal."""
    check_routing(case=case, actor=actor, step="assign", main_unit=case.main_unit, co_units=case.co_units.all())
    with transaction.atomic():
        return STEPS.run(
            case,
            actor=actor,
            name="assign",
            reason=instruction,
            values={"instruction": instruction, "due_date": due_date, "requirements": requirements},
        )


def accused_person_resolve(*, person: m.AccusedPerson, actor: User, user: User | None, reason: str) -> m.AccusedPerson:
    """核实或更正被举报人 (《信访工作条例》第三十条; seed 004 第九条): the office links the
    person the 举报 names to a member of staff (`user`), or confirms they are not on the
    staff (None), with a reason. The case is then hidden from the person and their
    unit's staff, and kept from the units they work in, head or lead; the change is in
    the person's history (who, why) and on the case's timeline. 协办 units the new link
    bars stop helping with the case; a barred 主办 unit is the caller's to report."""
    if not abilities.can_resolve_accused(actor):
        raise PermissionDenied("只有信访办可以核实或更正被举报人。")
    refuse_recused_actor(case=person.case, actor=actor, doing="核实或更正被举报人")
    reason = reason.strip()
    if not reason:
        raise TransitionRefused("请写明核实或更正的理由。")
    status = m.AccusedPerson.Status.LINKED if user is not None else m.AccusedPerson.Status.EXTERNAL
    with transaction.atomic():
        person = m.AccusedPerson.objects.select_for_update().select_related("case").get(pk=person.pk)
        if person.status == status and person.user_id == (user.pk if user else None):
            raise TransitionRefused("与现有记录相同，无需更正。")
        was, before = person.status, person.label
        if user is not None and person.user is not None and person.name == person.user.display_name:
            # picked from the directory, not written: the name is the person's
            person.name = user.display_name[:32]
        person.user, person.unit, person.status = user, (user.unit if user else None), status
        person._history_user = actor
        person._change_reason = reason
        person.save()
        case = person.case
        label = "核实被举报人" if was == m.AccusedPerson.Status.UNRESOLVED else "更正被举报人"
        case_note(case, actor, label, f"{before} → {person.label}。理由：{reason}")
        barred = conditions.units_barred_from(case)
        dropped = [u for u in case.co_units.all() if u.pk in barred]
        if dropped:
            case.co_units.remove(*dropped)
            names = "、".join(u.name for u in dropped)
            case_note(case, actor, "取消协办", f"{names}须回避，不再协办本件（《信访工作条例》第三十条）。")
    return person


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
            # 四.6(1): a 特别重大 reply waits for the 主要领导 alone (handoffs.reviewing_leaders)
            return STEPS.run(
                case, actor=actor, name="approve_as_unit_head", reason=reason, values={"unit_approved_by": actor}
            )
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


# --- 回避 (《信访工作条例》第二十八条第三款; 《河南省教育系统信访工作责任制实施细则》第九条) ---

RECUSAL_RULE = "《信访工作条例》第二十八条第三款"


def _recusal_of(case: Case, user: User) -> m.Recusal | None:
    if case.pk is None or user is None or user.pk is None:
        return None
    return m.Recusal.objects.filter(case_id=case.pk, user_id=user.pk).first()


def refuse_recused_actor(*, case: Case, actor: User, doing: str) -> None:
    """A person who stepped aside from the case does nothing on it any more."""
    if _recusal_of(case, actor) is not None:
        raise TransitionRefused(f"您已回避本件（与本件有利害关系），不能{doing}（{RECUSAL_RULE}）。")


def refuse_recused_choice(*, case: Case, user: User | None, doing: str, instead: str) -> None:
    """Nobody chooses a person who stepped aside from the case to approve, lead or handle
    it: the choice is refused with who and why (and logged)."""
    recusal = _recusal_of(case, user) if user is not None else None
    if recusal is None:
        return
    how = "已由信访办决定回避" if recusal.kind == m.Recusal.Kind.ORDERED else "已申请回避"
    security_log.warning("recused_person_chosen case=%s user=%s doing=%s", case.pk, recusal.user_id, doing)
    raise TransitionRefused(
        f"该人员（{staff_label(recusal.user)}）{how}（与本件有利害关系），不能{doing}本件：{instead}（{RECUSAL_RULE}）。"
    )


def _took_part(case: Case, user: User) -> bool:
    """Whether `user` already had a hand in the case: a step of theirs is in its history,
    or it was given to them (呈报, 包案, their unit took it)."""
    if user.pk in (
        case.approving_leader_id,
        case.leader_in_charge_id,
        case.unit_approved_by_id,
        case.leader_approved_by_id,
    ):
        return True
    if abilities.is_main_unit_staff(user, case) and case.taken_at is not None:
        return True
    return case.history.filter(history_user_id=user.pk).exists()


def _parts_left(case: Case, user: User) -> list[str]:
    """What `user` was to do on the open case that someone else must now do."""
    if not case.is_open:
        return []
    parts = []
    if case.approving_leader_id == user.pk:
        parts.append("呈报领导（批示、审定）")
    if case.leader_in_charge_id == user.pk:
        parts.append("包案领导")
    if (
        case.gravity != m.Gravity.ORDINARY
        and case.state in (State.ASSIGNED, State.HANDLING, State.UNIT_REVIEW)
        and abilities.is_main_unit_head(user, case)
    ):
        parts.append("部门负责人审定答复")
    return parts


def case_recuse(*, case: Case, user: User, actor: User, reason: str) -> tuple[m.Recusal, bool]:
    """回避 (《信访工作条例》第二十八条第三款: 工作人员与信访事项或者信访人有直接利害关系
    的，应当回避; 《河南省教育系统信访工作责任制实施细则》第九条): `user` keeps out of the
    case from now on. By themselves (`actor` is `user`): 声明利害关系 before they had a
    hand in it, 中途回避 after; or 信访办决定回避, ordered by the office for any member of
    staff. A reason is required; nobody lifts a recusal.

    Recorded three times: the Recusal row (append-only), a step on the case's timeline
    (who, how, why: read by everyone who still sees the case) and a security log line.
    From then on the case is out of the person's scope (cases.selectors.accused_case_ids),
    and nobody may choose them to approve, lead or handle it (refuse_recused_choice). What
    they were to do on the case (呈报领导, 包案领导, the unit head's 审定) is noted on the
    timeline and the office told that someone else must do it, with the 主要领导 when
    they may 批示 or 审定 meanwhile.

    Returns (recusal, created): the same person twice finds the first row."""
    ordered = actor.pk != user.pk
    if ordered and not abilities.can_order_recusal(actor):
        raise PermissionDenied("只有信访办可以决定其他工作人员回避。")
    if not ordered and not abilities.can_recuse(actor):
        raise PermissionDenied("您无权对该信访件申请回避。")
    reason = reason.strip()
    if not reason:
        raise TransitionRefused("请写明回避的理由：与本件或信访人有何利害关系。")
    if not user.is_active:
        raise TransitionRefused(f"{user.display_name}的账号已停用，无需回避。")
    with transaction.atomic():
        # two clicks, or the person and the office at once: one row, the first
        case = Case.objects.select_for_update().get(pk=case.pk)
        existing = _recusal_of(case, user)
        if existing is not None:
            return existing, False
        if ordered:
            kind = m.Recusal.Kind.ORDERED
        else:
            kind = m.Recusal.Kind.STEPPED_ASIDE if _took_part(case, user) else m.Recusal.Kind.DECLARED
        recusal = m.Recusal.objects.create(case=case, user=user, kind=kind, reason=reason, recorded_by=actor)
        case_note(case, actor, f"回避：{recusal.get_kind_display()}", f"{staff_label(user)}。理由：{reason}")
        parts = _parts_left(case, user)
        if parts:
            left = "、".join(parts)
            case_note(
                case, actor, "须另行安排", f"{user.display_name}已回避，本件的{left}须由他人担任，请信访办另行安排。"
            )
            told = list(User.objects.filter(role=User.Role.OFFICE, is_active=True))
            if case.state in (State.PROPOSED, State.LEADER_REVIEW) and case.approving_leader_id == user.pk:
                # 主要领导 may 批示 and 审定 any case (cases.abilities.is_approving_leader)
                told += list(User.objects.filter(role=User.Role.LEADER, is_main_leader=True, is_active=True))
            case_notify(
                users=[u for u in told if u.pk not in (user.pk, actor.pk)],
                case=case,
                event=f"{user.display_name}已回避，{left}须另行安排",
                prefix="【回避】",
            )
        if ordered:
            # the person hears of it, by the number only: the case is no longer theirs to open
            notify(
                users=[user], text=f"信访办已决定您回避信访件 {case.number}（{RECUSAL_RULE}），该件不再由您查看和办理。"
            )
    security_log.info("case_recusal case=%s user=%s kind=%s recorded_by=%s", case.pk, user.pk, recusal.kind, actor.pk)
    return recusal, True


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
    refuse_recused_actor(case=case, actor=actor, doing="提出异议")
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
    refuse_recused_actor(case=case, actor=actor, doing="记录上级答复")
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
    refuse_recused_actor(case=case, actor=actor, doing="起草复函")
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
    refuse_recused_actor(case=case, actor=actor, doing="审核复函")
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
    refuse_recused_actor(case=case, actor=actor, doing="审定复函")
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
    refuse_recused_actor(case=case, actor=actor, doing="报送复函")
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
