"""Benchmark the deadline scan against one hand-written statement, on PostgreSQL with a
million cases and their clocks.

    python bench/deadline_scan.py [--cases 1000000] [--overdue 50000] [--repeat 3] [--no-double]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/xinfang_scanbench, created
and migrated if missing) and, to double the closed history, a copy of it named
<database>_2x (made once, then reused). Each measured statement commits as the beat job's
would; what it wrote is then undone (statuses restored, notices and notifications
deleted) and the tables vacuumed, so the scan and the baseline see the same data. The
memory figure comes from a child process whose scan is rolled back. Every loop is
bounded; child processes have a deadline.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.parse
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("XINFANG_DEVTOOLS", "1")  # generate_cases and fill_clocks live in devtools
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinfang_scanbench")

from bench.common import ensure_database, reset_peak_rss, rss_mb  # noqa: E402 - after the path is set

CHILD_TIMEOUT = 600.0  # seconds
FIRST_TARGET = 3.0  # first scan within 3x the baseline statement
AGAIN_TARGET = 3.0  # nothing-new scan within 3x the baseline re-run
HISTORY_TARGET = 0.10  # doubling the closed history changes the nothing-new scan by < 10%
MEMORY_TARGET_MB = 100.0
LATER = timedelta(minutes=5)  # the next scan, nothing new in between

# The same notices and their history rows, written by hand in one statement.
BASELINE_SQL = """
WITH notices AS (
    INSERT INTO supervision_notice (case_id, clock_id, unit_id, level, reason, status, created_at)
    SELECT c.case_id, c.id, c.unit_id, 1, '超过办理时限：' || r.name, 'sent', %(now)s
    FROM deadlines_clock c JOIN deadlines_deadlinerule r ON r.id = c.rule_id
    WHERE c.status IN ('running', 'due_soon') AND c.due_at <= %(now)s AND r.raises_notice
          AND c.unit_id IS NOT NULL
    ON CONFLICT (clock_id, level) DO NOTHING
    RETURNING *)
INSERT INTO supervision_historicalnotice (id, case_id, clock_id, unit_id, level, reason, status, created_at,
                                          form, requirements, suggestions, answer, adoption, adoption_note,
                                          rejections, history_date, history_change_reason, history_type,
                                          transition)
SELECT id, case_id, clock_id, unit_id, level, reason, status, created_at, form, requirements, suggestions,
       answer, adoption, adoption_note, rejections, %(now)s, reason, '+', '发出督办单'
