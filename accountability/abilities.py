"""Who may do what in 责任追究 and the annual assessment, named once (django-rules)."""

from __future__ import annotations

import rules

from people.abilities import is_discipline, is_leader, is_office
from people.models import Unit, User

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
    """Seed 002 第十四条第二款: (一)–(四) and the unit measures are proposed by the petition
    office and decided by the school office (学校办公室: a 信访办 member of the
    党政办公室), (五)(六) by discipline or HR. Never by the one who proposed it."""
    if getattr(user, "role", None) != measure.decider_role:
        return False
    if measure.decider_role == User.Role.OFFICE and not in_school_office(user):
        return False
    return measure.proposed_by_id is None or measure.proposed_by_id != user.pk


def in_school_office(user) -> bool:
    unit = getattr(user, "unit", None)
    return unit is not None and unit.kind == Unit.Kind.OFFICE


rules.add_rule("accountability.view_list", sees_all_cases)
rules.add_rule("accountability.open", can_open)
rules.add_rule("accountability.view_assessment", can_view_assessment)
