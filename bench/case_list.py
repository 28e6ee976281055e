"""Benchmark the case list against a bare page, on PostgreSQL with a million cases.

    python bench/case_list.py [--cases 1000000] [--requests 200] [--warmup 20] [--workers 1]

See bench/README.md. Every loop is bounded and gunicorn is stopped whatever happens.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("XINFANG_DEVTOOLS", "1")  # generate_cases and fill_clocks live in devtools
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinfang_bench")

from bench.common import ensure_database  # noqa: E402 - after the path is set

SERVER_START_TIMEOUT = 60.0  # seconds
REQUEST_TIMEOUT = 60.0
LIST_TARGET = 1.5  # list pages: p95 within 1.5x the minimal page's
DEEP_TARGET = 1.2  # deep page: p95 within 1.2x page 1's


def prepare(args) -> dict:
    """Migrate, top the cases up to --cases, make the bench login; return what the
    measurement needs (the deep cursor, a unit id, a name to search for)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cases.models import Case, Petitioner
    from cases.paging import _encode
    from cases.selectors import cases_visible_to
    from people.demo import DEMO_PASSWORD, ensure_people
    from people.models import Unit, User

    if connection.vendor != "postgresql":
        raise SystemExit("bench/case_list.py needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    print(f"cases in the database: {have:,}")
    if have < args.cases:
        call_command("generate_cases", count=args.cases - have, seed=args.seed)
    if not args.no_vacuum:
        # What autovacuum would do in production, done now so that it does not happen
        # in the middle of the measurement (visibility map, hint bits, statistics).
        t0 = time.monotonic()
        with connection.cursor() as cur:
            for table in (
                "cases_case",
                "cases_petitioner",
                "cases_case_accused_units",
                "cases_accusedperson",
                "cases_case_co_units",
                "people_user",
                "people_unit",
                "django_session",
            ):
                cur.execute(f"VACUUM (ANALYZE) {table}")
        print(f"VACUUM (ANALYZE): {time.monotonic() - t0:.1f} s")
    office = User.objects.filter(username="office").first()
    if office is None:
        office = ensure_people()["office"]
    else:
        office.set_password(DEMO_PASSWORD)
        office.save(update_fields=["password"])
    total = Case.objects.count()
    # The deep page: the cursor of the row at --deep-row in the list's own order, taken
    # straight from the database (one OFFSET query here instead of 19,000 clicks).
    position = min(args.deep_row, total) - 1
    t0 = time.monotonic()
    registered_at, pk = (
        cases_visible_to(user=office).order_by("-registered_at", "-pk").values_list("registered_at", "pk")[position]
    )
    print(
        f"deep cursor: row {position + 1:,} of {total:,} (id {pk}, {registered_at:%Y-%m-%d %H:%M}), "
        f"found in {time.monotonic() - t0:.1f} s"
    )
    unit = Unit.objects.get(code="jwc")
    # a full name to search for: the first petitioner with a three-character name
    name = next(
        (n for n in Petitioner.objects.order_by("pk").values_list("name", flat=True)[:1000] if len(n) == 3), "匿名"
    )
    today = timezone.localdate()
    connection.close()
    return {
        "today": today.isoformat(),
        "recent": (today - timedelta(days=90)).isoformat(),
        "year": today.year - 2,
        "password": DEMO_PASSWORD,
        "deep_cursor": _encode(registered_at, pk),
        "unit": unit.pk,
        "name": name,
        "total": total,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ)
    # production-like: DEBUG off (so a key of its own), the bare page from devtools
    env.update(
        {
            "XINFANG_BENCH_VIEWS": "1",
            "XINFANG_DEVTOOLS": "1",
            "DEBUG": "0",
            "SECRET_KEY": "bench",
            "LOG_LEVEL": "WARNING",
        }
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    cmd = [
        str(gunicorn if gunicorn.exists() else "gunicorn"),
        "xinfang.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)


def stop_server(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


class Client:
    """One sequential HTTP client with a cookie jar (urllib)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=REQUEST_TIMEOUT) as resp:
            return resp.status, resp.read().decode()

    def login(self, username: str, password: str) -> None:
        _status, page = self.get("/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise SystemExit("no CSRF token on /login/")
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": username,
                "password": password,
                "next": "",
            }
        ).encode()
        request = urllib.request.Request(self.base + "/login/", data=data, headers={"Referer": self.base + "/login/"})
        with self.opener.open(request, timeout=REQUEST_TIMEOUT) as resp:
            resp.read()
            final = resp.geturl()
        if "/login/" in final or not any(c.name == "sessionid" for c in self.jar):
            raise SystemExit(f"login as {username} failed")


def wait_until_up(client: Client, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            client.get("/login/")
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


@dataclass
class Result:
    label: str
    p50: float
    p95: float
    rows: int
    total: str


def measure(client: Client, label: str, path: str, *, requests: int, warmup: int, expect_rows: bool) -> Result:
    for _ in range(warmup):
        status, _page = client.get(path)
    samples = []
    page = ""
    for _ in range(requests):
        t0 = time.perf_counter()
        status, page = client.get(path)
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise SystemExit(f"{label}: HTTP {status}")
    rows = page.count("data-state=") if "data-state=" in page else page.count("<tr>")
    if expect_rows and rows == 0:
        raise SystemExit(f"{label}: the page has no rows ({path})")
    total = re.search(r'data-testid="total">([^<]*)<', page)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    return Result(label, statistics.median(samples), p95, rows, total.group(1) if total else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="at least this many cases (default 1,000,000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--workers", type=int, default=1, choices=(1, 2), help="gunicorn sync workers")
    parser.add_argument("--deep-row", type=int, default=950_000, help="the deep page starts after this row")
    parser.add_argument("--seed", type=int, default=2026, help="seed for generate_cases")
    parser.add_argument("--no-vacuum", action="store_true", help="skip VACUUM (ANALYZE) before measuring")
    parser.add_argument("--only", default="", help="comma-separated page labels to measure (default all)")
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup at least 0")

    ensure_database(os.environ["DATABASE_URL"])
    info = prepare(args)
    pages = [
        ("minimal", "/bench/minimal/"),
        ("page 1", "/cases/"),
        ("deep page", "/cases/?" + urllib.parse.urlencode({"after": info["deep_cursor"]})),
        ("state+channel", "/cases/?state=handling&state=assigned&channel=online"),
        # a unit's cases received in the last 90 days (a unit head's everyday question)
        ("unit+90 days", f"/cases/?unit={info['unit']}&date_from={info['recent']}&date_to={info['today']}"),
        # the same unit over a whole past year, still sorted by registration time
        ("unit+past year", f"/cases/?unit={info['unit']}&date_from={info['year']}-01-01&date_to={info['year']}-12-31"),
        ("report+flags", "/cases/?kind=report&flags=is_major"),
        ("q search", "/cases/?" + urllib.parse.urlencode({"q": info["name"]})),
    ]
    if args.only:
        wanted = {"minimal", "page 1", *(s.strip() for s in args.only.split(","))}
        pages = [p for p in pages if p[0] in wanted]

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    proc = None
    try:
        port = free_port()
        proc = start_server(port, args.workers)
        client = Client(f"http://127.0.0.1:{port}")
        wait_until_up(client, proc)
        client.login("office", info["password"])
        print(
            f"gunicorn on 127.0.0.1:{port}, {args.workers} sync worker(s); one client, sequential; "
            f"{args.warmup} warm-up + {args.requests} timed requests per page"
        )
        for label, path in pages:
            print(f"  {label:<15} {path}")
        results: dict[str, Result] = {}
        for label, path in pages:
            results[label] = measure(
                client, label, path, requests=args.requests, warmup=args.warmup, expect_rows=label != "q search"
            )
    finally:
        stop_server(proc)

    base = results["minimal"]
    print()
    print(f"{'page':<15} {'p50 ms':>8} {'p95 ms':>8} {'min p95':>8}  rows  total")
    misses = []
    for label, _path in pages:
        r = results[label]
        print(f"{label:<15} {r.p50:8.1f} {r.p95:8.1f} {base.p95:8.1f}  {r.rows:>4}  {r.total}")
        if label == "minimal":
            continue
        ratio = r.p95 / base.p95
        print(f"ratio: {ratio:.2f}")
        if ratio > LIST_TARGET:
            misses.append(f"{label} {ratio:.2f}x minimal")
        if label == "deep page" and "page 1" in results:
            deep = r.p95 / results["page 1"].p95
            print(f"ratio: {deep:.2f}  (deep page p95 / page 1 p95)")
            if deep > DEEP_TARGET:
                misses.append(f"deep page {deep:.2f}x page 1")
    print()
    print("targets met" if not misses else "targets missed: " + "; ".join(misses))
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
