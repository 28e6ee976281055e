"""Clocks on cases: started and stopped by case events, computed from rules and the
official calendar, moved by approved extensions and by calendar edits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case as CaseWhen
from django.db.models import Max, Q, Value, When
from django.utils import timezone

from cases.choices import REPLIED_STATES
from cases.services import case_note, case_notify
from core.days import day_start
from people.models import User

from . import abilities
from . import calendar as cal
from .clocks import CLOSED_STATUSES, Clock, DeadlineRule, Event, Extension, PeriodUnit

# Clocks that count: a paused clock does not.
OPEN_COUNTING = (Clock.Status.RUNNING, Clock.Status.DUE_SOON, Clock.Status.OVERDUE)


class ExtensionRefused(Exception):
    """An extension that the rules do not allow; the message is for the user."""


# Names a clerk writes when the petitioner did not give one.
UNKNOWN_NAMES = {"", "匿名", "佚名", "不详", "未知", "无名", "无名氏", "未署名", "不愿透露"}

PETITIONER_UNKNOWN = "信访人的姓名（名称）、住址不清，无需书面告知（《信访工作条例》第二十三条）"


def petitioner_known(case) -> bool:
    """Whether the petitioner can be told in writing (《信访工作条例》第二十三条: "信访人的
    姓名（名称）、住址不清的除外"). Known means a real name (not blank, not 匿名/不详 and the
    like) and somewhere to deliver to: a postal address, or a phone number or e-mail
    address, since a notice may be delivered by 短信 or 电子邮件. A name without any of
    them, or contact details without a name, is "unclear". Without a petitioner record at
    hand (devtools' bulk planning reads case profiles) the petitioner counts as known."""
    petitioner = getattr(case, "petitioner", None)
    if petitioner is None:
        return True
    name = (petitioner.name or "").strip()
    if name in UNKNOWN_NAMES:
        return False
    reach = [getattr(petitioner, field, "") or "" for field in ("address", "phone", "email")]
    return any(value.strip() for value in reach)


def case_context(case, details: dict | None = None) -> dict:
    """What a rule's `applies_to` may test: the case's classification and flags, and the
    event's own details (e.g. the summons area). `procedure` (申诉求决 "petition", 建议意见
    "suggestion", 法定途径 "statutory") and `sunshine_class` (the platform's own
    classification) are read with defaults, for cases from before those fields: the
    ordinary procedure, and for the sunshine platform its consultation class for a 咨询,
    otherwise ordinary — never the school's own gravity flag."""
    sunshine_class = getattr(case, "sunshine_class", "") or ""
    if not sunshine_class and case.source == "sunshine":
        sunshine_class = "consultation" if case.kind == "consultation" else "ordinary"
    context = {
        "channel": case.channel,
        "source": case.source,
        "kind": case.kind,
        "is_major": case.is_major,
        "is_group": case.is_group,
        "is_over_level": case.is_over_level,
        "handed_down": case.source != "self",
        "procedure": getattr(case, "procedure", "") or "petition",
        "sunshine_class": sunshine_class,
        "petitioner_known": petitioner_known(case),
    }
    context.update(details or {})
    return context


def rules_for(event: str, context: dict) -> list[DeadlineRule]:
    """The active rules started by `event` that match; in each slot the most specific."""
    best: dict[str, DeadlineRule] = {}
    for rule in DeadlineRule.objects.filter(start_event=event, is_active=True).order_by("id"):
        if not rule.matches(context):
            continue
        current = best.get(rule.slot)
        if current is None or rule.specificity > current.specificity:
            best[rule.slot] = rule
    return list(best.values())


def _step_back(day: dt.date, n: int, unit: str, calendar) -> dt.date:
    """The day `n` days (or workdays) before `day`: when a clock becomes 'due soon'."""
    if unit == PeriodUnit.DAYS:
        return day - dt.timedelta(days=n)
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


@dataclass
class Due:
    due_date: dt.date | None
    due_at: dt.datetime
    warn_at: dt.datetime
    source: str
    provisional: bool
    versions: dict


def compute_due(
    rule: DeadlineRule,
    case,
    started_at: dt.datetime,
    start_date: dt.date,
    *,
    extension_days: int = 0,
    paused_days: int = 0,
    calendar=None,
) -> Due:
    """The due time of `rule` on `case` (DOMAIN.md "Counting"): the start day is not
    counted; a period in days ending on a day off ends on the next working day; workdays
    follow the official calendar with its 调休. A superior's own deadline (seed 000 §五(三)2)
    or the assigning leader's due date (seed 000 §四.5) wins where the rule says so.
    Approved extensions are added to the due date in days (条例 第34条), and so are the
    days a 听证 paused the clock (条例 第36条: hearing time is not counted)."""
    calendar = calendar or cal.current_calendar()
    if rule.unit == PeriodUnit.MINUTES:
        due_at = started_at + dt.timedelta(minutes=rule.length)
        warn_minutes = rule.warn_before if rule.warn_unit == PeriodUnit.MINUTES else 0
        return Due(None, due_at, due_at - dt.timedelta(minutes=warn_minutes), "rule", False, {})
    due = cal.due_date(start_date, rule.length, rule.unit, calendar)
    source = "rule"
    if rule.superior_deadline_wins and case.superior_deadline:
        due, source = case.superior_deadline, "superior"
    elif rule.assignment_due_wins and case.due_date:
        due, source = case.due_date, "assignment"
    if extension_days or paused_days:
        due = cal.due_date(due, extension_days + paused_days, PeriodUnit.DAYS, calendar)
    warn_day = _step_back(due, rule.warn_before, rule.warn_unit, calendar)
    years = set(range(start_date.year, due.year + 1))
    provisional = any(calendar.is_provisional(dt.date(y, 1, 1)) for y in years)
    versions = {str(y): calendar.versions.get(y, 0) for y in years}
    return Due(due, day_start(due + dt.timedelta(days=1)), day_start(warn_day), source, provisional, versions)


def responsible_unit(rule: DeadlineRule, case):
    return case.main_unit if rule.duty == DeadlineRule.Duty.UNIT else None


# The clock events each case transition is (DOMAIN.md "Deadlines": start events and stops).
TRANSITION_EVENTS: dict[str, tuple[str, ...]] = {
    "accept": (Event.ACCEPTED,),
    "decline": (Event.NOT_ACCEPTED,),
    # 《信访工作条例》第三十一条: routed to its statutory procedure, the matter is not accepted
    # as a 信访; the 法定途径告知书 delivered is its written notice (documents.services).
    "route_statutory": (Event.NOT_ACCEPTED,),
    "forward": (Event.FORWARDED,),
    "propose": (Event.PROPOSED,),
    "assign": (Event.ASSIGNED,),
    "return_to_office": (Event.RETURNED,),
    "reply": (Event.REPORTED, Event.REPLIED),
    "submit_for_review": (Event.REPORTED,),
    "approve_as_leader": (Event.REPLIED,),
    "archive": (Event.ARCHIVED,),
}


def on_case_registered(sender, case, **kwargs) -> None:
    """Connected to cases.signals.case_registered: the clocks that start at registration."""
    on_case_event(case, Event.REGISTERED, at=case.registered_at)


def on_case_stepped(sender, case, name: str, **kwargs) -> None:
    """Connected to cases.signals.case_stepped: each step's clock events, in order. A case
    returned to its superior (the objection upheld, 《信访工作条例》第二十三条) is no longer
    the school's: every clock still open on it stops."""
    if name == "return_to_superior":
        stop_all_clocks(case, at=timezone.now())
        return
    for event in TRANSITION_EVENTS.get(name, ()):
        on_case_event(case, event)


def stop_all_clocks(case, *, at: dt.datetime) -> int:
    """Stop every open clock of the case at `at`, on time if not yet due."""
    return _stop_open(Clock.objects.filter(case=case), at=at)


def _stop_open(clocks, *, at: dt.datetime) -> int:
    """One UPDATE: the open clocks among `clocks` stop at `at`, on time if not yet due."""
    return clocks.exclude(status__in=CLOSED_STATUSES).update(
        status=Clock.Status.STOPPED,
        stopped_at=at,
        paused_at=None,
        on_time=CaseWhen(When(due_at__gte=at, then=Value(True)), default=Value(False)),
    )


def on_case_signal(sender, case, event: str, at=None, actor=None, details=None, **kwargs) -> None:
    """Connected to cases.signals.case_event: an objection filed, a 复函 sent, a hearing."""
    on_case_event(case, event, at=at, details=details, actor=actor)


def on_case_event(
    case, event: str, *, at: dt.datetime | None = None, details: dict | None = None, actor: User | None = None
) -> list[Clock]:
    """Stop the clocks this event completes, pause or resume those a 听证 holds, then
    start the clocks it begins. Runs inside the caller's transaction (the case service).
    A rule runs one open clock per case: a second delivery of the same reply starts no
    second window."""
    at = at or timezone.now()
    stop_clocks(case=case, event=event, at=at)
    if event == Event.HEARING_STARTED:
        pause_for_hearing(case, at=at, actor=actor)
    elif event == Event.HEARING_ENDED:
        resume_after_hearing(case, at=at, actor=actor)
    if event in (Event.ASSIGNED, Event.RETURNED):
        # The unit answerable for the unit's clocks is the main unit, once there is one.
        Clock.objects.filter(case=case, rule__duty=DeadlineRule.Duty.UNIT).exclude(status__in=CLOSED_STATUSES).update(
            unit=case.main_unit
        )
    started = []
    context = case_context(case, details)
    calendar = cal.current_calendar()
    for rule in rules_for(event, context):
        if _slot_taken_by_more_specific(case, rule):
            continue
        if Clock.objects.filter(case=case, rule=rule).exclude(status__in=CLOSED_STATUSES).exists():
            continue
        start_date = case.received_on if rule.from_received else timezone.localdate(at)
        started_at = day_start(case.received_on) if rule.from_received else at
        due = compute_due(rule, case, started_at, start_date, calendar=calendar)
        last = Clock.objects.filter(case=case, rule=rule).aggregate(n=Max("round"))["n"] or 0
        not_owed = rule.needs_known_petitioner and not context["petitioner_known"]
        started.append(
            Clock.objects.create(
                case=case,
                rule=rule,
                round=last + 1,
                started_at=started_at,
                start_date=start_date,
                base_due_date=due.due_date,
                due_date=due.due_date,
                due_at=due.due_at,
                warn_at=due.warn_at,
                due_source=due.source,
                provisional=due.provisional,
                calendar_versions=due.versions,
                unit=responsible_unit(rule, case),
                status=Clock.Status.NOT_APPLICABLE if not_owed else Clock.Status.RUNNING,
                note=PETITIONER_UNKNOWN if not_owed else "",
            )
        )
    return started


def _slot_taken_by_more_specific(case, rule: DeadlineRule) -> bool:
    """A slot holds one clock per case: the sunshine platform's 7 workdays, started at
    receipt, keep the generic 60 days from starting again at acceptance."""
    others = DeadlineRule.objects.filter(clocks__case=case, slot=rule.slot).exclude(pk=rule.pk)
    return any(other.specificity >= rule.specificity for other in others)


def stop_clocks(*, case, event: str, at: dt.datetime) -> int:
    """One UPDATE: every open clock of the case whose rule stops at `event`. A clock the
    superior's deadline governs stops at the rule's superior_stop_events instead (the 复函
    to the superior, not the reply to the petitioner), where the rule names any."""
    rules = list(DeadlineRule.objects.all())
    plain = [r.pk for r in rules if event in (r.stop_events or []) and not r.superior_stop_events]
    own = [r.pk for r in rules if event in (r.stop_events or []) and r.superior_stop_events]
    superior = [r.pk for r in rules if event in (r.superior_stop_events or [])]
    which = Q(rule_id__in=plain) | (Q(rule_id__in=own) & ~Q(due_source="superior"))
    which |= Q(rule_id__in=superior, due_source="superior")
    if not (plain or own or superior):
        return 0
    return _stop_open(Clock.objects.filter(which, case=case), at=at)


# --- 听证 (条例 第36条) ------------------------------------------------------------------

HEARING_BASIS = "《信访工作条例》第三十六条：听证所需时间不计算在复核期限内"


class EventRefused(Exception):
    """An event the office cannot record now; the message is for the user."""


def pause_for_hearing(case, *, at: dt.datetime, actor: User | None = None) -> list[Clock]:
    """听证开始: every open clock whose rule pauses for a hearing (the 复核意见 30 days)
    stops counting; the history says so."""
    clocks = list(
        Clock.objects.select_for_update()
        .filter(case=case, rule__pauses_for_hearing=True, status__in=OPEN_COUNTING)
        .select_related("rule")
    )
    for clock in clocks:
        clock.status, clock.paused_at = Clock.Status.PAUSED, at
        clock.note = f"听证中，自 {timezone.localdate(at):%Y-%m-%d} 起暂停计算（{HEARING_BASIS}）"
        clock.save(update_fields=["status", "paused_at", "note"])
        case_note(
            case, actor, "听证开始", f"{clock.rule.name}自{timezone.localdate(at):%Y-%m-%d}暂停计算。{HEARING_BASIS}。"
        )
    return clocks


def resume_after_hearing(case, *, at: dt.datetime, actor: User | None = None) -> list[Clock]:
    """听证结束: the paused clocks count again, their due date moved by the hearing's days
    (the day it began to the day it ended, both included)."""
    clocks = list(
        Clock.objects.select_for_update().filter(case=case, status=Clock.Status.PAUSED).select_related("rule", "case")
    )
    for clock in clocks:
        began, ended = timezone.localdate(clock.paused_at), timezone.localdate(at)
        days = max((ended - began).days + 1, 1)
        before = clock.due_date
        clock.paused_days += days
        clock.status, clock.paused_at = Clock.Status.RUNNING, None
        clock.note = f"听证 {began:%Y-%m-%d} 至 {ended:%Y-%m-%d}，共 {days} 日不计入（{HEARING_BASIS}）"
        _recompute(clock)
        clock.save()
        case_note(
            case,
            actor,
            "听证结束",
            f"听证{began:%Y-%m-%d}至{ended:%Y-%m-%d}，{days}日不计入{clock.rule.name}期限，"
            f"到期日由 {before:%Y-%m-%d} 顺延至 {clock.due_date:%Y-%m-%d}（《信访工作条例》第三十六条）。",
        )
    return clocks


# --- the 交办 guard --------------------------------------------------------------------


def legal_limit(case) -> tuple[dt.date, str] | None:
    """The latest due date a leader may set at 交办, and where it comes from: the open
    completion clock's due date (60 days, plus approved extensions, 《信访工作条例》第三十四条),
    which is the superior's deadline when that governs; or the superior's deadline alone."""
    clock = (
        Clock.objects.filter(case=case, rule__slot="completion")
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("rule")
        .order_by("-round")
        .first()
    )
    if clock is not None and clock.due_date:
        if clock.due_source == "superior":
            return clock.due_date, "上级交办的办理期限"
        extended = f"，含已批准延期 {clock.extension_days} 日" if clock.extension_days else ""
        rule = clock.rule
        return clock.due_date, f"{rule.name}期限 {rule.length}{rule.get_unit_display()}{extended}（{rule.citation}）"
    if case.superior_deadline:
        return case.superior_deadline, "上级交办的办理期限"
    return None


def assign_guard(case) -> str | None:
    """cases.guards check for 交办: a leader's due date beyond the legal limit is refused."""
    if not case.due_date:
        return None
    limit = legal_limit(case)
    if limit is None or case.due_date <= limit[0]:
        return None
    day, basis = limit
    return f"办理期限（{case.due_date:%Y-%m-%d}）不得晚于法定期限 {day:%Y-%m-%d}：{basis}。"


# --- extensions -----------------------------------------------------------------------


def may_request_extension(clock: Clock, user: User) -> bool:
    return abilities.can_request_extension(user, clock)


def may_propose_extension(user: User) -> bool:
    return abilities.can_propose_extension(user)


def may_decide_extension(clock: Clock, user: User) -> bool:
    return abilities.can_decide_extension(user)


def _replied(case) -> bool:
    return case.replied_at is not None or case.state in REPLIED_STATES


def _refuse_after_reply(case) -> None:
    if _replied(case):
        raise ExtensionRefused(
            "该件已答复信访人，不能再申请或批准延期（《信访工作条例》第三十四条：延期须在办理期限内）。"
        )


@transaction.atomic
def extension_request(*, clock: Clock, actor: User, days: int, reason: str, today: dt.date | None = None) -> Extension:
    """A unit asks for more time (条例 第34条: at most 30 days on the completion deadline;
    seed 000 §五(三)3: a 12345 work order asks at least 3 days before it falls due). The
    office is told: it is the office's turn."""
    clock = Clock.objects.select_for_update().select_related("rule", "case").get(pk=clock.pk)
    if not may_request_extension(clock, actor):
        raise PermissionDenied("只有主办部门可以为该时限申请延期。")
    rule = clock.rule
    today = today or timezone.localdate()
    if not clock.is_open:
        raise ExtensionRefused("该时限已完成，无需延期。")
    _refuse_after_reply(clock.case)
    if not reason.strip():
        raise ExtensionRefused("请写明延期理由。")
    used = sum(e.days for e in clock.extensions.filter(status=Extension.Status.APPROVED))
    if days < 1 or used + days > rule.max_extension_days:
        left = rule.max_extension_days - used
        raise ExtensionRefused(
            f"延期不得超过 {rule.max_extension_days} 日（{rule.citation}），本时限还可延期 {max(left, 0)} 日。"
        )
    if clock.extensions.filter(status__in=(Extension.Status.PENDING, Extension.Status.PROPOSED)).exists():
        raise ExtensionRefused("已有一份延期申请待审批，请等待审批结果。")
    lead = rule.extension_request_lead_days
    if lead and clock.due_date and today > clock.due_date - dt.timedelta(days=lead):
        latest = clock.due_date - dt.timedelta(days=lead)
        raise ExtensionRefused(
            f"该件须在到期日（{clock.due_date:%Y-%m-%d}）{lead} 日前申请延期，最迟为 {latest:%Y-%m-%d}，"
            f"现已超过申请时限（{rule.citation}）。"
        )
    extension = Extension.objects.create(clock=clock, days=days, reason=reason.strip(), requested_by=actor)
    case_note(clock.case, actor, "申请延期", f"{rule.name}申请延期 {days} 日。理由：{extension.reason}")
    what = "申请延期，请报市教育局并登记批复" if extension.to_superior else "申请延期，请审核并呈报院领导"
    _tell(_office(), clock.case, f"{clock.case.main_unit or ''}{what}")
    return extension


def _locked_extension(extension: Extension) -> Extension:
    return (
        Extension.objects.select_for_update(of=("self",))
        .select_related("clock__rule", "clock__case", "requested_by")
        .get(pk=extension.pk)
    )


@transaction.atomic
def extension_propose(*, extension: Extension, actor: User, opinion: str) -> Extension:
    """The office gives its opinion and proposes the extension to a school leader, who
    decides (条例 第34条: 经本机关、单位负责人批准). Not for a 12345 work order, which the
    superior decides."""
    extension = _locked_extension(extension)
    if not may_propose_extension(actor):
        raise PermissionDenied("只有信访办可以审核并呈报延期申请。")
    if extension.status != Extension.Status.PENDING:
        raise ExtensionRefused("该延期申请已呈报或已审批。")
    if extension.to_superior:
        raise ExtensionRefused("12345工单的延期由市教育局批准，请登记上级批复。")
    _refuse_after_reply(extension.clock.case)
    if not opinion.strip():
        raise ExtensionRefused("请填写信访办意见。")
    extension.status = Extension.Status.PROPOSED
    extension.office_opinion, extension.proposed_by, extension.proposed_at = opinion.strip(), actor, timezone.now()
    extension.save()
    case = extension.clock.case
    opinion = extension.office_opinion
    case_note(case, actor, "呈报延期", f"延期 {extension.days} 日呈报院领导审批。信访办意见：{opinion}")
    _tell(_leaders_for(case), case, f"延期 {extension.days} 日待您审批")
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, actor: User, approve: bool, note: str = "") -> Extension:
    """A school leader approves or refuses what the office proposed (条例 第34条); the
    decision records who approved, for the 延期办理告知书. The unit and the office are told."""
    extension = _locked_extension(extension)
    if not may_decide_extension(extension.clock, actor):
        raise PermissionDenied("延期须经院领导批准；信访办只能审核呈报。")
    if extension.status == Extension.Status.PENDING:
        raise ExtensionRefused("该延期申请尚待信访办审核呈报。")
    if extension.status != Extension.Status.PROPOSED:
        raise ExtensionRefused("该延期申请已审批。")
    _refuse_after_reply(extension.clock.case)
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note.strip()
    return _settle(extension, actor, approve, by=actor.display_name)


