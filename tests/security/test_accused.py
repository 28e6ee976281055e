"""Issue 13 points 1 and 2: a 举报 never reaches the people it accuses, nor their units
(《信访工作条例》第三十条第三款; seed 004 第九条).

The clerk picks each accused person from the staff directory (姓名 · 部门 · 职务, so that
namesakes are told apart); a name written but not picked is 未核实 and stops the case
from being proposed or assigned until the office says who is meant; the office can
correct a link later, in the history with who and why. No unit that is accused, or whose
head, 分管 leader or member is, may be 主办 or 协办, and a refused attempt is logged."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from cases import services
from cases.conditions import barred_units
from cases.models import REFUSED_ROUTING, AccusedPerson, Case, CaseAccessLog, Channel, Kind, State
from cases.selectors import accused_case_ids, cases_visible_to
from people.models import User
from tests.conftest import logged_in_client as _client

DAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


def _form(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "name": "举报人乙",
        "phone": "13900002222",
        "relation": "staff",
        "channel": "letter",
        "source": "self",
        "received_on": DAY.isoformat(),
        "kind": "report",
        "summary": "举报计算机工程学院院长挪用科研经费",
    }
    data.update(overrides)
    return data


def _register(who: User, **overrides) -> Case:
    data = _form(**overrides)
    response = _client(who).post("/cases/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(submission_token=data["submission_token"])


def _report(people, accused, **fields) -> Case:
    case, _ = services.case_register(
        actor=people["clerk"],
        petitioner=services.PetitionerData(name="举报人丙", phone="13900003333"),
        data=services.CaseData(
            channel=Channel.LETTER,
            kind=Kind.REPORT,
            received_on=DAY - timedelta(days=1),
            summary=fields.pop("summary", "举报有关人员违规收受礼品"),
            accused_people=list(accused),
            **fields,
        ),
    )
    services.case_accept(case=case, actor=people["office"])
    case.refresh_from_db()
    return case


def _propose_post(people, case, main, co=()) -> str:
    response = _client(people["office"]).post(
        f"/cases/{case.pk}/do/propose/",
        {
            "main_unit": main.pk,
            "co_units": [u.pk for u in co],
            "approving_leader": people["leader2"].pk,
            "proposal": "拟请纪检监察室调查核实。",
        },
    )
    return response.content.decode()


def _hidden_from(user: User, case: Case) -> bool:
    return case.pk in set(accused_case_ids(user).values_list("case_id", flat=True))


def _refusals(case: Case) -> list[CaseAccessLog]:
    return list(CaseAccessLog.objects.filter(case=case, action=REFUSED_ROUTING).order_by("pk"))


# --- the issue's own scenario ------------------------------------------------------------


def test_a_head_named_with_his_title_is_resolved_and_the_report_kept_from_his_unit(people, units, client_for):
    """ "刘院长(院长)" matches nobody exactly: it is 未核实, kept from 刘院长 meanwhile, and the
    case cannot be proposed; once the office links it to him, the case is hidden from him
    and his unit's receptionist, and 计算机工程学院 may be neither 主办 nor 协办."""
    head, receptionist = people["head_jsj"], people["recep_jsj"]
    case = _register(people["clerk"], accused_people="刘院长(院长)")
    person = case.accused_people.get()
    assert (person.name, person.user, person.status) == ("刘院长(院长)", None, AccusedPerson.Status.UNRESOLVED)
    assert _hidden_from(head, case)  # his name is in the name written: kept from him at once
    assert not _hidden_from(receptionist, case)

    office = client_for(people["office"])
    assert "未核实" in office.get(case.get_absolute_url()).content.decode()
    services.case_accept(case=case, actor=people["office"])
    page = _propose_post(people, case, units["jjjc"])
    assert "被举报人“刘院长(院长)”尚未核实" in page
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED

    # the office says who is meant
    resolve = f"/cases/{case.pk}/accused/{person.pk}/"
    assert "刘院长(院长)" in office.get(resolve).content.decode()
    reason = "经向举报人核实，所指为计算机工程学院院长。"
    assert office.post(resolve, {"user": head.pk, "reason": reason}).status_code == 302
    person.refresh_from_db()
    assert (person.user, person.unit, person.status) == (head, units["jsj"], AccusedPerson.Status.LINKED)

    # 计算机工程学院 is offered disabled, and refused as 主办 or 协办, each time logged
    form = office.get(f"/cases/{case.pk}/do/propose/").content.decode()
    assert "计算机工程学院（须回避）" in form and "是该部门负责人" in form
    assert "被举报部门不能承办针对本部门的举报件" in _propose_post(people, case, units["jsj"])
    assert "被举报部门不能协办针对本部门的举报件" in _propose_post(people, case, units["jjjc"], co=[units["jsj"]])
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    main, co = _refusals(case)
    assert main.user == people["office"] and "主办：计算机工程学院" in main.detail
    assert "协办：计算机工程学院（被举报人刘院长在该部门工作，被举报人刘院长是该部门负责人）" in co.detail

    _propose_post(people, case, units["jjjc"], co=[units["xgc"]])
    case.refresh_from_db()
    assert case.state == State.PROPOSED and list(case.co_units.all()) == [units["xgc"]]
    services.case_assign(
        case=case, actor=people["leader2"], instruction="请纪检监察室核查。", due_date=DAY + timedelta(days=10)
    )

    # the case ends hidden from the accused head and his unit's receptionist: no page, no
    # list row, no search hit, not the reporter's name
    for who in (head, receptionist):
        client = _client(who)
        assert client.get(case.get_absolute_url()).status_code == 404
        listing = client.get("/cases/", {"q": "举报人乙"}).content.decode()
        assert f'href="/cases/{case.pk}/"' not in listing and "共 0 件" in listing
        assert case.number not in client.get("/cases/").content.decode()
        assert not cases_visible_to(user=who).filter(pk=case.pk).exists()
    # the units that handle it still do
    assert _client(people["discipline"]).get(case.get_absolute_url()).status_code == 200
    assert _client(people["head_xgc"]).get(case.get_absolute_url()).status_code == 200


