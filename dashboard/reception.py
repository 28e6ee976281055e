"""Leader reception (领导接访): the schedule of reception days, the visits received on
them, and each leader's 包案 list.

Seed 001 (三): 落实领导干部接访下访制度 ... 专项行动期间，每天要安排1名校级领导接待师生群众来访;
定点接访, 重点约访, 带案下访, 领导包案. The office keeps the schedule; everyone who sees
the dashboard sees it. The visits shown on a day are the cases that came by 来访 that
date, and the cases the office linked to the day by hand, each only if it is in the
viewer's scope (so a 举报 never reaches the unit or person it accuses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Channel
from cases.selectors import with_next_due
from dashboard.models import ReceptionDay
from people.abilities import is_leader, is_main_leader
from people.models import User

from . import abilities
from .scope import dashboard_cases, is_whole_school

PAST_DAYS_SHOWN = 30
VISIT_FIELDS = ("pk", "number", "summary", "state", "kind", "received_on", "main_unit__name")


@dataclass
class DayWithVisits:
    day: ReceptionDay
    visits: list[dict] = field(default_factory=list)


def may_schedule(user: User) -> bool:
    """Only the petition office keeps the schedule."""
    return abilities.can_schedule_reception(user)


def schedule(*, today: dt.date | None = None) -> tuple[QuerySet[ReceptionDay], QuerySet[ReceptionDay]]:
    """(upcoming, past): from today on, nearest first; and the last days before today."""
    today = today or timezone.localdate()
    days = ReceptionDay.objects.select_related("leader")
    upcoming = days.filter(date__gte=today).order_by("date", "leader__full_name")
    past = days.filter(date__lt=today).order_by("-date", "leader__full_name")[:PAST_DAYS_SHOWN]
    return upcoming, past


def with_visits(*, user: User, days: list[ReceptionDay]) -> list[DayWithVisits]:
    """Each day with the visits in the viewer's scope: two queries for all the days."""
    if not days:
        return []
    scoped = dashboard_cases(user=user)
    by_date: dict[dt.date, list[dict]] = {}
    walk_ins = scoped.filter(channel=Channel.VISIT, received_on__in={d.date for d in days}).order_by("pk")
    for row in walk_ins.values(*VISIT_FIELDS):
        by_date.setdefault(row["received_on"], []).append(row)
    linked: dict[int, list[dict]] = {}
    links = (
        ReceptionDay.cases.through.objects.filter(receptionday_id__in=[d.pk for d in days], case__in=scoped)
        .order_by("case_id")
        .values("receptionday_id", *(f"case__{f}" for f in VISIT_FIELDS))
    )
    for row in links:
        linked.setdefault(row.pop("receptionday_id"), []).append({k.removeprefix("case__"): v for k, v in row.items()})
    out = []
    for day in days:
        visits = {v["pk"]: v for v in by_date.get(day.date, [])}
        for v in linked.get(day.pk, []):
            visits.setdefault(v["pk"], v)
        out.append(DayWithVisits(day=day, visits=sorted(visits.values(), key=lambda v: v["pk"])))
    return out


def keeps_own_cases(user: User) -> bool:
    """A 分管领导 sees the cases in their own charge (包案); the main leaders see every leader's."""
    return is_leader(user) and not is_main_leader(user)


def leader_case_lists(*, user: User) -> list[tuple[str, list[Case]]]:
    """领导包案: a leader sees their own; the main leaders and the office see every leader's.
    Each case with its state and nearest open deadline."""
    qs = dashboard_cases(user=user).filter(is_leader_case=True)
    if keeps_own_cases(user):
        qs = qs.filter(leader_in_charge=user)
    elif not is_whole_school(user):
        return []
    cases = list(with_next_due(qs).select_related("leader_in_charge", "main_unit"))
    groups: dict[str, list[Case]] = {}
    for case in cases:
        name = case.leader_in_charge.display_name if case.leader_in_charge else "未指定包案领导"
        groups.setdefault(name, []).append(case)
    return sorted(groups.items(), key=lambda g: (g[0] == "未指定包案领导", g[0]))


@transaction.atomic
def reception_day_save(*, actor: User, day: ReceptionDay, cases: list[Case] | None = None) -> ReceptionDay:
    """Add or change a reception day; `cases`, when given, replaces the hand-linked visits."""
    if not may_schedule(actor):
        raise PermissionDenied("只有信访办可以安排领导接访。")
    day.full_clean()
    day.save()
    if cases is not None:
        day.cases.set(cases)
    return day


@transaction.atomic
def reception_day_delete(*, actor: User, day: ReceptionDay) -> None:
    if not may_schedule(actor):
        raise PermissionDenied("只有信访办可以安排领导接访。")
    day.delete()
