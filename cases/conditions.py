"""The lifecycle's conditions: pure predicates over the case's own fields, which the
service fills in before it runs a transition (django-fsm-2 `conditions=`); each says in
cases.services.CONDITION_MESSAGES why it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from people.models import Unit

if TYPE_CHECKING:
    from .models import Case


def has_reason(case: Case) -> bool:
    return bool(case.pending_reason.strip())


def has_forward_target(case: Case) -> bool:
    return bool(case.forwarded_to.strip()) and has_reason(case)


def has_proposal(case: Case) -> bool:
    return case.main_unit_id is not None and bool(case.proposal.strip()) and (case.approving_leader_id is not None)


def barred_units(case: Case) -> dict[int, str]:
    """The units that may neither handle (主办) nor help with (协办) the 举报, each with why
    (《信访工作条例》第三十条第三款: 不得将信访人的检举、揭发材料以及有关情况透露或者
    转给被检举、揭发的人员或者单位; seed 004 第九条): the accused units, and the units
    an accused member of staff works in, heads or leads (分管, User.charge_units). Only
    people linked to a member of staff count: one still 未核实 stops the proposal
    altogether (accused_people_resolved). Only a 举报 names anyone (the registration
    keeps accused units and people for that kind alone, and a case's kind never changes),
    so any other case asks the database nothing."""
    if case.pk is None or not case.is_protected:
        return {}
    why: dict[int, list[str]] = {}

    def add(unit_id: int | None, reason: str) -> None:
        if unit_id is not None and reason not in why.setdefault(unit_id, []):
            why[unit_id].append(reason)

    for unit_id in case.accused_units.values_list("pk", flat=True):
        add(unit_id, "被举报部门")
    linked = list(
        case.accused_people.exclude(user=None).values_list(
            "user_id", "name", "unit_id", "user__unit_id", "user__full_name"
        )
    )
    names = {user_id: full_name or name for user_id, name, _unit, _now, full_name in linked}
    for user_id, _name, unit_id, current_unit_id, _full in linked:
        add(unit_id, f"被举报人{names[user_id]}在该部门工作")
        add(current_unit_id, f"被举报人{names[user_id]}在该部门工作")
    if names:
        for unit_id, head_id in Unit.objects.filter(head_id__in=names).values_list("pk", "head_id"):
            add(unit_id, f"被举报人{names[head_id]}是该部门负责人")
        in_charge = Unit.leaders_in_charge.through.objects.filter(user_id__in=names)
        for unit_id, leader_id in in_charge.values_list("unit_id", "user_id"):
            add(unit_id, f"被举报人{names[leader_id]}分管该部门")
    return {unit_id: "，".join(reasons) for unit_id, reasons in why.items()}


def units_barred_from(case: Case) -> set[int]:
    """The ids of barred_units(case)."""
    return set(barred_units(case))


def main_unit_not_accused(case: Case) -> bool:
    """《信访工作条例》第三十条, seed 004 第九条: no unit that is accused, or whose head, 分管
    leader or member is, handles the report (barred_units)."""
    if case.pk is None or case.main_unit_id is None:
        return True
    return case.main_unit_id not in units_barred_from(case)


def co_units_not_accused(case: Case) -> bool:
    """The same for the 协办 units: those the service is about to set
    (`case.pending_co_unit_ids`), else the case's own."""
    if case.pk is None or not case.is_protected:
        return True
    ids = case.pending_co_unit_ids
    if ids is None:
        ids = set(case.co_units.values_list("pk", flat=True))
    return not (set(ids) & units_barred_from(case))


def accused_people_resolved(case: Case) -> bool:
    """Every accused person is either a member of staff the case is hidden from or
    confirmed not to be one: a name nobody has checked could be anyone's, and the report
    would go to the very unit it accuses (《信访工作条例》第三十条)."""
    if case.pk is None or not case.is_protected:
        return True
    return not case.accused_people.filter(status="unresolved").exists()


def major_goes_to_leader_in_charge(case: Case) -> bool:
    """《湖南信息职业技术学院信访工作实施方案》四.3: a major (重大、紧急) proposal goes to the
    分管 leader of the main unit, who reads it, and is reported to the 主要领导 (the service
    tells them). The 主要领导 may also be chosen."""
    if case.gravity == "ordinary" or case.approving_leader_id is None or case.main_unit_id is None:
        return True
    leader = case.approving_leader
    return bool(leader.is_main_leader) or leader.charge_units.filter(pk=case.main_unit_id).exists()


def has_assignment(case: Case) -> bool:
    return bool(case.instruction.strip()) and case.due_date is not None


def has_report(case: Case) -> bool:
    """Seed 000 §四.5: 事实清楚、结论正确、处理恰当、手续完备并有当事人意见; the outcome of
    条例 第32条 (or 第33条); a 建议意见类 matter is answered with what was adopted instead
    (条例 第29条)."""
    return all(
        (
            case.report_facts.strip(),
            case.report_conclusion.strip(),
            case.report_handling.strip(),
            case.petitioner_opinion.strip(),
            (case.adoption if is_suggestion(case) else case.outcome),
        )
    )


def is_suggestion(case: Case) -> bool:
    """条例 第29条: a 建议意见类 matter is studied, adopted where useful, and answered."""
    return case.procedure == "suggestion"


def suggestion_has_no_outcome(case: Case) -> bool:
    """A 建议意见类 answer carries no 第32条 outcome (支持 / 不予支持 decide claims, not ideas)."""
    return not (is_suggestion(case) and case.outcome)


def has_statutory_route(case: Case) -> bool:
    """条例 第31条(一)–(四): the route and the body it goes to, and why."""
    return bool(case.statutory_route) and bool(case.statutory_body.strip()) and has_reason(case)


def accepts_review_request(case: Case) -> bool:
    """条例 第35条: 复查 is asked of a 信访处理意见书 (第31条(六)). A 建议意见类 answer is no such decision,
    and a matter routed to its statutory procedure has none: no 复查 request is accepted
    for either (supervision reads this before it records one)."""
    return case.procedure not in ("suggestion", "statutory")


def major_case(case: Case) -> bool:
    return case.gravity != "ordinary"


def ordinary_case(case: Case) -> bool:
    return case.gravity == "ordinary"


def not_repeat_of_final(case: Case) -> bool:
    """条例 第36条第三款: after the 复核 opinion, the same request on the same facts (a 重复
    信访 of that case) is not accepted again: it is 终结."""
    if case.repeat_of_id is None:
        return True
    return not case.repeat_of.review_requests.filter(stage="rereview").exclude(decided_on=None).exists()


def has_pending_objection(case: Case) -> bool:
    """条例 第23条: a case goes back to the superior only on an objection it agreed to."""
    return case.pk is not None and case.objections.filter(answer="pending").exists()


def has_satisfaction(case: Case) -> bool:
    return bool(case.satisfaction) and bool(case.satisfaction_method)


# The case list's filter columns ride along (INCLUDE) in the list's indexes, so that
# finding a page and counting a filtered list read the index alone (index-only scans
# on PostgreSQL; SQLite ignores INCLUDE).