FROM notices
"""


class Rollback(Exception):
    """Raised at the end of a measurement to undo it."""


def scan_time() -> datetime:
    """The scan's `now`: the last 12:00 (Asia/Shanghai) before the present, so that no
    day-based due or warning time (all at 00:00) falls between it and the next scan."""
    from django.utils import timezone

    local = timezone.localtime()
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon if noon <= local else noon - timedelta(days=1)


def vacuum(*tables: str) -> None:
    """Remove what rolled-back measurements left, so that each starts alike."""
    from django.db import connection

    with connection.cursor() as cur:
        for table in tables or (
            "deadlines_clock",
            "supervision_notice",
            "supervision_historicalnotice",
            "notifications_notification",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")


def prepare(args) -> datetime:
    """Migrate, top up the cases, fill their clocks, then arrange the clocks as a scan
    running every few minutes would leave them, with exactly --overdue duties falling due
    since the last one."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cases.models import Case
    from devtools.bulk import fill_clocks

    if connection.vendor != "postgresql":
        raise SystemExit("bench/deadline_scan.py needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    print(f"cases in the database: {have:,}")
    if have < args.cases:
        call_command("generate_cases", count=args.cases - have, seed=args.seed, years=args.years)
    t0 = time.monotonic()
    written = fill_clocks()
    print(f"fill_clocks: {written:,} clocks written in {time.monotonic() - t0:.1f} s")
    now = scan_time()
    arrange(now, args.overdue)
    t0 = time.monotonic()
    vacuum(
        "deadlines_clock",
        "supervision_notice",
        "supervision_historicalnotice",
        "notifications_notification",
        "cases_case",
    )
    print(f"VACUUM (ANALYZE): {time.monotonic() - t0:.1f} s")
    return now


def arrange(now: datetime, overdue: int) -> None:
    """Committed, and the same whenever it is run again on the same day:
    1. clear what earlier scans marked (nothing here backs their notices any more);
    2. windows (no notice) that ran out by `now` lapse, as the scan would have marked them;
    3. of the open duties, the `overdue` soonest due fall due before `now` (those not yet
       due are moved to an hour before), the rest after `now` + 1 day (moved if needed);
    4. clocks in their warning period are due soon, as the previous scan left them;
    5. no notices, no notifications."""
    from django.db import connection, transaction

    p = {"now": now, "k": overdue}
    steps = [
        (
            "reset earlier scans' marks",
            """UPDATE deadlines_clock c SET status = 'running', overdue_at = NULL, warned_at = NULL
               FROM deadlines_deadlinerule r
               WHERE r.id = c.rule_id AND (
                   (c.status = 'overdue' AND (r.raises_notice OR c.due_at > %(now)s))
                   OR (c.status = 'due_soon' AND c.warn_at > %(now)s))""",
        ),
        (
            "windows lapsed by now",
            """UPDATE deadlines_clock c SET status = 'overdue', overdue_at = c.due_at
               FROM deadlines_deadlinerule r
               WHERE r.id = c.rule_id AND NOT r.raises_notice AND c.status = 'running' AND c.due_at <= %(now)s""",
        ),
        (
            "duties moved across now",
            """WITH ranked AS (
                   SELECT c.id, row_number() OVER (ORDER BY c.due_at, c.id) AS n
                   FROM deadlines_clock c JOIN deadlines_deadlinerule r ON r.id = c.rule_id
                   WHERE c.status IN ('running', 'due_soon') AND r.raises_notice)
               UPDATE deadlines_clock c
               SET due_at = CASE WHEN ranked.n <= %(k)s THEN %(now)s - interval '1 hour'
                                 ELSE %(now)s + interval '1 day' END
               FROM ranked
               WHERE ranked.id = c.id AND (
                   (ranked.n <= %(k)s AND c.due_at > %(now)s - interval '1 hour')
                   OR (ranked.n > %(k)s AND c.due_at < %(now)s + interval '1 day'))""",
        ),
        (
            "due soon",
            """UPDATE deadlines_clock SET status = 'due_soon', warned_at = warn_at
               WHERE status = 'running' AND warn_at <= %(now)s AND due_at > %(now)s""",
        ),
        ("notifications deleted", "DELETE FROM notifications_notification"),
        ("notice history deleted", "DELETE FROM supervision_historicalnotice"),
        ("notices deleted", "DELETE FROM supervision_notice"),
    ]
    t0 = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        for label, sql in steps:
            cur.execute(sql, p)
            print(f"  arrange: {label}: {cur.rowcount:,} rows")
        cur.execute(
            """SELECT count(*) FILTER (WHERE c.status IN ('running', 'due_soon') AND r.raises_notice),
                      count(*) FILTER (WHERE c.status IN ('running', 'due_soon') AND r.raises_notice
                                       AND c.due_at <= %(now)s),
                      count(*) FILTER (WHERE c.status IN ('running', 'due_soon') AND NOT r.raises_notice),
                      count(*) FILTER (WHERE c.status = 'overdue'),
                      count(*) FILTER (WHERE c.status = 'stopped'),
                      count(*)
               FROM deadlines_clock c JOIN deadlines_deadlinerule r ON r.id = c.rule_id""",
            p,
        )
        duties, due, windows, lapsed, stopped, total = cur.fetchone()
    print(f"arranged in {time.monotonic() - t0:.1f} s; scan time {now:%Y-%m-%d %H:%M %Z}")
    print(
        f"  clocks {total:,}: open duties {duties:,} (due by then {due:,}), open windows {windows:,}, "
        f"lapsed windows (overdue) {lapsed:,}, stopped {stopped:,}"
    )
    if due < overdue:
        print(f"  note: only {due:,} open duties to fall due (asked for {overdue:,})")


# --- the measured operations ----------------------------------------------------------------


def timed_scan(now: datetime) -> tuple[float, object, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supervision.scan import scan

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        result = scan(now=now)
        seconds = time.perf_counter() - t0
    return seconds, result, len(queries)


def timed_baseline(now: datetime) -> tuple[float, int]:
    from django.db import connection

    with connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute(BASELINE_SQL, {"now": now})
        return time.perf_counter() - t0, cur.rowcount


def rolled_back(fn):
    """Run fn() in a transaction and roll it back; return fn's result."""
    from django.db import transaction

    out = []
    try:
        with transaction.atomic():
            out.append(fn())
            raise Rollback
    except Rollback:
        pass
    return out[0]


def restore(now: datetime) -> None:
    """Undo what a scan or the baseline at `now` wrote (committed), by what they stamped
    with `now`: statuses back, notices and notifications deleted."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """UPDATE deadlines_clock SET overdue_at = NULL,
                   status = CASE WHEN warned_at IS NOT NULL THEN 'due_soon' ELSE 'running' END
               WHERE overdue_at = %(now)s""",
            {"now": now},
        )
        cur.execute(
            "UPDATE deadlines_clock SET status = 'running', warned_at = NULL WHERE warned_at = %(now)s",
            {"now": now},
        )
        cur.execute("DELETE FROM notifications_notification WHERE created_at = %(now)s", {"now": now})
        cur.execute("DELETE FROM supervision_historicalnotice WHERE history_date = %(now)s", {"now": now})
        cur.execute("DELETE FROM supervision_notice WHERE created_at = %(now)s", {"now": now})


def measure(now: datetime, repeat: int, again: int) -> dict:
    """`repeat` rounds of: the first scan, then `again` scans five minutes later that find
    nothing new; the baseline statement, then `again` re-runs. Each statement commits as
    the beat job's would; after each half the data is restored and vacuumed."""
    rows: dict[str, list] = {"first": [], "again": [], "base": [], "base_again": []}
    info: dict = {}
    for k in range(repeat):
        order = ("scan", "baseline") if k % 2 == 0 else ("baseline", "scan")
        for what in order:
            try:
                if what == "scan":
                    t, result, queries = timed_scan(now)
                    rows["first"].append(t)
                    info.update(first_result=result, first_queries=queries)
                    for _ in range(again):
                        t, result, queries = timed_scan(now + LATER)
                        rows["again"].append(t)
                        info.update(again_result=result, again_queries=queries)
                else:
                    t, info["base_rows"] = timed_baseline(now)
                    rows["base"].append(t)
                    for _ in range(again):
                        t, info["base_again_rows"] = timed_baseline(now)
                        rows["base_again"].append(t)
            finally:
                restore(now)
                vacuum()
        print(
            f"  round {k + 1}: scan {rows['first'][-1]:.3f} s, again {statistics.median(rows['again']):.3f} s; "
            f"baseline {rows['base'][-1]:.3f} s, re-run {statistics.median(rows['base_again']):.3f} s"
        )
    info.update({key: statistics.median(v) for key, v in rows.items()})
    return info


def child(what: str, now: datetime) -> None:
    """In a fresh process: one scan (or the baseline statement), rolled back; print the
    process's peak memory as JSON."""
    # A forked child starts with its parent's high-water mark (Linux keeps it across
    # fork and exec); after a run that generated the data set the parent is large, so
    # reset it and measure this process alone.
    reset_peak_rss()
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    before = rss_mb()
    tracemalloc.start()
    if what == "scan":
        seconds, result, _ = rolled_back(lambda: timed_scan(now))
        found = result.overdue
    else:
        seconds, found = rolled_back(lambda: timed_baseline(now))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "rss_before_mb": before,
                "rss_peak_mb": rss_mb(),
                "python_peak_mb": peak / 2**20,
                "seconds": seconds,
                "found": found,
            }
        )
    )


