"""Who may do what with deadlines, named once (django-rules)."""

from __future__ import annotations

import rules

from people.abilities import is_leader, is_office, is_unit_staff


@rules.predicate
def handles_clock(user, clock) -> bool:
    """The 主办 unit's people ask for more time on a clock that allows it (条例 第34条)."""
    return is_unit_staff(user) and clock.case.main_unit_id == user.unit_id and clock.rule.max_extension_days > 0


can_request_extension = handles_clock
# The office reviews and proposes (and records a superior's decision on a 12345 work
# order); a school leader, the institution's head, decides (《信访工作条例》第三十四条).
can_propose_extension = is_office
can_decide_extension = is_leader
# The office records the events kept by hand (告知书 sent, 现场接访 summons and arrival).
can_record_event = is_office

rules.add_rule("deadlines.propose_extension", can_propose_extension)
rules.add_rule("deadlines.decide_extension", can_decide_extension)
rules.add_rule("deadlines.record_event", can_record_event)
