"""制度完善: recording a rule adopted because petitions raised it, and reading the list
(seed 003: 办好一个信访、解决一类问题、完善一批制度)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from cases.models import Case
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
    """Record a policy fix against the cases that raised it; each case's history says so."""
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
    for case in linked:
        case_note(
            case, actor, "制度完善", f"据此完善制度：{title}{source}，责任部门{unit.name}，{adopted_on:%Y-%m-%d}出台。"
        )
    return fix


def policy_fixes_for(*, user: User, unit: Unit | None = None) -> QuerySet[PolicyFix]:
    """The fixes with at least one case in the viewer's scope (narrowed to `unit`), each
    carrying only those cases in `visible_cases`: a fix raised by cases the viewer may not
    see, such as a 举报 naming them, stays out of their list."""
    visible = dashboard_cases(user=user, unit=unit)
    link = PolicyFix.cases.through.objects.filter(policyfix_id=OuterRef("pk"), case__in=visible)
    shown = visible.only("pk", "number", "summary", "state").order_by("number")
    return (
        PolicyFix.objects.filter(Exists(link))
        .select_related("unit", "created_by")
        .prefetch_related(Prefetch("cases", queryset=shown, to_attr="visible_cases"))
    )
