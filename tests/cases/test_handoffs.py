"""Every hand-off tells the person or unit whose turn it is (issue 14, point 1;
cases.handoffs): walked step by step through the services, as the pages call them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Gravity, Kind, State
from documents import services as documents
from documents.models import DocumentKind
from notifications.models import Notification
from people.models import Unit

pytestmark = pytest.mark.django_db


def told(case) -> dict[str, str]:
    """username -> the text of their notification about `case`."""
    return dict(Notification.objects.filter(case=case).values_list("user__username", "text"))


def _fresh(make_case, state="registered", **fields):
    case = make_case(state, **fields)
    Notification.objects.all().delete()
    return case


def test_registration_tells_the_office_not_the_clerk(people):
    case, _ = services.case_register(
        actor=people["clerk"],
        petitioner=services.PetitionerData(name="王同学", phone="13800001111"),
        data=services.CaseData(
            channel="letter",
            kind=Kind.COMPLAINT,
            received_on=timezone.localdate(),
            summary="反映宿舍热水供应不足",
            content="详细内容",
        ),
    )
    text = f"【待办】新登记信访件，待受理：{case.number} 反映宿舍热水供应不足"
    assert told(case) == {"office": text, "office2": text}


def test_the_proposal_goes_to_its_leader_and_the_assignment_to_both_units(people, make_case, units):
    case = _fresh(make_case, "accepted")
    services.case_propose(
        case=case,
        actor=people["office"],
        main_unit=units["jwc"],
        co_units=[units["jsj"]],
        approving_leader=people["leader"],
        proposal="拟请教务处牵头办理",
    )
    assert set(told(case)) == {"leader"}
    assert "拟办意见待您批示" in told(case)["leader"]
    Notification.objects.all().delete()

    due = timezone.localdate() + timedelta(days=20)
    services.case_assign(case=case, actor=people["leader"], instruction="同意拟办意见", due_date=due)
    messages = told(case)
    assert set(messages) == {"head_jwc", "recep_jwc", "head_jsj", "recep_jsj"}
    assert "交办（主办）" in messages["head_jwc"] and f"{due:%Y年%-m月%-d日}" in messages["head_jwc"]
    assert "交办（协办）" in messages["recep_jsj"]
    # it says what the case is about, and links to it
    n = Notification.objects.get(user=people["head_jwc"])
    assert case.number in n.text and case.summary[:10] in n.text and n.link == case.get_absolute_url()


def test_a_leader_sending_back_and_a_unit_returning_tell_the_office_why(people, make_case):
    case = _fresh(make_case, "proposed")
    services.case_send_back_proposal(case=case, actor=people["leader"], reason="主办部门不对，请改由学工处")
    assert set(told(case)) == {"office", "office2"}
    assert "领导退回拟办意见" in told(case)["office"] and "请改由学工处" in told(case)["office"]

    case = _fresh(make_case, "assigned")
    services.case_return(case=case, actor=people["recep_jwc"], reason="不属本部门职责")
    assert "承办部门退回，请重新拟办（不属本部门职责）" in told(case)["office2"]
    assert "recep_jwc" not in told(case)  # nobody is told of their own step


def test_the_unit_taking_its_own_case_tells_nobody(people, make_case):
    case = _fresh(make_case, "assigned")
    services.case_take(case=case, actor=people["recep_jwc"])
    assert told(case) == {}


def _reply(case, actor):
    services.case_reply(
        case=case,
        actor=actor,
        facts="经调查属实",
        conclusion="存在不足",
        handling="已整改",
        petitioner_opinion="认可",
        outcome="supported",
    )


def test_an_ordinary_reply_goes_to_the_office(people, make_case):
    case = _fresh(make_case, "handling")
    _reply(case, people["recep_jwc"])
    assert set(told(case)) == {"office", "office2"}
    assert "承办部门已答复，待送达归档" in told(case)["office"]


def test_a_major_reply_goes_to_the_unit_head_then_the_leader_and_a_refusal_back(people, make_case):
    case = _fresh(make_case, "handling", gravity=Gravity.MAJOR)
    _reply(case, people["recep_jwc"])
    case.refresh_from_db()
    assert case.state == State.UNIT_REVIEW
    assert told(case) == {"head_jwc": told(case)["head_jwc"]} and "答复待您审定" in told(case)["head_jwc"]
    Notification.objects.all().delete()

    services.case_review(case=case, actor=people["head_jwc"], approve=True, reason="同意")
    assert set(told(case)) == {case.approving_leader.username}
    Notification.objects.all().delete()

    services.case_review(case=case, actor=case.approving_leader, approve=False, reason="事实不清，请补充调查")
    messages = told(case)
    assert set(messages) == {"head_jwc", "recep_jwc"}
    assert "答复被领导退回修改（事实不清，请补充调查）" in messages["recep_jwc"]


def test_a_report_names_its_number_only_and_never_reaches_the_accused_unit(people, make_case, units):
    case = _fresh(make_case, "accepted", kind=Kind.REPORT, summary="举报某某收受礼品")
    case.accused_units.add(units["jsj"])
    services.case_propose(
        case=case,
        actor=people["office"],
        main_unit=Unit.objects.get(code="jjjc"),
        co_units=[],
        approving_leader=people["president"],
        proposal="拟请纪检监察室核查",
    )
    services.case_assign(
        case=case, actor=people["president"], instruction="请核查", due_date=timezone.localdate() + timedelta(days=20)
    )
    messages = told(case)
    assert set(messages) == {"president", "discipline"}
    assert (
        messages["discipline"]
        == f"【待办】交办（主办），请签收办理，限 {case.due_date:%Y年%-m月%-d日} 前办结：信访件 {case.number}"
    )
    assert all("收受礼品" not in text for text in messages.values())
    brief = Notification.objects.get(user=people["discipline"]).brief
    assert brief.endswith(f"信访件 {case.number}") and "收受礼品" not in brief


def test_an_issued_notice_waits_for_delivery_with_the_rest_of_the_office(people, make_case):
    case = _fresh(make_case, "accepted")
    documents.document_issue(case=case, kind=DocumentKind.ACCEPTANCE, actor=people["office"])
    assert set(told(case)) == {"office2"}
    assert "受理告知书已签发，待登记送达" in told(case)["office2"]
