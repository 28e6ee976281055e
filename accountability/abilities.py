"""Who may do what in 责任追究 and the annual assessment, named once (django-rules)."""

from __future__ import annotations

import rules

from people.abilities import is_discipline, is_leader, is_office

# Opening a case and proposing measures: the petition office (seed 002 第十三条).
can_open = is_office
# The case's steps that need a decision on a measure: the office or discipline/HR.
can_decide_step = is_office | is_discipline
# Appeals (申诉) are decided by the office or discipline (seed 002 第二十条).
can_decide_appeal = is_office | is_discipline
# Who reads every accountability case; others read only their own (as subject).
sees_all_cases = is_office | is_discipline | is_leader
# A person's record (个人档案记录): discipline/HR and the person (seed 004 第十九条).
reads_every_record = is_discipline
can_correct_record = is_discipline
# The annual assessment: read by the office, discipline and leaders; kept by the office.
can_view_assessment = is_office | is_discipline | is_leader
can_keep_assessment = is_office


@rules.predicate
def decides_measure(user, measure) -> bool:
    """Seed 002 第十四条第二款: (一)–(四) and the unit measures by the school office,
    (五)(六) by discipline or HR."""
    return getattr(user, "role", None) == measure.decider_role


rules.add_rule("accountability.view_list", sees_all_cases)
rules.add_rule("accountability.open", can_open)
rules.add_rule("accountability.view_assessment", can_view_assessment)