@transaction.atomic
def extension_record_superior(
    *, extension: Extension, actor: User, approve: bool, decided_on: dt.date, reference: str, note: str = ""
) -> Extension:
    """A 12345 work order's extension is decided by 市教育局 (《湖南信息职业技术学院信访工作
    实施方案》五（三）3): the office records the decision, its date and reference number;
    the clock moves only on an approval."""
    extension = _locked_extension(extension)
    if not may_propose_extension(actor):
        raise PermissionDenied("只有信访办可以登记上级对延期申请的批复。")
    if not extension.to_superior:
        raise ExtensionRefused("该件的延期由院领导批准，不需上级批复。")
    if extension.status != Extension.Status.PENDING:
        raise ExtensionRefused("该延期申请已有批复。")
    _refuse_after_reply(extension.clock.case)
    if decided_on is None or decided_on > timezone.localdate():
        raise ExtensionRefused("请填写上级批复日期，且不能晚于今天。")
    asked = timezone.localdate(extension.requested_at)
    if decided_on < asked:
        raise ExtensionRefused(f"上级批复日期不能早于申请日期（{asked:%Y-%m-%d}）。")
    if not reference.strip():
        raise ExtensionRefused("请填写上级批复文号（工单号或批复编号）。")
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note.strip()
    extension.superior_decided_on, extension.superior_reference = decided_on, reference.strip()
    return _settle(extension, actor, approve, by=f"市教育局（{extension.superior_reference}）")


