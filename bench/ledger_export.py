"""Benchmark the ledger (台账) export against bare openpyxl, on PostgreSQL.

    python bench/ledger_export.py [--rows 100000] [--repeat 3]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/xinfang_ledgerbench,
created, migrated and filled with generate_cases if it has fewer cases). Each figure is
measured in a fresh child process, in the same run:

- the app: documents.ledger.export_ledger as the office, from one scoped query streamed
  into openpyxl's write-only workbook, to a file;
- the baseline: the same rows, already in a Python list before the clock starts, written
  by bare openpyxl in write-only mode to a file, as the same sheet: the title row, the
  header, and every table cell bordered and wrapped, through one named style (openpyxl's
  own way to put one style on many cells). The app's renderer (core.spreadsheets) styles
  every cell; a baseline of unstyled values would compare two different files.

Targets (issue 5): the app within 1.3x of the baseline, and the app's process growing by
under 100 MB over its start (after Django has loaded and connected).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinfang_ledgerbench")

from bench.common import ensure_database, reset_peak_rss, rss_mb  # noqa: E402 - after the path is set

TIME_TARGET = 1.3
MEMORY_TARGET_MB = 100.0
CHILD_TIMEOUT = 900.0


def prepare(rows: int) -> None:
    """Migrate, make the demo people, and generate cases up to `rows`."""
    import django

    django.setup()
    from django.core.management import call_command

    from cases.models import Case
    from people.demo import ensure_people

    call_command("migrate", verbosity=0)
    ensure_people()
    have = Case.objects.count()
    if have < rows:
        print(f"generating {rows - have:,} cases")
        call_command("generate_cases", count=rows - have, seed=2026, years=1.0)


def the_query():
    from django.db.models import Max, Min

    from cases.models import Case
    from documents.ledger import LedgerQuery

    span = Case.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
    return LedgerQuery(date_from=span["first"], date_to=span["last"])


def child(what: str) -> None:
    """In a fresh process: one export, timed; print the figures as JSON."""
    # Linux keeps a process's peak RSS across fork and exec: measure this process alone.
    reset_peak_rss()
    import django

    django.setup()
    from django.db import connection
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, NamedStyle, Side

    from documents import ledger as exports
    from people.models import User

    connection.ensure_connection()
    office = User.objects.get(username="office")
    query = the_query()
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        if what == "app":
            start = rss_mb()
            t0 = time.perf_counter()
            n = exports.export_ledger(user=office, query=query, out=path)
            seconds = time.perf_counter() - t0
        else:
            qs = exports.ledger_cases(user=office, query=query)
            rows = list(exports.ledger_rows(qs, full_contact=True))  # before the clock, not timed
            start = rss_mb()
            t0 = time.perf_counter()
            workbook = Workbook(write_only=True)
            thin = Side(style="thin")
            box = Border(left=thin, right=thin, top=thin, bottom=thin)
            workbook.add_named_style(
                NamedStyle("表格", border=box, alignment=Alignment(wrap_text=True, vertical="top"))
            )
            sheet = workbook.create_sheet(title="台账")

            def cell(value):
                c = WriteOnlyCell(sheet)
                c.style = "表格"  # before the value, so that a date keeps its format
                c.value = value
                return c

            sheet.append([WriteOnlyCell(sheet, exports.ledger_heading(query))])
            sheet.append([cell(v) for v in exports.LEDGER_COLUMNS])
            for row in rows:
                sheet.append([cell(v) for v in row])
            workbook.save(path)
            seconds = time.perf_counter() - t0
            n = len(rows)
        size = os.path.getsize(path)
    finally:
        Path(path).unlink(missing_ok=True)
    print(json.dumps({"seconds": seconds, "rows": n, "rss_start_mb": start, "rss_peak_mb": rss_mb(), "bytes": size}))


def run_child(what: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", what]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["app", "bare"])
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    ensure_database(os.environ["DATABASE_URL"])
    prepare(args.rows)
    runs: dict[str, list[dict]] = {"app": [], "bare": []}
    for i in range(args.repeat):
        for what in ("bare", "app"):  # alternate, so that drift hits both
            r = run_child(what)
            runs[what].append(r)
            print(
                f"  round {i + 1} {what:<4}: {r['seconds']:.2f} s, {r['rows']:,} rows, {r['bytes'] / 2**20:.1f} MB file"
            )
    app = statistics.median(r["seconds"] for r in runs["app"])
    bare = statistics.median(r["seconds"] for r in runs["bare"])
    rows = runs["app"][0]["rows"]
    growth = max(r["rss_peak_mb"] - r["rss_start_mb"] for r in runs["app"])
    bare_growth = max(r["rss_peak_mb"] - r["rss_start_mb"] for r in runs["bare"])
    print(f"\nledger export of {rows:,} rows (median of {args.repeat}), app vs bare openpyxl, same styled sheet:")
    print(f"a) export time                          {app:8.2f}s {bare:8.2f}s")
    print(f"ratio: {app / bare:.2f}")
    print(
        f"b) memory growth over the process's start, app vs the target: {growth:8.1f} MB {MEMORY_TARGET_MB:8.1f} MB"
        f"  (app start {runs['app'][0]['rss_start_mb']:.1f} MB; the bare writer, rows already in memory, "
        f"grew {bare_growth:.1f} MB)"
    )
    print(f"ratio: {growth / MEMORY_TARGET_MB:.2f}")
    misses = []
    if app / bare > TIME_TARGET:
        misses.append(f"time {app / bare:.2f}x > {TIME_TARGET}x")
    if growth >= MEMORY_TARGET_MB:
        misses.append(f"memory +{growth:.0f} MB")
    print("\ntargets met" if not misses else f"\ntargets missed: {', '.join(misses)}")


if __name__ == "__main__":
    main()
