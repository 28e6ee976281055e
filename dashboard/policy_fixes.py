"""制度完善: recording a rule adopted because petitions raised it, and reading the list
(seed 003: 办好一个信访、解决一类问题、完善一批制度)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from cases.models import Case, Kind
from cases.selectors import cases_visible_to
from cases.services import case_note
from dashboard.models import PolicyFix
from people.models import Unit, User

from . import abilities
from .scope import dashboard_cases


def may_record(user: User) -> bool:
    return abilities.can_record_policy_fix(user)


@transaction.atomic
def policy_fix_record(
    *,
    actor: User,
    title: str,
    description: str,
    unit: Unit,
    adopted_on: date,
    reference: str,
    cases: Sequence[Case],
) -> PolicyFix:
    """Record a policy fix against the cases that raised it; each case's history says so.
    A fix raised by a 举报 as well names itself only in the 举报's history: the other
    cases' history is read by their units, which may be the ones the 举报 names, so it
    says a fix was adopted, not which (《信访工作条例》第三十条; 《河南省教育系统信访工作责任制
    实施细则》第九条)."""
    if not may_record(actor):
        raise PermissionDenied("只有信访办可以记录制度完善。")
    ids = {c.pk for c in cases}
    if not ids:
        raise ValueError("a policy fix needs at least one case")
    # fresh rows, and only the actor's own: a case out of scope is refused, not linked
    linked = list(cases_visible_to(user=actor).filter(pk__in=ids).order_by("pk"))
    if len(linked) != len(ids):
        raise PermissionDenied("所选信访件不在您的查看范围内。")
    fix = PolicyFix.objects.create(
        title=title,
        description=description,
        unit=unit,
        adopted_on=adopted_on,
        reference=reference,
        created_by=actor,
    )
    fix.cases.set(linked)
    source = f"（{reference}）" if reference else ""
    named = f"据此完善制度：{title}{source}，责任部门{unit.name}，{adopted_on:%Y-%m-%d}出台。"
    unnamed = f"据此完善了相关制度，{adopted_on:%Y-%m-%d}出台。"
    from_report = any(case.kind == Kind.REPORT for case in linked)
    for case in linked:
        case_note(case, actor, "制度完善", named if case.kind == Kind.REPORT or not from_report else unnamed)
    return fix


def policy_fixes_for(*, user: User, unit: Unit | None = None) -> QuerySet[PolicyFix]:
    """The fixes with at least one case in the viewer's scope (narrowed to `unit`), each
    carrying only those cases in `visible_cases`: a fix raised by cases the viewer may not
    see stays out of their list. A fix recorded from a 举报 follows the 举报's own scope
    (《信访工作条例》第三十条; 《河南省教育系统信访工作责任制实施细则》第九条): its title and
    description say what was reported, so whoever may not open one of its 举报, such as
    the unit or the person it names, does not see the fix at all."""
    visible = dashboard_cases(user=user, unit=unit)
    link = PolicyFix.cases.through.objects.filter(policyfix_id=OuterRef("pk"), case__in=visible)
    shown = visible.only("pk", "number", "summary", "state").order_by("number")
    qs = PolicyFix.objects.filter(Exists(link))
    hidden = hidden_reports(user=user)
    if hidden:
        qs = qs.exclude(Exists(PolicyFix.cases.through.objects.filter(policyfix_id=OuterRef("pk"), case_id__in=hidden)))
    return qs.select_related("unit", "created_by").prefetch_related(
        Prefetch("cases", queryset=shown, to_attr="visible_cases")
    )


def hidden_reports(*, user: User) -> list[int]:
    """The 举报 linked to a fix that `user` may not open, by id: two small queries (the
    fixes' 举报, then those of them in scope), so the list carries no anti-join over the
    cases, as cases.selectors.exclude_accused does."""
    linked = set(
        PolicyFix.cases.through.objects.filter(case__kind=Kind.REPORT).values_list("case_id", flat=True).distinct()
    )
    if not linked:
        return []
    seen = set(cases_visible_to(user=user).filter(pk__in=linked).values_list("pk", flat=True))
    return sorted(linked - seen)
