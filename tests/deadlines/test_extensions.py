"""延期 (条例 第34条; seed 000 §五(三)3): capped, asked in time, approved by the office
or a leader; the due date moves, the history says so, and the case is not overdue
against its old date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from deadlines import services
from deadlines.calendar import due_date
from deadlines.clocks import Clock, Extension
from supervision.models import Notice
from supervision.scan import scan
from tests.conftest import logged_in_client as _client


def completion(case) -> Clock:
    return case.clocks.get(rule__slot="completion")


def test_unit_asks_office_approves_and_the_due_date_moves(people, make_case):
    case = make_case(state="handling")
    clock = completion(case)
    old_due = clock.due_date
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=10, reason="需赴外地调查取证")
    assert ext.status == Extension.Status.PENDING
    services.extension_decide(extension=ext, actor=people["office"], approve=True, note="同意")
    clock.refresh_from_db()
    ext.refresh_from_db()
    assert clock.extension_days == 10
    # ten days added, and moved to the next working day if that is a day off
    assert clock.due_date == due_date(old_due, 10, "days")
    assert clock.due_date >= old_due + dt.timedelta(days=10)
    assert (ext.old_due_date, ext.new_due_date) == (old_due, clock.due_date)
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user) == ("批准延期", people["office"])
    assert "需赴外地调查取证" in row.history_change_reason and f"{clock.due_date:%Y-%m-%d}" in row.history_change_reason
    assert ext.notice_sent_at is None  # the 延期办理告知书 now falls due
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "待发延期办理告知书" in page


def test_a_leader_may_approve_and_a_rejection_is_recorded(people, make_case):
    case = make_case(state="handling")
    ext = services.extension_request(clock=completion(case), actor=people["head_jwc"], days=5, reason="情况复杂")
    services.extension_decide(extension=ext, actor=people["leader"], approve=False, note="请按期办结")
    ext.refresh_from_db()
    assert ext.status == Extension.Status.REJECTED and completion(case).extension_days == 0
    assert case.history.order_by("-history_id").first().transition == "延期未批准"


@pytest.mark.parametrize("days", [31, 0])
def test_the_cap_is_thirty_days(people, make_case, days):
    case = make_case(state="handling")
    with pytest.raises(services.ExtensionRefused, match="延期不得超过 30 日"):
        services.extension_request(clock=completion(case), actor=people["recep_jwc"], days=days, reason="复杂")


def test_extensions_add_up_to_the_cap(people, make_case):
    case = make_case(state="handling")
    first = services.extension_request(clock=completion(case), actor=people["recep_jwc"], days=20, reason="复杂")
    services.extension_decide(extension=first, actor=people["office"], approve=True)
    with pytest.raises(services.ExtensionRefused, match="还可延期 10 日"):
        services.extension_request(clock=completion(case), actor=people["recep_jwc"], days=11, reason="仍复杂")


def test_12345_work_order_must_ask_three_days_ahead(people, make_case):
    case = make_case(state="handling", source="hotline_12345", superior_reference="GD20261121")
    clock = completion(case)
    assert clock.rule.code == "completion-12345"
    too_late = clock.due_date - dt.timedelta(days=2)
    with pytest.raises(services.ExtensionRefused, match="3 日前申请延期") as refused:
        services.extension_request(clock=clock, actor=people["recep_jwc"], days=5, reason="复杂", today=too_late)
    assert f"{clock.due_date - dt.timedelta(days=3):%Y-%m-%d}" in str(refused.value)
    in_time = clock.due_date - dt.timedelta(days=3)
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=5, reason="复杂", today=in_time)
    assert ext.pk


def test_only_the_main_unit_asks_and_only_office_or_leader_decides(people, make_case):
    case = make_case(state="handling")
    for username in ("office", "head_jsj", "leader", "clerk"):
        with pytest.raises(PermissionDenied):
            services.extension_request(clock=completion(case), actor=people[username], days=5, reason="x")
    ext = services.extension_request(clock=completion(case), actor=people["recep_jwc"], days=5, reason="x")
    for username in ("recep_jwc", "head_jwc", "clerk", "discipline"):
        with pytest.raises(PermissionDenied):
            services.extension_decide(extension=ext, actor=people[username], approve=True)


def test_an_extended_case_is_not_overdue_against_its_old_date(people, make_case):
    case = make_case(state="handling")
    clock = completion(case)
    day_after_old_due = clock.due_at + dt.timedelta(hours=12)
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=10, reason="复杂")
    services.extension_decide(extension=ext, actor=people["office"], approve=True)
    scan(now=day_after_old_due)
    clock.refresh_from_db()
    assert clock.status in (Clock.Status.RUNNING, Clock.Status.DUE_SOON)
    assert not Notice.objects.filter(clock=clock).exists()


def test_extension_pages(people, make_case):
    case = make_case(state="handling")
    clock = completion(case)
    unit = _client(people["recep_jwc"])
    response = unit.post(f"/cases/{case.pk}/clocks/{clock.pk}/extend/", {"days": 40, "reason": "复杂"})
    assert "延期不得超过 30 日" in response.content.decode()
    assert not Extension.objects.exists()
    unit.post(f"/cases/{case.pk}/clocks/{clock.pk}/extend/", {"days": 7, "reason": "需补充材料"})
    ext = Extension.objects.get()
    assert _client(people["head_jsj"]).get(f"/cases/{case.pk}/extensions/{ext.pk}/").status_code == 404
    _client(people["office"]).post(f"/cases/{case.pk}/extensions/{ext.pk}/", {"decision": "approve", "note": ""})
    assert completion(case).extension_days == 7
