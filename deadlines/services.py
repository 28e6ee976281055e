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

from core.days import day_start
from people.models import User

from . import abilities
from . import calendar as cal
from .clocks import Clock, DeadlineRule, Event, Extension, PeriodUnit


class ExtensionRefused(Exception):
    """An extension that the rules do not allow; the message is for the user."""


def case_context(case, details: dict | None = None) -> dict:
    """What a rule's `applies_to` may test: the case's classification and flags, and the
    event's own details (e.g. the summons area)."""
    context = {
        "channel": case.channel,
        "source": case.source,
        "kind": case.kind,
        "is_major": case.is_major,
        "is_group": case.is_group,
        "is_over_level": case.is_over_level,
        "handed_down": case.source != "self",
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
    rule: DeadlineRule, case, started_at: dt.datetime, start_date: dt.date, *, extension_days: int = 0, calendar=None
) -> Due:
    """The due time of `rule` on `case` (DOMAIN.md "Counting"): the start day is not
    counted; a period in days ending on a day off ends on the next working day; workdays
    follow the official calendar with its 调休. A superior's own deadline (seed 000 §五(三)2)
    or the assigning leader's due date (seed 000 §四.5) wins where the rule says so.
    Approved extensions are added to the due date in days (条例 第34条)."""
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
    if extension_days:
        due = cal.due_date(due, extension_days, PeriodUnit.DAYS, calendar)
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
    """Connected to cases.signals.case_stepped: each step's clock events, in order."""
    for event in TRANSITION_EVENTS.get(name, ()):
        on_case_event(case, event)


def on_case_event(case, event: str, *, at: dt.datetime | None = None, details: dict | None = None) -> list[Clock]:
    """Stop the clocks this event completes, then start the clocks it begins.
    Runs inside the caller's transaction (the case service)."""
    at = at or timezone.now()
    stop_clocks(case=case, event=event, at=at)
    if event in (Event.ASSIGNED, Event.RETURNED):
        # The unit answerable for the unit's clocks is the main unit, once there is one.
        Clock.objects.filter(case=case, rule__duty=DeadlineRule.Duty.UNIT).exclude(status=Clock.Status.STOPPED).update(
            unit=case.main_unit
        )
    started = []
    context = case_context(case, details)
    calendar = cal.current_calendar()
    for rule in rules_for(event, context):
        if _slot_taken_by_more_specific(case, rule):
            continue
        start_date = case.received_on if rule.from_received else timezone.localdate(at)
        started_at = day_start(case.received_on) if rule.from_received else at
        due = compute_due(rule, case, started_at, start_date, calendar=calendar)
        last = Clock.objects.filter(case=case, rule=rule).aggregate(n=Max("round"))["n"] or 0
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
            )
        )
    return started


def _slot_taken_by_more_specific(case, rule: DeadlineRule) -> bool:
    """A slot holds one clock per case: the sunshine platform's 7 workdays, started at
    receipt, keep the generic 60 days from starting again at acceptance."""
    others = DeadlineRule.objects.filter(clocks__case=case, slot=rule.slot).exclude(pk=rule.pk)
    return any(other.specificity >= rule.specificity for other in others)


def stop_clocks(*, case, event: str, at: dt.datetime) -> int:
    """One UPDATE: every open clock of the case whose rule stops at `event`."""
    stopping = [r.pk for r in DeadlineRule.objects.all() if event in (r.stop_events or [])]
    if not stopping:
        return 0
    return (
        Clock.objects.filter(case=case, rule_id__in=stopping)
        .exclude(status=Clock.Status.STOPPED)
        .update(
            status=Clock.Status.STOPPED,
            stopped_at=at,
            on_time=CaseWhen(When(due_at__gte=at, then=Value(True)), default=Value(False)),
        )
    )


# --- extensions -----------------------------------------------------------------------


def may_request_extension(clock: Clock, user: User) -> bool:
    return abilities.can_request_extension(user, clock)


def may_decide_extension(clock: Clock, user: User) -> bool:
    return abilities.can_decide_extension(user)


