"""The case's lifecycle steps as pages: each step's label, the transitions it runs, its
form and the service it calls; the page that shows the form and runs the step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.steps import run_step
from people.models import User

from . import forms, phrases, services
from .models import Case
from .selectors import (
    case_for_user,
)

STALE_MESSAGE = "该信访件刚刚已被他人处理，您的操作没有生效。请查看最新状态后再办理。"


@dataclass(frozen=True)
class Action:
    label: str
    transitions: tuple[str, ...]
    form: type
    run: Callable
    css: str = "primary"
    button: str = ""  # the submit button, where it should read differently from the link


def _run_review(case, actor, d):
    return services.case_review(case=case, actor=actor, approve=d["decision"] == "approve", reason=d["reason"])


ACTIONS: dict[str, Action] = {
    "accept": Action(
        "受理",
        ("accept",),
        forms.OptionalNoteForm,
        lambda c, a, d: services.case_accept(case=c, actor=a, reason=d["reason"]),
    ),
    "decline": Action(
        "不予受理",
        ("decline",),
        forms.ReasonForm,
        lambda c, a, d: services.case_decline(case=c, actor=a, reason=d["reason"]),
        "outline-danger",
    ),
    "forward": Action(
        "转送",
        ("forward",),
        forms.ForwardForm,
        lambda c, a, d: services.case_forward(case=c, actor=a, forwarded_to=d["forwarded_to"], reason=d["reason"]),
        "outline-secondary",
    ),
    "statutory": Action(
        "导入法定途径",
        ("route_statutory",),
        forms.StatutoryRouteForm,
        lambda c, a, d: services.case_route_statutory(
            case=c, actor=a, route=d["route"], body=d["body"], reason=d["reason"]
        ),
        "outline-secondary",
    ),
    "propose": Action(
        "拟办",
        ("propose",),
        forms.ProposeForm,
        lambda c, a, d: services.case_propose(
            case=c,
            actor=a,
            main_unit=d["main_unit"],
            co_units=list(d["co_units"]),
            approving_leader=d["approving_leader"],
            proposal=d["proposal"],
        ),
    ),
    "assign": Action(
        "批示交办",
        ("assign",),
        forms.AssignForm,
        lambda c, a, d: services.case_assign(
            case=c, actor=a, instruction=d["instruction"], due_date=d["due_date"], requirements=d["requirements"]
        ),
    ),
    "send-back": Action(
        "退回拟办",
        ("send_back_proposal",),
        forms.ReasonForm,
        lambda c, a, d: services.case_send_back_proposal(case=c, actor=a, reason=d["reason"]),
        "outline-danger",
    ),
    "take": Action("承办", ("take",), forms.EmptyForm, lambda c, a, d: services.case_take(case=c, actor=a)),
    "return": Action(
        "退回信访办",
        ("return_to_office",),
        forms.ReasonForm,
        lambda c, a, d: services.case_return(case=c, actor=a, reason=d["reason"]),
        "outline-danger",
    ),
    "reply": Action(
        "填写结案报告",
        ("reply", "submit_for_review"),
        forms.ReplyForm,
        lambda c, a, d: services.case_reply(
            case=c,
            actor=a,
            facts=d["facts"],
            conclusion=d["conclusion"],
            handling=d["handling"],
            petitioner_opinion=d["petitioner_opinion"],
            outcome=d.get("outcome", ""),
            adoption=d.get("adoption", ""),
        ),
        button="提交结案报告",
    ),
    "review": Action(
        "审定答复", ("approve_as_unit_head", "approve_as_leader"), forms.ReviewForm, _run_review, button="提交审定意见"
    ),
    "archive": Action(
        "归档",
        ("archive",),
        forms.OptionalNoteForm,
        lambda c, a, d: services.case_archive(case=c, actor=a, reason=d["reason"]),
    ),
    "follow-up": Action(
        "回访",
        ("follow_up",),
        forms.FollowUpForm,
        lambda c, a, d: services.case_follow_up(
            case=c, actor=a, satisfaction=d["satisfaction"], method=d["method"], comment=d["comment"]
        ),
    ),
}


def available_actions(case: Case, user: User) -> list[tuple[str, Action]]:
    """The buttons this user may press now: the state matches and the role may run it.
    Conditions are not checked here; the form collects what they need."""
    result = []
    for key, action in ACTIONS.items():
        for name in action.transitions:
            if services.may_run(case, name, user):
                result.append((key, action))
                break
    return result


def _action_form(action: Action, case: Case, data=None):
    if action.form in (forms.ProposeForm, forms.ReplyForm):
        return action.form(data, case=case)
    return action.form(data)


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = case_for_user(user=request.user, pk=pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    allowed = any(services.may_run(case, name, request.user) for name in spec.transitions)
    if request.method == "POST":
        form = _action_form(spec, case, request.POST)
        if not allowed:
            messages.error(request, f"该信访件当前为“{case.get_state_display()}”，您不能执行“{spec.label}”。")
            return redirect(case)
        if form.is_valid():
            done = run_step(
                request,
                lambda: spec.run(case, request.user, form.cleaned_data),
                back=case,
                refused=services.TransitionRefused,
                stale_message=STALE_MESSAGE,
                form=form,
                show_form=lambda bound: _show(request, case, bound, spec, action),
            )
            if done.response is not None:
                return done.response
            messages.success(request, f"已办理“{spec.label}”：{case.number}，当前状态“{case.get_state_display()}”。")
            return redirect(case)
    else:
        if not allowed:
            messages.error(request, f"该信访件当前为“{case.get_state_display()}”，您不能执行“{spec.label}”。")
            return redirect(case)
        form = _action_form(spec, case)
    return _show(request, case, form, spec, action)


def _show(request: HttpRequest, case: Case, form, spec: Action, action: str) -> HttpResponse:
    phrases.attach(form, request.user)
    return render(request, "cases/action.html", {"case": case, "form": form, "action": spec, "action_key": action})
