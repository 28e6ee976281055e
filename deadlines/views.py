"""Deadline pages: the clocks' explanations, the overdue list, extensions, notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.selectors import case_for_user, cases_visible_to

from . import abilities, services
from . import calendar as cal
from .clocks import Clock, Extension, PeriodUnit
from .forms import ExtensionDecisionForm, ExtensionRequestForm


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
            messages.success(request, "延期申请已提交，等待信访办或院领导审批。")
            return redirect(case)
    return render(request, "deadlines/extension_form.html", {"case": case, "clock": clock, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def extension_decide(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    case = case_for_user(user=request.user, pk=pk)
    extension = get_object_or_404(Extension.objects.select_related("clock__rule"), clock__case=case, pk=extension_pk)
    if not services.may_decide_extension(extension.clock, request.user):
        raise PermissionDenied("只有信访办或院领导可以审批延期。")
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_decide(
                extension=extension,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except services.ExtensionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "已审批延期申请。")
            return redirect(case)
    return render(request, "deadlines/extension_decide.html", {"case": case, "extension": extension, "form": form})


# Events the office records by hand: they start or stop clocks but change no case state.
MANUAL_EVENTS = {
    "not_accepted_notice": ("已书面告知不予受理", "not_accepted"),
    "summons": ("收到现场接访通知", None),
    "arrived": ("已到达接访现场", None),
}


@login_required
@require_POST
def record_event(request: HttpRequest, pk: int, event: str) -> HttpResponse:
    """不予受理告知书 sent (seed 000 §四.2), or a 现场接访 summons and the arrival
    (seed 000 §五(三)1, counted in minutes)."""
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
    services.record_case_event(case=case, actor=request.user, event=event, label=label, details=details)
    messages.success(request, f"已登记：{label}。")
    return redirect(case)
