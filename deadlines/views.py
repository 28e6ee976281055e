"""Deadline pages: the clocks' explanations, the overdue list, extensions, notifications."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import phrases
from cases.selectors import case_for_user, cases_visible_to
from core.days import day_start

from . import abilities, services
from . import calendar as cal
from .clocks import Clock, Event, Extension, PeriodUnit
from .forms import ExtensionDecisionForm, ExtensionProposalForm, ExtensionRequestForm, ExtensionSuperiorForm


@login_required
@require_GET
def clock_explain(request: HttpRequest, pk: int, clock_pk: int) -> HttpResponse:
    """How was this due date computed: start, rule, days counted and skipped, holidays,
    calendar version, extensions."""
    case = case_for_user(user=request.user, pk=pk)
    clock = get_object_or_404(Clock.objects.select_related("rule"), case=case, pk=clock_pk)
    explanation = None
    if clock.rule.unit != PeriodUnit.MINUTES:
        explanation = cal.explain(clock.start_date, clock.rule.length, clock.rule.unit)
    return render(
        request,
        "deadlines/explain.html",
        {
            "case": case,
            "clock": clock,
            "explanation": explanation,
            "extensions": clock.extensions.select_related("requested_by", "decided_by"),
            "remaining": services.remaining_text(clock),
            "stop_labels": [Event(e).label for e in clock.rule.stop_events if e in Event.values],
        },
    )


@login_required
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Overdue and due-soon clocks across every unit in the user's scope, nearest first."""
    status = request.GET.get("status") or ""
    clocks = (
        Clock.objects.filter(case__in=cases_visible_to(user=request.user))
        .filter(status__in=[status] if status in ("overdue", "due_soon") else ["overdue", "due_soon"])
        # The petitioner's own windows are nobody's duty; a lapsed 异议期 is no failure.
        .exclude(rule__duty="petitioner")
        .exclude(status="overdue", rule__raises_notice=False)
        .select_related("rule", "case", "unit", "case__main_unit")
        .order_by("due_at")[:500]
    )
    rows = [(c, services.remaining_text(c)) for c in clocks]
    return render(request, "deadlines/list.html", {"rows": rows, "status": status})


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request: HttpRequest, pk: int, clock_pk: int) -> HttpResponse:
    case = case_for_user(user=request.user, pk=pk)
    clock = get_object_or_404(Clock.objects.select_related("rule", "case"), case=case, pk=clock_pk)
    if not services.may_request_extension(clock, request.user):
        raise PermissionDenied("只有主办部门可以申请延期。")
    form = ExtensionRequestForm(request.POST or None, max_days=clock.rule.max_extension_days)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(
                clock=clock, actor=request.user, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
            )
        except services.ExtensionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                "延期申请已提交，由信访办报市教育局审批。"
                if clock.case.source == "hotline_12345"
                else "延期申请已提交，由信访办审核后呈报院领导审批。",
            )
            return redirect(case)
    phrases.attach(form, request.user)
    return render(request, "deadlines/extension_form.html", {"case": case, "clock": clock, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def extension_decide(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    """Whoever's turn it is (《信访工作条例》第三十四条): the office reviews and proposes to a
    school leader, or for a 12345 work order records 市教育局's decision; the leader decides."""
    case = case_for_user(user=request.user, pk=pk)
    extension = get_object_or_404(
        Extension.objects.select_related("clock__rule", "clock__case", "proposed_by"), clock__case=case, pk=extension_pk
    )
    user = request.user
    pending = extension.status == Extension.Status.PENDING
    if pending and services.may_propose_extension(user):
        step = "superior" if extension.to_superior else "propose"
    elif extension.status == Extension.Status.PROPOSED and services.may_decide_extension(extension.clock, user):
        step = "decide"
    else:
        raise PermissionDenied("延期由信访办审核呈报、院领导批准；该申请现在不等您处理。")
    form_class = {
        "propose": ExtensionProposalForm,
        "superior": ExtensionSuperiorForm,
        "decide": ExtensionDecisionForm,
    }[step]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if step == "propose":
                services.extension_propose(extension=extension, actor=user, opinion=data["opinion"])
                done = "已呈报院领导审批。"
            elif step == "superior":
                services.extension_record_superior(
                    extension=extension,
                    actor=user,
                    approve=data["decision"] == "approve",
                    decided_on=data["decided_on"],
                    reference=data["reference"],
                    note=data["note"],
                )
                done = "已登记市教育局的批复。"
            else:
                services.extension_decide(
                    extension=extension, actor=user, approve=data["decision"] == "approve", note=data["note"]
                )
                done = "已审批延期申请。"
        except services.ExtensionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, done)
            return redirect(case)
    phrases.attach(form, request.user)
    return render(
        request,
        "deadlines/extension_decide.html",
        {"case": case, "extension": extension, "form": form, "step": step},
        status=400 if form.errors else 200,
    )


# Events the office records by hand: they start or stop clocks but change no case state.
# The 不予受理告知书 is not a button: its delivery record is the event (documents.services
# DELIVERY_EVENTS), so the 3-day notice stops only when the petitioner has it in writing.
MANUAL_EVENTS = {
    "summons": ("收到现场接访通知", None),
    "arrived": ("已到达接访现场", None),
    "hearing_started": ("听证开始", None),
    "hearing_ended": ("听证结束", None),
}


@login_required
@require_POST
def record_event(request: HttpRequest, pk: int, event: str) -> HttpResponse:
    """A 现场接访 summons and the arrival (《湖南信息职业技术学院信访工作实施方案》五（三）1,
    counted in minutes), or a 听证's first and last day
    (《信访工作条例》第三十六条: not counted in the 复核 period)."""
    case = case_for_user(user=request.user, pk=pk)
    if event not in MANUAL_EVENTS:
        raise Http404
    if not abilities.can_record_event(request.user):
        raise PermissionDenied("只有信访办可以登记此事项。")
    label, required_state = MANUAL_EVENTS[event]
    if required_state and case.state != required_state:
        messages.error(request, f"该信访件当前为“{case.get_state_display()}”，不能登记“{label}”。")
        return redirect(case)
    details = {}
    if event == "summons":
        area = request.POST.get("area")
        if area not in ("city", "county"):
            messages.error(request, "请选择接访地点：市内六区或县/市。")
            return redirect(case)
        details["area"] = area
    at = None
    if event in ("hearing_started", "hearing_ended"):
        # the office records the day the hearing began or ended (条例 第三十六条)
        try:
            on = dt.date.fromisoformat(request.POST.get("on") or "")
        except ValueError:
            messages.error(request, f"请填写{label}日期（年-月-日）。")
            return redirect(case)
        if on > timezone.localdate():
            messages.error(request, f"{label}日期不能晚于今天。")
            return redirect(case)
        at = day_start(on)
    try:
        services.record_case_event(case=case, actor=request.user, event=event, label=label, details=details, at=at)
    except services.EventRefused as e:
        messages.error(request, str(e))
        return redirect(case)
    messages.success(request, f"已登记：{label}。")
    return redirect(case)
