"""Every transition, pressed through its page by every demo login: the right role and unit
moves the case on, everyone else is refused and nothing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, State
from documents.demo import deliver_answer
from people.demo import PEOPLE
from tests.conftest import logged_in_client as _client

ALL_USERS = [p[0] for p in PEOPLE]
OFFICE = {"office", "office2"}
JWC_STAFF = {"head_jwc", "recep_jwc"}


def _data(action: str, people, units) -> dict:
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    return {
        "accept": {"reason": ""},
        "decline": {"reason": "不属于学院职责范围"},
        "forward": {"forwarded_to": "长沙市人社局", "reason": "劳动争议，依职责转送"},
        "propose": {
            "main_unit": units["jwc"].pk,
            "approving_leader": people["leader"].pk,
            "proposal": "拟请教务处牵头办理",
        },
        "assign": {"instruction": "请认真核实，及时答复", "due_date": due, "requirements": ""},
        "send-back": {"reason": "主办部门不妥，请重新拟办"},
        "take": {},
        "return": {"reason": "不属于本部门职责"},
        "reply": {
            "facts": "经核实情况属实",
            "conclusion": "诉求合理",
            "handling": "已整改",
            "petitioner_opinion": "认可",
            "outcome": "support",
        },
        "review-approve": {"decision": "approve", "reason": "同意"},
        "review-reject": {"decision": "reject", "reason": "事实不清，请补充"},
        "archive": {"reason": ""},
        "follow-up": {"satisfaction": "satisfied", "method": "phone", "comment": "满意"},
    }[action]


# (action in the URL, data key, state the case starts in, major?, expected state, who may)
MATRIX = [
    ("accept", "accept", State.REGISTERED, False, State.ACCEPTED, OFFICE),
    ("decline", "decline", State.REGISTERED, False, State.NOT_ACCEPTED, OFFICE),
    ("forward", "forward", State.REGISTERED, False, State.FORWARDED, OFFICE),
    ("propose", "propose", State.ACCEPTED, False, State.PROPOSED, OFFICE),
    # walk() sends ordinary proposals to "leader" (分管, 教务处 in charge); the main leader may too
    ("assign", "assign", State.PROPOSED, False, State.ASSIGNED, {"leader", "president"}),
    ("send-back", "send-back", State.PROPOSED, False, State.ACCEPTED, {"leader", "president"}),
    # a major proposal goes to the 分管 leader (walk() picks 教务处's), the 主要领导 being told (四.3)
    ("assign", "assign", State.PROPOSED, True, State.ASSIGNED, {"leader", "president"}),
    ("take", "take", State.ASSIGNED, False, State.HANDLING, JWC_STAFF),
    ("return", "return", State.ASSIGNED, False, State.ACCEPTED, JWC_STAFF),
    ("reply", "reply", State.HANDLING, False, State.REPLIED, JWC_STAFF),
    ("reply", "reply", State.HANDLING, True, State.UNIT_REVIEW, JWC_STAFF),
    ("review", "review-approve", State.UNIT_REVIEW, True, State.LEADER_REVIEW, {"head_jwc"}),
    ("review", "review-reject", State.UNIT_REVIEW, True, State.HANDLING, {"head_jwc"}),
    ("review", "review-approve", State.LEADER_REVIEW, True, State.REPLIED, {"president", "leader"}),
    ("review", "review-reject", State.LEADER_REVIEW, True, State.HANDLING, {"president", "leader"}),
    ("archive", "archive", State.REPLIED, False, State.ARCHIVED, OFFICE),
    ("follow-up", "follow-up", State.ARCHIVED, False, State.FOLLOWED_UP, OFFICE),
]


@pytest.mark.parametrize(
    "action,data_key,start,major,expected,allowed",
    MATRIX,
    ids=[f"{m[0]}:{m[1]}:{m[2]}{':major' if m[3] else ''}" for m in MATRIX],
)
def test_transition_matrix(people, units, make_case, action, data_key, start, major, expected, allowed):
    data = _data(data_key, people, units)

    # Everyone else first, on one case: each is refused and the case does not move.
    case = make_case(state=start, is_major=major)
    history_before = case.history.count()
    for username in sorted(set(ALL_USERS) - allowed):
        response = _client(people[username]).post(f"/cases/{case.pk}/do/{action}/", data)
        assert response.status_code in (302, 404), (username, response.status_code)
        case.refresh_from_db()
        assert case.state == start, f"{username} moved the case to {case.state}"
    assert case.history.count() == history_before

    # Each allowed person, on a fresh case: the case moves and the history says who and why.
    for username in sorted(allowed):
        case = make_case(state=start, is_major=major)
        if action == "archive":  # filed once its answer was delivered (documents.guards)
            deliver_answer(case, people["office"])
        response = _client(people[username]).post(f"/cases/{case.pk}/do/{action}/", data)
        assert response.status_code == 302, (username, response.content.decode()[:2000])
        case.refresh_from_db()
        assert case.state == expected, username
        last = case.history.order_by("-history_id").first()
        assert last.history_user == people[username]
        assert last.state == expected
        assert last.transition  # a readable label for the timeline
        if data.get("reason"):
            assert last.history_change_reason == data["reason"]


def test_refused_user_is_told_why(people, make_case):
    case = make_case(state=State.REGISTERED)
    response = _client(people["clerk"]).post(f"/cases/{case.pk}/do/accept/", {"reason": ""}, follow=True)
    assert "您不能执行“受理”" in response.content.decode()


def test_only_available_buttons_are_shown(people, make_case):
    case = make_case(state=State.HANDLING)
    office_page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    unit_page = _client(people["recep_jwc"]).get(case.get_absolute_url()).content.decode()
    assert 'data-action="reply"' in unit_page
    assert 'data-action="reply"' not in office_page
    assert 'data-action="accept"' not in unit_page


def test_reason_is_required_where_the_seeds_ask(people, make_case):
    case = make_case(state=State.REGISTERED)
    response = _client(people["office"]).post(f"/cases/{case.pk}/do/decline/", {"reason": "  "})
    assert response.status_code == 200
    assert "请填写理由" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.REGISTERED


def test_incomplete_report_is_refused_in_place(people, make_case):
    case = make_case(state=State.HANDLING)
    response = _client(people["recep_jwc"]).post(
        f"/cases/{case.pk}/do/reply/", {"facts": "已核实", "conclusion": "", "outcome": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写结论" in body and "请选择处理结果" in body
    assert "已核实" in body  # what was typed is kept
    case.refresh_from_db()
    assert case.state == State.HANDLING


def test_return_clears_the_assignment_for_re_proposal(people, units, make_case):
    case = make_case(state=State.ASSIGNED)
    case.co_units.add(units["hqc"])
    _client(people["head_jwc"]).post(f"/cases/{case.pk}/do/return/", {"reason": "不属于本部门职责"})
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    assert case.main_unit is None and case.co_units.count() == 0
    assert case.return_reason == "不属于本部门职责"
    # the unit no longer sees it; the office proposes again
    assert _client(people["head_jwc"]).get(case.get_absolute_url()).status_code == 404
    assert _client(people["office"]).get(f"/cases/{case.pk}/do/propose/").status_code == 200


def test_major_proposal_must_go_to_the_leader_in_charge_of_the_unit(people, units, make_case):
    """王分管 is not in charge of 软件学院 (朱分管 is): a major proposal to him is refused."""
    case = make_case(state=State.ACCEPTED, is_major=True)
    response = _client(people["office"]).post(
        f"/cases/{case.pk}/do/propose/",
        {"main_unit": units["rj"].pk, "approving_leader": people["leader"].pk, "proposal": "拟办"},
    )
    assert "重大事项须呈报主办部门的分管院领导" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_assignment_due_date_cannot_be_in_the_past(people, make_case):
    case = make_case(state=State.PROPOSED)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = _client(people["leader"]).post(
        f"/cases/{case.pk}/do/assign/", {"instruction": "请办理", "due_date": yesterday}
    )
    assert "办理期限不能早于今天" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.PROPOSED


def test_state_field_is_protected(make_case):
    case = make_case()
    with pytest.raises(AttributeError):
        case.state = State.ARCHIVED


def test_the_service_itself_refuses_a_major_case_to_a_leader_not_in_charge(people, units, make_case):
    """The rule lives in the propose transition, not only in the form: any caller of the
    service meets it, and the case, its units and its history stay as they were."""
    case = make_case(state=State.ACCEPTED, is_major=True)
    steps = case.history.count()
    with pytest.raises(services.TransitionRefused, match="重大事项须呈报主办部门的分管院领导"):
        services.case_propose(
            case=Case.objects.get(pk=case.pk),
            actor=people["office"],
            main_unit=units["rj"],
            co_units=[units["hqc"]],
            approving_leader=people["leader"],
            proposal="拟办",
        )
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.main_unit, case.approving_leader) == (State.ACCEPTED, None, None)
    assert case.co_units.count() == 0 and case.history.count() == steps
    # the 分管 leader of 软件学院 may take it, and so may the main leader
    services.case_propose(
        case=case,
        actor=people["office"],
        main_unit=units["rj"],
        co_units=[],
        approving_leader=people["leader2"],
        proposal="拟办",
    )
    assert Case.objects.get(pk=case.pk).state == State.PROPOSED
