"""What the dashboard's charts draw: the monthly trend against the same days a year
earlier, the breakdowns by channel, kind and topic, and the unit comparison; read live
or from the rollups."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth

from cases.models import Channel, Kind, Topic

from .conditions import (
    RATED,
    SATISFIED,
    _between,
    q_received,
    rate,
)
from .models import Rollup
from .periods import Period
from .scope import Scope, dashboard_units

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
                "on_time_rate": rate((s.get("stopped") or 0) - (s.get("late") or 0), s.get("stopped") or 0)
                if enough
                else None,
                "satisfaction_rate": rate(s.get("satisfied") or 0, s.get("rated") or 0) if enough else None,
                "ranked": enough,
            }
        )
    rows.sort(key=lambda r: (not r["ranked"], -(r["on_time_rate"] or 0), -r["received"]))
    return {"min_volume": minimum, "rows": rows}
