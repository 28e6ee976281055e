"""Clocks that start and stop at the events the law names (issue 12), with time frozen:
the acceptance notice counted from receipt and stopped by its delivery, not owed when the
petitioner is unknown (《信访工作条例》第二十三条); the 交办 guard on the legal limit
(第三十四条); the 复核 period paused for a 听证 (第三十六条); an objection and the 复函 that
stop a handed-down case's clocks; the sunshine platform's own classification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.signals import case_event
from core.days import day_start
from deadlines import services
from deadlines.clocks import Clock, Event
from deadlines.services import on_case_event
from documents.services import delivery_record, document_issue
from supervision.models import Notice
from supervision.scan import scan
from tests.conftest import logged_in_client as _client

D = dt.date


def _clock(case, code: str) -> Clock:
    return case.clocks.get(rule__code=code)


# --- 1. the acceptance notice (条例 第二十三条) ------------------------------------------------


def test_the_acceptance_notice_counts_from_receipt_not_registration(make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(received_on=D(2026, 11, 22))  # registered today, 2 December
    clock = _clock(case, "accept-decision")
    assert (clock.start_date, clock.due_date) == (D(2026, 11, 22), D(2026, 12, 7))


@pytest.mark.parametrize(
    "event", [Event.ACCEPTANCE_NOTICE_DELIVERED, Event.NOT_ACCEPTED_NOTICE, Event.FORWARD_NOTICE_DELIVERED]
)
def test_the_acceptance_clock_stops_at_the_delivered_notice_not_the_decision(people, make_case, today_is, event):
    today_is(D(2026, 12, 2))
    case = make_case(received_on=D(2026, 11, 30))
    case_services.case_accept(case=case, actor=people["office"])
    assert _clock(case, "accept-decision").status == Clock.Status.RUNNING  # 受理 is an internal decision
    on_case_event(case, event, at=day_start(D(2026, 12, 4)))
    clock = _clock(case, "accept-decision")
    assert (clock.status, clock.on_time) == (Clock.Status.STOPPED, True)


@pytest.mark.parametrize(
    "petitioner",
    [{"name": "匿名", "phone": "13800001111"}, {"name": "张三"}, {"name": "", "address": "长沙市岳麓区"}],
    ids=["anonymous", "no-address-nor-phone", "no-name"],
)
def test_no_notice_is_owed_to_an_unknown_petitioner(people, make_case, today_is, petitioner):
    today_is(D(2026, 12, 2))
    case = make_case(received_on=D(2026, 11, 1), petitioner=petitioner)
    clock = _clock(case, "accept-decision")
    assert clock.status == Clock.Status.NOT_APPLICABLE
    assert "姓名（名称）、住址不清" in clock.note and "第二十三条" in clock.note
    scan(now=clock.due_at + dt.timedelta(days=30))
    clock.refresh_from_db()
    assert clock.status == Clock.Status.NOT_APPLICABLE
    assert not Notice.objects.filter(case=case).exists()
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "不适用" in page and "姓名（名称）、住址不清" in page
    assert case.number not in _client(people["office"]).get("/deadlines/").content.decode()
    explain = _client(people["office"]).get(f"/cases/{case.pk}/clocks/{clock.pk}/").content.decode()
    assert "不适用" in explain and "信访人的姓名（名称）、住址不清" in explain


def test_a_named_petitioner_with_an_address_is_owed_the_notice(make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(received_on=D(2026, 11, 30), petitioner={"name": "李四", "address": "长沙市岳麓区"})
    assert _clock(case, "accept-decision").status == Clock.Status.RUNNING


# --- 2. 未履行送达责任 (《河南省教育系统信访工作责任制实施细则》第十一条（四）) ------------------------


def test_a_reply_not_delivered_in_time_raises_one_not_delivered_notice(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(state="replied", unit="jwc")
    clock = _clock(case, "reply-delivery")
    assert clock.due_date == D(2026, 12, 9) and clock.unit.code == "jwc"  # 7 days, the rule's length
    for hours in (1, 5, 48):
        scan(now=clock.due_at + dt.timedelta(hours=hours))
    notices = Notice.objects.filter(case=case)
    assert notices.count() == 1
    notice = notices.get()
    assert (notice.trigger.code, notice.unit.code) == ("not_delivered", "jwc")
    assert notice.reason.startswith("未履行送达责任")


def test_the_delivery_rule_length_is_the_administrators(make_case, today_is):
    from deadlines.clocks import DeadlineRule

    today_is(D(2026, 12, 2))
    DeadlineRule.objects.filter(code="reply-delivery").update(length=3)
    case = make_case(state="replied")
    assert _clock(case, "reply-delivery").due_date == D(2026, 12, 7)  # 12-05 is a Saturday: next workday


def test_no_delivery_is_owed_to_an_unknown_petitioner_and_none_is_supervised(make_case, today_is):
    """《信访工作条例》第二十三条 excepts the petitioner whose name or address is unclear: the
    送达 clock does not apply (as the archive guard reads it), and the scan raises no
    未履行送达责任 against the unit."""
    today_is(D(2026, 12, 2))
    case = make_case(state="replied", unit="jwc", petitioner={"name": "匿名", "phone": "13800001111"})
    clock = _clock(case, "reply-delivery")
    assert clock.status == Clock.Status.NOT_APPLICABLE
    assert "姓名（名称）、住址不清" in clock.note and "第二十三条" in clock.note
    scan(now=timezone.now() + dt.timedelta(days=30))
    assert not Notice.objects.filter(case=case, trigger__code="not_delivered").exists()


def test_a_delivered_reply_raises_nothing(make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(state="replied")
    on_case_event(case, Event.REPLY_DELIVERED, at=day_start(D(2026, 12, 3)))
    clock = _clock(case, "reply-delivery")
    assert (clock.status, clock.on_time) == (Clock.Status.STOPPED, True)
    scan(now=clock.due_at + dt.timedelta(days=3))
    assert not Notice.objects.filter(case=case, trigger__code="not_delivered").exists()


# --- 3. the 交办 guard (条例 第三十四条) ------------------------------------------------------


def test_a_leaders_due_date_beyond_the_legal_limit_is_refused(people, units, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(state="proposed")
    limit = case.clocks.get(rule__slot="completion").due_date
    assert limit == D(2027, 1, 31) + dt.timedelta(days=1)  # 60 days from 12-02 is a Sunday: Monday
    with pytest.raises(case_services.TransitionRefused) as refused:
        case_services.case_assign(
            case=case, actor=people["leader"], instruction="请办理", due_date=limit + dt.timedelta(days=1)
        )
    assert f"不得晚于法定期限 {limit:%Y-%m-%d}" in str(refused.value) and "第三十四条" in str(refused.value)
    case.refresh_from_db()
    assert case.state == "proposed"
    case_services.case_assign(case=case, actor=people["leader"], instruction="请办理", due_date=limit)
    case.refresh_from_db()
    assert case.state == "assigned"


def test_the_superiors_deadline_is_the_limit(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(
        state="proposed", source="city_education", superior_reference="JY-1", superior_deadline=D(2026, 12, 20)
    )
    with pytest.raises(case_services.TransitionRefused, match="2026-12-20：上级交办的办理期限"):
        case_services.case_assign(case=case, actor=people["leader"], instruction="请办理", due_date=D(2026, 12, 21))


def test_the_assign_page_shows_the_limit_and_keeps_what_was_typed(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(state="proposed")
    response = _client(people["leader"]).post(
        f"/cases/{case.pk}/do/assign/",
        {"instruction": "请尽快办理并答复", "due_date": "2027-03-30", "requirements": ""},
    )
    body = response.content.decode()
    assert "不得晚于法定期限 2027-02-01" in body and "请尽快办理并答复" in body


# --- 5. a 听证 pauses the 复核 period (条例 第三十六条) ------------------------------------------


def _rereview_case(make_case, people):
    case = make_case(state="replied")
    on_case_event(case, Event.REREVIEW_REQUESTED, at=day_start(D(2026, 11, 2)))
    return case


def test_a_hearing_pauses_the_rereview_clock_and_adds_its_days(people, make_case, today_is, client_for):
    today_is(D(2026, 11, 20))
    case = _rereview_case(make_case, people)
    clock = _clock(case, "rereview-opinion")
    assert clock.due_date == D(2026, 12, 2)
    office = client_for(people["office"])
    office.post(f"/cases/{case.pk}/events/hearing_started/", {"on": "2026-11-10"})
    clock.refresh_from_db()
    assert clock.status == Clock.Status.PAUSED and "听证中" in clock.note
    # paused: the scan never makes it overdue, however late
    scan(now=clock.due_at + dt.timedelta(days=10))
    clock.refresh_from_db()
    assert clock.status == Clock.Status.PAUSED and not Notice.objects.filter(clock=clock).exists()
    assert "已暂停（听证中）" in office.get(case.get_absolute_url()).content.decode()
    office.post(f"/cases/{case.pk}/events/hearing_ended/", {"on": "2026-11-12"})
    clock.refresh_from_db()
    # 11-10 to 11-12: three days not counted
    assert (clock.status, clock.paused_days, clock.due_date) == (Clock.Status.RUNNING, 3, D(2026, 12, 7))
    rows = list(case.history.filter(transition__in=["听证开始", "听证结束"]).order_by("history_id"))
    assert [(r.transition, r.history_user) for r in rows] == [
        ("听证开始", people["office"]),
        ("听证结束", people["office"]),
    ]
    assert "2026-12-02 顺延至 2026-12-07" in rows[1].history_change_reason
    assert "第三十六条" in rows[1].history_change_reason
    explain = office.get(f"/cases/{case.pk}/clocks/{clock.pk}/").content.decode()
    assert "3 日不计入期限" in explain and "听证 2026-11-10 至 2026-11-12" in explain


def test_a_hearing_needs_an_open_rereview_clock(people, make_case, today_is, client_for):
    today_is(D(2026, 11, 20))
    case = make_case(state="handling")
    office = client_for(people["office"])
    response = office.post(f"/cases/{case.pk}/events/hearing_started/", {"on": "2026-11-10"}, follow=True)
    assert "没有进行中的复核意见期限" in response.content.decode()
    response = office.post(f"/cases/{case.pk}/events/hearing_ended/", {"on": "2026-11-12"}, follow=True)
    assert "没有进行中的听证" in response.content.decode()
    assert not case.history.filter(transition__startswith="听证").exists()


def test_only_the_office_records_a_hearing(people, make_case, today_is, client_for):
    today_is(D(2026, 11, 20))
    case = _rereview_case(make_case, people)
    response = client_for(people["leader"]).post(f"/cases/{case.pk}/events/hearing_started/", {"on": "2026-11-10"})
    assert response.status_code == 403
    assert _clock(case, "rereview-opinion").status == Clock.Status.RUNNING


def test_the_case_event_signal_reaches_the_clocks(people, make_case, today_is):
    today_is(D(2026, 11, 20))
    case = _rereview_case(make_case, people)
    case_event.send(sender=type(case), case=case, event="hearing_started", at=day_start(D(2026, 11, 18)), actor=None)
    assert _clock(case, "rereview-opinion").status == Clock.Status.PAUSED


# --- 6. cases from above --------------------------------------------------------------------


def test_an_objection_stops_the_objection_clock(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(source="province_system", superior_reference="SX-1", received_on=D(2026, 12, 1))
    case_event.send(sender=type(case), case=case, event="objection_filed", at=None, actor=people["office"])
    clock = _clock(case, "objection")
    assert (clock.status, clock.on_time) == (Clock.Status.STOPPED, True)


def test_the_superiors_deadline_stops_at_the_reply_to_the_superior(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(
        state="replied", source="city_education", superior_reference="JY-2", superior_deadline=D(2026, 12, 14)
    )
    clock = case.clocks.get(rule__slot="completion")
    assert (clock.due_source, clock.status) == ("superior", Clock.Status.RUNNING)  # the petitioner was answered
    on_case_event(case, Event.SUPERIOR_REPLY_SENT, at=day_start(D(2026, 12, 10)))
    clock.refresh_from_db()
    assert (clock.status, clock.on_time) == (Clock.Status.STOPPED, True)


def test_without_a_superiors_deadline_the_reply_stops_the_completion_clock(make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case(state="replied", source="hotline_12345", superior_reference="GD-3")
    assert case.clocks.get(rule__slot="completion").status == Clock.Status.STOPPED


@pytest.mark.parametrize(
    "platform_class,is_major,code,due",
    [
        ("major", False, "sunshine-major", D(2026, 12, 22)),  # 15 workdays
        ("ordinary", True, "sunshine-ordinary", D(2026, 12, 10)),  # the school's flag does not decide
        ("consultation", False, "sunshine-consultation", D(2026, 12, 4)),
    ],
)
def test_the_sunshine_limit_follows_the_platforms_class(make_case, today_is, platform_class, is_major, code, due):
    today_is(D(2026, 12, 2))
    case = make_case(
        source="sunshine", superior_reference="YG-1", received_on=D(2026, 12, 1), is_major=is_major, kind="complaint"
    )
    Clock.objects.filter(case=case).delete()
    case.sunshine_class = platform_class  # cases' field; deadlines reads it with a default
    clocks = on_case_event(case, Event.REGISTERED, at=timezone.now())
    clock = next(c for c in clocks if c.rule.slot == "completion")
    assert (clock.rule.code, clock.due_date) == (code, due)


def test_legal_limit_is_none_without_a_completion_clock_or_superior(make_case):
    case = make_case()
    assert services.legal_limit(case) is None


# --- clocks that end with the matter: 法定途径 (第三十一条) and 退回上级 (第二十三条) ----------------


def test_a_matter_routed_to_its_statutory_procedure_ends_its_handling_clocks(people, make_case, today_is):
    """Routed after acceptance, the matter is not accepted as a 信访 after all: 拟办 and 办结
    stop; the written notice is still owed, and the 法定途径告知书's delivery is that notice."""
    today_is(D(2026, 12, 2))
    case = make_case("accepted", received_on=D(2026, 12, 1), petitioner={"name": "何静", "phone": "13800007777"})
    case_services.case_route_statutory(
        case=case, actor=people["office"], route="lawsuit", body="长沙市岳麓区人民法院", reason="属民事诉讼"
    )
    assert {_clock(case, code).status for code in ("proposal", "completion")} == {Clock.Status.STOPPED}
    assert _clock(case, "accept-decision").status == Clock.Status.RUNNING
    assert _clock(case, "not-accepted-notice").status == Clock.Status.RUNNING
    today_is(D(2026, 12, 4))
    notice = document_issue(case=case, kind="statutory-route", actor=people["office"])
    delivery_record(
        document=notice, actor=people["office"], way="post", delivered_on=D(2026, 12, 4), tracking_number="XA1CN"
    )
    for code in ("accept-decision", "not-accepted-notice"):
        clock = _clock(case, code)
        assert (code, clock.status, clock.on_time) == (code, Clock.Status.STOPPED, True)


def test_a_case_returned_to_its_superior_stops_every_clock(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = make_case("accepted", source="province_system", superior_reference="SX-9", received_on=D(2026, 12, 1))
    assert case.clocks.filter(status=Clock.Status.RUNNING).count() >= 2
    case_services.case_file_objection(case=case, actor=people["office"], reasons="属地方政府职权，非学校职责")
    case_services.case_record_objection_answer(
        case=case, actor=people["office"], agreed=True, answered_on=D(2026, 12, 2)
    )
    case.refresh_from_db()
    assert case.state == "returned_up"
    assert not case.clocks.exclude(status__in=(Clock.Status.STOPPED, Clock.Status.NOT_APPLICABLE)).exists()
    assert not case.clocks.filter(status=Clock.Status.STOPPED, on_time=False).exists()
