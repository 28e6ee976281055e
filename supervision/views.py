"""Supervision pages: the office's board, the unit's inbox, a notice with its actions,
raising a notice, the 不满意 review, 复查/复核, and the notification centre."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.selectors import case_for_user
from cases.services import case_log_access
from core.security import client_ip
from core.steps import run_step
from people.models import User

from . import abilities, forms, selectors, services
from .models import Level, Notice, ReviewRequest, SatisfactionReview, Trigger

STALE_MESSAGE = "该督办单刚被他人处理过，请查看最新情况后再操作。"

SORTS = {
    "due": ("feedback_due_at", "id"),
    "-due": ("-feedback_due_at", "-id"),
    "level": ("level", "feedback_due_at"),
    "-level": ("-level", "feedback_due_at"),
    "unit": ("unit__code", "feedback_due_at"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
BOARD_LIMIT = 300


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The office's supervision board (督办台账): open notices by unit, level, lateness."""
    if not abilities.can_view_board(request.user):
        raise PermissionDenied("督办台账仅供信访办和院领导查看。")
    form = forms.BoardFilterForm(request.GET or None, initial={"status": "open"})
    filters = {"status": "open"}
    if form.is_valid():
        d = form.cleaned_data
        filters = {
            "unit": d["unit"].pk if d["unit"] else None,
            "level": d["level"],
            "status": d["status"] if "status" in request.GET else "open",
            "late": d["late"],
            "trigger": d["trigger"].pk if d["trigger"] else None,
        }
    qs = selectors.board(user=request.user, **filters)
    sort = request.GET.get("sort", "due")
    rows = list(qs.order_by(*SORTS.get(sort, SORTS["due"]))[:BOARD_LIMIT])
    by_level = dict(qs.order_by().values_list("level").annotate(n=Count("id")))
    now = timezone.now()
    return render(
        request,
        "supervision/board.html",
        {
            "form": form,
            "rows": [(n, _lateness(n, now)) for n in rows],
            "total": qs.count(),
            "limit": BOARD_LIMIT,
            "levels": [(level, by_level.get(level.value, 0)) for level in Level],
            "sort": sort,
            "sort_links": _sort_links(request, sort),
        },
    )


def _sort_links(request: HttpRequest, current: str) -> dict[str, str]:
    """Each sortable column's link: the same filters, this column, the other direction."""
    links = {}
    for key in ("due", "level", "created"):
        query = request.GET.copy()
        query["sort"] = f"-{key}" if current == key else key
        links[key] = "?" + query.urlencode()
    query = request.GET.copy()
    query["sort"] = "unit"
    links["unit"] = "?" + query.urlencode()
    return links


def _lateness(notice: Notice, now) -> int:
    """Days the unit's feedback is late, 0 if not."""
    if notice.status not in ("sent", "signed") or notice.feedback_due_at is None or notice.feedback_due_at > now:
        return 0
    return (timezone.localdate(now) - notice.feedback_due).days


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """A unit's notices (and a leader's: those that reached them), open ones first. The
    office works from the board instead."""
    if not abilities.can_view_inbox(request.user):
        raise PermissionDenied("督办单收件箱供承办部门和院领导使用；信访办请使用督办台账。")
    qs = selectors.inbox_for(user=request.user).select_related("case", "trigger", "unit")
    open_rows = list(qs.filter(status__in=("sent", "signed", "answered")).order_by("feedback_due_at", "id")[:200])
    done_rows = list(qs.exclude(status__in=("sent", "signed", "answered")).order_by("-created_at")[:50])
    now = timezone.now()
    return render(
        request,
        "supervision/inbox.html",
        {"open_rows": [(n, _lateness(n, now)) for n in open_rows], "done_rows": done_rows},
    )


@dataclass(frozen=True)
class Action:
    label: str
    css: str
    form: type | None


