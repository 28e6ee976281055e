"""Empty workbenches get work (issue 14, point 8): the clerk sees today's registrations
and those waiting for the petitioner's details (补全登记), discipline the 举报 not yet
answered and the accountability cases waiting for it."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accountability.models import AccountabilityCase
from cases import services
from cases.models import Case, Kind

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _register(people, *, phone="", address="", summary="反映宿舍热水供应不足", kind=Kind.COMPLAINT):
    case, _ = services.case_register(
        actor=people["clerk"],
        petitioner=services.PetitionerData(name="王同学", phone=phone, address=address),
        data=services.CaseData(
            channel="visit", kind=kind, received_on=timezone.localdate(), summary=summary, content="详细内容"
        ),
    )
    return case


def _count(page: str, key: str) -> int:
    return int(re.search(rf'data-testid="count-{key}">(\d+)<', page).group(1))


def test_the_clerk_sees_todays_registrations_and_those_to_complete(people, client_for):
    with time_machine.travel(datetime(2026, 3, 9, 16, 0, tzinfo=SHANGHAI), tick=False):
        _register(people, phone="13800001111", summary="昨天登记的")
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        done = _register(people, phone="13800002222")
        waiting = _register(people, summary="来访未留联系方式")
        page = client_for(people["clerk"]).get("/").content.decode()
        assert _count(page, "registered_today") == 2
        assert _count(page, "to_complete") == 1
        queue = client_for(people["clerk"]).get("/queues/to_complete/").content.decode()
        assert waiting.number in queue and done.number not in queue
        # the office has its own queues, not the clerk's
        assert 'data-testid="count-to_complete"' not in client_for(people["office"]).get("/").content.decode()


def test_completing_a_registration_fills_the_blanks_and_says_so_in_the_history(people, client_for):
    case = _register(people)
    client = client_for(people["clerk"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="complete-link"' in page
    form = client.get(f"/cases/{case.pk}/complete/").content.decode()
    assert "联系电话、住址、身份证号、单位或班级" in form
    # nothing typed: said in place, nothing written
    empty = client.post(f"/cases/{case.pk}/complete/", {"organisation": " "}).content.decode()
    assert "请至少补全一项信访人信息。" in empty
    bad = client.post(f"/cases/{case.pk}/complete/", {"phone": "12", "address": "长沙市岳麓区"}).content.decode()
    assert "长沙市岳麓区" in bad and not Case.objects.get(pk=case.pk).petitioner.address
    response = client.post(f"/cases/{case.pk}/complete/", {"phone": "138 0000 3333", "address": "长沙市岳麓区"})
    assert response.status_code == 302
    person = Case.objects.get(pk=case.pk).petitioner
    assert (person.phone, person.address) == ("13800003333", "长沙市岳麓区")
    last = case.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (people["clerk"], "补全了信访人的联系电话、住址")
    assert "13800003333" not in last.history_change_reason
    assert client.get("/queues/to_complete/").content.decode().count(case.number) == 0


def test_only_the_registrar_and_the_office_complete_and_only_before_assignment(people, client_for, make_case):
    case = _register(people)
    assert client_for(people["recep_jwc"]).get(f"/cases/{case.pk}/complete/").status_code == 404
    assert client_for(people["office"]).get(f"/cases/{case.pk}/complete/").status_code == 200
    assigned = make_case("assigned", petitioner={"name": "李同学"})
    assert client_for(people["office"]).get(f"/cases/{assigned.pk}/complete/").status_code == 403
    assert (
        'data-testid="complete-link"'
        not in client_for(people["office"]).get(assigned.get_absolute_url()).content.decode()
    )


def test_discipline_sees_open_reports_and_accountability_waiting_for_it(people, make_case, client_for):
    report = make_case("accepted", kind=Kind.REPORT, summary="举报某某收受礼品")
    answered = make_case("replied", kind=Kind.REPORT, unit="jjjc")
    AccountabilityCase.objects.create(
        subject_unit=people["head_jwc"].unit, facts="超期未办", opened_by=people["office"], status="opened"
    )
    page = client_for(people["discipline"]).get("/").content.decode()
    assert _count(page, "reports_open") == 1
    queue = client_for(people["discipline"]).get("/queues/reports_open/").content.decode()
    assert report.number in queue and answered.number not in queue
    work = re.search(r'data-testid="accountability-work".*?</div></div>', page, re.S).group(0)
    assert "1</span> 追责待拟处理" in work and "/accountability/?status=opened" in work
    # the unit head's workbench has neither
    head = client_for(people["head_jwc"]).get("/").content.decode()
    assert "reports_open" not in head and "accountability-work" not in head
