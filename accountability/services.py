"""Writes for 责任追究. Each: one transaction; the actor's permission; the django-fsm-2
transition; the history row (user, reason, label); save. Measures are decided one by one
by the role the measure belongs to (seed 002 第十四条); when none is left undecided the
case moves to 已决定. A decided measure on a person is written to the person's record
(seed 004 第十九条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.fsm import Steps, save_with_history
from people.models import Unit, User

from . import abilities
from . import models as m
from .models import (
    DISCIPLINE_MEASURES,
    ESCALATING_MEASURES,
    AccountabilityCase,
    Appeal,
    Dissent,
    Ground,
    Level,
    Measure,
    MeasureKind,
    PersonRecordEntry,
)


class AccountabilityRefused(Exception):
    """A step that cannot run now; the message is for the user, in Chinese."""


CONDITION_MESSAGES = {
    m.has_reason: "请填写理由。",
    m.has_due: "请填写整改期限。",
    m.below_top: "该案已是最高追责层级，不能再升级。",
}

# What escalation proposes at the next level (seed 002 第十七–十八条; seed 004 第十五条(三)).
NEXT_MEASURES = {
    (True, Level.ADMONISH): [MeasureKind.ADMONISH],
    (True, Level.ORGANIZATION): [MeasureKind.ORG_ACTION],
    (False, Level.ADMONISH): [MeasureKind.UNIT_SUPERVISE, MeasureKind.UNIT_NO_HONOURS],
    (False, Level.ORGANIZATION): [],
}


STEPS = Steps(refused=AccountabilityRefused, messages=CONDITION_MESSAGES, noun="该案")
may_run = STEPS.may_run


def may_open(user: User) -> bool:
    return abilities.can_open(user)


def may_decide(measure: Measure, user: User) -> bool:
    """Seed 002 第十四条第二款: (一)–(四) and the unit measures by the school office,
    (五)(六) by discipline or HR."""
    return measure.status == Measure.Status.PROPOSED and abilities.decides_measure(user, measure)


# --- opening -------------------------------------------------------------------------------


@dataclass
class CaseData:
    facts: str
    grounds: list[Ground] = field(default_factory=list)
    subject_unit: Unit | None = None
    subject_user: User | None = None
    notice: Any = None
    case: Any = None


@transaction.atomic
def case_open(*, actor: User, data: CaseData) -> AccountabilityCase:
    """立案: from a supervision notice, a petition case, or by hand."""
    if not may_open(actor):
        raise PermissionDenied("只有信访办可以立案追责。")
    if (data.subject_unit is None) == (data.subject_user is None):
        raise AccountabilityRefused("被追责对象须为一个单位或一名人员。")
    if not data.grounds:
        raise AccountabilityRefused("请选择至少一项追责情形。")
    if not data.facts.strip():
        raise AccountabilityRefused("请填写事实经过。")
    case = data.case or (data.notice.case if data.notice is not None else None)
    if data.subject_user is not None:
        dissent = dissent_on_record(person=data.subject_user, case=case, notice=data.notice)
        if dissent is not None:
            raise AccountabilityRefused(_exempt_message(dissent))
    acase = AccountabilityCase(
        notice=data.notice,
        case=case,
        subject_unit=data.subject_unit,
        subject_user=data.subject_user,
        facts=data.facts.strip(),
        opened_by=actor,
    )
    save_with_history(acase, actor, "立案")
    acase.grounds.set(data.grounds)
    return acase


# --- measures ------------------------------------------------------------------------------


@transaction.atomic
def case_propose(*, acase: AccountabilityCase, actor: User | None, kinds: list[str], reason: str = "") -> list[Measure]:
    """The petition office proposes one or more measures at the case's level; they may
    combine (seed 002 第十四条第三款)."""
    acase = AccountabilityCase.objects.select_for_update().get(pk=acase.pk)
    if not kinds:
        raise AccountabilityRefused("请选择至少一项追责方式。")
    wrong = [k for k in kinds if k not in acase.measure_kinds]
    if wrong:
        who = "人员" if acase.is_person else "单位"
        names = "、".join(MeasureKind(k).label for k in wrong)
        raise AccountabilityRefused(f"“{names}”不适用于{who}。")
    if acase.is_person:
        dissent = acase.dissents.filter(person_id=acase.subject_user_id).first()
        if dissent is not None:
            raise AccountabilityRefused(_exempt_message(dissent))
    STEPS.run(acase, actor=actor, name="propose", reason=reason)
    return [
        Measure.objects.create(acase=acase, kind=k, level=acase.level, proposal=reason, proposed_by=actor)
        for k in dict.fromkeys(kinds)
    ]


@transaction.atomic
def measure_decide(*, measure: Measure, actor: User, approve: bool, note: str = "") -> Measure:
    """Decide one proposed measure. When none is left undecided, the case is decided."""
    measure = Measure.objects.select_for_update().select_related("acase").get(pk=measure.pk)
    if measure.status != Measure.Status.PROPOSED:
        raise AccountabilityRefused("该措施已作出决定，不能重复决定。请刷新页面。")
    if measure.proposed_by_id is not None and measure.proposed_by_id == actor.pk:
        raise AccountabilityRefused(
            f"“{measure.get_kind_display()}”由您提出建议，不能由您本人决定；"
            f"应由{_decider_name(measure)}另行决定（{SEPARATION}）。"
        )
    if not abilities.decides_measure(actor, measure):
        raise PermissionDenied(f"“{measure.get_kind_display()}”应由{_decider_name(measure)}决定（{SEPARATION}）。")
    now = timezone.now()
    measure.status = Measure.Status.DECIDED if approve else Measure.Status.DECLINED
    measure.decision_note = note.strip()
    measure.decided_by = actor
    measure.decided_at = now
    save_with_history(measure, actor, "决定措施" if approve else "不予采取措施", note)
    acase = AccountabilityCase.objects.select_for_update().get(pk=measure.acase_id)
    if approve and acase.subject_user_id:
        text = f"{now:%Y-%m-%d} 因“{_grounds_text(acase)}”，受到{measure.get_kind_display()}（{acase.number}）。"
        if measure.decision_note:
            text += f"决定意见：{measure.decision_note}"
        PersonRecordEntry.objects.create(
            person_id=acase.subject_user_id, acase=acase, measure=measure, text=text, created_by=actor
        )
    if not acase.measures.filter(status=Measure.Status.PROPOSED).exists():
        STEPS.run(acase, actor=actor, name="decide", reason=note)
    return measure


SEPARATION = "《兰州大学信访工作责任制实施细则》第十四条"
DISSENT_RULE = "《河南省教育系统信访工作责任制实施细则》第十四条"


def _decider_name(measure: Measure) -> str:
    return "纪检监察或组织人事部门" if measure.kind in DISCIPLINE_MEASURES else "学校办公室（党政办公室）"


def _grounds_text(acase: AccountabilityCase) -> str:
    return "；".join(g.name for g in acase.grounds.all())


# --- dissent on record (seed 004 第十四条第二款) -----------------------------------------------


def dissent_on_record(*, person: User, case: Any = None, notice: Any = None) -> Dissent | None:
    """The person's dissent recorded on a case about the same petition or notice."""
    same = Q()
    if case is not None:
        same |= Q(acase__case=case)
    if notice is not None:
        same |= Q(acase__notice=notice)
    if not same:
        return None
    return Dissent.objects.filter(same, person=person).select_related("acase").first()


