"""Cases from above: the objection that a handed-down case is not ours, within 5 workdays
of receipt with reasons (《信访工作条例》第二十三条), the superior's answer, and the 复函
drafted by the unit, checked by the office and settled by the 分管 leader or, when major,
the 主要领导 (《湖南信息职业技术学院信访工作实施方案》四.6(2))."""

from __future__ import annotations

from datetime import date

import pytest

from cases import services
from cases.models import Case, Gravity, Objection, Source, State, SuperiorReply
from cases.signals import case_event
from tests.conftest import logged_in_client as _client

RECEIVED = date(2026, 11, 2)  # a Monday: 5 workdays from the next day run to Monday 9 November


@pytest.fixture
def events():
    heard = []

    def listen(sender, case, event, **kwargs):
        heard.append((case.pk, event))

    case_event.connect(listen, dispatch_uid="test_superior")
    yield heard
    case_event.disconnect(dispatch_uid="test_superior")


def _handed_down(make_case, state="registered", **fields):
    return make_case(
        state, source=Source.HOTLINE_12345, superior_reference="GD20261102001", received_on=RECEIVED, **fields
    )


def test_an_objection_within_five_workdays_is_filed_with_its_reasons(people, make_case, today_is, events):
    today_is(date(2026, 11, 9))  # the last day
    case = _handed_down(make_case)
    office = _client(people["office"])
    page = office.get(f"/cases/{case.pk}/superior/").content.decode()
    assert 'data-testid="objection-due">2026-11-09<' in page
    empty = office.post(f"/cases/{case.pk}/superior/objection/", {"reasons": ""}).content.decode()
    assert "请填写异议理由" in empty
    response = office.post(f"/cases/{case.pk}/superior/objection/", {"reasons": "系区属中学事项，不属本校职责"})
    assert response.status_code == 302
    objection = Objection.objects.get(case=case)
    assert (objection.reasons, objection.filed_by, objection.answer) == (
        "系区属中学事项，不属本校职责",
        people["office"],
        Objection.Answer.PENDING,
    )
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user, row.history_change_reason) == (
        "提出异议",
        people["office"],
        "系区属中学事项，不属本校职责",
    )
    assert (case.pk, "objection_filed") in events


def test_an_objection_after_five_workdays_is_refused_with_the_limit(people, make_case, today_is, events):
    today_is(date(2026, 11, 10))  # a day too late
    case = _handed_down(make_case)
    page = _client(people["office"]).post(f"/cases/{case.pk}/superior/objection/", {"reasons": "不属本校职责"})
    text = page.content.decode()
    assert "提出异议的期限已过" in text and "2026-11-09" in text
    assert "不属本校职责" in text  # what was typed is kept
    assert not Objection.objects.exists() and not events


def test_a_case_of_our_own_takes_no_objection(people, make_case, today_is):
    today_is(date(2026, 11, 3))
    case = make_case("registered", received_on=RECEIVED)
    with pytest.raises(services.TransitionRefused, match="只有上级交办的信访件才能提出异议"):
        services.case_file_objection(case=case, actor=people["office"], reasons="不属本校")
    assert _client(people["office"]).get(f"/cases/{case.pk}/superior/").status_code == 404


def test_only_the_office_files_an_objection(people, make_case, today_is):
    today_is(date(2026, 11, 3))
    case = _handed_down(make_case)
    for who in ("clerk", "leader", "president"):
        _client(people[who]).post(f"/cases/{case.pk}/superior/objection/", {"reasons": "不属本校"})
    assert not Objection.objects.exists()


