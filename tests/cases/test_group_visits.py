"""Group visits: at most 5 representatives, each with name and phone (《信访工作条例》第二十条);
the leaders are told at once; a major or urgent matter is flagged for a 紧急信访信息报告 to
the leaders and the superior (第二十五条; 《兰州大学信访工作责任制实施细则》第八条(四))."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cases import services
from cases.models import Case, Gravity
from notifications.models import Notification
from tests.conftest import logged_in_client as _client

DAY = date(2026, 11, 10)
FIVE = "张一 13800000001\n张二 13800000002\n张三 13800000003\n张四 13800000004\n张五 13800000005"


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


def _form(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "name": "张一",
        "phone": "13800000001",
        "relation": "parent",
        "channel": "visit",
        "source": "self",
        "received_on": DAY.isoformat(),
        "kind": "complaint",
        "summary": "家长集体反映食堂食品安全问题",
        "is_group": "on",
        "group_size": "30",
    }
    data.update(overrides)
    return data


def test_a_group_visit_records_up_to_five_representatives(people):
    client = _client(people["clerk"])
    assert client.post("/cases/new/", _form(representatives=FIVE)).status_code == 302
    case = Case.objects.get()
    assert [(r.order, r.name, r.phone) for r in case.representatives.all()] == [
        (1, "张一", "13800000001"),
        (2, "张二", "13800000002"),
        (3, "张三", "13800000003"),
        (4, "张四", "13800000004"),
        (5, "张五", "13800000005"),
    ]
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "张五（13800000005）" in page


def test_a_sixth_representative_is_refused_in_place(people):
    client = _client(people["clerk"])
    response = client.post("/cases/new/", _form(representatives=FIVE + "\n张六 13800000006"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "集体访推选的代表不得超过5人（《信访工作条例》第二十条），现填写了6人。" in page
    assert "张六 13800000006" in page  # what was typed is kept
    assert not Case.objects.exists()


def test_each_representative_needs_a_name_and_a_valid_phone(people):
    page = _client(people["clerk"]).post("/cases/new/", _form(representatives="张一\n张二 12345")).content.decode()
    assert "第1行请按“姓名 联系电话”填写一位代表" in page
    assert "第2行代表“张二”的联系电话不正确" in page
    assert not Case.objects.exists()


def test_the_service_itself_refuses_a_sixth_representative(people):
    with pytest.raises(services.TransitionRefused, match="不得超过5人"):
        services.case_register(
            actor=people["clerk"],
            petitioner=services.PetitionerData(name="张一"),
            data=services.CaseData(
                channel="visit",
                kind="complaint",
                received_on=DAY,
                summary="集体访",
                is_group=True,
                group_size=20,
                representatives=[(f"代表{i}", f"1380000000{i}") for i in range(1, 7)],
            ),
        )
    assert not Case.objects.exists()


def test_registering_a_group_visit_tells_the_leaders_at_once(people):
    _client(people["clerk"]).post("/cases/new/", _form(representatives="张一 13800000001"))
    case = Case.objects.get()
    told = Notification.objects.filter(case=case, user__role="leader")
    assert {n.user.username for n in told} == {"president"}  # the leader who may see it now
    assert "集体访30人" in told.get().text
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="urgent-report"' not in page


def test_a_major_matter_is_flagged_for_an_urgent_report_and_the_leaders_told(people):
    _client(people["clerk"]).post("/cases/new/", _form(gravity=Gravity.MAJOR, representatives=""))
    case = Case.objects.get()
    assert case.needs_urgent_report
    text = Notification.objects.get(case=case, user=people["president"]).text
    assert "须报送紧急信访信息报告" in text and "集体访30人" in text
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "须及时向学院领导和上级报送紧急信访信息报告" in page


def test_an_ordinary_single_petition_troubles_no_leader(people):
    _client(people["clerk"]).post("/cases/new/", _form(is_group="", group_size=""))
    assert not Notification.objects.filter(user__role="leader").exists()
    # the office hears of it: the case waits for 受理 (cases.handoffs)
    assert Notification.objects.filter(user=people["office"], text__contains="新登记信访件，待受理").exists()
