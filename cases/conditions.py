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


def major_goes_to_main_leader(case: Case) -> bool:
    """Seed 000 §四.3: a major or urgent matter (重大、紧急) is reported to the 主要领导."""
    if not case.is_major or case.approving_leader_id is None:
        return True
    return bool(case.approving_leader.is_main_leader)


def has_assignment(case: Case) -> bool:
    return bool(case.instruction.strip()) and case.due_date is not None


def has_report(case: Case) -> bool:
    """Seed 000 §四.5: 事实清楚、结论正确、处理恰当、手续完备并有当事人意见."""
    return all(
        (
            case.report_facts.strip(),
            case.report_conclusion.strip(),
            case.report_handling.strip(),
            case.petitioner_opinion.strip(),
            case.outcome,
        )
    )


def major_case(case: Case) -> bool:
    return case.is_major


def ordinary_case(case: Case) -> bool:
    return not case.is_major


def not_repeat_of_final(case: Case) -> bool:
    """条例 第36条第三款: after the 复核 opinion, the same request on the same facts (a 重复
    信访 of that case) is not accepted again: it is 终结."""
    if case.repeat_of_id is None:
        return True
    return not case.repeat_of.review_requests.filter(stage="rereview").exclude(decided_on=None).exists()


def has_satisfaction(case: Case) -> bool:
    return bool(case.satisfaction) and bool(case.satisfaction_method)


# The case list's filter columns ride along (INCLUDE) in the list's indexes, so that
# finding a page and counting a filtered list read the index alone (index-only scans
# on PostgreSQL; SQLite ignores INCLUDE).
