"""Pages of the annual report (条例 第41条) and of leader reception (seed 001 (三))."""

from __future__ import annotations

import tempfile
from itertools import zip_longest
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pdf import render_pdf
from dashboard.models import ReceptionDay
from people.abilities import is_leader
from people.models import Unit, User

from . import reception, report
from .forms_report import ReceptionDayForm, ReportForm
from .scope import require_dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _report_params(request: HttpRequest) -> tuple[ReportForm, int, Unit | None]:
    """The form, the year and the unit asked for. A unit outside the reader's scope is not
    found (404), the same answer as for a case out of scope."""
    user: User = request.user
    require_dashboard(user)
    years = report.report_years(user=user)
    data = request.GET if request.GET else {"year": years[0]}
    form = ReportForm(data, user=user, years=years, scope_label=report.scope_label(user=user, unit=None))
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["unit"]
    if "unit" in form.errors:
        raise Http404("没有该部门，或该部门不在您的查看范围内。")
    return form, years[0], None


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    form, year, unit = _report_params(request)
    data = report.annual_report(user=request.user, year=year, unit=unit)
    query = f"?year={year}" + (f"&unit={unit.code}" if unit else "")
    return render(request, "dashboard/report.html", {"form": form, "report": data, "query": query})


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    _form, year, unit = _report_params(request)
    data = report.annual_report(user=request.user, year=year, unit=unit)
    office = f"{settings.XINFANG_ORGANISATION}信访工作领导小组办公室"
    content = render_pdf(
        "dashboard/pdf/report.html",
        {
            "report": data,
            "channel_kind_rows": list(zip_longest(data.by_channel, data.by_kind)),
            "title": f"{settings.XINFANG_ORGANISATION}{year}年度信访情况报告",
            "organisation": settings.XINFANG_ORGANISATION,
            "number": f"〔{year}〕年度报告",
            "issuer": office,
            "issued_on": timezone.localdate(),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return _attachment(response, report.report_filename(data, "pdf"))


@login_required
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, year, unit = _report_params(request)
    data = report.annual_report(user=request.user, year=year, unit=unit)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    items = report.office_suggestions(user=request.user, year=year, unit=unit)
    report.write_report_xlsx(data, out, items=items)
    out.seek(0)
    return _attachment(FileResponse(out, content_type=XLSX), report.report_filename(data, "xlsx"))


# --- leader reception -----------------------------------------------------------------


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _reception_context(request: HttpRequest, form: ReceptionDayForm | None, editing: ReceptionDay | None) -> dict:
    upcoming, past = reception.schedule()
    return {
        "upcoming": reception.with_visits(user=request.user, days=list(upcoming)),
        "past": reception.with_visits(user=request.user, days=list(past)),
        "leader_cases": reception.leader_case_lists(user=request.user),
        "may_schedule": reception.may_schedule(request.user),
        "viewer_is_leader": is_leader(request.user),
        "form": form,
        "editing": editing,
        "today": timezone.localdate(),
    }


def _save_day(request: HttpRequest, form: ReceptionDayForm, editing: ReceptionDay | None) -> HttpResponse:
    if form.is_valid():
        day = form.save(commit=False)
        reception.reception_day_save(actor=request.user, day=day, cases=form.cleaned_data["case_numbers"])
        messages.success(request, f"已{'修改' if editing else '安排'}{_cn(day.date)}{day.leader}的接访。")
        return redirect("dashboard:reception")
    return render(request, "dashboard/reception.html", _reception_context(request, form, editing), status=200)


@login_required
@require_http_methods(["GET", "POST"])
def reception_page(request: HttpRequest) -> HttpResponse:
    """The schedule, the visits on each day and the 包案 lists; the office adds days here."""
    require_dashboard(request.user)
    may = reception.may_schedule(request.user)
    if request.method == "POST":
        if not may:
            raise PermissionDenied("只有信访办可以安排领导接访。")
        return _save_day(request, ReceptionDayForm(request.POST, user=request.user), None)
    form = ReceptionDayForm(initial={"date": timezone.localdate()}, user=request.user) if may else None
    return render(request, "dashboard/reception.html", _reception_context(request, form, None))


@login_required
@require_http_methods(["GET", "POST"])
def reception_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_dashboard(request.user)
    if not reception.may_schedule(request.user):
        raise PermissionDenied("只有信访办可以安排领导接访。")
    day = get_object_or_404(ReceptionDay, pk=pk)
    if request.method == "POST":
        return _save_day(request, ReceptionDayForm(request.POST, instance=day, user=request.user), day)
    return render(
        request,
        "dashboard/reception.html",
        _reception_context(request, ReceptionDayForm(instance=day, user=request.user), day),
    )


@login_required
@require_POST
def reception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_dashboard(request.user)
    day = get_object_or_404(ReceptionDay, pk=pk)
    reception.reception_day_delete(actor=request.user, day=day)
    messages.success(request, f"已取消{_cn(day.date)}{day.leader}的接访安排。")
    return redirect("dashboard:reception")
