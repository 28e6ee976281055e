"""Who may do what with deadlines, named once (django-rules)."""

from __future__ import annotations

import rules

from people.abilities import is_leader, is_office, is_unit_staff


@rules.predicate
def handles_clock(user, clock) -> bool:
    """The 主办 unit's people ask for more time on a clock that allows it (条例 第34条)."""
    return is_unit_staff(user) and clock.case.main_unit_id == user.unit_id and clock.rule.max_extension_days > 0


can_request_extension = handles_clock
# The office or a leader decides (seed 000 §五(三)3).
can_decide_extension = is_office | is_leader
# The office records the events kept by hand (告知书 sent, 现场接访 summons and arrival).
can_record_event = is_office

rules.add_rule("deadlines.decide_extension", can_decide_extension)
rules.add_rule("deadlines.record_event", can_record_event)
