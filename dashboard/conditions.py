"""The conditions every dashboard figure counts, shared with the rollup refresh and the
case list's drill-down filters (dashboard.filters), so that a figure and its list count
the same cases. Each is a Q over cases (or clocks); nothing is loaded into Python."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone

from cases.choices import CLOSED_STATES, OPEN_STATES, Satisfaction, State
from core.days import day_start
from deadlines import calendar as cal
from deadlines.clocks import Clock
from people.models import User
from supervision.models import OPEN_STATUSES, Notice

# The three statutory clocks whose on-time rates the leaders watch (DOMAIN.md "Deadlines").
RATE_SLOTS = {"acceptance": "受理", "unit_result": "答复", "completion": "办结"}
ROLLUP_SLOT_FIELDS = {"acceptance": "acceptance", "unit_result": "reply", "completion": "completion"}
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
RATED = tuple(Satisfaction.values)
ARCHIVED_STATES = (State.ARCHIVED, State.FOLLOWED_UP)
DECIDED_STATES = tuple(s for s in CLOSED_STATES if s not in ARCHIVED_STATES)  # 不予受理, 转送
OPEN_CLOCK = ("running", "due_soon", "overdue")
DUE_SOON_WORKDAYS = 3


# --- time ------------------------------------------------------------------------------


def due_soon_bound(now: dt.datetime) -> dt.datetime:
    """The end of the third working day from today: 'due within 3 working days'."""
    last = cal.due_date(timezone.localdate(now), DUE_SOON_WORKDAYS, "workdays")
    return day_start(last + dt.timedelta(days=1))


# --- the conditions (shared with the case list) --------------------------------------


def q_open() -> Q:
    return Q(state__in=OPEN_STATES)


def q_received(start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(received_on__gte=start)
    if end:
        q &= Q(received_on__lte=end)
    return q


def _between(name: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{name}__gte": day_start(start)})
    if end:
        q &= Q(**{f"{name}__lt": day_start(end + dt.timedelta(days=1))})
    return q


def q_closed(start: dt.date | None, end: dt.date | None) -> Q:
    """Closed in the period: archived then (归档), or declined or forwarded then (the
    decision is the case's last change, as devtools.bulk reads it)."""
    return (Q(state__in=ARCHIVED_STATES) & _between("archived_at", start, end)) | (
        Q(state__in=DECIDED_STATES) & _between("updated_at", start, end)
    )


def open_clocks() -> Q:
    """A duty still running: a clock whose lateness is supervised (raises_notice). The
    windows that merely lapse (the petitioner's 复查 request, the 异议期) are nobody's
    overdue duty, as on the overdue list."""
    return Q(status__in=OPEN_CLOCK, rule__raises_notice=True)


def q_deadline(kind: str, now: dt.datetime) -> Q:
    """overdue: an open case with a duty past due now; due_soon: one due within 3
    working days; backlog (积案): an open case past its completion deadline."""
    clocks = Clock.objects.filter(open_clocks(), case=OuterRef("pk"))
    if kind == "overdue":
        clocks = clocks.filter(due_at__lte=now)
    elif kind == "due_soon":
        clocks = clocks.filter(due_at__gt=now, due_at__lt=due_soon_bound(now))
    elif kind == "backlog":
        clocks = clocks.filter(due_at__lte=now, rule__slot="completion")
    else:
        raise ValueError(kind)
    return q_open() & Q(Exists(clocks))


def q_late(slot: str, start: dt.date | None, end: dt.date | None) -> Q:
    """A clock of `slot` that stopped in the period after its due time."""
    clocks = Clock.objects.filter(
        _between("stopped_at", start, end), case=OuterRef("pk"), status="stopped", rule__slot=slot, on_time=False
    )
    return Q(Exists(clocks))


def q_notice(kind: str, user: User | None = None) -> Q:
    """open: a 督办单 still open; escalated: one that was escalated (已升级). For unit staff
    only their own unit's notices count, as on their notice pages."""
    statuses = OPEN_STATUSES if kind == "open" else (Notice.Status.ESCALATED,)
    notices = Notice.objects.filter(case=OuterRef("pk"), status__in=statuses)
    if user is not None and user.is_unit_staff:
        notices = notices.filter(unit_id=user.unit_id)
    return Q(Exists(notices))


def rate(part: int, whole: int) -> float | None:
    """A percentage to one decimal, or None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None
