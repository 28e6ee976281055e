"""Access (issue 7 item 3) and the pages: list with filters, detail with the actions the
user may take now, forms that keep input and show Chinese errors in place."""

from __future__ import annotations

import pytest

from accountability.models import AccountabilityCase, Ground, Measure

from .conftest import fresh


@pytest.mark.parametrize("name", ["office", "office2", "discipline", "leader", "president"])
def test_office_discipline_leaders_see_everything(people, open_case, client_for, name):
    acase = open_case(subject="jsj")
    c = client_for(people[name])
    assert c.get(acase.get_absolute_url()).status_code == 200
    assert acase.number in c.get("/accountability/").content.decode()


@pytest.mark.parametrize("name", ["head_jsj", "recep_jwc", "clerk", "admin"])
def test_everyone_else_gets_404(people, open_case, client_for, name):
    acase = open_case(subject="head_jwc")
    c = client_for(people[name])
    assert c.get(acase.get_absolute_url()).status_code == 404
    assert (
        c.post(f"/accountability/{acase.pk}/act/propose/", {"kinds": ["criticize"], "reason": "r"}).status_code == 404
    )
    assert acase.number not in c.get("/accountability/").content.decode()
    assert c.get("/accountability/new/").status_code == 404


def test_subject_sees_own_record_only(people, open_case, client_for):
    own = open_case(subject="head_jwc")
    unit_case = open_case(subject="jwc")
    other = open_case(subject="head_jsj")
    c = client_for(people["head_jwc"])
    assert c.get(own.get_absolute_url()).status_code == 200
    assert c.get(unit_case.get_absolute_url()).status_code == 200  # the head of the unit held to account
    assert c.get(other.get_absolute_url()).status_code == 404
    page = c.get(own.get_absolute_url()).content.decode()
    assert 'data-testid="form-propose"' not in page


def test_list_filters(people, open_case, client_for):
    unit_case = open_case(subject="jwc")
    person_case = open_case(subject="head_jwc")
    c = client_for(people["office"])
    body = c.get("/accountability/?subject=unit").content.decode()
    assert unit_case.number in body and person_case.number not in body
    body = c.get("/accountability/?status=proposed").content.decode()
    assert unit_case.number not in body


def test_open_form_keeps_input_and_shows_errors(people, client_for, units):
    c = client_for(people["office"])
    r = c.post("/accountability/new/", {"subject_type": "unit", "facts": "逾期未办"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "请选择被追责单位。" in body and "请选择至少一项追责情形。" in body and "逾期未办" in body
    ground = Ground.objects.get(code="shirking")
    r = c.post(
        "/accountability/new/",
        {"subject_type": "unit", "subject_unit": units["jwc"].pk, "grounds": [ground.pk], "facts": "逾期未办"},
    )
    acase = AccountabilityCase.objects.get()
    assert r.status_code == 302 and r["Location"] == acase.get_absolute_url()


def test_open_from_notice_prefills_the_unit(people, make_case, raise_notice, client_for, units):
    notice = raise_notice(make_case("handling"))
    r = client_for(people["office"]).get(f"/accountability/new/?notice={notice.pk}")
    assert r.status_code == 200 and notice.number in r.content.decode()


def test_detail_walk_through_the_forms(people, open_case, client_for):
    acase = open_case(subject="head_jwc")
    office, discipline = client_for(people["office"]), client_for(people["discipline"])
    url = acase.get_absolute_url()
    assert 'data-testid="form-propose"' in office.get(url).content.decode()
    assert 'data-testid="form-propose"' not in discipline.get(url).content.decode()

    # the petition office (马督办) proposes; the school office (成信访) decides
    petition_office = client_for(people["office2"])
    r = petition_office.post(
        f"/accountability/{acase.pk}/act/propose/", {"kinds": ["criticize", "discipline"], "reason": ""}
    )
    assert r.status_code == 400 and "请填写建议理由。" in r.content.decode()
    r = petition_office.post(
        f"/accountability/{acase.pk}/act/propose/", {"kinds": ["criticize", "discipline"], "reason": "建议"}
    )
    assert r.status_code == 302
    criticize = Measure.objects.get(kind="criticize")
    punish = Measure.objects.get(kind="discipline")

    # each decider is offered only the measures they decide
    r = office.post(f"/accountability/{acase.pk}/act/decide/", {"measure": punish.pk, "approve": "1"})
    assert r.status_code == 400 and Measure.objects.get(pk=punish.pk).status == Measure.Status.PROPOSED
    office.post(f"/accountability/{acase.pk}/act/decide/", {"measure": criticize.pk, "approve": "1", "note": "同意"})
    discipline.post(f"/accountability/{acase.pk}/act/decide/", {"measure": punish.pk, "approve": "1"})
    assert fresh(acase).status == AccountabilityCase.Status.DECIDED

    r = office.post(f"/accountability/{acase.pk}/act/rectify/", {"due": "", "reason": "整改要求X"})
    body = r.content.decode()
    assert r.status_code == 400 and "请填写整改期限。" in body and "整改要求X" in body

    # a leader sees the case but has no action
    page = client_for(people["leader"]).get(url).content.decode()
    assert 'data-testid="form-' not in page
    r = client_for(people["leader"]).post(f"/accountability/{acase.pk}/act/close/", {"reason": "x"})
    assert r.status_code == 302 and fresh(acase).status == AccountabilityCase.Status.DECIDED
