"""Ledger (台账) export pages: the filter form; a small ledger downloads at once, a large
one is written by the worker while the page shows its progress."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import abilities
from . import ledger as ledgers
from .forms import ArchiveForm, LedgerForm
from .models import LedgerExport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request: HttpRequest) -> HttpResponse:
    if not abilities.can_export_ledger(request.user):
        raise PermissionDenied("您的角色不能导出台账。")
    initial = {"year": timezone.localdate().year}
    form = LedgerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        query = form.query()
        # a unit's people export their own unit's ledger (seed 003), so it is named after it
        unit = form.cleaned_data.get("unit") or (request.user.unit if request.user.is_unit_staff else None)
        qs = ledgers.ledger_cases(user=request.user, query=query)
        total = qs.count()
        filename = ledgers.ledger_filename(query, unit.name if unit else "")
        if total <= settings.LEDGER_EXPORT_SYNC_LIMIT:
            out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
            ledgers.write_ledger(
                ledgers.ledger_rows(qs, full_contact=ledgers.sees_full_contact(request.user), extra=query.extra),
                out,
                title="台账",
                extra=query.extra,
                heading=ledgers.ledger_heading(query, unit.name if unit else ""),
            )
            ledgers.log_protected_export(qs=qs, user=request.user, action="导出台账")
            out.seek(0)
            return _attachment(FileResponse(out, content_type=XLSX), filename)
        job = ledgers.ledger_export_start(user=request.user, query=query, description=filename, total=total)
        return redirect("exports:job", pk=job.pk)
    recent = LedgerExport.objects.filter(user=request.user)[:10]
    return render(
        request,
        "documents/ledger.html",
        {
            "form": form,
            "recent": recent,
            "sync_limit": settings.LEDGER_EXPORT_SYNC_LIMIT,
            "archive_form": ArchiveForm(initial=initial) if abilities.can_archive(request.user) else None,
        },
        status=400 if form.errors else 200,
    )


# at most this many ticked rows are exported at once (the case list's own limit is lower)
SELECTED_LIMIT = 1000


@login_required
@require_POST
def selected(request: HttpRequest) -> HttpResponse:
    """导出所选: the rows ticked in the case list or a queue, as the ledger (the same
    columns, the same scope and masking, the same access log for a 举报)."""
    if not abilities.can_export_ledger(request.user):
        raise PermissionDenied("您的角色不能导出台账。")
    ids = list(dict.fromkeys(int(i) for i in request.POST.getlist("ids") if i.isdigit()))[:SELECTED_LIMIT]
    if not ids:
        messages.error(request, "请先勾选要导出的信访件。")
        back = request.POST.get("back", "")
        return redirect(back if back.startswith("/") and not back.startswith("//") else "cases:list")
    query = ledgers.LedgerQuery(ids=ids)
    qs = ledgers.ledger_cases(user=request.user, query=query)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    ledgers.write_ledger(
        ledgers.ledger_rows(qs, full_contact=ledgers.sees_full_contact(request.user)),
        out,
        title="台账",
        heading=f"{settings.XINFANG_ORGANISATION}信访工作台账（所选 {qs.count()} 件）",
    )
    ledgers.log_protected_export(qs=qs, user=request.user, action="导出台账")
    out.seek(0)
    filename = f"信访工作台账_所选_{timezone.localdate():%Y%m%d}.xlsx"
    return _attachment(FileResponse(out, content_type=XLSX), filename)


@login_required
@require_POST
def archive(request: HttpRequest) -> HttpResponse:
    """The year-end archive: the year's ledgers and each archived case's documents, by
    unit, in one zip written by the worker (seed 000 §四.8)."""
    if not abilities.can_archive(request.user):
        raise PermissionDenied("年度归档由信访办办理。")
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("exports:ledger")
    year = form.cleaned_data["year"]
    query = ledgers.LedgerQuery(year=year)
    total = ledgers.archive_rows(user=request.user, year=year)
    job = ledgers.ledger_export_start(
        user=request.user, query=query, description=f"{year}年信访档案.zip", total=total, archive=True
    )
    return redirect("exports:job", pk=job.pk)


def _own_job(request: HttpRequest, pk: int) -> LedgerExport:
    """A user sees only their own exports: anyone else's answers 404."""
    return get_object_or_404(LedgerExport, pk=pk, user=request.user)


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "documents/ledger_job.html", {"job": _own_job(request, pk)})


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx every second until the file is ready."""
    return render(request, "documents/_ledger_progress.html", {"job": _own_job(request, pk)})


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if job.status != LedgerExport.Status.DONE or not job.file:
        raise Http404("文件不存在或已过期。")
    kind = "application/zip" if job.params.get("archive") else XLSX
    return _attachment(FileResponse(job.file.open("rb"), content_type=kind), job.description or "台账.xlsx")