def _exempt_message(dissent: Dissent) -> str:
    return (
        f"{dissent.person.display_name}对该决策或行为明确提出反对意见而未被采纳，已记录在案"
        f"（{dissent.acase.number}：{dissent.statement}），不承担领导责任（{DISSENT_RULE}），"
        "不能对其追究责任。"
    )


@transaction.atomic
def dissent_record(*, acase: AccountabilityCase, actor: User, person: User, statement: str) -> Dissent:
    """Record that `person` opposed the decision in clear terms and was overruled. They are
    left out of the shared responsibility: no case is opened on them for the same petition
    or notice, no measure is proposed on them, and measures already proposed on them in
    this case are not taken (seed 004 第十四条第二款)."""
    if not may_open(actor):
        raise PermissionDenied("只有信访办可以登记反对意见。")
    acase = AccountabilityCase.objects.select_for_update().get(pk=acase.pk)
    if not statement.strip():
        raise AccountabilityRefused("请填写反对意见的内容及记录出处（如会议纪要）。")
    if acase.dissents.filter(person=person).exists():
        raise AccountabilityRefused(f"{person.display_name}的反对意见已记录。")
    own = acase.subject_user_id == person.pk
    if own and acase.measures.filter(status=Measure.Status.DECIDED).exists():
        raise AccountabilityRefused("对其的追责措施已作出决定；如有异议，请通过申诉更正。")
    dissent = Dissent.objects.create(acase=acase, person=person, statement=statement.strip(), recorded_by=actor)
    note = f"{person.display_name}明确提出反对意见而未被采纳（{dissent.statement}），不承担领导责任（{DISSENT_RULE}）。"
    if own:
        now = timezone.now()
        for measure in acase.measures.filter(status=Measure.Status.PROPOSED):
            measure.status = Measure.Status.DECLINED
            measure.decision_note = note
            measure.decided_by = actor
            measure.decided_at = now
            save_with_history(measure, actor, "不予采取措施", note)
    save_with_history(acase, actor, "记录反对意见", note)
    return dissent