def _settle(extension: Extension, actor: User, approve: bool, *, by: str) -> Extension:
    clock, case = extension.clock, extension.clock.case
    if not approve:
        extension.status = Extension.Status.REJECTED
        extension.save()
        case_note(case, actor, "延期未批准", f"{by}未批准延期。{extension.decision_note or extension.reason}")
        _tell(_unit_people(case, extension), case, f"延期申请未获批准（{by}）")
        return extension
    old_due = clock.due_date
    clock.extension_days += extension.days
    _recompute(clock)
    clock.save()
    extension.status = Extension.Status.APPROVED
    extension.old_due_date, extension.new_due_date = old_due, clock.due_date
    extension.save()
    case_note(
        case,
        actor,
        "批准延期",
        f"{by}批准{clock.rule.name}延期 {extension.days} 日，到期日由 {old_due:%Y-%m-%d} 改为 "
        f"{clock.due_date:%Y-%m-%d}。理由：{extension.reason}",
    )
    _tell(_unit_people(case, extension), case, f"延期 {extension.days} 日已批准，新到期日 {clock.due_date:%Y-%m-%d}")
    _tell(_office(), case, f"延期已批准，请向信访人发出延期办理告知书（批准：{by}）")
    return extension


def _office():
    return User.objects.filter(role=User.Role.OFFICE, is_active=True)


