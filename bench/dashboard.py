"""Benchmark the leaders' dashboard on PostgreSQL with a million cases.

    python bench/dashboard.py [--cases 1000000] [--requests 100] [--warmup 10]

In one run, with one gunicorn worker and one sequential client (bench/case_list.py's
harness): the default dashboard page (whole school, this year to date: from the rollups,
with 'overdue now' live) beside the minimal list page /bench/minimal/ (target 2x); and a
custom-filtered dashboard (one unit, a custom range: computed live) beside the sum of
the SQL aggregates that page runs, executed directly on the database (target 1.5x).
The database (xinfang_dashbench by default) is created, migrated and filled with
generate_cases, and given its clocks (devtools.bulk.fill_clocks), when missing.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("XINFANG_DEVTOOLS", "1")  # generate_cases and fill_clocks live in devtools
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinfang_dashbench")

from bench.case_list import (  # noqa: E402 - after the environment is set
    Client,
    ensure_database,
    free_port,
    measure,
    start_server,
    stop_server,
    wait_until_up,
)

DEFAULT_TARGET = 2.0  # default page p95 within 2x the minimal list page's
LIVE_TARGET = 1.5  # live page p95 within 1.5x its raw SQL's
USER = "president"  # a 主要领导: the whole school, no case hidden from them


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))]


def prepare(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.models import Case
    from dashboard import figures
    from dashboard.periods import make_period
    from dashboard.rollups import refresh_rollups
    from dashboard.scope import hides_cases
    from deadlines.clocks import Clock
    from devtools.bulk import fill_clocks
    from people.demo import DEMO_PASSWORD, ensure_people
    from people.models import Unit, User

    if connection.vendor != "postgresql":
        raise SystemExit("bench/dashboard.py needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    print(f"cases in the database: {have:,}")
    if have < args.cases:
        call_command("generate_cases", count=args.cases - have, seed=args.seed)
    if Case.objects.filter(~Exists(Clock.objects.filter(case=OuterRef("pk")))).exists():
        t0 = time.monotonic()
        print(f"fill_clocks: {fill_clocks():,} clocks in {time.monotonic() - t0:.1f} s")
    t0 = time.monotonic()
    with connection.cursor() as cur:
        for table in ("cases_case", "deadlines_clock", "supervision_notice", "dashboard_rollup", "django_session"):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    print(f"VACUUM (ANALYZE): {time.monotonic() - t0:.1f} s")
    refresh = refresh_rollups()
    print(f"refresh_dashboard: {refresh.rows:,} rollup rows in {refresh.seconds:.1f} s")
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) dashboard_rollup")
    user = User.objects.filter(username=USER).first() or ensure_people()[USER]
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    if hides_cases(user):
        raise SystemExit(f"{USER} is accused in some 举报: pick another whole-school user")
    today = timezone.localdate()
    unit = Unit.objects.get(code="jwc")
    start = today - timedelta(days=180)
    period = make_period("custom", start=start, end=today)
    # The live page's SQL, captured as it runs it (the session and user lookups aside).
    with CaptureQueriesContext(connection) as captured:
        figures.dashboard(user=user, unit=unit, period=period)
    queries = [q["sql"] for q in captured.captured_queries]
    default = figures.dashboard(user=user, unit=None, period=make_period())
    if not default["from_rollup"]:
        raise SystemExit("the default page did not come from the rollups")
    connection.close()
    return {
        "password": DEMO_PASSWORD,
        "custom": "/dashboard/?"
        + urlencode({"period": "custom", "start": start.isoformat(), "end": today.isoformat(), "unit": unit.pk}),
        "queries": queries,
        "figures": {f.key: f.value for f in default["figures"]},
    }


def time_raw_sql(queries: list[str], *, requests: int, warmup: int) -> tuple[float, float]:
    """Run the captured statements directly (psycopg, no Django), `requests` times;
    p50 and p95 of the sum per round, in ms."""
    import psycopg

    samples = []
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for i in range(warmup + requests):
            t0 = time.perf_counter()
            for sql in queries:
                cur = conn.execute(sql)
                if cur.description is not None:  # BEGIN, SET LOCAL and COMMIT return no rows
                    cur.fetchall()
            if i >= warmup:
                samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), p95(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="at least this many cases (default 1,000,000)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page (default 100)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per page first (default 10)")
    parser.add_argument("--seed", type=int, default=2026, help="seed for generate_cases")
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup at least 0")

    ensure_database(os.environ["DATABASE_URL"])
    info = prepare(args)
    print("default page figures:", ", ".join(f"{k}={v}" for k, v in info["figures"].items()))
    pages = [("minimal", "/bench/minimal/"), ("dashboard", "/dashboard/"), ("live dashboard", info["custom"])]

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    proc = None
    results = {}
    try:
        port = free_port()
        proc = start_server(port, 1)
        client = Client(f"http://127.0.0.1:{port}")
        wait_until_up(client, proc)
        client.login(USER, info["password"])
        print(
            f"gunicorn on 127.0.0.1:{port}, 1 sync worker; one client, sequential; "
            f"{args.warmup} warm-up + {args.requests} timed requests per page"
        )
        for label, path in pages:
            print(f"  {label:<15} {path}")
        for label, path in pages:
            results[label] = measure(
                client, label, path, requests=args.requests, warmup=args.warmup, expect_rows=label == "minimal"
            )
        raw50, raw95 = time_raw_sql(info["queries"], requests=args.requests, warmup=args.warmup)
    finally:
        stop_server(proc)

    print()
    print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8}")
    for label, _path in pages:
        print(f"{label:<28} {results[label].p50:8.1f} {results[label].p95:8.1f}")
    print(f"{'raw SQL of live dashboard':<28} {raw50:8.1f} {raw95:8.1f}  ({len(info['queries'])} statements)")
    print()
    misses = []
    ratio = results["dashboard"].p95 / results["minimal"].p95
    print("default dashboard p95 / minimal list p95 (target <= 2.0)")
    print(f"ratio: {ratio:.2f}")
    if ratio > DEFAULT_TARGET:
        misses.append(f"dashboard {ratio:.2f}x minimal")
    ratio = results["live dashboard"].p95 / raw95
    print("live dashboard p95 / sum of its raw SQL p95 (target <= 1.5)")
    print(f"ratio: {ratio:.2f}")
    if ratio > LIVE_TARGET:
        misses.append(f"live dashboard {ratio:.2f}x its SQL")
    print()
    print("targets met" if not misses else "targets missed: " + "; ".join(misses))
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