ACTIONS = {
    "sign": Action("签收", "primary", None),
    "answer": Action("书面反馈", "primary", forms.AnswerForm),
    "close": Action("办结", "success", forms.NoteForm),
    "send_back": Action("退回反馈", "outline-danger", forms.ReasonForm),
    "escalate": Action("升级督办", "outline-danger", forms.ReasonForm),
}
# the transition each page action runs (answer may sign first)
ACTION_TRANSITIONS = {
    "sign": "sign",
    "answer": "submit_answer",
    "close": "close",
    "send_back": "send_back",
    "escalate": "escalate",
}


def available(notice: Notice, user: User) -> list[str]:
    keys = [k for k, name in ACTION_TRANSITIONS.items() if services.may_run(notice, name, user)]
    if notice.status == Notice.Status.SENT and services.may_run(notice, "sign", user):
        keys.append("answer")  # answering signs for it in the same step
    if "escalate" in keys and notice.level >= Level.LISTED:
        keys.remove("escalate")
    return keys


def _action_form(key: str, notice: Notice, data=None, files=None):
    cls = ACTIONS[key].form
    if cls is None:
        return None
    if cls is forms.AnswerForm:
        return cls(data, files, notice=notice, prefix=key)
    return cls(data, prefix=key)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_for_user(user=request.user, pk=pk)
    # a notice shows a 举报's facts and the unit's answer: its views are logged too
    case_log_access(case=notice.case, user=request.user, action="查看督办单", ip_address=client_ip(request))
    return _render_detail(request, notice)


