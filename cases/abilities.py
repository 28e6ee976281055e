"""Who may do what with cases, named once (django-rules). Views, the menu
(`{% test_rule "cases.register" user %}`), the services and the lifecycle's
`permission=` (through core.abilities.fsm_permission) all use these.

Predicates of (user, case) read only the case's own fields and the user's, so that the
model can import them."""

from __future__ import annotations

import rules

from people.abilities import (
    has_unit,
    heads_own_unit,
    is_case_handler,
    is_clerk,
    is_discipline,
    is_discipline_staff,
    is_leader,
    is_main_leader,
    is_office,
    is_unit_staff,
)


@rules.predicate
def is_main_unit_staff(user, case) -> bool:
    """The head or a receptionist of the case's 主办 unit; for the discipline unit, its own
    staff (条例 第22条, 第30条: a 举报 goes to 纪检监察)."""
    return is_case_handler(user) and case.main_unit_id is not None and user.unit_id == case.main_unit_id


@rules.predicate
def is_main_unit_head(user, case) -> bool:
    return heads_own_unit(user) and case.main_unit_id is not None and user.unit_id == case.main_unit_id


@rules.predicate
def is_approving_leader(user, case) -> bool:
    """《湖南信息职业技术学院信访工作实施方案》四.3: the leader the proposal went to (for a
    major one the 分管 leader, the 主要领导 being told) reads it; the 主要领导 may too."""
    if not is_leader(user):
        return False
    return bool(user.is_main_leader) or user.pk == case.approving_leader_id


@rules.predicate
def is_reviewing_leader(user, case) -> bool:
    """《湖南信息职业技术学院信访工作实施方案》四.6(1): a major reply is settled by the 分管院领导
    (or the 主要领导); a 特别重大 one by the 主要领导 alone."""
    if not is_leader(user):
        return False
    if case.gravity == "grave":
        return bool(user.is_main_leader)
    if user.is_main_leader or user.pk == case.approving_leader_id:
        return True
    return case.main_unit_id is not None and user.charge_units.filter(pk=case.main_unit_id).exists()


@rules.predicate
def settles_superior_reply(user, case) -> bool:
    """《湖南信息职业技术学院信访工作实施方案》四.6(2): the 复函 to the superior is settled by
    the 分管院领导, by the 主要领导 when the matter is major."""
    if not is_leader(user):
        return False
    if user.is_main_leader:
        return True
    if case.is_major:
        return False
    if user.pk == case.approving_leader_id:
        return True
    return case.main_unit_id is not None and user.charge_units.filter(pk=case.main_unit_id).exists()


# 登记 (seed 000 §四.1): the clerk and the office; and a unit's receptionist or head for
# what reaches the unit directly (二级信访, 《安徽教育信息》三.三).
can_register_case = is_clerk | is_office | (is_unit_staff & has_unit)
# The staff directory a 举报's accused people are picked from: whoever registers cases,
# and the office, which links or corrects them (《信访工作条例》第三十条).
can_pick_staff = can_register_case | is_office
# 核实/更正被举报人: the office (it accepts and proposes, so it knows who must keep out).
can_resolve_accused = is_office
# Scans after registration: whoever works cases (the registrars and the units).
can_add_attachments = is_clerk | is_office | is_unit_staff | is_discipline_staff
# The office's steps: 受理, 不予受理, 转送, 拟办, 归档, 回访 (seed 000 §四.2–3, §四.8–9).
can_run_intake = is_office
# 批示 and sending a proposal back (seed 000 §四.3).
can_approve_proposal = is_approving_leader
# 承办, 退回, 答复 and 报审 (seed 000 §四.4–6).
can_handle_case = is_main_unit_staff
# 审定 of a major reply (seed 000 §四.6(1)): the unit head, then the leader.
can_review_as_unit = is_main_unit_head
can_review_as_leader = is_reviewing_leader
# 复函 to the superior (四.6(2)): the handling unit drafts, the office checks, a leader settles.
can_draft_superior_reply = is_main_unit_staff
can_settle_superior_reply = settles_superior_reply
# The 本部门 page: the people of a unit.
can_view_unit_overview = is_unit_staff & has_unit
# 回避 (《信访工作条例》第二十八条第三款; 《河南省教育系统信访工作责任制实施细则》第九条):
# whoever works cases may step aside from one they see (the page is in their scope); the
# office may also order any member of staff to.
can_recuse = is_clerk | is_office | is_unit_staff | is_leader | is_discipline
can_order_recusal = is_office
# Whose queues: (ability, …) per work queue of cases.selectors.QUEUES.
works_intake_queues = is_office
works_approval_queue = is_leader
works_unit_queues = is_case_handler
works_review_queue = heads_own_unit | is_leader

rules.add_rule("cases.register", can_register_case)
rules.add_rule("cases.add_attachments", can_add_attachments)
rules.add_rule("cases.view_unit", can_view_unit_overview)

__all__ = [
    "can_add_attachments",
    "can_approve_proposal",
    "can_handle_case",
    "can_order_recusal",
    "can_pick_staff",
    "can_recuse",
    "can_register_case",
    "can_resolve_accused",
    "can_review_as_leader",
    "can_review_as_unit",
    "can_run_intake",
    "can_view_unit_overview",
    "is_main_leader",
]
