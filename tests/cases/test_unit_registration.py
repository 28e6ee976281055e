"""二级信访 (《安徽教育信息》三.三): a unit's receptionist or head registers what reaches the
unit directly; the unit sees it from registration on, in its lists and its ledger, and so
does the school."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cases.models import Case, Kind, State
from cases.selectors import cases_visible_to
from documents.ledger import LedgerQuery, ledger_cases
from tests.conftest import logged_in_client as _client

DAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


def _form(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "name": "李同学",
        "phone": "13912345678",
        "relation": "student",
        "channel": "visit",
        "source": "self",
        "received_on": DAY.isoformat(),
        "kind": "complaint",
        "summary": "反映计算机学院实验室开放时间过短",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["recep_jsj", "head_jsj"])
def test_a_units_receptionist_or_head_registers_what_reached_the_unit(people, units, who):
    client = _client(people[who])
    assert client.get("/cases/new/").status_code == 200
    response = client.post("/cases/new/", _form())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.state, case.registered_by, case.registered_unit) == (State.REGISTERED, people[who], units["jsj"])
    row = case.history.get()
    assert (row.transition, row.history_user) == ("登记", people[who])
    # the unit sees it at once, in its list and its 本部门 page; the school's office too
    assert client.get(case.get_absolute_url()).status_code == 200
    assert case.number in client.get("/cases/").content.decode()
    assert case.number in client.get("/unit/").content.decode()
    assert cases_visible_to(user=people["office"]).filter(pk=case.pk).exists()
    # another unit does not
    assert _client(people["recep_jwc"]).get(case.get_absolute_url()).status_code == 404


def test_a_clerk_registration_belongs_to_no_unit(make_case):
    assert make_case("registered").registered_unit is None


def test_the_units_ledger_holds_what_it_registered(people, units, make_case):
    _client(people["recep_jsj"]).post("/cases/new/", _form())
    own = Case.objects.get()
    handled = make_case("handling", unit="jsj")
    elsewhere = make_case("handling", unit="jwc")
    numbers = set(
        ledger_cases(user=people["head_jsj"], query=LedgerQuery(year=DAY.year, unit_id=units["jsj"].pk)).values_list(
            "number", flat=True
        )
    )
    assert numbers == {own.number, handled.number}
    school = set(ledger_cases(user=people["office"], query=LedgerQuery(year=DAY.year)).values_list("number", flat=True))
    assert {own.number, handled.number, elsewhere.number} <= school


def test_a_report_a_unit_registered_against_itself_stays_hidden_from_it(people, units):
    """Confidentiality wins over 二级信访: the accused unit never sees the report (条例 第30条)."""
    client = _client(people["recep_jsj"])
    client.post(
        "/cases/new/",
        _form(kind=Kind.REPORT, summary="举报计算机学院违规收费", accused_units=[units["jsj"].pk]),
    )
    case = Case.objects.get()
    assert case.registered_unit == units["jsj"]
    assert not cases_visible_to(user=people["head_jsj"]).filter(pk=case.pk).exists()