def run_child(what: str, now: datetime) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", what, "--now", now.isoformat()]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=CHILD_TIMEOUT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    if proc.returncode != 0:
        raise SystemExit(f"child {what} exited with {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def use_database(name: str) -> None:
    """Point Django's connection at another database on the same server."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def admin_execute(statement: str, *, attempts: int = 10) -> None:
    """Run a CREATE/DROP DATABASE from the `postgres` database, retrying a few times
    while another session (autovacuum) is still on the template."""
    import psycopg

    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    for attempt in range(attempts):
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(statement)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            time.sleep(3)


def double_history(args, now: datetime, single: str) -> tuple[str, int]:
    """A copy of the database with as many closed cases again (generate_cases +
    fill_clocks, the open ones among them closed by one UPDATE each for cases and clocks);
    reused when it is already there. Returns its name and where the added cases start."""
    from django.core.management import call_command
    from django.db import connection

    from cases.models import Case
    from devtools.bulk import fill_clocks

    double = f"{single}_2x"
    count = Case.objects.count()
    use_database("postgres")  # any session on the template blocks the copy
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [double])
        exists = cur.fetchone() is not None
    if exists:
        use_database(double)
        if Case.objects.count() == 2 * count:
            # a copy made before a schema change must get it too, or its plans differ
            call_command("migrate", verbosity=0)
            boundary = Case.objects.order_by("pk").values_list("pk", flat=True)[count]
            print(f"reusing {double}: {2 * count:,} cases, added history from id {boundary:,}")
            return double, boundary
        use_database("postgres")
        admin_execute(f'DROP DATABASE "{double}"')
    t0 = time.monotonic()
    admin_execute(f'CREATE DATABASE "{double}" TEMPLATE "{single}" STRATEGY FILE_COPY')
    use_database(double)
    print(f"copied {single} to {double} in {time.monotonic() - t0:.0f} s")
    boundary = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    t0 = time.monotonic()
    call_command("generate_cases", count=count, seed=args.seed + 1, years=args.years, stdout=io.StringIO())
    print(f"  generate_cases: {count:,} cases in {time.monotonic() - t0:.0f} s")
    t0 = time.monotonic()
    written = fill_clocks(now=now)
    print(f"  fill_clocks: {written:,} clocks in {time.monotonic() - t0:.0f} s")
    with connection.cursor() as cur:
        cur.execute(
            """UPDATE cases_case SET state = 'archived', archived_at = COALESCE(replied_at, updated_at)
               WHERE id >= %s AND state NOT IN ('not_accepted', 'forwarded', 'archived', 'followed_up')""",
            [boundary],
        )
        print(f"  closed {cur.rowcount:,} open cases among them")
        cur.execute(
            """UPDATE deadlines_clock SET status = 'stopped', stopped_at = LEAST(due_at, %s), on_time = TRUE
               WHERE case_id >= %s AND status IN ('running', 'due_soon')""",
            [now, boundary],
        )
        print(f"  stopped their {cur.rowcount:,} open clocks")
    return double, boundary


def set_added_windows(boundary: int, *, lapsed: bool) -> None:
    """The added history's lapsed windows (申请复查 after the reply): overdue as the app
    keeps them (d1), or stopped (d2: every clock of a closed case stopped). A stopped
    window has on_time NULL, which tells it apart from a finished duty."""
    from django.db import connection

    with connection.cursor() as cur:
        if lapsed:
            cur.execute(
                """UPDATE deadlines_clock SET status = 'overdue', overdue_at = due_at, stopped_at = NULL
                   WHERE case_id >= %s AND status = 'stopped' AND on_time IS NULL""",
                [boundary],
            )
        else:
            cur.execute(
                """UPDATE deadlines_clock SET status = 'stopped', stopped_at = due_at, overdue_at = NULL
                   WHERE case_id >= %s AND status = 'overdue'""",
                [boundary],
            )
        print(f"  added history's lapsed windows {'overdue' if lapsed else 'stopped'}: {cur.rowcount:,} changed")
    vacuum("deadlines_clock")


# --- report ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="at least this many cases (default 1,000,000)")
    parser.add_argument("--overdue", type=int, default=50_000, help="duties newly overdue at the scan (default 50,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per measurement, median reported (default 3)")
    parser.add_argument(
        "--again", type=int, default=15, help="nothing-new scans (and baseline re-runs) per round (default 15)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed for generate_cases")
    parser.add_argument(
        "--years",
        type=float,
        default=2.0,
        help="generate_cases spreads the cases over this many years (default 2: enough open cases for 50,000)",
    )
    parser.add_argument("--no-double", action="store_true", help="skip doubling the closed history (d)")
    parser.add_argument("--child", choices=("scan", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.repeat <= 20 or not 1 <= args.again <= 100 or args.cases < 1 or args.overdue < 1:
        parser.error("--repeat must be 1..20, --again 1..100, --cases and --overdue positive")
    if args.child:
        child(args.child, datetime.fromisoformat(args.now))
        return 0

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    ensure_database(os.environ["DATABASE_URL"])
    now = prepare(args)
    from django.db import connection

    single = connection.settings_dict["NAME"]

    print(
        f"\nmeasuring on {single}: {args.repeat} rounds of a first scan and {args.again} nothing-new scans, "
        f"the baseline and {args.again} re-runs; restored and vacuumed after each"
    )
    m = measure(now, args.repeat, args.again)
    mem_scan = run_child("scan", now)
    mem_base = run_child("baseline", now)
    vacuum()
    doubled = {}
    if not args.no_double:
        print("\ndoubling the closed history")
        double, boundary = double_history(args, now, single)
        for key, lapsed in (("d1", True), ("d2", False)):
            set_added_windows(boundary, lapsed=lapsed)
            arrange(now, args.overdue)
            vacuum()
            print(f"measuring on {double} ({key})")
            doubled[key] = measure(now, args.repeat, args.again)
        use_database(single)

    first, again = m["first_result"], m["again_result"]
    print(f"\nscan time {now:%Y-%m-%d %H:%M %Z}; medians ({args.repeat} first runs, {args.repeat * args.again} again)")
    print(f"{'figure':<52} {'scan':>9} {'baseline':>9}")
    misses = []

    def line(label: str, value: float, base: float) -> float:
        print(f"{label:<52} {value:>8.3f}s {base:>8.3f}s")
        ratio = value / base
        print(f"ratio: {ratio:.2f}")
        return ratio

    print(
        f"a) first scan: {first.overdue:,} newly overdue, {first.notices:,} notices, "
        f"{first.notifications:,} digests; the baseline inserts {m['base_rows']:,} notices"
    )
    if line("a) first scan vs baseline statement", m["first"], m["base"]) > FIRST_TARGET:
        misses.append("first scan")
    print(f"c) nothing-new scan: {again}; the baseline re-run inserts {m['base_again_rows']:,}")
    if line("c) nothing-new scan vs baseline re-run", m["again"], m["base_again"]) > AGAIN_TARGET:
        misses.append("nothing-new scan")
    labels = {"d1": "added lapsed windows kept overdue", "d2": "every added clock stopped"}
    for key, d in doubled.items():
        print(f"d) 2x closed history, {labels[key]}:")
        change = line("   nothing-new scan, 2x vs 1x history", d["again"], m["again"]) - 1
        print(f"   change {change:+.1%}")
        line("   (baseline re-run, 2x vs 1x)", d["base_again"], m["base_again"])
        line("   first scan, 2x vs 1x history", d["first"], m["first"])
        line("   (baseline, 2x vs 1x)", d["base"], m["base"])
        line("   first scan vs baseline at 2x", d["first"], d["base"])
        line("   nothing-new scan vs baseline re-run at 2x", d["again"], d["base_again"])
        queries = (d["first_queries"], d["again_queries"])
        print(f"   SQL statements {queries[0]} and {queries[1]} (1x: {m['first_queries']} and {m['again_queries']})")
        if key == "d2" and abs(change) >= HISTORY_TARGET:
            misses.append(f"history doubling {change:+.1%}")
        if queries != (m["first_queries"], m["again_queries"]):
            misses.append(f"statements grew with history ({key})")
    print(
        f"e) peak RSS of a process that ran one scan: {mem_scan['rss_peak_mb']:.1f} MB "
        f"(after setup {mem_scan['rss_before_mb']:.1f} MB; Python heap peak during the scan "
        f"{mem_scan['python_peak_mb']:.2f} MB); a process that ran the baseline: {mem_base['rss_peak_mb']:.1f} MB"
    )
    print(f"ratio: {mem_scan['rss_peak_mb'] / mem_base['rss_peak_mb']:.2f}")
    if mem_scan["rss_peak_mb"] >= MEMORY_TARGET_MB:
        misses.append(f"memory {mem_scan['rss_peak_mb']:.0f} MB")
    print(f"f) SQL statements: first scan {m['first_queries']}, nothing-new scan {m['again_queries']}; baseline 1")
    print()
    print("targets met" if not misses else "targets missed: " + "; ".join(misses))
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
