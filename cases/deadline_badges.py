"""One deadline badge for a case, with one colour scale, wherever a case is listed or
shown (issue 14, point 2): the workbench, every queue, the case list's 期限 column and
the case page.

A case's badge speaks of the school's own duties first (the office's and the units'
clocks, DeadlineRule.duty): overdue, due soon or running, by the nearest one. A window
that is the petitioner's to use (复查 or 复核 request, DeadlineRule.duty "petitioner")
does not make a case late when it lapses (《信访工作条例》第三十五条: the petitioner *may*
ask within 30 days); it shows as 申请期已届满, and while it runs as 申请期内. A clock of a
听证 is 已暂停 (第三十六条), one not owed is 不适用 (第二十三条).

Statuses and duties are named as deadlines.clocks names them: cases sits below
deadlines and reads the clocks through the reverse relation only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

OPEN = ("running", "due_soon", "overdue")
WINDOW = "petitioner"
DUTIES = ("office", "unit")
# A case with no open duty sorts after every dated one (the 期限 column, nearest first).
NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Badge:
    state: str  # overdue, due_soon, running, window, lapsed, paused, not_applicable
    label: str
    title: str = ""

    # the one colour scale (Bootstrap 5.3 classes)
    CSS = {
        "overdue": "text-bg-danger",
        "due_soon": "text-bg-warning",
        "running": "bg-success-subtle text-success-emphasis border border-success-subtle",
        "window": "bg-primary-subtle text-primary-emphasis border border-primary-subtle",
        "lapsed": "bg-secondary-subtle text-secondary-emphasis border",
        "paused": "bg-info-subtle text-info-emphasis border border-info-subtle",
        "not_applicable": "bg-light text-muted border",
    }

    @property
    def css(self) -> str:
        return self.CSS[self.state]


def _days_text(due: dt.date, today: dt.date) -> str:
    if due < today:
        return f"已超期 {(today - due).days} 天"
    if due == today:
        return "今天到期"
    return f"剩余 {(due - today).days} 天"


def badge_from(clocks: list[dict], today: dt.date) -> Badge | None:
    """The badge of one case from its clocks (status, due date, duty, rule name)."""
    duties = [c for c in clocks if c["status"] in OPEN and c["duty"] != WINDOW]
    if duties:
        nearest = min(duties, key=lambda c: c["due_at"])
        due = nearest["due_date"] or timezone.localdate(nearest["due_at"])
        title = f"{nearest['name']}：{due:%Y-%m-%d} 到期"
        late = [c for c in duties if c["status"] == "overdue"]
        if late:
            first = min(late, key=lambda c: c["due_at"])
            due = first["due_date"] or timezone.localdate(first["due_at"])
            return Badge("overdue", _days_text(due, today), f"{first['name']}：{due:%Y-%m-%d} 到期")
        if any(c["status"] == "due_soon" for c in duties):
            return Badge("due_soon", _days_text(due, today), title)
        return Badge("running", _days_text(due, today), title)
    if any(c["status"] == "paused" for c in clocks):
        return Badge("paused", "已暂停", "听证期间不计入期限（《信访工作条例》第三十六条）")
    windows = [c for c in clocks if c["status"] in OPEN and c["duty"] == WINDOW]
    running = [c for c in windows if c["status"] != "overdue"]
    if running:
        nearest = min(running, key=lambda c: c["due_at"])
        due = nearest["due_date"] or timezone.localdate(nearest["due_at"])
        return Badge("window", f"申请期至 {due:%m-%d}", f"{nearest['name']}：{due:%Y-%m-%d} 届满（信访人的申请期）")
    if windows:
        last = max(windows, key=lambda c: c["due_at"])
        return Badge("lapsed", "申请期已届满", f"{last['name']}已届满，不属超期")
    if clocks and all(c["status"] == "not_applicable" for c in clocks):
        return Badge("not_applicable", "不适用", clocks[0]["note"] or "")
    return None


def badges_for(case_ids: Iterable[int], now: dt.datetime | None = None) -> dict[int, Badge]:
    """The badges of these cases, in one query over their clocks that are not finished."""
    from .models import Case

    ids = list(case_ids)
    if not ids:
        return {}
    today = timezone.localdate(now or timezone.now())
    clock = Case._meta.get_field("clocks").related_model
    rows = (
        clock.objects.filter(case_id__in=ids)
        .exclude(status="stopped")
        .values("case_id", "status", "due_at", "due_date", "note", duty=F("rule__duty"), name=F("rule__name"))
    )
    by_case: dict[int, list[dict]] = {}
    for row in rows:
        by_case.setdefault(row["case_id"], []).append(row)
    badges = {pk: badge_from(clocks, today) for pk, clocks in by_case.items()}
    return {pk: b for pk, b in badges.items() if b is not None}


def attach(cases: Iterable, now: dt.datetime | None = None) -> list:
    """Set `.due_badge` on each case (model instances or the case list's dicts)."""
    cases = list(cases)
    key = (lambda c: c["id"]) if cases and isinstance(cases[0], dict) else (lambda c: c.pk)
    badges = badges_for([key(c) for c in cases], now)
    for c in cases:
        badge = badges.get(key(c))
        if isinstance(c, dict):
            c["due_badge"] = badge
        else:
            c.due_badge = badge
    return cases


def open_duty_clocks() -> Q:
    """The clocks a case is late on: open, and a duty of the school's, not a window."""
    return Q(clocks__status__in=OPEN, clocks__rule__duty__in=DUTIES)


def with_due_key(qs: QuerySet) -> QuerySet:
    """Annotate `due_key`: the nearest due time of the case's open duties (far in the
    future when none), so that the case list can sort and page by it."""
    from .models import Case

    clock = Case._meta.get_field("clocks").related_model
    nearest = (
        clock.objects.filter(case=OuterRef("pk"), status__in=OPEN, rule__duty__in=DUTIES)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return qs.annotate(due_key=Coalesce(Subquery(nearest), Value(NO_DEADLINE), output_field=DateTimeField()))
