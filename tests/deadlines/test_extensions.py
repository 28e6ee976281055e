"""延期 (《信访工作条例》第三十四条; 《湖南信息职业技术学院信访工作实施方案》五（三）3): capped,
asked in time by the unit, proposed by the office with its opinion, approved by a school
leader (never the office); a 12345 work order's by 市教育局, whose decision the office
records. The due date moves only on approval, the history says who, each hand-off tells
the next person, and the case is not overdue against its old date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from deadlines import services
from deadlines.calendar import due_date
from deadlines.clocks import Clock, Extension
from notifications.models import Notification
from supervision.models import Notice
from supervision.scan import scan
from tests.conftest import logged_in_client as _client


def completion(case) -> Clock:
    return case.clocks.get(rule__slot="completion")


def approved(ext: Extension, people, *, note: str = "同意") -> Extension:
    """The office proposes, the leader approves: the ordinary path of 条例 第三十四条."""
    services.extension_propose(extension=ext, actor=people["office"], opinion="情况属实，建议同意")
    return services.extension_decide(extension=ext, actor=people["leader"], approve=True, note=note)


def _texts(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_unit_asks_office_proposes_leader_approves_and_the_due_date_moves(people, make_case):
    case = make_case(state="handling")
    clock = completion(case)
    old_due = clock.due_date
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=10, reason="需赴外地调查取证")
    assert ext.status == Extension.Status.PENDING
    assert any("申请延期，请审核并呈报院领导" in t for t in _texts(people["office"]))
    services.extension_propose(extension=ext, actor=people["office"], opinion="调查确需时间，建议同意")
    ext.refresh_from_db()
    assert (ext.status, ext.proposed_by, ext.office_opinion) == ("proposed", people["office"], "调查确需时间，建议同意")
    assert completion(case).due_date == old_due  # proposing moves nothing
    assert any("延期 10 日待您审批" in t for t in _texts(people["leader"]))
    services.extension_decide(extension=ext, actor=people["leader"], approve=True, note="同意")
    clock.refresh_from_db()
    ext.refresh_from_db()
    assert (ext.decided_by, ext.approver) == (people["leader"], "王分管")
    assert any("延期 10 日已批准" in t for t in _texts(people["recep_jwc"]))
    assert clock.extension_days == 10
    # ten days added, and moved to the next working day if that is a day off
    assert clock.due_date == due_date(old_due, 10, "days")
    assert clock.due_date >= old_due + dt.timedelta(days=10)
    assert (ext.old_due_date, ext.new_due_date) == (old_due, clock.due_date)
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user) == ("批准延期", people["leader"])
    assert "王分管批准" in row.history_change_reason and "需赴外地调查取证" in row.history_change_reason
    assert f"{clock.due_date:%Y-%m-%d}" in row.history_change_reason
    assert ext.notice_sent_at is None  # the 延期办理告知书 now falls due
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "待发延期办理告知书" in page
    # the timeline says 批准延期 and no state change: the case is still 承办 (issue 14)
    assert "<strong>批准延期</strong></div>" in page and "<strong>承办</strong></div>" in page
    assert "<strong>批准交办</strong> → 交办" in page or "<strong>批示交办</strong> → 交办" in page


def test_the_office_cannot_approve_and_a_leaders_refusal_is_recorded(people, make_case):
    case = make_case(state="handling")
    ext = services.extension_request(clock=completion(case), actor=people["head_jwc"], days=5, reason="情况复杂")
    with pytest.raises(PermissionDenied, match="院领导批准"):
        services.extension_decide(extension=ext, actor=people["office"], approve=True)
    with pytest.raises(services.ExtensionRefused, match="尚待信访办审核呈报"):
        services.extension_decide(extension=ext, actor=people["leader"], approve=True)
    services.extension_propose(extension=ext, actor=people["office"], opinion="建议不予延期")
    with pytest.raises(PermissionDenied):
        services.extension_decide(extension=ext, actor=people["office"], approve=True)
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
    approved(first, people)
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


def test_only_the_main_unit_asks_the_office_proposes_and_a_leader_decides(people, make_case):
    case = make_case(state="handling")
    for username in ("office", "head_jsj", "leader", "clerk"):
        with pytest.raises(PermissionDenied):
            services.extension_request(clock=completion(case), actor=people[username], days=5, reason="x")
    ext = services.extension_request(clock=completion(case), actor=people["recep_jwc"], days=5, reason="x")
    for username in ("recep_jwc", "head_jwc", "clerk", "discipline", "leader"):
        with pytest.raises(PermissionDenied):
            services.extension_propose(extension=ext, actor=people[username], opinion="同意")
    services.extension_propose(extension=ext, actor=people["office"], opinion="同意")
    for username in ("recep_jwc", "head_jwc", "clerk", "discipline", "office"):
        with pytest.raises(PermissionDenied):
            services.extension_decide(extension=ext, actor=people[username], approve=True)


def test_an_extended_case_is_not_overdue_against_its_old_date(people, make_case):
    case = make_case(state="handling")
    clock = completion(case)
    day_after_old_due = clock.due_at + dt.timedelta(hours=12)
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=10, reason="复杂")
    approved(ext, people)
    scan(now=day_after_old_due)
    clock.refresh_from_db()
    assert clock.status in (Clock.Status.RUNNING, Clock.Status.DUE_SOON)
    assert not Notice.objects.filter(clock=clock).exists()


def test_extension_pages(people, make_case):
    case = make_case(state="handling")
    clock = completion(case)
    unit = _client(people["recep_jwc"])
    response = unit.post(f"/cases/{case.pk}/clocks/{clock.pk}/extend/", {"days": 40, "reason": "复杂"})
    assert "延期天数不得超过 30 日" in response.content.decode()
    assert not Extension.objects.exists()
    unit.post(f"/cases/{case.pk}/clocks/{clock.pk}/extend/", {"days": 7, "reason": "需补充材料"})
    ext = Extension.objects.get()
    assert _client(people["head_jsj"]).get(f"/cases/{case.pk}/extensions/{ext.pk}/").status_code == 404
    office = _client(people["office"])
    page = office.get(case.get_absolute_url()).content.decode()
    assert "待信访办审核" in page and "审核呈报" in page
    # the office's form asks for its opinion, not a decision; an empty one stays on the page
    response = office.post(f"/cases/{case.pk}/extensions/{ext.pk}/", {"opinion": ""})
    assert response.status_code == 400 and "请填写信访办意见" in response.content.decode()
    office.post(f"/cases/{case.pk}/extensions/{ext.pk}/", {"opinion": "材料确需补充，建议同意"})
    assert (Extension.objects.get().status, completion(case).extension_days) == ("proposed", 0)
    assert office.get(f"/cases/{case.pk}/extensions/{ext.pk}/").status_code == 403  # not the office's turn
    leader = _client(people["leader"])
    page = leader.get(case.get_absolute_url()).content.decode()
    assert "待院领导审批" in page and "材料确需补充，建议同意" in page
    leader.post(f"/cases/{case.pk}/extensions/{ext.pk}/", {"decision": "approve", "note": ""})
    assert completion(case).extension_days == 7
    assert "批准：王分管" in leader.get(case.get_absolute_url()).content.decode()


# --- 12345: the superior decides ----------------------------------------------------------


def test_a_12345_extension_is_decided_by_the_superior_and_recorded_by_the_office(people, make_case):
    case = make_case(state="handling", source="hotline_12345", superior_reference="GD20261121")
    clock = completion(case)
    old_due = clock.due_date
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=10, reason="需协调多个部门")
    assert any("请报市教育局并登记批复" in t for t in _texts(people["office"]))
    with pytest.raises(services.ExtensionRefused, match="市教育局批准"):
        services.extension_propose(extension=ext, actor=people["office"], opinion="同意")
    today = timezone.localdate()
    with pytest.raises(services.ExtensionRefused, match="批复文号"):
        services.extension_record_superior(
            extension=ext, actor=people["office"], approve=True, decided_on=today, reference=" "
        )
    services.extension_record_superior(
        extension=ext, actor=people["office"], approve=True, decided_on=today, reference="长教信延〔2026〕12号"
    )
    clock.refresh_from_db()
    ext.refresh_from_db()
    assert clock.due_date == due_date(old_due, 10, "days")
    assert (ext.status, ext.superior_decided_on, ext.superior_reference) == ("approved", today, "长教信延〔2026〕12号")
    assert ext.approver == f"市教育局（长教信延〔2026〕12号），{today:%Y-%m-%d}"
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user) == ("批准延期", people["office"])
    assert "市教育局（长教信延〔2026〕12号）批准" in row.history_change_reason


def test_a_refused_12345_extension_moves_nothing(people, make_case, client_for):
    case = make_case(state="handling", source="hotline_12345", superior_reference="GD20261122")
    clock = completion(case)
    old_due = clock.due_date
    ext = services.extension_request(clock=clock, actor=people["recep_jwc"], days=10, reason="复杂")
    office = client_for(people["office"])
    form = {"decision": "reject", "decided_on": f"{timezone.localdate():%Y-%m-%d}", "reference": "", "note": ""}
    response = office.post(f"/cases/{case.pk}/extensions/{ext.pk}/", form)
    assert response.status_code == 400 and "请填写批复文号" in response.content.decode()
    office.post(f"/cases/{case.pk}/extensions/{ext.pk}/", {**form, "reference": "GD20261122-YQ"})
    ext.refresh_from_db()
    clock.refresh_from_db()
    assert (ext.status, clock.due_date, clock.extension_days) == ("rejected", old_due, 0)
    assert case.history.order_by("-history_id").first().transition == "延期未批准"
    assert any("延期申请未获批准" in t for t in _texts(people["recep_jwc"]))


# --- after the reply ------------------------------------------------------------------------


def test_no_extension_once_the_reply_is_made(people, make_case):
    case = make_case(state="handling")
    ext = services.extension_request(clock=completion(case), actor=people["recep_jwc"], days=5, reason="复杂")
    services.extension_propose(extension=ext, actor=people["office"], opinion="同意")
    from cases.models import Case

    Case.objects.filter(pk=case.pk).update(replied_at=timezone.now(), state="replied")
    with pytest.raises(services.ExtensionRefused, match="已答复信访人"):
        services.extension_decide(extension=ext, actor=people["leader"], approve=True)
    assert Extension.objects.get(pk=ext.pk).status == "proposed"
    replied = make_case(state="replied")
    clock = replied.clocks.filter(rule__slot="completion").get()
    Clock.objects.filter(pk=clock.pk).update(status="running")  # even were its clock open
    with pytest.raises(services.ExtensionRefused, match="已答复信访人"):
        services.extension_request(clock=clock, actor=people["recep_jwc"], days=5, reason="复杂")
