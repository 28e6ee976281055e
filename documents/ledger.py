"""The ledger (台账) as .xlsx: one scoped query streamed into openpyxl's write-only
workbook, so memory stays flat and the number of queries does not grow with the rows.

The columns are seed 000 附件2's, in its order: 序号, 信访人姓名, 联系电话, 受理渠道, 受理日期,
受理人, 反映的主要问题, 处理情况, 答复部门, 备注. 受理 there is the intake: the channel the
petition came by, the date it reached the school and the person who took it in (登记人).
Optional columns can be chosen after these. Exporters in the style of pretix: a row
generator fed by one query, and one renderer (core.spreadsheets), which puts the title
(e.g. "某某学院2026年信访工作台账") on the row above the header.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, CaseAccessLog, Channel, Kind, Outcome, Satisfaction, Source, State, flag_labels, mask
from cases.selectors import cases_visible_to
from core.spreadsheets import write_sheet
from people.models import Unit, User

from . import abilities
from .models import Document, LedgerExport

LEDGER_COLUMNS = [
    "序号",
    "信访人姓名",
    "联系电话",
    "受理渠道",
    "受理日期",
    "受理人",
    "反映的主要问题",
    "处理情况",
    "答复部门",
    "备注",
]
WIDTHS = [6, 12, 14, 12, 12, 10, 48, 48, 18, 28]

# The database columns every row reads: one query, no per-row lookups.
FIELDS = [
    "id",
    "number",
    "received_on",
    "channel",
    "kind",
    "source",
    "superior_reference",
    "summary",
    "state",
    "outcome",
    "report_handling",
    "not_accepted_reason",
    "forwarded_to",
    "is_major",
    "is_group",
    "group_size",
    "is_over_level",
    "is_repeat",
    "is_leader_case",
    "satisfaction",
    "replied_at",
    "due_date",
    "petitioner__name",
    "petitioner__phone",
    "registered_by__full_name",
    "main_unit__name",
    "topic__name",
]


@dataclass(frozen=True)
class Extra:
    header: str
    width: int
    value: Callable[[dict], Any]


CHANNELS, KINDS, STATES = dict(Channel.choices), dict(Kind.choices), dict(State.choices)
OUTCOMES, SOURCES = dict(Outcome.choices), dict(Source.choices)
SATISFACTION = dict(Satisfaction.choices)

EXTRA_COLUMNS: dict[str, Extra] = {
    "number": Extra("编号", 12, lambda r: r["number"]),
    "kind": Extra("信访类型", 10, lambda r: KINDS.get(r["kind"], "")),
    "topic": Extra("问题类别", 12, lambda r: r["topic__name"] or ""),
    "state": Extra("状态", 10, lambda r: STATES.get(r["state"], "")),
    "source": Extra("来源", 20, lambda r: SOURCES.get(r["source"], "")),
    "due_date": Extra("办理期限", 12, lambda r: r["due_date"]),
    "replied_on": Extra("答复日期", 12, lambda r: timezone.localdate(r["replied_at"]) if r["replied_at"] else None),
    "satisfaction": Extra("满意度", 10, lambda r: SATISFACTION.get(r["satisfaction"], "")),
}


def handling_text(row: dict) -> str:
    """处理情况: where the case stands and, once answered, the outcome and the handling."""
    state = row["state"]
    if state == State.NOT_ACCEPTED:
        return f"不予受理：{row['not_accepted_reason']}"
    if state == State.FORWARDED:
        return f"已转送{row['forwarded_to']}"
    if state in (State.REPLIED, State.ARCHIVED, State.FOLLOWED_UP):
        outcome = OUTCOMES.get(row["outcome"], "")
        text = f"已答复（{outcome}）" if outcome else "已答复"
        if state != State.REPLIED:
            text += "，已归档"
        return f"{text}：{row['report_handling']}" if row["report_handling"] else text
    return f"办理中（{STATES.get(state, state)}）"


def remarks_text(row: dict) -> str:
    parts = flag_labels(row)
    if row["source"] != Source.SELF:
        ref = f"（{row['superior_reference']}）" if row["superior_reference"] else ""
        parts.append(f"{SOURCES.get(row['source'], '')}{ref}")
    return "；".join(parts)


def sees_full_contact(user: User | None) -> bool:
    """Personal data stays masked unless needed: the office and discipline keep the
    ledger of record; units and leaders get masked phone numbers."""
    return user is None or abilities.sees_full_contact(user)


@dataclass
class LedgerQuery:
    """The ledger's filters (issue 5): year, a date range on the date received, the
    handling unit (each unit's own ledger, seed 003), channel, kind and state."""

    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit_id: int | None = None
    channel: str = ""
    kind: str = ""
    states: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    # the rows ticked in the case list or a queue (导出所选)
    ids: list[int] = field(default_factory=list)

    def to_params(self) -> dict:
        return {
            "year": self.year,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "unit_id": self.unit_id,
            "channel": self.channel,
            "kind": self.kind,
            "states": self.states,
            "extra": self.extra,
            "ids": self.ids,
        }

    @classmethod
    def from_params(cls, p: dict) -> LedgerQuery:
        day = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
        return cls(
            year=p.get("year"),
            date_from=day(p.get("date_from")),
            date_to=day(p.get("date_to")),
            unit_id=p.get("unit_id"),
            channel=p.get("channel") or "",
            kind=p.get("kind") or "",
            states=list(p.get("states") or []),
            extra=[e for e in p.get("extra") or [] if e in EXTRA_COLUMNS],
            ids=[int(i) for i in p.get("ids") or []],
        )


def ledger_cases(*, user: User | None, query: LedgerQuery) -> QuerySet[Case]:
    """The cases of one ledger, through the same scope as the lists (`user` None: the
    command line's whole-school export)."""
    qs = Case.objects.all() if user is None else cases_visible_to(user=user)
    if query.year:
        qs = qs.filter(received_on__gte=dt.date(query.year, 1, 1), received_on__lte=dt.date(query.year, 12, 31))
    if query.date_from:
        qs = qs.filter(received_on__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(received_on__lte=query.date_to)
    if query.unit_id:
        # the unit's own ledger: what it handles and what it registered itself (二级信访)
        qs = qs.filter(Q(main_unit_id=query.unit_id) | Q(registered_unit_id=query.unit_id))
    if query.channel:
        qs = qs.filter(channel=query.channel)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.states:
        qs = qs.filter(state__in=query.states)
    if query.ids:
        qs = qs.filter(pk__in=query.ids)
    return qs.order_by("received_on", "id")


def ledger_rows(qs: QuerySet[Case], *, full_contact: bool, extra: Iterable[str] = ()) -> Iterator[list]:
    """One list per case, in ledger order; rows come from one server-side cursor."""
    extras = [EXTRA_COLUMNS[key] for key in extra]
    for n, row in enumerate(qs.values(*FIELDS).iterator(chunk_size=2000), start=1):
        phone = row["petitioner__phone"] or ""
        yield [
            n,
            row["petitioner__name"],
            phone if full_contact else mask(phone, keep_start=3, keep_end=4),
            CHANNELS.get(row["channel"], ""),
            row["received_on"],
            row["registered_by__full_name"] or "",
            row["summary"],
            handling_text(row),
            row["main_unit__name"] or "",
            remarks_text(row),
            *(e.value(row) for e in extras),
        ]


def ledger_heading(query: LedgerQuery | None = None, unit_name: str = "") -> str:
    """The title row: "某某学院2026年信访工作台账", with the unit for a unit's own ledger."""
    span = _span(query) if query else ""
    return f"{settings.XINFANG_ORGANISATION}{unit_name}{span}信访工作台账"


def write_ledger(
    rows: Iterable[list],
    out,
    *,
    title: str,
    heading: str = "",
    extra: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write the rows to `out` (a path or a binary file) as one sheet named `title`, under
    the title row `heading` (ledger_heading() by default) and the header. Returns the
    number of rows written. `progress(n)` is called every `every` rows."""
    extras = [EXTRA_COLUMNS[key] for key in extra]
    return write_sheet(
        out,
        title=heading or ledger_heading(),
        header=[*LEDGER_COLUMNS, *(e.header for e in extras)],
        rows=rows,
        name=title or "台账",
        widths=[*WIDTHS, *(e.width for e in extras)],
        progress=progress,
        every=every,
    )


def _unit_name(query: LedgerQuery) -> str:
    if not query.unit_id:
        return ""
    return Unit.objects.filter(pk=query.unit_id).values_list("name", flat=True).first() or ""


def export_ledger(*, user: User | None, query: LedgerQuery, out, title: str = "台账") -> int:
    qs = ledger_cases(user=user, query=query)
    rows = ledger_rows(qs, full_contact=sees_full_contact(user), extra=query.extra)
    heading = ledger_heading(query, _unit_name(query))
    return write_ledger(rows, out, title=title, heading=heading, extra=query.extra)


def log_protected_export(*, qs: QuerySet[Case], user: User | None, action: str) -> int:
    """An export carries every 举报 in it, reporter included: each is logged like a view
    of the case (seed 004 第九条; 条例 第30条). The command line (no user) logs nothing."""
    if user is None:
        return 0
    ids = list(qs.filter(kind=Kind.REPORT).values_list("pk", flat=True))
    CaseAccessLog.objects.bulk_create([CaseAccessLog(case_id=pk, user=user, action=action) for pk in ids], 1000)
    return len(ids)


def _span(query: LedgerQuery) -> str:
    return f"{query.year}年" if query.year else f"{query.date_from or ''}至{query.date_to or ''}"


def ledger_filename(query: LedgerQuery, unit_name: str = "") -> str:
    return f"信访工作台账_{unit_name + '_' if unit_name else ''}{_span(query)}.xlsx"


# --- background exports ------------------------------------------------------------------


@transaction.atomic
def ledger_export_start(
    *, user: User, query: LedgerQuery, description: str, total: int, archive: bool = False
) -> LedgerExport:
    """Record a background export (a ledger, or with `archive` the year-end zip) and hand
    it to the worker after commit."""
    params = {**query.to_params(), "archive": archive}
    job = LedgerExport.objects.create(user=user, params=params, description=description, total=total)

    def queue() -> None:
        from .tasks import export_ledger_task

        try:
            export_ledger_task.delay(job.pk)
        except Exception:  # a broker that is down: the page shows the failure, nothing is lost
            LedgerExport.objects.filter(pk=job.pk).update(status=LedgerExport.Status.FAILED, error="无法提交后台任务")

    transaction.on_commit(queue)
    return job


# --- the year-end archive ------------------------------------------------------------------

ARCHIVED_STATES = (State.ARCHIVED, State.FOLLOWED_UP)
NO_UNIT = "未交办部门"


@dataclass
class ArchiveLedger:
    """One ledger of the year-end archive: its place in the zip and its cases; a unit's
    has its folder, where its archived cases' documents go too."""

    path: str
    query: LedgerQuery
    cases: QuerySet[Case]
    unit_name: str = ""
    folder: str = ""


def archive_ledgers(*, user: User | None, year: int) -> list[ArchiveLedger]:
    """The ledgers of a year's archive, in the order they are written: the school's at
    the top, then each unit's (the units that handled a case that year, by name)."""
    query = LedgerQuery(year=year)
    qs = ledger_cases(user=user, query=query)
    root = f"{year}年信访档案"
    ledgers = [ArchiveLedger(f"{root}/信访工作台账_{year}年.xlsx", query, qs)]
    units = qs.order_by().values_list("main_unit_id", "main_unit__name").distinct()
    for unit_id, unit_name in sorted(units, key=lambda u: u[1] or ""):
        name = unit_name or NO_UNIT
        unit_query = LedgerQuery(year=year, unit_id=unit_id)
        unit_qs = ledger_cases(user=user, query=unit_query) if unit_id else qs.filter(main_unit=None)
        folder = f"{root}/{name}"
        ledgers.append(ArchiveLedger(f"{folder}/信访工作台账_{name}_{year}年.xlsx", unit_query, unit_qs, name, folder))
    return ledgers


def archive_rows(*, user: User | None, year: int) -> int:
    """The rows the year's archive will write (all its ledgers'): what its progress
    counts up to, known before the worker starts."""
    return sum(ledger.cases.count() for ledger in archive_ledgers(user=user, year=year))


def write_year_archive(
    *, user: User | None, year: int, out, progress: Callable[[int], None] | None = None
) -> tuple[int, int, int]:
    """One zip for a year (seed 000 §四.8: 年终报党政办公室统一存档), organised by unit:
    the school's ledger at the top; per unit its own ledger and, for each archived case,
    the documents as they were sent (the stored bytes). Returns (rows, cases,
    documents); `progress(n)` counts the ledgers' rows, up to archive_rows()."""
    full = sees_full_contact(user)
    n_rows = n_cases = n_docs = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for ledger in archive_ledgers(user=user, year=year):
            offset = n_rows
            n_rows += _add_ledger(
                zf,
                ledger.path,
                ledger_rows(ledger.cases, full_contact=full),
                ledger.query,
                ledger.unit_name,
                progress=(lambda n, offset=offset: progress(offset + n)) if progress else None,
            )
            if progress:
                progress(n_rows)
            if not ledger.folder:
                continue
            archived = ledger.cases.filter(state__in=ARCHIVED_STATES)
            docs = (
                Document.objects.issued()
                .filter(case__in=archived.values("pk"))
                .select_related("case")
                .order_by("case__number", "created_at", "id")
            )
            seen = set()
            for doc in docs.iterator(chunk_size=500):
                if doc.case_id not in seen:
                    seen.add(doc.case_id)
                    n_cases += 1
                name = f"{ledger.folder}/{doc.case.number}/{doc.get_kind_display()}_{doc.number}.pdf"
                with doc.file.open("rb") as src, zf.open(name, "w") as dst:
                    shutil.copyfileobj(src, dst)
                n_docs += 1
    return n_rows, n_cases, n_docs


def _add_ledger(
    zf: zipfile.ZipFile,
    name: str,
    rows: Iterable[list],
    query: LedgerQuery,
    unit_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """openpyxl writes a zip of its own and needs a seekable file: a temporary one.
    Returns the rows written."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        n = write_ledger(
            rows, tmp.name, title=f"{query.year}年台账", heading=ledger_heading(query, unit_name), progress=progress
        )
        zf.write(tmp.name, name)
    return n


def ledger_export_run(job_id: int) -> LedgerExport:
    """The worker's side: claim the job (a conditional UPDATE, so two workers never write
    it twice), write the file with progress, keep it for LEDGER_EXPORT_KEEP_HOURS."""
    claimed = LedgerExport.objects.filter(pk=job_id, status=LedgerExport.Status.PENDING).update(
        status=LedgerExport.Status.RUNNING
    )
    job = LedgerExport.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    query = LedgerQuery.from_params(job.params)
    archive = bool(job.params.get("archive"))
    qs = ledger_cases(user=job.user, query=query)
    # the rows it will write: the ledger's, or all the archive's ledgers'
    total = archive_rows(user=job.user, year=query.year) if archive else qs.count()
    LedgerExport.objects.filter(pk=job.pk).update(total=total)
    suffix = ".zip" if archive else ".xlsx"
    fd, path = tempfile.mkstemp(suffix=suffix)
    os.close(fd)
    progress = lambda n: LedgerExport.objects.filter(pk=job.pk).update(done=n)  # noqa: E731
    try:
        if archive:
            written, _, _ = write_year_archive(user=job.user, year=query.year, out=path, progress=progress)
        else:
            written = write_ledger(
                ledger_rows(qs, full_contact=sees_full_contact(job.user), extra=query.extra),
                path,
                title="台账",
                heading=ledger_heading(query, _unit_name(query)),
                extra=query.extra,
                progress=progress,
            )
        log_protected_export(qs=qs, user=job.user, action="年度归档" if archive else "导出台账")
        with open(path, "rb") as fh:
            job.file.save(f"ledger-{job.pk}{suffix}", File(fh), save=False)
        now = timezone.now()
        job.status, job.done, job.total, job.finished_at = LedgerExport.Status.DONE, written, total, now
        job.expires_at = now + dt.timedelta(hours=settings.LEDGER_EXPORT_KEEP_HOURS)
        job.save(update_fields=["file", "status", "done", "total", "finished_at", "expires_at"])
    except Exception as e:
        LedgerExport.objects.filter(pk=job.pk).update(status=LedgerExport.Status.FAILED, error=str(e)[:300])
        raise
    finally:
        Path(path).unlink(missing_ok=True)
    return job


def purge_expired_exports(now: dt.datetime | None = None) -> int:
    """Delete export files past their keeping time (the beat job `documents.purge_exports`)."""
    now = now or timezone.now()
    n = 0
    for job in LedgerExport.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        LedgerExport.objects.filter(pk=job.pk).update(file="")
        n += 1
    return n