# --- rectification, closing, dismissal -------------------------------------------------------


@transaction.atomic
def case_start_rectification(
    *, acase: AccountabilityCase, actor: User, due: dt.date | None, reason: str = ""
) -> AccountabilityCase:
    """限期整改 with a due date (seed 002 第十六条)."""
    acase = AccountabilityCase.objects.select_for_update().get(pk=acase.pk)
    if due is not None and due < timezone.localdate():
        raise AccountabilityRefused("整改期限不能早于今天。")
    return STEPS.run(acase, actor=actor, name="start_rectification", reason=reason, values={"rectify_due": due})


@transaction.atomic
def case_close(*, acase: AccountabilityCase, actor: User, reason: str) -> AccountabilityCase:
    acase = AccountabilityCase.objects.select_for_update().get(pk=acase.pk)
    return STEPS.run(acase, actor=actor, name="close", reason=reason, values={"closed_at": timezone.now()})


@transaction.atomic
def case_dismiss(*, acase: AccountabilityCase, actor: User, reason: str) -> AccountabilityCase:
    acase = AccountabilityCase.objects.select_for_update().get(pk=acase.pk)
    acase = STEPS.run(acase, actor=actor, name="dismiss", reason=reason, values={"closed_at": timezone.now()})
    acase.measures.filter(status=Measure.Status.PROPOSED).update(status=Measure.Status.DECLINED)
    return acase


@transaction.atomic
def case_escalate(*, acase: AccountabilityCase, actor: User | None, reason: str) -> AccountabilityCase:
    """The next level; the measures that level calls for are proposed at once."""
    acase = AccountabilityCase.objects.select_for_update().get(pk=acase.pk)
    acase = STEPS.run(acase, actor=actor, name="escalate", reason=reason)
    ground_code = "unfinished_after_notice" if acase.level == Level.ADMONISH else "unfinished_after_admonish"
    ground = Ground.objects.filter(code=ground_code).first()
    if ground:
        acase.grounds.add(ground)
    for kind in NEXT_MEASURES[(acase.is_person, Level(acase.level))]:
        Measure.objects.create(acase=acase, kind=kind, level=acase.level, proposal=reason, proposed_by=actor)
    return acase


def escalation_due(*, now: dt.datetime | None = None):
    """Cases in rectification past their due date after a 通报 (or 诫勉, 督查督办) at the
    current level: seed 002 第十七–十八条."""
    today = timezone.localdate(now or timezone.now())
    return AccountabilityCase.objects.filter(
        status=AccountabilityCase.Status.RECTIFYING,
        rectify_due__lt=today,
        level__lt=Level.ORGANIZATION,
        measures__status=Measure.Status.DECIDED,
        measures__kind__in=ESCALATING_MEASURES,
        measures__level=F("level"),
    ).distinct()