def test_a_report_a_unit_registered_itself_naming_its_head_leaves_the_unit(people, units):
    """二级信访: the unit sees what it registered, but not once it names its own head."""
    receptionist, head = people["recep_jsj"], people["head_jsj"]
    case = _register(receptionist, accused_users=[head.pk])
    assert case.registered_unit == units["jsj"]
    assert case.accused_people.get().user == head
    for who in (head, receptionist):
        assert _client(who).get(case.get_absolute_url()).status_code == 404


# --- namesakes ----------------------------------------------------------------------------


@pytest.fixture
def namesakes(people, units):
    """Two members of staff called 王芳, in 教务处 and in 后勤保卫处."""
    made = {}
    for code in ("jwc", "hqc"):
        made[code] = User.objects.create_user(
            username=f"wang_{code}", password="pw", full_name="王芳", role=User.Role.RECEPTIONIST, unit=units[code]
        )
    return made


def test_namesakes_are_told_apart_in_the_picker_and_only_the_one_picked_is_kept_out(people, units, namesakes):
    clerk = _client(people["clerk"])
    found = clerk.get("/staff/", {"q": "王芳"}).json()["results"]
    assert sorted(e["label"] for e in found) == ["王芳 · 后勤保卫处 · 部门信访接待员", "王芳 · 教务处 · 部门信访接待员"]
    # name, unit and title only: no account, contact or case
    assert all(set(e) == {"id", "name", "unit", "title", "label"} for e in found)
    picked = next(e for e in found if e["unit"] == "教务处")
    assert picked["id"] == namesakes["jwc"].pk

    case = _register(people["clerk"], accused_users=[picked["id"]], summary="举报教务处王芳收受学生家长礼品")
    assert case.accused_people.get().user == namesakes["jwc"]
    assert units["jwc"].pk in barred_units(case) and units["hqc"].pk not in barred_units(case)
    services.case_accept(case=case, actor=people["office"])
    services.case_propose(
        case=case,
        actor=people["office"],
        main_unit=units["jjjc"],
        co_units=[units["hqc"]],
        approving_leader=people["leader2"],
        proposal="拟请纪检监察室核查，后勤保卫处协助。",
    )
    services.case_assign(case=case, actor=people["leader2"], instruction="同意。", due_date=DAY + timedelta(days=10))
    # the 王芳 of 后勤保卫处 helps with the case; the one picked, and her unit, never see it
    assert _client(namesakes["hqc"]).get(case.get_absolute_url()).status_code == 200
    for who in (namesakes["jwc"], people["head_jwc"], people["recep_jwc"]):
        assert _client(who).get(case.get_absolute_url()).status_code == 404


def test_a_name_two_people_share_is_not_guessed(people, namesakes):
    case = _report(people, ["王芳"])
    person = case.accused_people.get()
    assert (person.user, person.status) == (None, AccusedPerson.Status.UNRESOLVED)
    # until the office says which, both are kept out
    assert _hidden_from(namesakes["jwc"], case) and _hidden_from(namesakes["hqc"], case)
    services.accused_person_resolve(
        person=person, actor=people["office"], user=namesakes["hqc"], reason="举报信所附照片为后勤保卫处王芳。"
    )
    assert _hidden_from(namesakes["hqc"], case) and not _hidden_from(namesakes["jwc"], case)