def _leaders_for(case):
    """The leaders in charge of the main unit, or the leader the case went to; any school
    leader when neither is set."""
    leaders = User.objects.filter(role=User.Role.LEADER, is_active=True)
    mine = leaders.filter(Q(charge_units=case.main_unit_id) | Q(pk=case.approving_leader_id)).distinct()
    return mine if mine.exists() else leaders


def _unit_people(case, extension: Extension):
    return User.objects.filter(
        Q(pk=extension.requested_by_id) | Q(unit=case.main_unit_id, role=User.Role.UNIT_HEAD), is_active=True
    ).distinct()


def _tell(users, case, event: str) -> None:
    """A hand-off: the person whose turn it is hears of it (after commit, through
    cases.services.case_notify, which keeps a 举报 to its number)."""
    case_notify(users=list(users), case=case, event=event)


def _recompute(clock: Clock, calendar=None) -> None:
    """Recompute a clock's due time from its rule, the calendar and its extensions; an
    open clock that is no longer late goes back to running (an extended case is not
    overdue against its old date)."""
    due = compute_due(
        clock.rule,
        clock.case,
        clock.started_at,
        clock.start_date,
        extension_days=clock.extension_days,
        paused_days=clock.paused_days,
        calendar=calendar,
    )
    clock.due_date, clock.due_at, clock.warn_at = due.due_date, due.due_at, due.warn_at
    clock.provisional, clock.calendar_versions = due.provisional, due.versions
    if clock.status in OPEN_COUNTING:
        now = timezone.now()
        if clock.due_at > now:
            clock.status = Clock.Status.DUE_SOON if clock.warn_at <= now else Clock.Status.RUNNING
            clock.overdue_at = None


