"""Leader reception (seed 001 (三)): the schedule kept by the office, the visits on each
day in the viewer's scope (and never a 举报 to whom it accuses), and the 包案 lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Channel, Kind
from dashboard import reception, reception_demo
from dashboard.models import ReceptionDay
from people.models import Unit
from tests.conftest import logged_in_client as client_for


@pytest.fixture
def today() -> date:
    """Read when the test runs (so under XF_TODAY too)."""
    return timezone.localdate()


def day_data(people, **changes) -> dict:
    data = {
        "date": timezone.localdate().isoformat(),
        "leader": people["leader"].pk,
        "time_slot": "上午 8:30—11:30",
        "place": "信访接待室（行政楼101）",
        "note": "",
        "case_numbers": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def today_for_leader(people, today):
    return ReceptionDay.objects.create(date=today, leader=people["leader"], place="行政楼101", time_slot="上午")


# --- the schedule -----------------------------------------------------------------------


def test_office_adds_a_day(people, today):
    client = client_for(people["office"])
    assert 'data-testid="reception-form"' in client.get(reverse("dashboard:reception")).content.decode()
    response = client.post(reverse("dashboard:reception"), day_data(people))
    assert response.status_code == 302
    day = ReceptionDay.objects.get()
    assert (day.date, day.leader, day.place) == (today, people["leader"], "信访接待室（行政楼101）")
    page = client.get(reverse("dashboard:reception")).content.decode()
    assert "已安排" in page and "王分管" in page


def test_errors_are_shown_in_place_and_the_input_kept(people, today_for_leader):
    client = client_for(people["office"])
    response = client.post(reverse("dashboard:reception"), day_data(people, place="东区会议室"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "该领导当天已有接访安排。" in html
    assert 'value="东区会议室"' in html
    assert ReceptionDay.objects.count() == 1
    html = client.post(reverse("dashboard:reception"), day_data(people, place="", date="明天")).content.decode()
    assert "请填写接访地点。" in html and "接访日期应为有效日期，请按 年-月-日 填写。" in html
    html = client.post(reverse("dashboard:reception"), day_data(people, leader=people["clerk"].pk)).content.decode()
    assert "请选择列表中的院领导。" in html
    html = client.post(reverse("dashboard:reception"), day_data(people, case_numbers="1999-9999")).content.decode()
    assert "找不到编号为 1999-9999 的信访件" in html


def test_office_edits_and_cancels_a_day(people, today_for_leader, today):
    client = client_for(people["office"])
    url = reverse("dashboard:reception_edit", args=[today_for_leader.pk])
    assert 'value="行政楼101"' in client.get(url).content.decode()
    tomorrow = today + timedelta(days=1)
    response = client.post(url, day_data(people, date=tomorrow.isoformat(), leader=people["leader2"].pk))
    assert response.status_code == 302
    today_for_leader.refresh_from_db()
    assert (today_for_leader.date, today_for_leader.leader) == (tomorrow, people["leader2"])
    response = client.post(reverse("dashboard:reception_delete", args=[today_for_leader.pk]))
    assert response.status_code == 302
    assert not ReceptionDay.objects.exists()


@pytest.mark.parametrize("role", ["leader", "president", "head_jwc", "admin"])
def test_only_the_office_keeps_the_schedule(people, today_for_leader, role):
    client = client_for(people[role])
    page = client.get(reverse("dashboard:reception"))
    assert page.status_code == 200
    assert 'data-testid="reception-form"' not in page.content.decode()
    assert client.post(reverse("dashboard:reception"), day_data(people, leader=people["leader2"].pk)).status_code == 403
    edit = reverse("dashboard:reception_edit", args=[today_for_leader.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, day_data(people)).status_code == 403
    assert client.post(reverse("dashboard:reception_delete", args=[today_for_leader.pk])).status_code == 403
    assert ReceptionDay.objects.get().leader == people["leader"]
    assert ReceptionDay.objects.count() == 1


@pytest.mark.parametrize("role", ["clerk", "recep_jwc", "discipline"])
def test_roles_without_the_dashboard_are_refused(people, role):
    assert client_for(people[role]).get(reverse("dashboard:reception")).status_code == 403


def test_upcoming_and_past(people, today):
    ReceptionDay.objects.create(date=today - timedelta(days=3), leader=people["leader2"], place="甲", time_slot="上午")
    ReceptionDay.objects.create(
        date=today + timedelta(days=2), leader=people["president"], place="乙", time_slot="下午"
    )
    upcoming, past = reception.schedule()
    assert [d.leader.username for d in upcoming] == ["president"]
    assert [d.leader.username for d in past] == ["leader2"]


# --- visits on a day --------------------------------------------------------------------


@pytest.fixture
def visits(people, make_case, today):
    units = {u.code: u for u in Unit.objects.all()}
    jwc_visit = make_case(
        "assigned", unit="jwc", channel=Channel.VISIT, received_on=today, summary="来访：教务处课程安排"
    )
    dz_visit = make_case(
        "assigned", unit="dz", channel=Channel.VISIT, received_on=today, is_major=True, summary="来访：电子学院实验室"
    )
    # a 举报 accusing 教务处, handled by 计算机学院 with 教务处 as co-unit: 教务处 must not see it
    report = make_case(
        "assigned",
        unit="jsj",
        channel=Channel.VISIT,
        kind=Kind.REPORT,
        received_on=today,
        accused_units=[units["jwc"]],
        summary="来访举报：教务处违规收费",
    )
    report.co_units.add(units["jwc"])
    shared = make_case("assigned", unit="jsj", channel=Channel.VISIT, received_on=today, summary="来访：两部门共管")
    shared.co_units.add(units["jwc"])
    other_day = make_case(
        "assigned", unit="jwc", channel=Channel.VISIT, received_on=today - timedelta(days=1), summary="来访：前一天"
    )
    letter = make_case("assigned", unit="jwc", channel=Channel.LETTER, received_on=today, summary="约访：来信后约见")
    return {
        "jwc": jwc_visit,
        "dz": dz_visit,
        "report": report,
        "shared": shared,
        "other_day": other_day,
        "letter": letter,
    }


def visit_numbers(user) -> set[str]:
    upcoming, _ = reception.schedule()
    [item] = reception.with_visits(user=user, days=list(upcoming))
    return {v["number"] for v in item.visits}


def test_the_days_visits_and_the_linked_case_appear_for_the_office(people, visits, today_for_leader):
    client = client_for(people["office"])
    url = reverse("dashboard:reception_edit", args=[today_for_leader.pk])
    response = client.post(url, day_data(people, case_numbers=visits["letter"].number))
    assert response.status_code == 302
    assert set(today_for_leader.cases.all()) == {visits["letter"]}
    expected = {visits[k].number for k in ("jwc", "dz", "report", "shared", "letter")}
    assert visit_numbers(people["office"]) == expected
    page = client.get(reverse("dashboard:reception")).content.decode()
    assert reverse("cases:detail", args=[visits["jwc"].pk]) in page
    assert visits["other_day"].number not in page


def test_visits_are_scoped_to_the_viewer(people, visits, today_for_leader):
    # 王分管 (教务处, 学工处, 计算机学院, 后勤处): not 电子学院's
    assert visit_numbers(people["leader"]) == {visits[k].number for k in ("jwc", "report", "shared")}
    # 朱分管 (电子学院 …)
    assert visit_numbers(people["leader2"]) == {visits["dz"].number}
    # 教务处's head sees its own and the shared case, never the 举报 accusing 教务处
    assert visit_numbers(people["head_jwc"]) == {visits[k].number for k in ("jwc", "shared")}
    page = client_for(people["head_jwc"]).get(reverse("dashboard:reception")).content.decode()
    assert visits["report"].number not in page
    assert "教务处违规收费" not in page
    assert visits["shared"].number in page


def test_a_linked_case_out_of_scope_stays_hidden(people, visits, today_for_leader):
    today_for_leader.cases.add(visits["dz"])
    assert visits["dz"].number not in visit_numbers(people["leader"])


# --- 包案 lists -------------------------------------------------------------------------


@pytest.fixture
def led(people, make_case):
    return {
        "mine": make_case(
            "assigned", unit="jwc", is_leader_case=True, leader_in_charge=people["leader"], summary="包案：王分管"
        ),
        "theirs": make_case(
            "handling",
            unit="jsj",
            is_leader_case=True,
            leader_in_charge=people["leader2"],
            summary="包案：朱分管",
        ),
        "plain": make_case("assigned", unit="jwc", summary="普通件"),
    }


def test_a_leader_sees_their_own_leader_cases(people, led):
    [(name, cases)] = reception.leader_case_lists(user=people["leader"])
    assert name == "王分管"
    assert cases == [led["mine"]]
    assert cases[0].next_due_date is not None  # the nearest open deadline rides along
    page = client_for(people["leader"]).get(reverse("dashboard:reception")).content.decode()
    assert led["mine"].number in page
    assert led["theirs"].number not in page


def test_the_main_leader_and_the_office_see_every_leaders(people, led):
    for role in ("president", "office"):
        lists = dict(reception.leader_case_lists(user=people[role]))
        assert lists == {"王分管": [led["mine"]], "朱分管": [led["theirs"]]}
        page = client_for(people[role]).get(reverse("dashboard:reception")).content.decode()
        assert led["mine"].number in page and led["theirs"].number in page and "交办" in page


def test_a_unit_head_has_no_leader_case_list(people, led):
    assert reception.leader_case_lists(user=people["head_jwc"]) == []


def test_page_queries_do_not_grow_with_days(people, visits, django_assert_max_num_queries, today):
    for i in range(6):
        ReceptionDay.objects.create(
            date=today + timedelta(days=i), leader=people["president"], place="甲", time_slot="上午"
        )
        ReceptionDay.objects.create(
            date=today - timedelta(days=i + 1), leader=people["leader"], place="乙", time_slot="上午"
        )
    client = client_for(people["office"])
    with django_assert_max_num_queries(17):  # the form reads the office's scope once
        assert client.get(reverse("dashboard:reception")).status_code == 200


def test_demo_days_load_once(people, today):
    assert reception_demo.load(people) == 4
    assert reception_demo.load(people) == 0
    assert ReceptionDay.objects.filter(date=today).count() == 1


def test_case_numbers_hidden_from_the_office_are_neither_found_nor_revealed(people, units, make_case, today):
    """A 举报 naming the office's own unit is hidden from it (条例 第30条): typing its number
    is refused like an unknown one, and a link a colleague made to it is kept, not shown."""
    hidden = make_case("handling", unit="jwc", kind="report")
    hidden.accused_units.add(units["dzb"])
    client = client_for(people["office"])
    response = client.post(reverse("dashboard:reception"), {**day_data(people), "case_numbers": hidden.number})
    assert response.status_code in (200, 400)
    assert "不在您的查看范围内" in response.content.decode()
    assert not ReceptionDay.objects.exists()
    day = ReceptionDay.objects.create(date=today, leader=people["leader"], place="行政楼101", time_slot="上午")
    day.cases.add(hidden)  # linked by someone who may see it
    edit = client.get(reverse("dashboard:reception_edit", args=[day.pk]))
    assert hidden.number not in (edit.context["form"].initial.get("case_numbers") or "")
    client.post(reverse("dashboard:reception_edit", args=[day.pk]), {**day_data(people), "case_numbers": ""})
    assert list(day.cases.all()) == [hidden]
