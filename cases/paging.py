"""Keyset (cursor) paging and a count that stays cheap at a million rows.

OFFSET 950000 makes PostgreSQL walk 950,000 rows; a cursor seeks straight to the row
after the last one shown. Counting is exact only when the filtered set is small.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None
    count: int
    count_is_exact: bool


def _encode(value, pk: int) -> str:
    if isinstance(value, datetime):
        raw = ["dt", value.isoformat(), pk]
    elif isinstance(value, date):
        raw = ["d", value.isoformat(), pk]
    else:
        raw = ["i", value, pk]
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def _decode(token: str):
    try:
        padded = token + "=" * (-len(token) % 4)
        kind, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if kind == "dt":
            value = datetime.fromisoformat(value)
        elif kind == "d":
            value = date.fromisoformat(value)
        else:
            value = int(value)
        return value, int(pk)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def _seek(field: str, value, pk: int, *, forward_desc: bool) -> Q:
    """Rows strictly after (value, pk) in the given direction. The redundant bound on
    `field` alone lets the planner use it as an index condition."""
    if forward_desc:
        return Q(**{f"{field}__lte": value}) & (Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}))
    return Q(**{f"{field}__gte": value}) & (Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}))


def keyset_page(qs: QuerySet, *, sort: str, after: str | None, before: str | None, size: int) -> Page:
    field = sort.lstrip("-")
    desc = sort.startswith("-")
    going_back = bool(before) and not after
    cursor = _decode(before if going_back else after) if (before or after) else None
    # Walking backwards is walking forwards in the opposite order, then flipping.
    walk_desc = desc != going_back
    order = [f"-{field}", "-pk"] if walk_desc else [field, "pk"]
    page_qs = qs.order_by(*order)
    if cursor is not None:
        page_qs = page_qs.filter(_seek(field, cursor[0], cursor[1], forward_desc=walk_desc))
    rows = list(page_qs[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if going_back:
        rows.reverse()
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    if going_back:
        next_cursor = _encode(getattr(last, field), last.pk) if last else None
        prev_cursor = _encode(getattr(first, field), first.pk) if (first and has_more) else None
    else:
        next_cursor = _encode(getattr(last, field), last.pk) if (last and has_more) else None
        prev_cursor = _encode(getattr(first, field), first.pk) if (first and cursor is not None) else None
    count, exact = count_or_estimate(qs)
    return Page(rows=rows, next_cursor=next_cursor, prev_cursor=prev_cursor, count=count, count_is_exact=exact)


def count_or_estimate(qs: QuerySet) -> tuple[int, bool]:
    """An exact count up to the limit; past it, PostgreSQL's planner estimate ("约 N")."""
    limit = settings.CASE_LIST_EXACT_COUNT_LIMIT
    qs = qs.order_by()
    if connection.vendor == "postgresql":
        estimate = _planner_estimate(qs)
        if estimate > limit * 10:
            return estimate, False
    counted = qs[: limit + 1].count()
    if counted <= limit:
        return counted, True
    if connection.vendor == "postgresql":
        return max(_planner_estimate(qs), limit + 1), False
    return qs.count(), True


def _planner_estimate(qs: QuerySet) -> int:
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
