"""Who may do what on the dashboard, named once (django-rules)."""

from __future__ import annotations

import rules

from people.abilities import has_unit, is_admin, is_leader, is_main_leader, is_office, is_unit_head

# 领导看板: leaders, the office, the administrator and unit heads (their own unit).
can_view_dashboard = is_leader | is_office | is_admin | (is_unit_head & has_unit)
# Whose scope is every case: the office, the administrator and the 主要领导.
sees_whole_school = is_office | is_admin | is_main_leader
# 制度完善 and the leaders' reception schedule are kept by the petition office.
can_record_policy_fix = is_office
can_schedule_reception = is_office

rules.add_rule("dashboard.view", can_view_dashboard)
rules.add_rule("dashboard.record_policy_fix", can_record_policy_fix)
rules.add_rule("dashboard.schedule_reception", can_schedule_reception)
