"""Gravity (一般/重大/特别重大), the sunshine platform's own class, the procedure each kind of
matter follows (条例 第29–33条), the 被反映单位, and who decides at each level
(《湖南信息职业技术学院信访工作实施方案》四.3, 四.6(1))."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.test import Client

from cases import services
from cases.conditions import accepts_review_request
from cases.models import Adoption, Case, Gravity, Kind, Outcome, Procedure, Source, State, StatutoryRoute
from cases.selectors import queue_cases
from notifications.models import Notification
from tests.conftest import logged_in_client as _client

DAY = date(2026, 11, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


def _form(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "name": "王小明",
        "phone": "13812345678",
        "relation": "student",
        "channel": "letter",
        "source": "self",
        "received_on": DAY.isoformat(),
        "kind": "complaint",
        "summary": "反映宿舍热水供应不正常",
    }
    data.update(overrides)
    return data


def _register(people, **overrides) -> tuple[Client, object]:
    client = _client(people["clerk"])
    return client, client.post("/cases/new/", _form(**overrides))


# --- gravity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "gravity,is_major",
    [(Gravity.ORDINARY, False), (Gravity.MAJOR, True), (Gravity.GRAVE, True)],
)
def test_registration_records_the_gravity_and_is_major_follows(people, gravity, is_major):
    client, response = _register(people, gravity=gravity)
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.gravity, case.is_major) == (gravity, is_major)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'data-testid="gravity">{gravity.label}<' in page


def test_a_form_without_gravity_registers_an_ordinary_case(people):
    _register(people)
    assert Case.objects.get().gravity == Gravity.ORDINARY


def test_is_major_cannot_disagree_with_the_gravity(make_case):
    case = make_case("registered", gravity=Gravity.GRAVE)
    case.gravity = Gravity.ORDINARY
    case.save(update_fields=["gravity"])
    case.refresh_from_db()
    assert (case.gravity, case.is_major) == (Gravity.ORDINARY, False)


def test_a_major_proposal_goes_to_the_leader_in_charge_and_the_main_leader_is_told(people, units, make_case):
    case = make_case("accepted", gravity=Gravity.MAJOR)
    response = _client(people["office"]).post(
        f"/cases/{case.pk}/do/propose/",
        {"main_unit": units["jwc"].pk, "approving_leader": people["leader"].pk, "proposal": "拟请教务处办理"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.approving_leader) == (State.PROPOSED, people["leader"])
    told = Notification.objects.filter(case=case, user=people["president"], text__contains="重大事项报告")
    assert told.count() == 1
    # the main leader sees it in the approval queue and may decide it; the 分管 leader does
    assert case in services.cases_visible_to(user=people["president"])
    assert services.may_run(case, "assign", people["leader"])


def test_an_ordinary_proposal_does_not_trouble_the_main_leader(people, units, make_case):
    case = make_case("proposed")
    assert not Notification.objects.filter(case=case, user=people["president"]).exists()


def test_a_grave_reply_is_settled_by_the_main_leader_alone(people, make_case):
    case = make_case("leader_review", gravity=Gravity.GRAVE)
    assert case.approving_leader == people["leader"]
    data = {"decision": "approve", "reason": "同意"}
    refused = _client(people["leader"]).post(f"/cases/{case.pk}/do/review/", data, follow=True)
    assert "您不能执行“审定答复”" in refused.content.decode()
    case.refresh_from_db()
    assert case.state == State.LEADER_REVIEW
    assert _client(people["president"]).post(f"/cases/{case.pk}/do/review/", data).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.leader_approved_by) == (State.REPLIED, people["president"])
    last = case.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (people["president"], "同意")


def test_the_main_leader_is_told_when_a_grave_reply_waits_for_them(people, make_case):
    case = make_case("unit_review", gravity=Gravity.GRAVE)
    Notification.objects.all().delete()
    services.case_review(case=case, actor=people["head_jwc"], approve=True, reason="同意")
    assert Case.objects.get(pk=case.pk).state == State.LEADER_REVIEW
    assert Notification.objects.filter(case=case, user=people["president"], text__contains="答复待您审定")
    assert not Notification.objects.filter(case=case, text__contains="待您审定").exclude(user=people["president"])
    # the 分管 leader's review queue leaves it out; the main leader's has it
    assert case not in queue_cases(user=people["leader"], key="to_review")
    assert case in queue_cases(user=people["president"], key="to_review")


def test_a_major_reply_may_still_be_settled_by_the_leader_in_charge(people, make_case):
    case = make_case("leader_review", gravity=Gravity.MAJOR)
    services.case_review(case=case, actor=people["leader"], approve=True, reason="同意")
    assert Case.objects.get(pk=case.pk).state == State.REPLIED


# --- the sunshine platform's class ---------------------------------------------------


def test_a_sunshine_case_needs_the_platforms_class(people):
    client, response = _register(people, source=Source.SUNSHINE, superior_reference="YG2026001")
    page = response.content.decode()
    assert response.status_code == 200
    assert "教育阳光服务中心交办件请选择平台的事项分类" in page
    assert "YG2026001" in page  # what was typed is kept
    assert not Case.objects.exists()
    client.post(
        "/cases/new/",
        _form(source=Source.SUNSHINE, superior_reference="YG2026001", sunshine_class="consultation"),
    )
    case = Case.objects.get()
    assert (case.sunshine_class, case.gravity) == ("consultation", Gravity.ORDINARY)


def test_other_sources_carry_no_sunshine_class(people):
    _register(people, sunshine_class="major")
    assert Case.objects.get().sunshine_class == ""


# --- 被反映单位 ---------------------------------------------------------------------


def test_the_complained_unit_is_on_the_form_the_page_and_the_list_filter(people, units, make_case):
    _register(people, complained_unit=units["hqc"].pk, summary="反映后勤维修不及时")
    case = Case.objects.get(summary="反映后勤维修不及时")
    assert case.complained_unit == units["hqc"]
    office = _client(people["office"])
    assert 'data-testid="complained-unit">后勤保卫处<' in office.get(case.get_absolute_url()).content.decode()
    other = make_case("registered", summary="另一件")
    listed = office.get(f"/cases/?complained_unit={units['hqc'].pk}").content.decode()
    assert case.number in listed and other.number not in listed


# --- procedure: 建议意见类 (条例 第29条) ------------------------------------------------


def test_a_suggestion_follows_the_suggestion_procedure(make_case):
    assert make_case("registered", kind=Kind.SUGGESTION).procedure == Procedure.SUGGESTION
    assert make_case("registered", kind=Kind.PRAISE).procedure == Procedure.SUGGESTION
    assert make_case("registered", kind=Kind.COMPLAINT).procedure == Procedure.PETITION


def test_a_suggestions_reply_asks_what_was_adopted_not_an_outcome(people, make_case):
    case = make_case("handling", kind=Kind.SUGGESTION)
    client = _client(people["recep_jwc"])
    form = client.get(f"/cases/{case.pk}/do/reply/").content.decode()
    assert 'name="outcome"' not in form and "采纳情况" in form
    data = {
        "facts": "建议增设自习室",
        "conclusion": "建议合理可行，予以采纳",
        "handling": "已在图书馆三楼增设自习室",
        "petitioner_opinion": "认可",
    }
    missing = client.post(f"/cases/{case.pk}/do/reply/", data).content.decode()
    assert "请选择采纳情况" in missing
    response = client.post(f"/cases/{case.pk}/do/reply/", {**data, "adoption": "adopted", "outcome": "support"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.adoption, case.outcome) == (State.REPLIED, Adoption.ADOPTED, "")
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="adoption">采纳<' in page


def test_the_service_refuses_an_outcome_for_a_suggestion(people, make_case):
    case = make_case("handling", kind=Kind.SUGGESTION)
    with pytest.raises(services.TransitionRefused, match=r"建议意见类事项.*不作“支持/不予支持”"):
        services.case_reply(
            case=case,
            actor=people["recep_jwc"],
            facts="事实",
            conclusion="结论",
            handling="处理",
            petitioner_opinion="意见",
            outcome=Outcome.SUPPORT,
            adoption=Adoption.ADOPTED,
        )
    assert Case.objects.get(pk=case.pk).state == State.HANDLING


def test_no_review_request_is_accepted_for_a_suggestion_or_a_statutory_matter(make_case):
    assert accepts_review_request(make_case("replied", kind=Kind.COMPLAINT))
    assert not accepts_review_request(make_case("replied", kind=Kind.SUGGESTION))
    assert not accepts_review_request(make_case("statutory"))


def test_a_dispute_may_end_in_mediation_or_settlement(people, make_case):
    case = make_case("handling")
    client = _client(people["recep_jwc"])
    form = client.get(f"/cases/{case.pk}/do/reply/").content.decode()
    assert 'value="mediation"' in form and 'value="settlement"' in form
    data = {
        "facts": "双方就宿舍赔偿存在争议",
        "conclusion": "经调解达成一致",
        "handling": "签订调解协议书",
        "petitioner_opinion": "同意",
        "outcome": "mediation",
    }
    assert client.post(f"/cases/{case.pk}/do/reply/", data).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome) == (State.REPLIED, Outcome.MEDIATION)


# --- procedure: 依法定途径 (条例 第31条(一)–(四)) -------------------------------------------


@pytest.mark.parametrize("start", [State.REGISTERED, State.ACCEPTED])
def test_a_statutory_matter_is_routed_there_and_closed(people, make_case, start):
    case = make_case(start)
    client = _client(people["office"])
    incomplete = client.post(
        f"/cases/{case.pk}/do/statutory/", {"route": "personnel_arbitration", "body": "", "reason": "人事争议"}
    )
    assert "请填写受理机关" in incomplete.content.decode()
    assert Case.objects.get(pk=case.pk).state == start
    response = client.post(
        f"/cases/{case.pk}/do/statutory/",
        {"route": "personnel_arbitration", "body": "长沙市劳动人事争议仲裁委员会", "reason": "属人事争议"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.STATUTORY and not case.is_open
    assert (case.procedure, case.statutory_route, case.statutory_body) == (
        Procedure.STATUTORY,
        StatutoryRoute.PERSONNEL_ARBITRATION,
        "长沙市劳动人事争议仲裁委员会",
    )
    last = case.history.order_by("-history_id").first()
    assert (last.history_user, last.transition, last.history_change_reason) == (
        people["office"],
        "导入法定途径",
        "属人事争议",
    )
    page = client.get(case.get_absolute_url()).content.decode()
    assert "人事争议仲裁（长沙市劳动人事争议仲裁委员会）" in page


def test_only_the_office_routes_a_matter_to_its_statutory_procedure(people, make_case):
    case = make_case("registered")
    for who in ("clerk", "recep_jwc", "leader"):
        _client(people[who]).post(
            f"/cases/{case.pk}/do/statutory/", {"route": "lawsuit", "body": "某区人民法院", "reason": "诉讼"}
        )
    assert Case.objects.get(pk=case.pk).state == State.REGISTERED