def escalate_unfinished(*, now: dt.datetime | None = None) -> list[AccountabilityCase]:
    """Run the check; each case is escalated once, however often (or concurrently) this
    runs: the row is locked and its status re-read before the transition."""
    done = []
    for pk in list(escalation_due(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            acase = AccountabilityCase.objects.select_for_update().filter(pk=pk).first()
            if acase is None or acase.status != AccountabilityCase.Status.RECTIFYING:
                continue
            due = acase.rectify_due
            reason = f"受到通报（诫勉）后整改期限 {due:%Y-%m-%d} 已过仍未完成整改，升级追责。"
            done.append(case_escalate(acase=acase, actor=None, reason=reason))
    return done


# --- appeals ---------------------------------------------------------------------------------


def may_appeal(acase: AccountabilityCase, user: User) -> bool:
    if not acase.measures.filter(status=Measure.Status.DECIDED).exists():
        return False
    return abilities.can_decide_appeal(user) or (acase.subject_user_id is not None and acase.subject_user_id == user.pk)


@transaction.atomic
def appeal_file(*, acase: AccountabilityCase, actor: User, grounds: str, measure: Measure | None = None) -> Appeal:
    """A written appeal (seed 002 第二十条). The measure stays in force: nothing on it or
    on the case changes."""
    if not may_appeal(acase, actor):
        raise PermissionDenied("您无权就该案提出申诉。")
    if not grounds.strip():
        raise AccountabilityRefused("请填写申诉理由。")
    if measure is not None and (measure.acase_id != acase.pk or not measure.in_force):
        raise AccountabilityRefused("只能对本案已决定的措施提出申诉。")
    appeal = Appeal(acase=acase, measure=measure, grounds=grounds.strip(), filed_by=actor)
    save_with_history(appeal, actor, "提出申诉", "")
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, decision: str, opinion: str) -> Appeal:
    """The office or discipline/HR decides the appeal. A changed decision is recorded as a
    correction entry on the person's record; the original entries stay as they were."""
    appeal = Appeal.objects.select_for_update().select_related("acase").get(pk=appeal.pk)
    if not abilities.can_decide_appeal(actor):
        raise PermissionDenied("申诉由学校办公室或纪检监察、组织人事部门处理。")
    if appeal.decision != Appeal.Decision.PENDING:
        raise AccountabilityRefused("该申诉已处理。请刷新页面。")
    if decision not in (Appeal.Decision.UPHELD, Appeal.Decision.CHANGED):
        raise AccountabilityRefused("请选择处理结果。")
    if not opinion.strip():
        raise AccountabilityRefused("请填写处理意见。")
    appeal.decision = decision
    appeal.opinion = opinion.strip()
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    save_with_history(appeal, actor, "申诉处理", opinion.strip())
    acase = appeal.acase
    if acase.subject_user_id:
        corrected = PersonRecordEntry.objects.filter(measure=appeal.measure).first() if appeal.measure_id else None
        PersonRecordEntry.objects.create(
            person_id=acase.subject_user_id,
            acase=acase,
            measure=appeal.measure,
            corrects=corrected if decision == Appeal.Decision.CHANGED else None,
            text=f"申诉处理：{appeal.get_decision_display()}。{appeal.opinion}",
            created_by=actor,
        )
    return appeal


@transaction.atomic
def record_correct(*, entry: PersonRecordEntry, actor: User, text: str) -> PersonRecordEntry:
    """A correction is a new entry; the corrected one is kept as it was."""
    if not abilities.can_correct_record(actor):
        raise PermissionDenied("个人档案记录的更正由纪检监察或组织人事部门登记。")
    if not text.strip():
        raise AccountabilityRefused("请填写更正内容。")
    return PersonRecordEntry.objects.create(
        person_id=entry.person_id, acase_id=entry.acase_id, corrects=entry, text=text.strip(), created_by=actor
    )
