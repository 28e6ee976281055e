"""The lifecycle's conditions: pure predicates over the case's own fields, which the
service fills in before it runs a transition (django-fsm-2 `conditions=`); each says in
cases.services.CONDITION_MESSAGES why it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Case


def has_reason(case: Case) -> bool:
    return bool(case.pending_reason.strip())


def has_forward_target(case: Case) -> bool:
    return bool(case.forwarded_to.strip()) and has_reason(case)


def has_proposal(case: Case) -> bool:
    return case.main_unit_id is not None and bool(case.proposal.strip()) and (case.approving_leader_id is not None)


def main_unit_not_accused(case: Case) -> bool:
    """条例 第30条, seed 004 第九条: the accused unit never handles the report against it."""
    if case.pk is None or case.main_unit_id is None:
        return True
    return not case.accused_units.filter(pk=case.main_unit_id).exists()


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
