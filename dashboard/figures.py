"""The dashboard's key figures and chart data: their definitions, read live or from rollups.

Every figure is a set of cases that the case list can show: the conditions below
(`q_…`, `has_…`) are used by the live aggregates, by the rollup refresh and by the case
list's filters (cases.selectors.cases_filtered), so that a figure and its drill-down list
count the same cases. Everything is counted in SQL; no case is loaded into Python.

Periods. 新增, satisfaction, repeat, 越级/集体访, 领导包案 and escalation count the cases
*received* in the period; 办结 counts cases *closed* in it; the on-time rates count the
clocks that *stopped* in it. 存量 (open now), overdue now, due soon and 积案 are stocks,
read live at the moment of the request whatever the period.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from cases.models import CLOSED_STATES, OPEN_STATES, AccusedPerson, Case, Channel, Kind, Satisfaction, State, Topic
from core.days import day_start
from deadlines import calendar as cal
from deadlines.clocks import Clock, DeadlineRule
from people.models import Unit, User
from supervision.models import OPEN_STATUSES, Notice

from .models import Rollup, RollupRefresh
from .scope import dashboard_cases, dashboard_units, is_whole_school

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


# --- periods ---------------------------------------------------------------------------

PERIODS = [("ytd", "本年至今"), ("month", "本月"), ("quarter", "本季度"), ("year", "全年"), ("custom", "自定义")]


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    @property
    def months(self) -> list[dt.date]:
        months, m = [], self.start.replace(day=1)
        while m <= self.end:
            months.append(m)
            m = (m + dt.timedelta(days=32)).replace(day=1)
        return months

    @property
    def whole_months(self) -> bool:
        """Whether rollups (by month) can answer: whole months, or up to today."""
        last = (self.end + dt.timedelta(days=1)).day == 1 or self.end >= timezone.localdate()
        return self.kind != "custom" and self.start.day == 1 and last


def make_period(kind: str = "ytd", *, year: int | None = None, start=None, end=None) -> Period:
    today = timezone.localdate()
    if kind == "month":
        return Period(kind, today.replace(day=1), today)
    if kind == "quarter":
        return Period(kind, today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today)
    if kind == "year":
        y = year or today.year
        return Period(kind, dt.date(y, 1, 1), min(dt.date(y, 12, 31), today))
    if kind == "custom" and start and end:
        return Period(kind, start, end)
    return Period("ytd", today.replace(month=1, day=1), today)


# --- the figures ----------------------------------------------------------------------


@dataclass
class Scope:
    """Whose cases, and which unit. `unrestricted` when the scope is every case."""

    user: User
    unit: Unit | None
    cases: QuerySet[Case]
    unrestricted: bool

    def clocks(self) -> QuerySet[Clock]:
        qs = Clock.objects.all()
        return qs if self.unrestricted else qs.filter(case__in=self.cases.values("pk"))

    def notices(self) -> QuerySet[Notice]:
        qs = Notice.objects.all()
        if self.user.is_unit_staff:
            # a unit sees its own notices only (supervision.selectors.notices_visible_to)
            qs = qs.filter(unit_id=self.user.unit_id)
        return qs if self.unrestricted else qs.filter(case__in=self.cases.values("pk"))


def hides_cases(user: User) -> bool:
    """Whether some case is hidden from `user` as accused (条例 第30条): the whole-school
    rollups then count too much for them, and their dashboard is computed live."""
    if AccusedPerson.objects.filter(user_id=user.pk).exists():
        return True
    return user.unit_id is not None and Case.accused_units.through.objects.filter(unit_id=user.unit_id).exists()


def make_scope(*, user: User, unit: Unit | None) -> Scope:
    whole = is_whole_school(user) and unit is None and not hides_cases(user)
    return Scope(user=user, unit=unit, cases=dashboard_cases(user=user, unit=unit), unrestricted=whole)


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | None
    params: dict = field(default_factory=dict)
    unit: str = "件"
    hint: str = ""
    url: str = ""


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


CASE_SUMS = (
    "received",
    "rated",
    "satisfied",
    "repeat",
    "over_level",
    "over_level_people",
    "group",
    "group_people",
    "leader_cases",
    "leader_open",
)


def _case_aggregates() -> dict:
    """The counts over cases received in a period (the same for live and rollup)."""
    people = CaseWhen(When(is_group=True, then=Coalesce("group_size", 1)), default=Value(1))
    return {
        "received": Count("pk"),
        "rated": Count("pk", filter=Q(satisfaction__in=RATED)),
        "satisfied": Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        "repeat": Count("pk", filter=Q(is_repeat=True)),
        "over_level": Count("pk", filter=Q(is_over_level=True)),
        "over_level_people": Coalesce(Sum(people, filter=Q(is_over_level=True)), 0),
        "group": Count("pk", filter=Q(is_group=True)),
        "group_people": Coalesce(Sum("group_size", filter=Q(is_group=True)), 0),
        "leader_cases": Count("pk", filter=Q(is_leader_case=True)),
        "leader_open": Count("pk", filter=Q(is_leader_case=True, state__in=OPEN_STATES)),
    }


def _clock_aggregates() -> dict:
    out = {}
    for slot, name in ROLLUP_SLOT_FIELDS.items():
        out[f"{name}_stopped"] = Count("pk", filter=Q(rule__slot=slot))
        out[f"{name}_late"] = Count("pk", filter=Q(rule__slot=slot, on_time=False))
    return out


def live_counts(scope: Scope, period: Period) -> dict:
    """The period's counts, aggregated live over the scope's cases (SQL only)."""
    counts = scope.cases.filter(q_received(period.start, period.end)).aggregate(**_case_aggregates())
    counts["open_now"] = scope.cases.filter(q_open()).count()
    counts["closed"] = scope.cases.filter(q_closed(period.start, period.end)).count()
    counts.update(
        scope.clocks()
        .filter(_between("stopped_at", period.start, period.end), status="stopped", rule__slot__in=list(RATE_SLOTS))
        .aggregate(**_clock_aggregates())
    )
    counts["escalated"] = (
        scope.notices()
        .filter(status=Notice.Status.ESCALATED, case__received_on__gte=period.start, case__received_on__lte=period.end)
        .aggregate(n=Count("case", distinct=True))["n"]
    )
    return counts


ROLLUP_SUMS = (
    *CASE_SUMS,
    "closed",
    "escalated",
    *(f"{n}_{x}" for n in ROLLUP_SLOT_FIELDS.values() for x in ("stopped", "late")),
)


def rollup_counts(period: Period) -> dict:
    """The same counts for the whole school, from the rollups (a few hundred rows)."""
    months = Q(month__gte=period.start.replace(day=1), month__lte=period.end)
    sums = {name: Coalesce(Sum(name, filter=months), 0) for name in ROLLUP_SUMS}
    sums["open_now"] = Coalesce(Sum("open_now"), 0)
    return Rollup.objects.filter(dimension="").aggregate(**sums)


def live_stocks(scope: Scope, now: dt.datetime) -> dict:
    """Always live: overdue now, due soon and 积案 (one grouped query over the open cases'
    open duty clocks, per main unit; the totals are the sums, as a case has one main
    unit), and open notices.

    Only clocks due before the due-soon bound can count, so the query reads two small
    index ranges, one statement each side of a UNION ALL: running clocks due by then
    (clock_open_due_idx) and overdue clocks of duty rules (dashboard_clock_overdue_rule_idx),
    never the many lapsed windows that share the overdue status."""
    bound = due_soon_bound(now)
    rules = list(DeadlineRule.objects.filter(raises_notice=True).values_list("pk", "slot"))
    duties = [pk for pk, _ in rules]
    completion = [pk for pk, slot in rules if slot == "completion"]
    scoped, scope_params = "", []
    if not scope.unrestricted:
        sub, scope_params = scope.cases.values("pk").query.sql_with_params()
        scoped = f"AND c.id IN ({sub})"
    clock, case = Clock._meta.db_table, Case._meta.db_table
    sql = f"""
        WITH near AS (
            SELECT case_id, due_at, rule_id FROM {clock}
            WHERE status IN ('running', 'due_soon') AND due_at < %s AND rule_id = ANY(%s)
            UNION ALL
            SELECT case_id, due_at, rule_id FROM {clock}
            WHERE status = 'overdue' AND rule_id = ANY(%s))
        SELECT c.main_unit_id,
               COUNT(DISTINCT c.id) FILTER (WHERE n.due_at <= %s),
               COUNT(DISTINCT c.id) FILTER (WHERE n.due_at > %s AND n.due_at < %s),
               COUNT(DISTINCT c.id) FILTER (WHERE n.due_at <= %s AND n.rule_id = ANY(%s))
        FROM near n JOIN {case} c ON c.id = n.case_id
        WHERE c.state IN ({", ".join(["%s"] * len(OPEN_STATES))}) {scoped}
        GROUP BY c.main_unit_id"""
    params = [bound, duties, duties, now, now, bound, now, completion, *OPEN_STATES, *scope_params]
    if connection.vendor != "postgresql":
        sql, params = _portable(sql), _portable_params(params)
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The planner's row estimates for lapsed clocks are far off, and compiling
            # the query (JIT) or starting parallel workers would cost more than running it.
            cur.execute("SET LOCAL jit = off")
            cur.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = {"overdue": 0, "due_soon": 0, "backlog": 0, "overdue_by_unit": {}}
    for unit, overdue, due_soon, backlog in rows:
        out["overdue"] += overdue
        out["due_soon"] += due_soon
        out["backlog"] += backlog
        out["overdue_by_unit"][unit] = overdue
    out["notices_open"] = (
        scope.notices().filter(status__in=OPEN_STATUSES).aggregate(n=Count("case", distinct=True))["n"]
    )
    return out


def key_figures(counts: dict, stocks: dict, period: Period, unit: Unit | None) -> list[Figure]:
    received = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    c = counts
    figs = [
        Figure("open_now", "存量（在办）", c["open_now"], {"status": "open"}, hint="当前尚未办结"),
        Figure("received", "增量（新增）", c["received"], dict(received), hint="期内收到"),
        Figure(
            "closed",
            "期内办结",
            c["closed"],
            {"closed_from": period.start.isoformat(), "closed_to": period.end.isoformat()},
        ),
        Figure("backlog", "积案", stocks["backlog"], {"deadline": "backlog"}, hint="超过办结期限仍未办结"),
        Figure("overdue", "当前超期", stocks["overdue"], {"deadline": "overdue"}, hint="实时"),
        Figure("due_soon", "3个工作日内到期", stocks["due_soon"], {"deadline": "due_soon"}, hint="实时"),
    ]
    for slot, label in RATE_SLOTS.items():
        name = ROLLUP_SLOT_FIELDS[slot]
        stopped, late = c[f"{name}_stopped"], c[f"{name}_late"]
        figs.append(
            Figure(
                f"{name}_rate",
                f"{label}按期率",
                _rate(stopped - late, stopped),
                {"late": slot, "late_from": period.start.isoformat(), "late_to": period.end.isoformat()},
                unit="%",
                hint=f"期内完成 {stopped} 项，超期 {late} 项（链接为超期件）",
            )
        )
    figs += [
        Figure("notices_open", "督办中", stocks["notices_open"], {"notice": "open"}, hint="有未办结督办单"),
        Figure("escalated", "升级督办", c["escalated"], {"notice": "escalated", **received}),
        Figure(
            "satisfaction",
            "满意率",
            _rate(c["satisfied"], c["rated"]),
            {"satisfaction": list(SATISFIED), **received},
            unit="%",
            hint=f"满意和基本满意 {c['satisfied']} / 已评价 {c['rated']}（链接为满意件）",
        ),
        Figure("repeat", "重复信访", c["repeat"], {"flags": "is_repeat", **received}),
        Figure(
            "over_level",
            "越级访",
            c["over_level"],
            {"flags": "is_over_level", **received},
            hint=f"{c['over_level_people']} 人次",
        ),
        Figure("group", "集体访", c["group"], {"flags": "is_group", **received}, hint=f"{c['group_people']} 人次"),
        Figure(
            "leader_cases",
            "领导包案",
            c["leader_cases"],
            {"flags": "is_leader_case", **received},
            hint=f"未结 {c['leader_open']}，已结 {c['leader_cases'] - c['leader_open']}",
        ),
        Figure("leader_open", "包案未结", c["leader_open"], {"flags": "is_leader_case", "status": "open", **received}),
    ]
    base = reverse("cases:list")
    for f in figs:
        if unit is not None:
            f.params["unit"] = unit.pk
        f.url = f"{base}?{urlencode(f.params, doseq=True)}"
    return figs


# --- charts ----------------------------------------------------------------------------


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def received_by_month(scope: Scope, period: Period, *, rollup: bool) -> dict[dt.date, int]:
    """Cases received per month in the period and in the same days a year earlier.

    上年同期 is the same days a year earlier: on 2 December the year to date is compared
    with 1 January – 2 December of last year, not with the whole of last December. The
    rollups hold whole months, so the last month a year earlier, when it is cut short, is
    counted live (one month of `received_on`, an index range)."""
    prev_start, prev_end = _shift_year(period.start, -1), _shift_year(period.end, -1)
    if not rollup:
        return dict(
            scope.cases.filter(q_received(prev_start, prev_end) | q_received(period.start, period.end))
            .annotate(m=TruncMonth("received_on"))
            .values_list("m")
            .annotate(n=Count("pk"))
        )
    by_month = dict(
        Rollup.objects.filter(dimension="", month__gte=prev_start.replace(day=1), month__lte=period.end)
        .values_list("month")
        .annotate(n=Sum("received"))
    )
    if prev_end != _month_end(prev_end):
        cut = prev_end.replace(day=1)
        by_month[cut] = scope.cases.filter(q_received(max(cut, prev_start), prev_end)).count()
    return by_month


def chart_data(scope: Scope, period: Period, *, rollup: bool, stocks: dict) -> dict:
    """Everything the charts draw, as plain lists (json_script on the page)."""
    months = period.months
    prev_start, prev_end = _shift_year(period.start, -1), _shift_year(period.end, -1)
    by_month = received_by_month(scope, period, rollup=rollup)
    trend = {
        "months": [f"{m:%Y-%m}" for m in months],
        "current": [by_month.get(m, 0) for m in months],
        "previous": [by_month.get(_shift_year(m, -1), 0) for m in months],
        "previous_label": f"{prev_start.year}年同期" if prev_start.year == prev_end.year else "上年同期",
    }
    labels = {
        "channel": dict(Channel.choices),
        "kind": dict(Kind.choices),
        "topic": {str(pk): name for pk, name in Topic.objects.values_list("pk", "name")},
    }
    breakdowns = {}
    for dim in ("channel", "kind", "topic"):
        if rollup:
            rows = (
                Rollup.objects.filter(dimension=dim, month__gte=period.start.replace(day=1), month__lte=period.end)
                .values_list("value")
                .annotate(n=Sum("received"))
            )
        else:
            rows = scope.cases.filter(q_received(period.start, period.end)).values_list(dim).annotate(n=Count("pk"))
        counted = sorted(((str(v or ""), n) for v, n in rows if n), key=lambda r: -r[1])
        breakdowns[dim] = [{"name": labels[dim].get(v, v if v else "未分类"), "value": n, "key": v} for v, n in counted]
    return {
        "trend": trend,
        **breakdowns,
        "units": unit_comparison(scope, period, rollup=rollup, overdue=stocks["overdue_by_unit"]),
    }


def unit_comparison(scope: Scope, period: Period, *, rollup: bool, overdue: dict) -> dict:
    """Per unit: volume, completion on-time rate, overdue now and satisfaction. A unit
    with fewer than DASHBOARD_MIN_VOLUME cases in the period gets no rates, so that two
    cases handled on time do not top the ranking."""
    minimum = settings.DASHBOARD_MIN_VOLUME
    units = dashboard_units(scope.user)
    if scope.unit is not None:
        units = units.filter(pk=scope.unit.pk)
    names = dict(units.order_by("pk").values_list("pk", "name"))
    if rollup:
        months = Q(month__gte=period.start.replace(day=1), month__lte=period.end)
        rows = (
            Rollup.objects.filter(months, dimension="", unit__in=list(names))
            .values_list("unit")
            .annotate(
                received=Sum("received"),
                stopped=Sum("completion_stopped"),
                late=Sum("completion_late"),
                rated=Sum("rated"),
                satisfied=Sum("satisfied"),
            )
        )
        stats = {
            u: {"received": r, "stopped": s, "late": la, "rated": ra, "satisfied": sa} for u, r, s, la, ra, sa in rows
        }
    else:
        stats = {}
        cases = scope.cases.filter(q_received(period.start, period.end), main_unit__in=list(names))
        for u, r, ra, sa in cases.values_list("main_unit").annotate(
            n=Count("pk"),
            rated=Count("pk", filter=Q(satisfaction__in=RATED)),
            satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        ):
            stats[u] = {"received": r, "rated": ra, "satisfied": sa, "stopped": 0, "late": 0}
        clocks = scope.clocks().filter(
            _between("stopped_at", period.start, period.end),
            status="stopped",
            rule__slot="completion",
            case__main_unit__in=list(names),
        )
        for u, s, la in clocks.values_list("case__main_unit").annotate(
            n=Count("pk"), late=Count("pk", filter=Q(on_time=False))
        ):
            stats.setdefault(u, {"received": 0, "rated": 0, "satisfied": 0})
            stats[u].update(stopped=s, late=la)
    rows = []
    for pk, name in names.items():
        s = stats.get(pk, {})
        received = s.get("received") or 0
        enough = received >= minimum
        rows.append(
            {
                "unit": pk,
                "name": name,
                "received": received,
                "overdue": overdue.get(pk, 0),
                "on_time_rate": _rate((s.get("stopped") or 0) - (s.get("late") or 0), s.get("stopped") or 0)
                if enough
                else None,
                "satisfaction_rate": _rate(s.get("satisfied") or 0, s.get("rated") or 0) if enough else None,
                "ranked": enough,
            }
        )
    rows.sort(key=lambda r: (not r["ranked"], -(r["on_time_rate"] or 0), -r["received"]))
    return {"min_volume": minimum, "rows": rows}


# --- the page --------------------------------------------------------------------------


def dashboard(*, user: User, unit: Unit | None, period: Period, now: dt.datetime | None = None) -> dict:
    """Everything the page shows. The whole school over whole months reads the rollups;
    any other scope or period is aggregated live. Stocks of deadlines are always live."""
    now = now or timezone.now()
    scope = make_scope(user=user, unit=unit)
    refresh = RollupRefresh.objects.order_by("-refreshed_at").first()
    rollup = scope.unrestricted and period.whole_months and refresh is not None
    stocks = live_stocks(scope, now)
    if rollup:
        counts, charts = _from_rollups(scope, period, refresh, stocks)
    else:
        counts = live_counts(scope, period)
        charts = chart_data(scope, period, rollup=False, stocks=stocks)
    return {
        "figures": key_figures(counts, stocks, period, unit),
        "charts": charts,
        "from_rollup": rollup,
        "refreshed_at": refresh.refreshed_at if refresh else None,
        "computed_at": now,
    }


def _from_rollups(scope: Scope, period: Period, refresh: RollupRefresh, stocks: dict) -> tuple[dict, dict]:
    """The rollups' counts and charts change only when they are refreshed: kept in the
    cache under the refresh's stamp, so between refreshes a request reads them once. The
    live overdue count per unit is put into the unit comparison afterwards."""
    key = f"dashboard:rollup:v1:{refresh.pk}:{refresh.refreshed_at.isoformat()}:{period.start}:{period.end}"
    cached = cache.get(key)
    if cached is None:
        cached = {
            "counts": rollup_counts(period),
            "charts": chart_data(scope, period, rollup=True, stocks={"overdue_by_unit": {}}),
        }
        cache.set(key, cached, timeout=2 * settings.DASHBOARD_REFRESH_SECONDS)
    charts = copy.deepcopy(cached["charts"])
    for row in charts["units"]["rows"]:
        row["overdue"] = stocks["overdue_by_unit"].get(row["unit"], 0)
    return cached["counts"], charts


def _portable(sql: str) -> str:
    """SQLite has neither `= ANY(array)` nor FILTER on COUNT(DISTINCT): the same query with
    lists spelled out and CASE inside the count."""
    import re

    sql = sql.replace("rule_id = ANY(%s)", "rule_id IN (SELECT value FROM json_each(%s))")
    return re.sub(
        r"COUNT\(DISTINCT c\.id\) FILTER \(WHERE (.+?)\)(,|\n)",
        lambda m: f"COUNT(DISTINCT CASE WHEN {m.group(1)} THEN c.id END){m.group(2)}",
        sql,
    )


def _portable_params(params: list) -> list:
    import json

    return [json.dumps(p) if isinstance(p, list) else p for p in params]