def test_the_superior_agrees_and_the_case_is_returned_and_closed(people, make_case, today_is):
    today_is(date(2026, 11, 3))
    case = _handed_down(make_case, "accepted")
    services.case_file_objection(case=case, actor=people["office"], reasons="不属本校职责")
    response = _client(people["office"]).post(
        f"/cases/{case.pk}/superior/objection-answer/",
        {"answer": "agreed", "answered_on": "2026-11-03", "note": "同意退回，另行交办"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.RETURNED_UP and not case.is_open
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user, row.history_change_reason) == (
        "退回上级",
        people["office"],
        "同意退回，另行交办",
    )
    assert Objection.objects.get().answer == Objection.Answer.AGREED


def test_the_superior_disagrees_and_handling_goes_on(people, make_case, today_is):
    today_is(date(2026, 11, 3))
    case = _handed_down(make_case, "accepted")
    services.case_file_objection(case=case, actor=people["office"], reasons="不属本校职责")
    services.case_record_objection_answer(
        case=case, actor=people["office"], agreed=False, answered_on=date(2026, 11, 3), note="请学校继续办理"
    )
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    row = case.history.order_by("-history_id").first()
    assert (row.transition, row.history_user, row.history_change_reason) == (
        "上级不同意异议，继续办理",
        people["office"],
        "请学校继续办理",
    )
    assert Objection.objects.get().answer == Objection.Answer.DISAGREED
    with pytest.raises(services.TransitionRefused):
        services.case_record_objection_answer(
            case=case, actor=people["office"], agreed=True, answered_on=date(2026, 11, 3)
        )


def _walk_reply_to_settled(case, people, settler):
    services.superior_reply_draft(case=case, actor=people["recep_jwc"], text="经核查，已答复信访人。")
    services.superior_reply_check(case=case, actor=people["office"], approve=True)
    return services.superior_reply_settle(case=case, actor=people[settler], approve=True, reason="同意报送")


def test_the_reply_to_the_superior_is_drafted_checked_settled_and_sent(people, make_case, today_is, events):
    today_is(date(2026, 11, 3))
    case = _handed_down(make_case, "handling", unit="jwc")
    unit = _client(people["recep_jwc"])
    assert unit.post(f"/cases/{case.pk}/superior/reply-draft/", {"text": "经核查，已答复信访人。"}).status_code == 302
    reply = SuperiorReply.objects.get(case=case)
    assert (reply.status, reply.drafted_by) == (SuperiorReply.Status.DRAFT, people["recep_jwc"])
    # the office sends it back once, with a reason; the unit redoes it
    office = _client(people["office"])
    office.post(f"/cases/{case.pk}/superior/reply-check/", {"decision": "reject", "reason": "请补充整改情况"})
    unit.post(f"/cases/{case.pk}/superior/reply-draft/", {"text": "经核查，已答复信访人，并已整改。"})
    office.post(f"/cases/{case.pk}/superior/reply-check/", {"decision": "approve", "reason": ""})
    reply.refresh_from_db()
    assert (reply.status, reply.checked_by) == (SuperiorReply.Status.CHECKED, people["office"])
    assert case.latest_superior_reply is None
    # 王分管 is in charge of 教务处: he settles it
    leader = _client(people["leader"])
    leader.post(f"/cases/{case.pk}/superior/reply-settle/", {"decision": "approve", "reason": "同意"})
    reply.refresh_from_db()
    assert (reply.status, reply.settled_by) == (SuperiorReply.Status.SETTLED, people["leader"])
    assert case.latest_superior_reply.text == "经核查，已答复信访人，并已整改。"
    assert not any(e == "superior_reply_sent" for _pk, e in events)
    office.post(f"/cases/{case.pk}/superior/reply-send/", {"sent_on": "2026-11-03"})
    reply.refresh_from_db()
    assert (reply.status, reply.sent_on) == (SuperiorReply.Status.SENT, date(2026, 11, 3))
    assert (case.pk, "superior_reply_sent") in events
    steps = [(s.label, s.user.username, s.reason) for s in reply.steps.all()]
    assert steps == [
        ("起草", "recep_jwc", ""),
        ("信访办退回修改", "office", "请补充整改情况"),
        ("起草", "recep_jwc", ""),
        ("信访办审核通过", "office", ""),
        ("领导审定", "leader", "同意"),
        ("报送上级", "office", "2026-11-03 报送"),
    ]
    labels = list(case.history.exclude(transition="").values_list("transition", flat=True))
    assert "复函：领导审定" in labels and "复函：报送上级" in labels
    page = office.get(f"/cases/{case.pk}/superior/").content.decode()
    assert "已报送上级" in page and "请补充整改情况" in page


def test_a_major_cases_reply_is_settled_by_the_main_leader(people, make_case, today_is):
    today_is(date(2026, 11, 3))
    case = _handed_down(make_case, "handling", unit="jwc", gravity=Gravity.MAJOR)
    with pytest.raises(Exception, match="重大事项的复函由学院主要领导审定"):
        _walk_reply_to_settled(case, people, "leader")
    reply = SuperiorReply.objects.get(case=case)
    assert reply.status == SuperiorReply.Status.CHECKED
    services.superior_reply_settle(case=case, actor=people["president"], approve=True)
    reply.refresh_from_db()
    assert (reply.status, reply.settled_by) == (SuperiorReply.Status.SETTLED, people["president"])


def test_a_leader_not_in_charge_does_not_settle_the_reply(people, make_case, today_is):
    today_is(date(2026, 11, 3))
    case = _handed_down(make_case, "handling", unit="jwc")
    with pytest.raises(Exception, match="复函由主办部门的分管院领导审定"):
        _walk_reply_to_settled(case, people, "leader2")
    assert Case.objects.get(pk=case.pk).superior_replies.get().status == SuperiorReply.Status.CHECKED