# --- 未核实 names ------------------------------------------------------------------------------


def test_an_unmatched_name_blocks_the_proposal_until_the_office_resolves_it(people, units, client_for):
    case = _report(people, ["外校某人"])
    person = case.accused_people.get()
    assert person.status == AccusedPerson.Status.UNRESOLVED
    assert services.may_run(case, "propose", people["office"])  # the button stays; the step says why not
    with pytest.raises(services.TransitionRefused, match="尚未核实"):
        services.case_propose(
            case=case,
            actor=people["office"],
            main_unit=units["jjjc"],
            co_units=[],
            approving_leader=people["leader2"],
            proposal="拟办",
        )
    assert "被举报人“外校某人”尚未核实" in _propose_post(people, case, units["jjjc"])
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    assert _refusals(case) == []  # not a unit refused: nothing to log

    office = client_for(people["office"])
    resolve = f"/cases/{case.pk}/accused/{person.pk}/"
    page = office.post(resolve, {"reason": "需核实"}).content.decode()
    assert "请选定对应的工作人员，或确认为非本校工作人员。" in page
    assert office.post(resolve, {"external": "on", "reason": "举报所指为外包公司员工。"}).status_code == 302
    person.refresh_from_db()
    assert (person.status, person.user) == (AccusedPerson.Status.EXTERNAL, None)
    assert "外校某人（非本校工作人员）" in office.get(case.get_absolute_url()).content.decode()

    _propose_post(people, case, units["jjjc"])
    case.refresh_from_db()
    assert case.state == State.PROPOSED
    # a name that turns 未核实 again (a bulk load, say) stops the 交办 too
    AccusedPerson.objects.filter(pk=person.pk).update(status=AccusedPerson.Status.UNRESOLVED)
    with pytest.raises(services.TransitionRefused, match="尚未核实"):
        services.case_assign(case=case, actor=people["leader2"], instruction="同意", due_date=DAY + timedelta(days=10))
    assert Case.objects.get(pk=case.pk).state == State.PROPOSED


def test_a_name_written_exactly_as_one_member_of_staff_is_linked(people, units):
    """The demo and the services name people as written: an exact, unique name is the
    person (spaces and full-width forms aside)."""
    case = _report(people, ["刘 院长", "李教务"])
    assert [(p.user, p.status) for p in case.accused_people.all()] == [
        (people["head_jsj"], AccusedPerson.Status.LINKED),
        (people["head_jwc"], AccusedPerson.Status.LINKED),
    ]


# --- the office's correction -------------------------------------------------------------------


def test_the_office_corrects_a_link_and_the_history_keeps_who_and_why(people, units, client_for):
    case = _report(people, [people["head_jwc"]])
    person = case.accused_people.get()
    assert _hidden_from(people["recep_jwc"], case)
    reason = "经核实，举报所指为后勤保卫处负责人黄某，登记时选错。"
    office = client_for(people["office"])
    assert (
        office.post(f"/cases/{case.pk}/accused/{person.pk}/", {"user": people["head_hqc"].pk, "reason": reason})[
            "Location"
        ]
        == case.get_absolute_url()
    )

    person.refresh_from_db()
    assert (person.user, person.unit) == (people["head_hqc"], units["hqc"])
    latest, first = person.history.order_by("-history_id")[:2]
    assert (latest.history_user, latest.history_change_reason, latest.user_id) == (
        people["office"],
        reason,
        people["head_hqc"].pk,
    )
    assert (first.history_user, first.user_id) == (people["clerk"], people["head_jwc"].pk)
    note = case.history.filter(transition="更正被举报人").get()
    assert note.history_user == people["office"]
    assert "李教务 · 教务处 · 部门负责人 → 黄后勤 · 后勤保卫处 · 部门负责人" in note.history_change_reason
    assert reason in note.history_change_reason
    assert "更正被举报人" in office.get(case.get_absolute_url()).content.decode()
    # who is kept out follows the correction
    assert _hidden_from(people["head_hqc"], case)
    assert not _hidden_from(people["recep_jwc"], case) and not _hidden_from(people["head_jwc"], case)
    assert units["hqc"].pk in barred_units(case) and units["jwc"].pk not in barred_units(case)


