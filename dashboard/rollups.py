"""Rewriting the dashboard's rollups, set-based.

`refresh_rollups()` is the beat job (dashboard.refresh, every DASHBOARD_REFRESH_SECONDS)
and the command `python manage.py refresh_dashboard`. In one transaction it deletes every
rollup row and writes them again with a few INSERT … SELECT statements, whose SELECTs
are the same ORM aggregates (and conditions) that the live dashboard runs, compiled by
Django for the database in use. So:

- it is idempotent: the result depends only on the cases, clocks and notices;
- two runs at once are serialised by an advisory lock on PostgreSQL (SQLite allows one
  writer anyway), so the second simply writes the same rows again;
- readers keep seeing the previous rows until the new ones commit (MVCC), never an
  empty table.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from cases.choices import CLOSED_STATES, OPEN_STATES
from cases.models import Case
from deadlines.clocks import Clock
from supervision.models import Notice

from .conditions import ARCHIVED_STATES, RATE_SLOTS
from .figures import _case_aggregates, _clock_aggregates
from .models import Rollup, RollupRefresh

LOCK_KEY = 0x7866_6461  # "xfda": one refresh at a time


def _keys(month, unit, dimension: str = "", value=None) -> dict:
    return {
        "m": month,
        "u": unit,
        "d": Value(dimension, output_field=CharField()),
        "v": value if value is not None else Value("", output_field=CharField()),
    }


def _insert(qs: QuerySet, columns: list[str]) -> int:
    """INSERT INTO the rollups the rows of an aggregate queryset whose first four
    annotations are m, u, d, v and the rest are named after rollup columns."""
    sql, params = qs.query.sql_with_params()
    table = Rollup._meta.db_table
    targets = ", ".join(connection.ops.quote_name(c) for c in ["month", "unit_id", "dimension", "value", *columns])
    sources = ", ".join(f"s.{connection.ops.quote_name(c)}" for c in ["m", "u", "d", "v", *columns])
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({targets}) SELECT {sources} FROM ({sql}) s", params)
        return cur.rowcount


def _grouped(qs: QuerySet, keys: dict, aggregates: dict) -> QuerySet:
    return qs.annotate(**keys).values(*keys).annotate(**aggregates).order_by()


def refresh_rollups() -> RollupRefresh:
    started = time.monotonic()
    rows = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        Rollup.objects.all().delete()

        # Cases by the month they were received: 新增 and what is counted over them.
        received = _keys(TruncMonth("received_on"), F("main_unit"))
        case_aggs = {**_case_aggregates(), "open_now": Count("pk", filter=Q(state__in=OPEN_STATES))}
        rows += _insert(_grouped(Case.objects.all(), received, case_aggs), list(case_aggs))

        # The same cases broken down by channel, kind and topic (the charts).
        for dim, value in (
            ("channel", F("channel")),
            ("kind", F("kind")),
            ("topic", Coalesce(Cast("topic", CharField()), Value("", output_field=CharField()))),
        ):
            keys = _keys(TruncMonth("received_on"), F("main_unit"), dim, value)
            rows += _insert(_grouped(Case.objects.all(), keys, {"received": Count("pk")}), ["received"])

        # Cases by the month they were closed.
        closed_month = CaseWhen(
            When(state__in=ARCHIVED_STATES, then=TruncMonth("archived_at", output_field=DateField())),
            default=TruncMonth("updated_at", output_field=DateField()),
            output_field=DateField(),
        )
        closed = Case.objects.filter(state__in=CLOSED_STATES)
        rows += _insert(_grouped(closed, _keys(closed_month, F("main_unit")), {"closed": Count("pk")}), ["closed"])

        # Clocks of the three watched slots by the month they stopped.
        clocks = Clock.objects.filter(status="stopped", rule__slot__in=list(RATE_SLOTS))
        clock_aggs = _clock_aggregates()
        keys = _keys(TruncMonth("stopped_at", output_field=DateField()), F("case__main_unit"))
        rows += _insert(_grouped(clocks, keys, clock_aggs), list(clock_aggs))

        # Escalated notices, by the month their case was received.
        escalated = Notice.objects.filter(status=Notice.Status.ESCALATED)
        keys = _keys(TruncMonth("case__received_on"), F("case__main_unit"))
        rows += _insert(_grouped(escalated, keys, {"escalated": Count("case", distinct=True)}), ["escalated"])

        now = timezone.now()
        seconds = time.monotonic() - started
        refresh, _ = RollupRefresh.objects.update_or_create(
            pk=1, defaults={"refreshed_at": now, "seconds": seconds, "rows": rows}
        )
    return refresh