def _render_detail(request: HttpRequest, notice: Notice, bound: tuple[str, object] | None = None) -> HttpResponse:
    keys = available(notice, request.user)
    action_forms = []
    for key in keys:
        form = bound[1] if bound and bound[0] == key else _action_form(key, notice)
        action_forms.append((key, ACTIONS[key], form))
    history = notice.history.select_related("history_user").order_by("history_date", "history_id")
    chain = []
    node = notice.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return render(
        request,
        "supervision/detail.html",
        {
            "notice": notice,
            "case": notice.case,
            "action_forms": action_forms,
            "history": [h for h in history if h.transition],
            "chain": chain,
            "escalations": notice.escalations.all(),
            "attachments": notice.attachments.all(),
            "late_days": _lateness(notice, timezone.now()),
        },
        status=400 if bound else 200,
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    notice = selectors.notice_for_user(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    if action not in available(notice, request.user):
        messages.error(request, f"该督办单当前为“{notice.get_status_display()}”，您不能执行“{ACTIONS[action].label}”。")
        return redirect(notice)
    form = _action_form(action, notice, request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return _render_detail(request, notice, bound=(action, form))
    data = form.cleaned_data if form is not None else {}
    done = run_step(
        request,
        lambda: _perform(action, notice, request.user, data),
        back=notice,
        refused=services.SupervisionRefused,
        stale_message=STALE_MESSAGE,
        form=form,
        show_form=lambda bound: _render_detail(request, notice, bound=(action, bound)),
    )
    if done.response is not None:
        return done.response
    result = done.result
    if result.pk != notice.pk:
        messages.warning(request, f"督办单已升级为“{result.get_level_display()}”（{result.number}）。")
        return redirect(result)
    messages.success(request, f"已{ACTIONS[action].label}：{notice.number}，当前状态“{result.get_status_display()}”。")
    return redirect(notice)


def _perform(action: str, notice: Notice, user: User, data: dict) -> Notice:
    if action == "sign":
        return services.notice_sign(notice=notice, actor=user)
    if action == "answer":
        return services.notice_answer(
            notice=notice,
            actor=user,
            answer=data["answer"],
            adoption=data.get("adoption", ""),
            adoption_note=data.get("adoption_note", ""),
            files=data.get("attachments") or [],
        )
    if action == "close":
        return services.notice_close(notice=notice, actor=user, note=data.get("reason", ""))
    if action == "send_back":
        return services.notice_send_back(notice=notice, actor=user, reason=data["reason"])
    return services.notice_escalate(notice=notice, actor=user, reason=data["reason"])


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The office raises a notice by hand, for any trigger."""
    case = case_for_user(user=request.user, pk=pk)
    if not services.may_raise(request.user):
        raise PermissionDenied("只有信访办可以发出督办单。")
    initial = {}
    if trigger := Trigger.objects.filter(code=request.GET.get("trigger", "")).first():
        initial["trigger"] = trigger
    form = forms.NoticeForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.NoticeData(
            trigger=d["trigger"],
            reason=d["reason"],
            form=d["form"],
            requirements=d["requirements"],
            suggestions=d["suggestions"],
            feedback_due=d["feedback_due"],
            unit=d["unit"],
        )
        try:
            notice, created = services.notice_raise(case=case, actor=request.user, data=data)
        except services.SupervisionRefused as e:
            form.add_error(None, str(e))
        else:
            if created:
                messages.success(
                    request,
                    f"已发出{notice.get_level_display()}单 {notice.number}，反馈期限 {notice.feedback_due:%Y-%m-%d}。",
                )
            elif notice.is_open:
                messages.info(
                    request, f"该情形已有未办结的{notice.get_level_display()}单 {notice.number}，未重复发出。"
                )
            else:
                messages.info(
                    request,
                    f"该超期事项的{notice.get_level_display()}单 {notice.number} {notice.get_status_display()}，"
                    "不再重复发出；如需加强督办，请在其后续督办单上办理。",
                )
            return redirect(notice)
    return render(
        request, "supervision/notice_new.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


# --- follow-up --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dissatisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's review of a 不满意 follow-up (seed 004 第十一条(七))."""
    case = case_for_user(user=request.user, pk=pk)
    if not abilities.can_supervise(request.user):
        raise PermissionDenied("只有信访办可以研判。")
    review = get_object_or_404(SatisfactionReview, case=case)
    form = forms.DissatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        notice = None
        if d["inadequate"]:
            notice = services.NoticeData(
                trigger=Trigger.objects.get(code="dissatisfied"),
                form=d["form"] or "online",
                requirements=d["requirements"],
            )
        try:
            review = services.dissatisfaction_decide(
                review=review, actor=request.user, inadequate=d["inadequate"], note=d["note"], notice=notice
            )
        except services.SupervisionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已研判：{review.get_status_display()}。")
            return redirect(review.notice or case)
    return render(
        request,
        "supervision/dissatisfaction.html",
        {"case": case, "review": review, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The office records a 复查 or 复核 request (条例 第35–36条)."""
    case = case_for_user(user=request.user, pk=pk)
    if stage not in ReviewRequest.Stage.values:
        raise Http404
    if not abilities.can_supervise(request.user):
        raise PermissionDenied("只有信访办可以登记复查、复核申请。")
    form = forms.ReviewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.review_request_record(
                case=case,
                actor=request.user,
                stage=stage,
                received_on=d["received_on"],
                request_text=d["request_text"],
                body=d["body"],
            )
        except services.SupervisionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已登记{ReviewRequest.Stage(stage).label}申请。")
            return redirect(case)
    window = selectors.review_window(case, stage)
    return render(
        request,
        "supervision/review_form.html",
        {
            "case": case,
            "form": form,
            "title": f"登记{ReviewRequest.Stage(stage).label}申请",
            "window": window,
            "final": selectors.is_final(case),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_opinion(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    case = case_for_user(user=request.user, pk=pk)
    if not abilities.can_supervise(request.user):
        raise PermissionDenied("只有信访办可以登记复查、复核意见。")
    review = get_object_or_404(ReviewRequest, case=case, pk=review_pk)
    form = forms.ReviewOpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.review_opinion_record(
                review=review,
                actor=request.user,
                decision=d["decision"],
                opinion=d["opinion"],
                decided_on=d["decided_on"],
            )
        except services.SupervisionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已登记{review.get_stage_display()}意见。")
            return redirect(case)
    return render(
        request,
        "supervision/review_form.html",
        {"case": case, "form": form, "title": f"登记{review.get_stage_display()}意见", "review": review},
        status=400 if form.errors else 200,
    )
