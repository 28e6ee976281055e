"""年度考核 pages: the year's ranking, the scheme, veto and note forms, confirmation, and
the exports. Office, discipline and leaders see it; everyone else gets a 404, as on the
rest of 责任追究. Only the office writes, on POST."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.validators import FIRST_DAY, LAST_DAY
from core.pdf import render_pdf
from core.spreadsheets import XLSX_CONTENT_TYPE, write_sheet

from . import assessment as A
from . import assessment_services as S
from .forms_assessment import NoteForm, SchemeForm, VetoForm
from .models import AssessmentNote, AssessmentVeto

HEADER = [
    "排名",
    "单位",
    "受理件数",
    "办结按期率(%)",
    "答复按期率(%)",
    "超期件数",
    "督办单",
    "督办升级",
    "满意率(%)",
    "重复信访",
    "越级访",
    "集体访",
    "得分",
    "结论",
    "否决理由",
]
WIDTHS = [10, 20, 10, 14, 14, 10, 8, 10, 10, 10, 8, 8, 8, 8, 30]


def _row_values(r: A.Row) -> list:
    f = r.figures
    return [
        r.rank if r.rank is not None else "不参与排名",
        r.unit_name,
        f["received"],
        _num(f["completion_rate"]),
        _num(f["reply_rate"]),
        f["overdue"],
        f["notices"],
        f["escalated"],
        _num(f["satisfaction_rate"]),
        f["repeat"],
        f["over_level"],
        f["group"],
        float(r.score),
        "合格" if r.passed else "不合格",
        r.veto_reason,
    ]


def _num(value):
    return float(value) if value is not None else "—"


def _year(year: int | None) -> int:
    """The year in the address, or this one. A year outside the years the system counts
    (cases.validators.FIRST_DAY–LAST_DAY) has no assessment: 404, as a missing object
    is, rather than a date past 9999 raising (issue 13 point 10)."""
    if year is None:
        return timezone.localdate().year
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise Http404("没有该年度的考核。")
    return year


@login_required
@require_GET
def assessment_page(request: HttpRequest, year: int | None = None) -> HttpResponse:
    A.require_view(request.user)
    asked = request.GET.get("year", "")
    if year is None and asked.isascii() and asked.isdigit():  # ASCII digits: "²" is a digit int() refuses
        if len(asked) > 4:  # no such year, and int() refuses thousands of digits
            raise Http404("没有该年度的考核。")
        return redirect("accountability:assessment_year", year=_year(int(asked)))
    year = _year(year)
    rows, result = A.assessment(year)
    writer = A.may_write(request.user) and result is None
    context = {
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "rows": rows,
        "table": [(r, _row_values(r)) for r in rows],
        "header": HEADER,
        "result": result,
        "scheme": A.scheme_for(year),
        "vetoes": AssessmentVeto.objects.filter(year=year).select_related("unit", "created_by"),
        "notes": AssessmentNote.objects.filter(year=year).select_related("created_by"),
        "may_write": A.may_write(request.user),
        "editable": writer,
        "scheme_form": SchemeForm(instance=A.scheme_for(year)) if writer else None,
        "veto_form": VetoForm() if writer else None,
        "note_form": NoteForm() if A.may_write(request.user) else None,
    }
    return render(request, "accountability/assessment.html", context)


def _run(request: HttpRequest, year: int, action, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, success)
    return redirect("accountability:assessment_year", year=year)


@login_required
@require_POST
def scheme_save(request: HttpRequest, year: int) -> HttpResponse:
    A.require_view(request.user)
    year = _year(year)
    form = SchemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "考核方案填写有误，请检查。")
        return redirect("accountability:assessment_year", year=year)
    return _run(
        request,
        year,
        lambda: S.scheme_save(year=year, actor=request.user, values=form.cleaned_data),
        "考核方案已保存。",
    )


@login_required
@require_POST
def veto_record(request: HttpRequest, year: int) -> HttpResponse:
    A.require_view(request.user)
    year = _year(year)
    form = VetoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择单位并填写否决理由。")
        return redirect("accountability:assessment_year", year=year)
    d = form.cleaned_data
    return _run(
        request,
        year,
        lambda: S.veto_record(year=year, unit=d["unit"], actor=request.user, reason=d["reason"]),
        "一票否决已登记。",
    )


@login_required
@require_POST
def note_add(request: HttpRequest, year: int) -> HttpResponse:
    A.require_view(request.user)
    year = _year(year)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写说明。")
        return redirect("accountability:assessment_year", year=year)
    return _run(
        request, year, lambda: S.note_add(year=year, actor=request.user, text=form.cleaned_data["text"]), "说明已登记。"
    )


@login_required
@require_POST
def confirm(request: HttpRequest, year: int) -> HttpResponse:
    A.require_view(request.user)
    year = _year(year)
    return _run(request, year, lambda: S.confirm(year=year, actor=request.user), f"{year}年度考核结果已确认。")


@login_required
@require_GET
def export_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    A.require_view(request.user)
    year = _year(year)
    rows, _ = A.assessment(year)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    write_sheet(
        out,
        title=f"{settings.XINFANG_ORGANISATION}{year}年度信访工作考核结果",
        header=HEADER,
        rows=(_row_values(r) for r in rows),
        name=f"{year}年度考核",
        widths=WIDTHS,
    )
    out.seek(0)
    response = FileResponse(out, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}.xlsx"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, year: int) -> HttpResponse:
    A.require_view(request.user)
    year = _year(year)
    rows, result = A.assessment(year)
    pdf = render_pdf(
        "accountability/pdf/assessment.html",
        {
            "title": f"{year}年度信访工作考核结果",
            "year": year,
            "header": HEADER,
            "table": [_row_values(r) for r in rows],
            "result": result,
            "notes": AssessmentNote.objects.filter(year=year),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}.pdf"'
    return response
