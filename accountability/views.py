"""责任追究 pages: the list, opening a case, a case with one form per action the user may
take now, and a person's record. Every page loads through the scoped selectors: out of
scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case
from cases.selectors import cases_visible_to as petitions_visible_to
from core.steps import run_step
from people.abilities import is_discipline, is_office
from people.models import User
from supervision.models import Notice
from supervision.selectors import notices_visible_to

from . import abilities, forms, selectors, services
from .models import DISCIPLINE_MEASURES, AccountabilityCase, Appeal, Measure, MeasureKind

STALE_MESSAGE = "该案刚被他人处理过，请查看最新情况后再操作。"


@dataclass(frozen=True)
class Action:
    label: str
    css: str = "primary"


ACTIONS = {
    "propose": Action("提出处理建议"),
    "decide": Action("决定措施"),
    "rectify": Action("限期整改"),
    "close": Action("办结", "success"),
    "escalate": Action("升级追责", "warning"),
    "dismiss": Action("不予追究", "outline-secondary"),
    "appeal": Action("登记申诉", "outline-primary"),
    "appeal_decide": Action("处理申诉"),
    "dissent": Action("登记反对意见", "outline-secondary"),
}
# A dissent is recorded while the case is still open to proposals and decisions.
DISSENT_STATES = (AccountabilityCase.Status.OPENED, AccountabilityCase.Status.PROPOSED)
TRANSITIONS = {
    "propose": "propose",
    "rectify": "start_rectification",
    "close": "close",
    "escalate": "escalate",
    "dismiss": "dismiss",
}


def _decidable(acase: AccountabilityCase, user: User):
    """The proposed measures `user` may decide: by kind, and never their own proposal
    (seed 002 第十四条)."""
    return acase.measures.filter(status=Measure.Status.PROPOSED, kind__in=_kinds_for(user)).exclude(proposed_by=user)


def _kinds_for(user: User) -> list[str]:
    if is_discipline(user):
        return list(DISCIPLINE_MEASURES)
    if is_office(user) and abilities.in_school_office(user):
        return [k for k in MeasureKind.values if k not in DISCIPLINE_MEASURES]
    return []


def _pending_appeals(acase: AccountabilityCase):
    return acase.appeals.filter(decision=Appeal.Decision.PENDING)


def available(acase: AccountabilityCase, user: User) -> list[str]:
    keys = [k for k, name in TRANSITIONS.items() if services.may_run(acase, name, user)]
    if _decidable(acase, user).exists():
        keys.append("decide")
    if services.may_appeal(acase, user):
        keys.append("appeal")
    if abilities.can_decide_appeal(user) and _pending_appeals(acase).exists():
        keys.append("appeal_decide")
    if services.may_open(user) and acase.status in DISSENT_STATES:
        keys.append("dissent")
    return [k for k in ACTIONS if k in keys]


def _action_form(key: str, acase: AccountabilityCase, user: User, data=None):
    if key == "propose":
        return forms.ProposeForm(data, acase=acase)
    if key == "decide":
        return forms.DecideForm(data, measures=_decidable(acase, user))
    if key == "rectify":
        return forms.RectifyForm(data)
    if key == "appeal":
        return forms.AppealForm(data, measures=acase.measures.filter(status=Measure.Status.DECIDED))
    if key == "appeal_decide":
        return forms.AppealDecideForm(data, appeals=_pending_appeals(acase))
    if key == "dissent":
        return forms.DissentForm(data, acase=acase)
    return forms.ReasonForm(data)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.case_list(user=request.user, **filters)
    return render(
        request,
        "accountability/list.html",
        {"form": form, "rows": rows[:300], "may_open": services.may_open(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    """立案, by hand or from a notice (?notice=) or a petition case (?case=)."""
    if not services.may_open(request.user):
        raise Http404
    notice = _source_notice(request)
    case = _source_case(request) if notice is None else None
    initial = {}
    if notice is not None and notice.unit_id:
        initial = {"subject_type": "unit", "subject_unit": notice.unit_id, "facts": notice.reason}
    elif case is not None and case.main_unit_id:
        initial = {"subject_type": "unit", "subject_unit": case.main_unit_id}
    form = forms.OpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.CaseData(
            facts=d["facts"],
            grounds=list(d["grounds"]),
            subject_unit=d["subject_unit"],
            subject_user=d["subject_user"],
            notice=notice,
            case=case,
        )
        try:
            acase = services.case_open(actor=request.user, data=data)
        except services.AccountabilityRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已立案：{acase.number}。")
            return redirect(acase)
    return render(request, "accountability/open.html", {"form": form, "notice": notice, "case": case})


def _source_notice(request: HttpRequest) -> Notice | None:
    """The notice named by ?notice=, through the notice scope: a notice on a 举报 that
    names the office member is a 404 to them (《信访工作条例》第三十条)."""
    pk = request.GET.get("notice")
    return get_object_or_404(notices_visible_to(user=request.user), pk=pk) if pk and pk.isdigit() else None


def _source_case(request: HttpRequest) -> Case | None:
    """The petition named by ?case=, through the case scope (404 out of it)."""
    pk = request.GET.get("case")
    return get_object_or_404(petitions_visible_to(user=request.user), pk=pk) if pk and pk.isdigit() else None


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    acase = selectors.case_for_user(user=request.user, pk=pk)
    return _render_detail(request, acase)


def _render_detail(request, acase: AccountabilityCase, bound: tuple[str, object] | None = None, status: int = 200):
    action_forms = []
    for key in available(acase, request.user):
        form = bound[1] if bound and bound[0] == key else _action_form(key, acase, request.user)
        action_forms.append((key, ACTIONS[key], form))
    context = {
        "acase": acase,
        # where it came from, only as far as the reader may open it (《信访工作条例》第三十条)
        "source": selectors.source_for(user=request.user, acase=acase),
        "measures": acase.measures.select_related("proposed_by", "decided_by"),
        "appeals": acase.appeals.select_related("filed_by", "decided_by", "measure"),
        "grounds": acase.grounds.all(),
        "dissents": acase.dissents.select_related("person", "recorded_by"),
        "own_proposals": acase.measures.filter(status=Measure.Status.PROPOSED, proposed_by=request.user),
        "history": acase.history.select_related("history_user").order_by("history_date"),
        "action_forms": action_forms,
        "may_read_record": acase.subject_user is not None
        and selectors.may_read_record(user=request.user, person=acase.subject_user),
    }
    return render(request, "accountability/detail.html", context, status=status)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    acase = selectors.case_for_user(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    if action not in available(acase, request.user):
        messages.error(request, f"该案当前为“{acase.get_status_display()}”，您不能执行“{ACTIONS[action].label}”。")
        return redirect(acase)
    form = _action_form(action, acase, request.user, request.POST)
    if not form.is_valid():
        return _render_detail(request, acase, bound=(action, form), status=400)
    try:
        done = run_step(
            request,
            lambda: _perform(action, acase, request.user, form.cleaned_data),
            back=acase,
            refused=services.AccountabilityRefused,
            stale_message=STALE_MESSAGE,
            form=form,
            show_form=lambda bound: _render_detail(request, acase, bound=(action, bound), status=400),
        )
    except PermissionDenied as e:
        # a measure decided by the other decider (seed 002 第十四条第二款): said on the page
        messages.error(request, str(e))
        return redirect(acase)
    if done.response is not None:
        return done.response
    acase = AccountabilityCase.objects.get(pk=acase.pk)
    messages.success(request, f"已{ACTIONS[action].label}：{acase.number}，当前状态“{acase.get_status_display()}”。")
    return redirect(acase)


def _perform(action: str, acase: AccountabilityCase, user: User, d: dict) -> None:
    if action == "propose":
        services.case_propose(acase=acase, actor=user, kinds=d["kinds"], reason=d["reason"])
    elif action == "decide":
        services.measure_decide(measure=d["measure"], actor=user, approve=d["approve"], note=d["note"])
    elif action == "rectify":
        services.case_start_rectification(acase=acase, actor=user, due=d["due"], reason=d["reason"])
    elif action == "close":
        services.case_close(acase=acase, actor=user, reason=d["reason"])
    elif action == "escalate":
        services.case_escalate(acase=acase, actor=user, reason=d["reason"])
    elif action == "dismiss":
        services.case_dismiss(acase=acase, actor=user, reason=d["reason"])
    elif action == "appeal":
        services.appeal_file(acase=acase, actor=user, grounds=d["grounds"], measure=d["measure"])
    elif action == "appeal_decide":
        services.appeal_decide(appeal=d["appeal"], actor=user, decision=d["decision"], opinion=d["opinion"])
    elif action == "dissent":
        services.dissent_record(acase=acase, actor=user, person=d["person"], statement=d["statement"])


@login_required
@require_GET
def person_record(request: HttpRequest, user_id: int) -> HttpResponse:
    """个人档案中的问责记录: discipline/HR and the person only (seed 004 第十九条)."""
    person = get_object_or_404(User, pk=user_id)
    entries = selectors.record_for(user=request.user, person=person)
    return render(request, "accountability/record.html", {"person": person, "entries": entries})