@transaction.atomic
def record_case_event(
    *, case, actor: User, event: str, label: str, details: dict | None = None, at: dt.datetime | None = None
) -> None:
    """An event the office records by hand: its clocks start or stop and the history says who.
    A 听证 starts only on an open 复核 clock and ends only a hearing under way."""
    if (
        event == Event.HEARING_STARTED
        and not case.clocks.filter(rule__pauses_for_hearing=True, status__in=OPEN_COUNTING).exists()
    ):
        raise EventRefused(
            "该件没有进行中的复核意见期限，无需登记听证（听证时间不计入复核期限，《信访工作条例》第三十六条）。"
        )
    if event == Event.HEARING_ENDED:
        paused = case.clocks.filter(status=Clock.Status.PAUSED).order_by("paused_at").first()
        if paused is None:
            raise EventRefused("该件没有进行中的听证。")
        if at is not None and timezone.localdate(at) < timezone.localdate(paused.paused_at):
            raise EventRefused(f"听证结束日期不能早于听证开始日期（{timezone.localdate(paused.paused_at):%Y-%m-%d}）。")
    on_case_event(case, event, details=details, at=at, actor=actor)
    if event in (Event.HEARING_STARTED, Event.HEARING_ENDED):
        return  # the pause and the resumption wrote their own notes, with the dates
    area = {"city": "（市内六区）", "county": "（县/市）"}.get((details or {}).get("area", ""), "")
    case_note(case, actor, label, f"{label}{area}")