@transaction.atomic
def extension_request(*, clock: Clock, actor: User, days: int, reason: str, today: dt.date | None = None) -> Extension:
    """A unit asks for more time (条例 第34条: at most 30 days on the completion deadline;
    seed 000 §五(三)3: a 12345 work order asks at least 3 days before it falls due)."""
    clock = Clock.objects.select_for_update().select_related("rule", "case").get(pk=clock.pk)
    if not may_request_extension(clock, actor):
        raise PermissionDenied("只有主办部门可以为该时限申请延期。")
    rule = clock.rule
    today = today or timezone.localdate()
    if not clock.is_open:
        raise ExtensionRefused("该时限已完成，无需延期。")
    if not reason.strip():
        raise ExtensionRefused("请写明延期理由。")
    used = sum(e.days for e in clock.extensions.filter(status=Extension.Status.APPROVED))
    if days < 1 or used + days > rule.max_extension_days:
        left = rule.max_extension_days - used
        raise ExtensionRefused(
            f"延期不得超过 {rule.max_extension_days} 日（{rule.citation}），本时限还可延期 {max(left, 0)} 日。"
        )
    if clock.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ExtensionRefused("已有一份延期申请待审批，请等待审批结果。")
    lead = rule.extension_request_lead_days
    if lead and clock.due_date and today > clock.due_date - dt.timedelta(days=lead):
        latest = clock.due_date - dt.timedelta(days=lead)
        raise ExtensionRefused(
            f"该件须在到期日（{clock.due_date:%Y-%m-%d}）{lead} 日前申请延期，最迟为 {latest:%Y-%m-%d}，"
            f"现已超过申请时限（{rule.citation}）。"
        )
    return Extension.objects.create(clock=clock, days=days, reason=reason.strip(), requested_by=actor)


@transaction.atomic
def extension_decide(*, extension: Extension, actor: User, approve: bool, note: str = "") -> Extension:
    """The office or a leader decides. On approval the due date moves, the case history
    says so, and the 延期办理告知书 falls due to the petitioner (条例 第34条)."""
    extension = Extension.objects.select_for_update().select_related("clock__rule", "clock__case").get(pk=extension.pk)
    clock = extension.clock
    if not may_decide_extension(clock, actor):
        raise PermissionDenied("只有信访办或院领导可以审批延期。")
    if extension.status != Extension.Status.PENDING:
        raise ExtensionRefused("该延期申请已审批。")
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note
    if not approve:
        extension.status = Extension.Status.REJECTED
        extension.save()
        _case_note(clock.case, actor, "延期未批准", note or extension.reason)
        return extension
    old_due = clock.due_date
    clock.extension_days += extension.days
    _recompute(clock)
    clock.save()
    extension.status = Extension.Status.APPROVED
    extension.old_due_date, extension.new_due_date = old_due, clock.due_date
    extension.save()
    _case_note(
        clock.case,
        actor,
        "批准延期",
        f"{clock.rule.name}延期 {extension.days} 日，到期日由 {old_due:%Y-%m-%d} 改为 {clock.due_date:%Y-%m-%d}。"
        f"理由：{extension.reason}",
    )
    return extension


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
        calendar=calendar,
    )
    clock.due_date, clock.due_at, clock.warn_at = due.due_date, due.due_at, due.warn_at
    clock.provisional, clock.calendar_versions = due.provisional, due.versions
    if clock.is_open:
        now = timezone.now()
        if clock.due_at > now:
            clock.status = Clock.Status.DUE_SOON if clock.warn_at <= now else Clock.Status.RUNNING
            clock.overdue_at = None


@transaction.atomic
def record_case_event(*, case, actor: User, event: str, label: str, details: dict | None = None) -> None:
    """An event the office records by hand: its clocks start or stop and the history says who."""
    on_case_event(case, event, details=details)
    area = {"city": "（市内六区）", "county": "（县/市）"}.get((details or {}).get("area", ""), "")
    _case_note(case, actor, label, f"{label}{area}")


def _case_note(case, actor: User | None, label: str, reason: str) -> None:
    """A history row on the case for a change that is not a state transition."""
    case.history.bulk_history_create(
        [case],
        update=True,
        default_user=actor,
        default_change_reason=reason,
        custom_historical_attrs={"transition": label},
    )


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
        Clock.objects.exclude(status=Clock.Status.STOPPED)
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
        _case_note(
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
