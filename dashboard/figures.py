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
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cases.models import OPEN_STATES, Case
from deadlines.clocks import Clock, DeadlineRule
from people.models import Unit, User
from supervision.models import OPEN_STATUSES, Notice

from .charts import chart_data
from .conditions import (
    RATE_SLOTS,
    RATED,
    ROLLUP_SLOT_FIELDS,
    SATISFIED,
    _between,
    due_soon_bound,
    q_closed,
    q_open,
    q_received,
    rate,
)
from .models import Rollup, RollupRefresh
from .periods import Period
from .scope import Scope, make_scope

# --- the figures ----------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | None
    params: dict = field(default_factory=dict)
    unit: str = "件"
    hint: str = ""
    url: str = ""


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
                rate(stopped - late, stopped),
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
            rate(c["satisfied"], c["rated"]),
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
