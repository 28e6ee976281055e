"""Who hears of a step: every hand-off tells the person or unit whose turn it now is.

One table, read after each step of the lifecycle (services._announce) and after 登记:
the step's name gives the people whose turn it is and what they are told. The message
goes through services.case_notify, so only those who may still see the case hear of it,
and of a 举报 only its number (《信访工作条例》第三十条; seed 004 第九条); it is written in
the step's transaction and sent after commit, so a channel that fails never undoes the
step (notifications.services). Whoever took the step is not told of their own step.

The steps that leave the work with the same desk (受理 by the office, which then proposes;
签收 by the unit, which then handles) tell nobody; the clocks' due-soon and overdue
digests come from the deadline scan (supervision.scan), and the 延期 hand-offs from
deadlines.services."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q

from people.models import Unit, User

from .models import Case, Gravity

Recipients = Callable[[Case], Iterable[User]]


def _active(**filters) -> Iterable[User]:
    return User.objects.filter(is_active=True, **filters)


def office(case: Case) -> Iterable[User]:
    return _active(role=User.Role.OFFICE)


def approving_leader(case: Case) -> Iterable[User]:
    """The leader the proposal went to (《湖南信息职业技术学院信访工作实施方案》四.3)."""
    return _active(pk=case.approving_leader_id) if case.approving_leader_id else []


def _handlers(unit_ids: Iterable[int]) -> Iterable[User]:
    """The head and the receptionists of these units; of the discipline unit its own staff
    (cases.abilities.is_main_unit_staff)."""
    return _active(unit_id__in=list(unit_ids)).filter(
        role__in=[User.Role.UNIT_HEAD, User.Role.RECEPTIONIST, User.Role.DISCIPLINE]
    )


def main_unit(case: Case) -> Iterable[User]:
    return _handlers([case.main_unit_id]) if case.main_unit_id else []


def co_units(case: Case) -> Iterable[User]:
    return _handlers(case.co_units.values_list("pk", flat=True))


def main_unit_head(case: Case) -> Iterable[User]:
    """The head who settles a major reply first (seed 000 §四.6(1))."""
    if not case.main_unit_id:
        return []
    head = Unit.objects.filter(pk=case.main_unit_id).values("head_id")
    return _active(unit_id=case.main_unit_id).filter(
        Q(role=User.Role.UNIT_HEAD) | Q(role=User.Role.DISCIPLINE, pk__in=head)
    )


def reviewing_leaders(case: Case) -> Iterable[User]:
    """Who settles a major reply after the unit head (seed 000 §四.6(1)): the 主要领导 alone
    for a 特别重大 one, else the leader the proposal went to, or the main unit's 分管
    leaders when none is set (cases.abilities.is_reviewing_leader)."""
    if case.gravity == Gravity.GRAVE:
        return _active(role=User.Role.LEADER, is_main_leader=True)
    if case.approving_leader_id:
        return _active(pk=case.approving_leader_id)
    return _active(role=User.Role.LEADER, charge_units=case.main_unit_id)


@dataclass(frozen=True)
class HandOff:
    to: Recipients
    event: str
    # the reason of the step is passed on (why a proposal or a reply came back)
    with_reason: bool = False


def _due(case: Case) -> str:
    return f"，限 {case.due_date:%Y年%-m月%-d日} 前办结" if case.due_date else ""


# step name -> the hand-offs it makes; "register" is 登记 (not a transition)
HAND_OFFS: dict[str, tuple[HandOff, ...]] = {
    "register": (HandOff(office, "新登记信访件，待受理"),),
    "propose": (HandOff(approving_leader, "拟办意见待您批示"),),
    "assign": (
        HandOff(main_unit, "交办（主办），请签收办理{due}"),
        HandOff(co_units, "交办（协办），请配合主办部门办理{due}"),
    ),
    "send_back_proposal": (HandOff(office, "领导退回拟办意见，请重新拟办", with_reason=True),),
    "return_to_office": (HandOff(office, "承办部门退回，请重新拟办", with_reason=True),),
    "reply": (HandOff(office, "承办部门已答复，待送达归档"),),
    "submit_for_review": (HandOff(main_unit_head, "答复待您审定"),),
    "approve_as_unit_head": (HandOff(reviewing_leaders, "答复待您审定"),),
    "reject_as_unit_head": (HandOff(main_unit, "答复被部门负责人退回修改", with_reason=True),),
    "approve_as_leader": (HandOff(office, "答复已经领导审定，待送达归档"), HandOff(main_unit, "答复已经领导审定")),
    "reject_as_leader": (HandOff(main_unit, "答复被领导退回修改", with_reason=True),),
}


def tell_next(case: Case, name: str, actor: User | None, reason: str = "") -> None:
    """After step `name` on `case` (by `actor`, for `reason`), tell whose turn it is."""
    from .services import case_notify

    for hand_off in HAND_OFFS.get(name, ()):
        users = [u for u in hand_off.to(case) if actor is None or u.pk != actor.pk]
        if not users:
            continue
        event = hand_off.event.format(due=_due(case))
        if hand_off.with_reason and reason.strip() and not case.is_protected:
            event = f"{event}（{reason.strip()[:40]}）"
        case_notify(users=users, case=case, event=event, prefix="【待办】")
