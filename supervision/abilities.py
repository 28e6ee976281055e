"""Who may do what in supervision, named once (django-rules): views, the menu, the
services and the notice lifecycle's `permission=` use these."""

from __future__ import annotations

import rules

from people.abilities import is_admin, is_discipline, is_leader, is_office, is_unit_staff


@rules.predicate
def is_notice_unit_staff(user, notice) -> bool:
    """The unit the notice is addressed to signs and answers it (seed 000 §四.7(3))."""
    return is_unit_staff(user) and notice.unit_id is not None and user.unit_id == notice.unit_id


# The office supervises (seed 000 §四.7; seed 002 第十条): raises, closes, sends back and
# escalates notices, records 复查/复核 and decides the 不满意 review.
can_supervise = is_office
# The unit addressed signs and answers.
can_answer_notice = is_notice_unit_staff
# 督办台账: the office, leaders and the administrator.
can_view_board = is_office | is_leader | is_admin
# 督办单: a unit's own notices; a leader's, those that reached them.
can_view_inbox = is_unit_staff | is_leader
# Who sees notices at all (each within the case scope; unit staff their own unit's).
can_see_notices = can_view_board | is_discipline | is_unit_staff

rules.add_rule("supervision.view_board", can_view_board)
rules.add_rule("supervision.view_inbox", can_view_inbox)
rules.add_rule("supervision.supervise", can_supervise)