@transaction.atomic
def recompute_for_calendar(*, years: set[int], actor: User | None = None) -> int:
    """After an administrator edits the calendar: every open clock whose period touches
    an edited year is recomputed, and each case whose due date moved says why."""
    calendar = cal.current_calendar()
    touched = Q()
    for year in years:
        touched |= Q(start_date__year__lte=year, due_date__year__gte=year)
    if not years:
        return 0
    clocks = list(
        Clock.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(touched)
        .exclude(due_date=None)
        .select_related("rule", "case", "case__main_unit")
    )
    moved = []
    for clock in clocks:
        before = clock.due_date
        _recompute(clock, calendar)
        if clock.due_date != before:
            moved.append((clock, before))
    Clock.objects.bulk_update(
        clocks,
        ["due_date", "due_at", "warn_at", "provisional", "calendar_versions", "status", "overdue_at"],
        batch_size=1000,
    )
    for clock, before in moved:
        case_note(
            clock.case,
            actor,
            "日历调整",
            f"工作日历（{'、'.join(str(y) for y in sorted(years))}年）调整，{clock.rule.name}到期日由 "
            f"{before:%Y-%m-%d} 改为 {clock.due_date:%Y-%m-%d}。",
        )
    return len(moved)


def remaining_text(clock: Clock, now: dt.datetime | None = None) -> str:
    """剩余 N 天 / N 个工作日, 已超期 N 天 — for the case page and the worklists."""
    now = now or timezone.now()
    if clock.status == Clock.Status.NOT_APPLICABLE:
        return "不适用"
    if clock.status == Clock.Status.PAUSED:
        return "已暂停（听证中）"
    if not clock.is_open:
        return "按期完成" if clock.on_time else "超期完成"
    if clock.rule.unit == PeriodUnit.MINUTES:
        minutes = int((clock.due_at - now).total_seconds() // 60)
        return f"剩余 {minutes} 分钟" if minutes >= 0 else f"已超时 {-minutes} 分钟"
    today = timezone.localdate(now)
    due_date = clock.due_date or timezone.localdate(clock.due_at)
    if today > due_date:
        late = (today - due_date).days
        # A window (复查 request, 异议期) lapses; only a duty is overdue.
        return f"已届满 {late} 天" if not clock.rule.raises_notice else f"已超期 {late} 天"
    if clock.rule.unit == PeriodUnit.WORKDAYS:
        calendar = cal.current_calendar()
        n, day = 0, today
        while day < due_date:
            day += dt.timedelta(days=1)
            n += calendar.is_workday(day)
        return f"剩余 {n} 个工作日"
    return f"剩余 {(due_date - today).days} 天"