def test_only_the_office_corrects_and_always_with_a_reason(people, client_for):
    case = _report(people, ["外校某人"])
    person = case.accused_people.get()
    # the clerk registered it and sees it, but may not resolve it
    assert client_for(people["clerk"]).get(f"/cases/{case.pk}/accused/{person.pk}/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.accused_person_resolve(person=person, actor=people["clerk"], user=None, reason="非本校")
    with pytest.raises(services.TransitionRefused, match="理由"):
        services.accused_person_resolve(person=person, actor=people["office"], user=None, reason=" ")
    person.refresh_from_db()
    assert person.status == AccusedPerson.Status.UNRESOLVED and person.history.count() == 1


# --- point 2: 主办 and 协办 ----------------------------------------------------------------------


def test_no_unit_a_accused_leader_is_in_charge_of_may_help_and_each_refusal_is_logged(people, units):
    """王分管 is in charge of 教务处, 学生工作处, 计算机工程学院 and 后勤保卫处."""
    case = _report(people, [people["leader"]], summary="举报分管院领导干预招标")
    barred = barred_units(case)
    assert {units[c].pk for c in ("jwc", "xgc", "jsj", "hqc")} <= set(barred)
    assert "被举报人王分管分管该部门" in barred[units["jwc"].pk]
    assert "被举报部门不能协办针对本部门的举报件" in _propose_post(people, case, units["jjjc"], co=[units["jwc"]])
    with pytest.raises(services.TransitionRefused, match="被举报部门不能协办"):
        services.case_propose(
            case=case,
            actor=people["office"],
            main_unit=units["jjjc"],
            co_units=[units["dz"], units["hqc"]],
            approving_leader=people["leader2"],
            proposal="拟办",
        )
    by_form, by_service = _refusals(case)
    assert "协办：教务处（被举报人王分管分管该部门）" in by_form.detail
    assert "协办：后勤保卫处" in by_service.detail and "电子工程学院" not in by_service.detail
    assert {by_form.user, by_service.user} == {people["office"]}
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and not case.co_units.exists()


def test_a_correction_that_bars_the_main_unit_stops_the_assignment_and_drops_barred_co_units(people, units):
    case = _report(people, ["外校某人"])
    person = case.accused_people.get()
    services.accused_person_resolve(person=person, actor=people["office"], user=None, reason="非本校人员")
    services.case_propose(
        case=case,
        actor=people["office"],
        main_unit=units["dz"],
        co_units=[units["jwc"]],
        approving_leader=people["leader2"],
        proposal="拟请电子工程学院调查，教务处协助。",
    )
    # the office learns the person is 教务处's head: 教务处 stops helping at once
    services.accused_person_resolve(
        person=person, actor=people["office"], user=people["head_jwc"], reason="举报人补充材料，所指为教务处处长。"
    )
    case.refresh_from_db()
    assert not case.co_units.exists()
    assert case.history.filter(transition="取消协办").exists()
    # and then it is 电子工程学院's head: the leader's 交办 is refused and logged
    services.accused_person_resolve(
        person=person, actor=people["office"], user=people["head_dz"], reason="再次核实，所指为电子工程学院院长。"
    )
    with pytest.raises(services.TransitionRefused, match="被举报部门不能承办"):
        services.case_assign(case=case, actor=people["leader2"], instruction="同意", due_date=DAY + timedelta(days=10))
    (refusal,) = _refusals(case)
    assert refusal.user == people["leader2"] and refusal.detail.startswith("批示交办：主办：电子工程学院")
    assert Case.objects.get(pk=case.pk).state == State.PROPOSED


# --- the directory and the form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk", 200), ("office", 200), ("recep_jwc", 200), ("head_jwc", 200), ("leader", 403), ("discipline", 403)],
)
def test_the_staff_directory_is_for_who_registers_and_the_office(people, who, status):
    response = _client(people[who]).get("/staff/", {"q": "刘"})
    assert response.status_code == status
    if status == 200:
        assert response.json() == {
            "results": [
                {
                    "id": people["head_jsj"].pk,
                    "name": "刘院长",
                    "unit": "计算机工程学院",
                    "title": "部门负责人",
                    "label": "刘院长 · 计算机工程学院 · 部门负责人",
                }
            ]
        }


def test_the_directory_asks_for_a_log_in(db):
    from django.test import Client

    response = Client().get("/staff/", {"q": "刘"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_registration_form_offers_the_picker_without_inline_script(people):
    page = _client(people["clerk"]).get("/cases/new/").content.decode()
    assert 'data-staff-picker="/staff/"' in page
    assert "js/staff-picker.js" in page
    assert "onclick" not in page and "<script>" not in page
    # a complaint names nobody: what was picked is dropped
    case = _register(
        people["clerk"], kind="complaint", summary="反映食堂价格偏高", accused_users=[people["head_jsj"].pk]
    )
    assert not case.accused_people.exists()
