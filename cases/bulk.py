"""Work in bulk (issue 14, point 3): 受理, 拟办 or 批示交办 several cases at once, each
through the very step a single case takes (cases.actions.ACTIONS: the same service, the
same checks, the same history row with the same user and reason), one transaction per
case so that a refusal of one leaves the others done, and a result line per case.

A 举报 is never handled in bulk: its routing asks the office, case by case, which units
and people must keep out of it (《信访工作条例》第三十条)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from core.steps import STALE
from people.models import User

from . import services
from .actions import ACTIONS, STALE_MESSAGE
from .models import Case
from .selectors import case_for_user, cases_visible_to

BULK_ACTIONS = ("accept", "propose", "assign")
MAX_CASES = 100


@dataclass
class Result:
    number: str
    ok: bool
    message: str
    url: str = ""


def chosen_cases(user: User, ids: list[int]) -> list[Case]:
    """The chosen cases the user may see, in the order chosen; the others are dropped
    here and reported by `run` as not found."""
    by_pk = {c.pk: c for c in cases_visible_to(user=user).filter(pk__in=ids).select_related("petitioner")}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def run(*, user: User, action: str, ids: list[int], data: dict) -> list[Result]:
    """Take step `action` on each case with the form's cleaned `data`."""
    spec = ACTIONS[action]
    results = []
    for pk in ids[:MAX_CASES]:
        try:
            case = case_for_user(user=user, pk=pk)
        except Http404:
            results.append(Result(f"#{pk}", False, "不存在或您无权查看。"))
            continue
        if case.is_protected and action != "accept":
            results.append(
                Result(case.number, False, "举报件须逐件办理（《信访工作条例》第三十条）。", case.get_absolute_url())
            )
            continue
        if not any(services.may_run(case, name, user) for name in spec.transitions):
            results.append(
                Result(
                    case.number,
                    False,
                    f"当前为“{case.get_state_display()}”，您不能{spec.label}。",
                    case.get_absolute_url(),
                )
            )
            continue
        try:
            with transaction.atomic():
                spec.run(case, user, data)
        except STALE:
            results.append(Result(case.number, False, STALE_MESSAGE, case.get_absolute_url()))
            continue
        except (services.TransitionRefused, PermissionDenied, ValidationError) as e:
            message = " ".join(e.messages) if isinstance(e, ValidationError) else str(e)
            results.append(Result(case.number, False, message, case.get_absolute_url()))
            continue
        case.refresh_from_db()
        results.append(
            Result(
                case.number, True, f"已{spec.label}，当前状态“{case.get_state_display()}”。", case.get_absolute_url()
            )
        )
    if len(ids) > MAX_CASES:
        results.append(Result("…", False, f"一次最多办理 {MAX_CASES} 件，其余 {len(ids) - MAX_CASES} 件未办理。"))
    return results
