"""Benchmark the 信访登记表 PDF against a bare WeasyPrint render of the same HTML.

    python bench/documents.py [--pages 100] [--warmup 3]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/xinfang_docbench, created
and migrated if missing) and tops it up to --pages real cases, registered through the
case services and walked part of the way (拟办, 交办) so that the forms carry a proposal
and a 批示.

In one warm process, for each case in turn (the order alternating, so that drift in the
machine falls on both sides alike):
  a) app: the app's renderer, documents.services: the context read from the database, the
     Django template, WeasyPrint with the process's one font configuration;
     baseline: `HTML(string=html).write_pdf()` of the very HTML string the app rendered for
     that case, untimed beforehand, with the same CSS and so the same CJK fonts; measured
     twice, as WeasyPrint comes (a fresh font configuration per call) and with one warm
     font configuration of its own (the stricter baseline; the target is against it);
  b) issue (no target; for scale): document_issue, which also takes the number under its
     row lock, stores the file and writes the history row; rolled back at the end, its
     files written to a temporary MEDIA_ROOT that is removed afterwards.
Peak memory comes from child processes (resource.getrusage): one that renders a single
form through the app, one that renders all --pages of them, and one that renders the same
HTML with bare WeasyPrint and nothing else imported. WeasyPrint's command-line tool is
never used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinfang_docbench")

from bench.common import ensure_database, reset_peak_rss, rss_mb  # noqa: E402 - after the path is set

CHILD_TIMEOUT = 300.0  # seconds
RATIO_TARGET = 1.2  # the app's render within 1.2x the bare render
PAGE_TARGET = 0.35  # about 0.35 s a page with a CJK font
MEMORY_TARGET_MB = 400.0  # peak RSS of a process that renders


class Rollback(Exception):
    """Raised at the end of a measurement to undo it."""


# --- data ----------------------------------------------------------------------------------


def prepare(pages: int) -> list[int]:
    """Migrate and top up to `pages` cases through the real services; return their ids."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cases import services
    from cases.demo import walk
    from cases.demo_text import content_for, person_name, phone_number, summary_for
    from cases.models import Case, Channel, Kind, State, Topic
    from people.demo import ensure_people

    if connection.vendor != "postgresql":
        raise SystemExit("bench/documents.py needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    print(f"cases in the database: {have}")
    if have < pages:
        users = ensure_people()
        rng = random.Random(2026)
        topics = list(Topic.objects.all())
        t0 = time.monotonic()
        for i in range(pages - have):
            topic = rng.choice(topics)
            name = person_name(rng)
            summary = summary_for(topic.name, rng)
            case, _ = services.case_register(
                actor=users["clerk"],
                petitioner=services.PetitionerData(
                    name=name, phone=phone_number(rng), organisation="2024级软件技术3班"
                ),
                data=services.CaseData(
                    channel=rng.choice(list(Channel)),
                    kind=rng.choice([Kind.COMPLAINT, Kind.CONSULTATION, Kind.HELP, Kind.SUGGESTION]),
                    received_on=timezone.localdate() - timedelta(days=rng.randint(0, 20)),
                    summary=summary,
                    content=content_for(summary, name),
                    topic=topic,
                ),
            )
            walk(case, (State.REGISTERED, State.PROPOSED, State.ASSIGNED)[i % 3], users, rng)
        print(f"registered {pages - have} cases through the services in {time.monotonic() - t0:.1f} s")
    return list(Case.objects.order_by("pk").values_list("pk", flat=True)[:pages])


# --- the measured operations -----------------------------------------------------------------


def app_render(case_id: int, sequence: int) -> bytes:
    """What the app does to render a 登记表: context from the database, template, PDF."""
    from django.utils import timezone

    from cases.models import Case
    from documents import services as documents
    from documents.models import DocumentKind

    today = timezone.localdate()
    kind = DocumentKind.REGISTRATION
    number = documents.format_number(kind, today.year, sequence)
    context = documents.document_context(Case(pk=case_id), kind, number=number, issued_on=today)
    return documents.render_pdf(documents.template_for(kind), context)


def app_html(case_id: int, sequence: int) -> str:
    """The HTML string the app renders for the same case and number (untimed)."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from cases.models import Case
    from documents import services as documents
    from documents.models import DocumentKind

    today = timezone.localdate()
    kind = DocumentKind.REGISTRATION
    number = documents.format_number(kind, today.year, sequence)
    context = documents.document_context(Case(pk=case_id), kind, number=number, issued_on=today)
    return render_to_string(documents.template_for(kind), context)


def bare_render(html: str, font_config=None) -> bytes:
    from weasyprint import HTML

    if font_config is None:
        return HTML(string=html, base_url=str(ROOT)).write_pdf()
    return HTML(string=html, base_url=str(ROOT)).write_pdf(font_config=font_config)


def timed(fn, *args) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def measure(case_ids: list[int], warmup: int) -> dict:
    from django.db import transaction
    from weasyprint.text.fonts import FontConfiguration

    from cases.models import Case
    from documents import services as documents

    htmls = {pk: app_html(pk, i + 1) for i, pk in enumerate(case_ids)}
    bare_fonts = FontConfiguration()
    for pk in case_ids[:warmup]:
        app_render(pk, 1)
        bare_render(htmls[pk])
        bare_render(htmls[pk], bare_fonts)
    rows: dict[str, list[float]] = {"app": [], "bare": [], "bare_warm": [], "issue": []}
    same = 0
    sizes = []
    cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids)}
    try:
        with transaction.atomic():
            for i, pk in enumerate(case_ids):
                steps = [
                    ("app", lambda pk=pk, i=i: app_render(pk, i + 1)),
                    ("bare", lambda pk=pk: bare_render(htmls[pk])),
                    ("bare_warm", lambda pk=pk: bare_render(htmls[pk], bare_fonts)),
                    (
                        "issue",
                        lambda pk=pk: documents.document_issue(case=cases[pk], kind="registration", actor=None),
                    ),
                ]
                if i % 2:
                    steps.reverse()
                out = {}
                for key, fn in steps:
                    seconds, out[key] = timed(fn)
                    rows[key].append(seconds)
                same += out["app"] == out["bare"] == out["bare_warm"]
                sizes.append(len(out["app"]))
            raise Rollback
    except Rollback:
        pass
    return {"rows": rows, "same": same, "sizes": sizes}


# --- memory, in child processes ------------------------------------------------------------------


def child(what: str, case_ids: list[int], html_file: str | None) -> None:
    # A child starts with its parent's high-water mark (Linux keeps ru_maxrss across fork
    # and exec): reset VmHWM and measure this process alone.
    reset_peak_rss()
    if what == "bare":
        html = Path(html_file).read_text(encoding="utf-8")
        before = rss_mb()
        seconds, _ = timed(bare_render, html)
        print(json.dumps({"rss_before_mb": before, "rss_peak_mb": rss_mb(), "seconds": seconds, "pages": 1}))
        return
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    before = rss_mb()
    t0 = time.perf_counter()
    for i, pk in enumerate(case_ids):
        app_render(pk, i + 1)
    seconds = time.perf_counter() - t0
    print(json.dumps({"rss_before_mb": before, "rss_peak_mb": rss_mb(), "seconds": seconds, "pages": len(case_ids)}))


def run_child(what: str, case_ids: list[int], html_file: str) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        what,
        "--case-ids",
        ",".join(map(str, case_ids)),
        "--html-file",
        html_file,
    ]
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


# --- report ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100, help="forms to render, one per case (default 100)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed renders of each kind first (default 3)")
    parser.add_argument("--child", choices=("app", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--case-ids", help=argparse.SUPPRESS)
    parser.add_argument("--html-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.pages <= 2000 or not 0 <= args.warmup <= 50:
        parser.error("--pages must be 1..2000 and --warmup 0..50")
    # Files the issue measurement writes go to a directory of their own, removed at the end.
    media = tempfile.mkdtemp(prefix="docbench-media-")
    os.environ["MEDIA_ROOT"] = media
    if args.child:
        child(args.child, [int(x) for x in args.case_ids.split(",") if x], args.html_file)
        shutil.rmtree(media, ignore_errors=True)
        return 0

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    html_dir = tempfile.mkdtemp(prefix="docbench-html-")
    try:
        ensure_database(os.environ["DATABASE_URL"])
        case_ids = prepare(args.pages)
        if len(case_ids) < args.pages:
            raise SystemExit(f"only {len(case_ids)} cases")
        # the children first, while this process is still small
        html_file = str(Path(html_dir) / "registration.html")
        Path(html_file).write_text(app_html(case_ids[0], 1), encoding="utf-8")
        mem_one = run_child("app", case_ids[:1], html_file)
        mem_all = run_child("app", case_ids, html_file)
        mem_bare = run_child("bare", [], html_file)
        print(f"\nrendering {len(case_ids)} 信访登记表 in one warm process ({args.warmup} untimed of each first)")
        m = measure(case_ids, args.warmup)
    finally:
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(html_dir, ignore_errors=True)

    import weasyprint

    rows = m["rows"]
    med = {k: statistics.median(v) for k, v in rows.items()}
    total = {k: sum(v) for k, v in rows.items()}
    n = len(rows["app"])
    print(
        f"WeasyPrint {weasyprint.__version__}; {n} pages, PDF {min(m['sizes']) // 1024}–{max(m['sizes']) // 1024} KiB; "
        f"app and bare output byte-identical for {m['same']} of {n}"
    )
    print(f"{'figure (median a page; total for all pages)':<58} {'figure':>16} {'baseline':>16}")
    misses = []

    def line(label: str, key: str, base: str) -> float:
        fig = f"{med[key]:.3f}s ({total[key]:.1f}s)"
        ref = f"{med[base]:.3f}s ({total[base]:.1f}s)"
        print(f"{label:<58} {fig:>16} {ref:>16}")
        ratio = med[key] / med[base]
        print(f"ratio: {ratio:.2f}")
        return ratio

    if line("a) app render vs bare WeasyPrint, one warm font config", "app", "bare_warm") > RATIO_TARGET:
        misses.append(f"render ratio {med['app'] / med['bare_warm']:.2f}")
    line("a) app render vs bare WeasyPrint as it comes", "app", "bare")
    line("b) issue (number, store, history) vs bare, one warm config", "issue", "bare_warm")
    if med["app"] > PAGE_TARGET:
        misses.append(f"{med['app']:.3f} s a page")
    print(
        f"c) peak RSS of a process that rendered one form through the app: {mem_one['rss_peak_mb']:.1f} MB "
        f"(after setup {mem_one['rss_before_mb']:.1f} MB, {mem_one['seconds']:.2f} s cold); "
        f"after {mem_all['pages']} forms: {mem_all['rss_peak_mb']:.1f} MB; "
        f"bare WeasyPrint, one page, nothing else imported: {mem_bare['rss_peak_mb']:.1f} MB"
    )
    print(f"ratio: {mem_one['rss_peak_mb'] / mem_bare['rss_peak_mb']:.2f}")
    peak = max(mem_one["rss_peak_mb"], mem_all["rss_peak_mb"])
    if peak >= MEMORY_TARGET_MB:
        misses.append(f"memory {peak:.0f} MB")
    print()
    print("targets met" if not misses else "targets missed: " + "; ".join(misses))
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
