"""A 举报 goes to 纪检监察 (《信访工作条例》第二十二条、第三十条): the proposal offers the
discipline unit, whose own staff handle the case as that unit's handlers, while the
accused unit and people never see it."""

from __future__ import annotations

from datetime import date

import pytest

from cases import services
from cases.models import Case, Kind, State
from cases.selectors import cases_visible_to, queue_cases
from tests.conftest import logged_in_client as _client


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(date(2026, 11, 10))


def _report(make_case, state="accepted", **fields):
    return make_case(
        state,
        kind=Kind.REPORT,
        accused_units=fields.pop("accused_units", []),
        accused_people=fields.pop("accused_people", []),
        **fields,
    )


def test_proposing_a_report_offers_the_discipline_unit(people, units, make_case):
    case = _report(make_case)
    form = _client(people["office"]).get(f"/cases/{case.pk}/do/propose/").content.decode()
    assert f'<option value="{units["jjjc"].pk}" selected>' in form
    assert "由纪检监察部门办理" in form
    ordinary = make_case("accepted")
    form = _client(people["office"]).get(f"/cases/{ordinary.pk}/do/propose/").content.decode()
    assert f'<option value="{units["jjjc"].pk}" selected>' not in form


def test_the_discipline_staff_take_and_answer_a_report_as_the_units_handlers(people, units, make_case):
    case = _report(make_case, "assigned", unit="jjjc", accused_units=[units["jsj"]], accused_people=["刘院长"])
    discipline = people["discipline"]
    assert case.main_unit == units["jjjc"]
    assert case in queue_cases(user=discipline, key="to_take")
    client = _client(discipline)
    assert client.post(f"/cases/{case.pk}/do/take/", {}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.HANDLING
    last = case.history.order_by("-history_id").first()
    assert (last.history_user, last.transition) == (discipline, "承办")
    reply = {
        "facts": "经核查，奖学金评定程序存在瑕疵",
        "conclusion": "举报部分属实",
        "handling": "已责令重新评定",
        "petitioner_opinion": "举报人认可",
        "outcome": "support",
    }
    assert client.post(f"/cases/{case.pk}/do/reply/", reply).status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.REPLIED
    # the accused unit and person still see nothing
    for who in ("head_jsj", "recep_jsj"):
        assert not cases_visible_to(user=people[who]).filter(pk=case.pk).exists()
        assert _client(people[who]).get(case.get_absolute_url()).status_code == 404


def test_the_discipline_head_settles_a_major_reports_reply_for_the_unit(people, make_case):
    case = _report(make_case, "unit_review", unit="jjjc", is_major=True)
    assert case in queue_cases(user=people["discipline"], key="to_review")
    services.case_review(case=case, actor=people["discipline"], approve=True, reason="同意")
    case.refresh_from_db()
    assert (case.state, case.unit_approved_by) == (State.LEADER_REVIEW, people["discipline"])


def test_discipline_staff_do_not_handle_another_units_case(people, make_case):
    case = _report(make_case, "assigned", unit="jwc")
    assert not services.may_run(case, "take", people["discipline"])
    response = _client(people["discipline"]).post(f"/cases/{case.pk}/do/take/", {}, follow=True)
    assert "您不能执行“承办”" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.ASSIGNED


def test_a_discipline_officer_accused_in_a_report_does_not_see_it(people, units, make_case):
    case = _report(make_case, "assigned", unit="jwc", accused_people=["姚纪检"])
    assert not cases_visible_to(user=people["discipline"]).filter(pk=case.pk).exists()
