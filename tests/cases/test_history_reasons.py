"""A reason is kept whole in the history: a unit's 退回 or an objection runs to hundreds of
characters, and neither the step nor its history row may lose it (on PostgreSQL a longer
reason than the column holds refused the whole step)."""

from __future__ import annotations

import datetime as dt

from cases import services

LONG = "经核查，该事项涉及校外实习单位的劳动报酬争议，不属于本单位职责范围，" * 8


def test_a_long_return_reason_is_kept_whole_with_its_user(people, make_case):
    case = make_case("assigned", unit="jwc")
    assert len(LONG) > 250
    services.case_return(case=case, actor=people["head_jwc"], reason=LONG)
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user, row.history_change_reason) == ("退回", people["head_jwc"], LONG)


def test_a_long_note_is_kept_whole(people, make_case, today_is):
    today_is(dt.date(2026, 12, 2))
    case = make_case(source="province_system", superior_reference="SX-7", received_on=dt.date(2026, 12, 1))
    services.case_file_objection(case=case, actor=people["office"], reasons=LONG)
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user, row.history_change_reason) == ("提出异议", people["office"], LONG)
