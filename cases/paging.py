"""Keyset (cursor) paging and a count that stays cheap at a million rows.

OFFSET 950000 makes PostgreSQL walk 950,000 rows; a cursor seeks straight to the row
after the last one shown. Counting is exact only when the filtered set is small.

With `load=`, a page is read in two steps: first the sort key and id of the page's rows
alone (a narrow query that an index holding the filtered columns answers without
touching the table), then those rows by primary key. The rows may be model instances or
the dicts of a `.values()` queryset.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

# The cursor of the last page (首页 is the list without one).
LAST = "end"


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


def _pk_of(row):
    return row["id"] if isinstance(row, dict) else row.pk


def _value_of(row, field: str):
    if isinstance(row, dict):
        return row[field]
    return row.pk if field == "pk" else getattr(row, field)


def keyset_page(
    qs: QuerySet,
    *,
    sort: str,
    after: str | None,
    before: str | None,
    size: int,
    load: Callable[[QuerySet], Iterable] | None = None,
) -> Page:
    """One page of `qs` in `sort` order (a field, "-" for descending; ties by pk);
    `before=LAST` is the last page.

    Without `load` the page is one query over `qs` itself. With `load`, the page's keys are
    found first by a narrow query over `qs`, and `load` turns `qs` narrowed to those
    primary keys into the rows, e.g. `lambda q: q.values(...)`: keep the joins and the
    columns to show in `load`, so that finding the page and counting stay index-only.
    """
    field = sort.lstrip("-")
    desc = sort.startswith("-")
    # before=LAST is the last page: walking back from the end
    at_end = before == LAST and not after
    going_back = bool(before) and not after
    cursor = None if at_end else (_decode(before if going_back else after) if (before or after) else None)
    # Walking backwards is walking forwards in the opposite order, then flipping.
    walk_desc = desc != going_back
    order = [f"-{field}", "-pk"] if walk_desc else [field, "pk"]
    keys_qs = qs.order_by(*order)
    if cursor is not None:
        keys_qs = keys_qs.filter(_seek(field, cursor[0], cursor[1], forward_desc=walk_desc))
    if load is None:
        # One query: the rows themselves, in order.
        rows = list(keys_qs[: size + 1])
        keys = [(_value_of(row, field), _pk_of(row)) for row in rows]
    else:
        # Two: the keys of the page alone (a narrow query that an index holding the
        # filtered columns answers without reading the table), then its rows by primary
        # key. The scope and the filters stay on the second query too: a row that changed
        # in between is left out rather than shown.
        keys = list(keys_qs.values_list(field, "pk")[: size + 1])
        rows = []
        if keys:
            narrowed = qs.order_by().filter(pk__in=[pk for _, pk in keys[:size]])
            by_pk = {_pk_of(row): row for row in load(narrowed)}
            rows = [by_pk[pk] for _, pk in keys[:size] if pk in by_pk]
    has_more = len(keys) > size
    keys = keys[:size]
    rows = rows[:size]
    if going_back:
        keys.reverse()
        rows.reverse()
    first, last = (keys[0], keys[-1]) if keys else (None, None)
    if going_back:
        next_cursor = _encode(*last) if (last and not at_end) else None
        prev_cursor = _encode(*first) if (first and has_more) else None
    else:
        next_cursor = _encode(*last) if (last and has_more) else None
        prev_cursor = _encode(*first) if (first and cursor is not None) else None
    if cursor is None and not has_more and len(keys) <= settings.CASE_LIST_EXACT_COUNT_LIMIT:
        count, exact = len(keys), True  # the first page holds them all: nothing to count
    else:
        count, exact = count_or_estimate(qs)
    return Page(rows=rows, next_cursor=next_cursor, prev_cursor=prev_cursor, count=count, count_is_exact=exact)


def count_or_estimate(qs: QuerySet) -> tuple[int, bool]:
    """An exact count up to the limit; past it, PostgreSQL's planner estimate ("约 N")."""
    limit = settings.CASE_LIST_EXACT_COUNT_LIMIT
    qs = qs.order_by()
    estimate = None
    if connection.vendor == "postgresql":
        estimate = _planner_estimate(qs)
        if estimate > limit * 10:
            return estimate, False
    counted = qs[: limit + 1].count()
    if counted <= limit:
        return counted, True
    if estimate is not None:
        return max(estimate, limit + 1), False
    return qs.count(), True


# The planner's estimate only moves when the statistics do (ANALYZE), so a query's
# estimate is kept for a minute, per process; a list paged through or reloaded costs
# one EXPLAIN a minute instead of one a page.
ESTIMATE_TTL = 60.0
ESTIMATE_CACHE_SIZE = 512
_estimates: dict[tuple, tuple[float, int]] = {}
_estimates_lock = threading.Lock()


def _planner_estimate(qs: QuerySet) -> int:
    sql, params = qs.values("pk").query.sql_with_params()
    key = (connection.alias, sql, tuple(map(repr, params)))
    now = time.monotonic()
    with _estimates_lock:
        hit = _estimates.get(key)
    if hit is not None and now - hit[0] < ESTIMATE_TTL:
        return hit[1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    with _estimates_lock:
        if len(_estimates) >= ESTIMATE_CACHE_SIZE:
            _estimates.clear()
        _estimates[key] = (now, estimate)
    return estimate
