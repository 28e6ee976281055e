"""Accountability details (issue 12 point 12): a 诫勉 costs the unit its honours for the
year; 责令改正 is a measure of its own; a dissent on record exempts a person from the
shared responsibility; measures (一)–(四) are proposed by the petition office and decided
by the school office, never by the one who proposed them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accountability import assessment as A
from accountability import services
from accountability.models import AccountabilityCase, Ground, Measure, MeasureKind, PersonRecordEntry

from .conftest import fresh


@pytest.fixture
def this_year(today_is) -> int:
    today_is(date(2026, 6, 15))
    return 2026


def _decide(people, acase, kinds, proposer="office2", decider="office"):
    for m in services.case_propose(acase=acase, actor=people[proposer], kinds=kinds, reason="建议"):
        services.measure_decide(measure=m, actor=people[decider], approve=True, note="同意")


# --- 诫勉 costs the unit its honours (seed 002 第十七条; seed 004 第十六条(二)) -------------------


def test_an_admonished_person_costs_the_unit_its_honours(this_year, people, units, open_case, client_for):
    before = {r.unit_name: r for r in A.compute(this_year)}["教务处"]
    assert not before.vetoed
    acase = open_case(subject="head_jwc")
    _decide(people, acase, ["admonish"])
    rows = {r.unit_name: r for r in A.compute(this_year)}
    jwc = rows["教务处"]
    assert jwc.vetoed and not jwc.passed and jwc.rank is None
    assert f"责任追究 {acase.number}：李教务受到诫勉谈话，取消所在单位当年度评优资格" in jwc.veto_reason
    assert "《兰州大学信访工作责任制实施细则》第十七条" in jwc.veto_reason
    assert not rows["计算机工程学院"].vetoed
    # the assessment page shows why
    page = client_for(people["office"]).get(reverse("accountability:assessment_year", args=[this_year]))
    assert "李教务受到诫勉谈话，取消所在单位当年度评优资格" in page.content.decode()


def test_a_criticism_costs_the_unit_nothing(this_year, people, open_case):
    _decide(people, open_case(subject="head_jwc"), ["criticize"])
    assert not {r.unit_name: r for r in A.compute(this_year)}["教务处"].vetoed


def test_an_admonishment_decided_last_year_does_not_count_this_year(today_is, people, open_case):
    today_is(date(2025, 12, 30))
    _decide(people, open_case(subject="head_jwc"), ["admonish"])
    today_is(date(2026, 1, 5))
    assert {r.unit_name: r for r in A.compute(2025)}["教务处"].vetoed
    assert not {r.unit_name: r for r in A.compute(2026)}["教务处"].vetoed


# --- 责令改正 (seed 004 第十四条首款) ---------------------------------------------------------------


@pytest.mark.parametrize("subject", ["jwc", "head_jwc"])
def test_correction_is_a_measure_for_units_and_people(people, open_case, subject):
    acase = open_case(subject=subject)
    assert MeasureKind.CORRECT in acase.measure_kinds
    _decide(people, acase, ["correct"])
    m = Measure.objects.get(acase=acase)
    assert m.get_kind_display() == "责令改正" and m.status == Measure.Status.DECIDED
    assert m.decided_by == people["office"]
    assert fresh(acase).status == AccountabilityCase.Status.DECIDED
    records = PersonRecordEntry.objects.filter(acase=acase)
    assert (records.count(), subject) in ((0, "jwc"), (1, "head_jwc"))
    if subject == "head_jwc":
        assert "受到责令改正" in records.get().text


def test_correction_is_offered_on_the_propose_form(people, open_case, client_for):
    acase = open_case(subject="jwc")
    page = client_for(people["office2"]).get(acase.get_absolute_url()).content.decode()
    assert 'value="correct"' in page and "责令改正" in page


# --- who proposes and who decides (seed 002 第十四条) -----------------------------------------------


def test_the_proposer_may_not_decide_the_measure(people, open_case):
    acase = open_case(subject="head_jwc")
    [m] = services.case_propose(acase=acase, actor=people["office"], kinds=["criticize"], reason="建议")
    with pytest.raises(services.AccountabilityRefused) as refused:
        services.measure_decide(measure=m, actor=people["office"], approve=True)
    assert str(refused.value) == (
        "“通报批评”由您提出建议，不能由您本人决定；应由学校办公室（党政办公室）另行决定"
        "（《兰州大学信访工作责任制实施细则》第十四条）。"
    )
    assert Measure.objects.get(pk=m.pk).status == Measure.Status.PROPOSED
    assert fresh(acase).status == AccountabilityCase.Status.PROPOSED


def test_only_the_school_office_decides_measures_one_to_four(people, open_case):
    """马督办 (信访办, 学生工作处) proposes; he cannot decide; 成信访 (党政办公室) decides."""
    acase = open_case(subject="head_jwc")
    [m] = services.case_propose(acase=acase, actor=people["office2"], kinds=["written_check"], reason="建议")
    with pytest.raises(services.AccountabilityRefused, match="不能由您本人决定"):
        services.measure_decide(measure=m, actor=people["office2"], approve=True)
    acase2 = open_case(subject="head_jsj")
    [m2] = services.case_propose(acase=acase2, actor=people["office"], kinds=["written_check"], reason="建议")
    with pytest.raises(PermissionDenied, match="应由学校办公室（党政办公室）决定"):
        services.measure_decide(measure=m2, actor=people["office2"], approve=True)
    services.measure_decide(measure=m, actor=people["office"], approve=True, note="同意")
    h = fresh(acase).history.latest()
    assert h.history_user == people["office"] and h.transition == "作出决定"


def test_the_page_offers_the_decision_to_the_other_office_only(people, open_case, client_for):
    acase = open_case(subject="head_jwc")
    services.case_propose(acase=acase, actor=people["office2"], kinds=["criticize"], reason="建议")
    proposer = client_for(people["office2"]).get(acase.get_absolute_url()).content.decode()
    assert 'data-testid="form-decide"' not in proposer
    assert "提出建议的人不能决定同一措施" in proposer
    decider = client_for(people["office"]).get(acase.get_absolute_url()).content.decode()
    assert 'data-testid="form-decide"' in decider


# --- dissent on record (seed 004 第十四条第二款) ----------------------------------------------------


def test_a_dissent_on_a_unit_case_exempts_the_person(people, units, make_case, open_case, client_for):
    petition = make_case("handling", unit="jwc")
    unit_case = open_case(subject="jwc", case=petition)
    office = client_for(people["office"])
    r = office.post(
        reverse("accountability:act", args=[unit_case.pk, "dissent"]),
        {"person": people["head_jwc"].pk, "statement": "3月5日处务会上明确反对该方案，见会议纪要"},
    )
    assert r.status_code == 302
    h = fresh(unit_case).history.latest()
    assert h.history_user == people["office"] and h.transition == "记录反对意见"
    assert "李教务明确提出反对意见而未被采纳" in h.history_change_reason
    page = office.get(unit_case.get_absolute_url()).content.decode()
    assert 'data-testid="dissents"' in page and "3月5日处务会上明确反对该方案" in page
    assert "不承担领导责任" in page
    # no case on that person for the same petition
    data = services.CaseData(
        facts="x", grounds=list(Ground.objects.filter(code="shirking")), subject_user=people["head_jwc"], case=petition
    )
    with pytest.raises(services.AccountabilityRefused) as refused:
        services.case_open(actor=people["office"], data=data)
    assert "李教务对该决策或行为明确提出反对意见而未被采纳，已记录在案" in str(refused.value)
    assert "不承担领导责任（《河南省教育系统信访工作责任制实施细则》第十四条）" in str(refused.value)
    assert not AccountabilityCase.objects.filter(subject_user=people["head_jwc"]).exists()
    # another petition is another matter
    data.case = make_case("handling", unit="jwc")
    assert services.case_open(actor=people["office"], data=data).subject_user == people["head_jwc"]


def test_a_dissent_on_a_person_case_declines_what_was_proposed(people, open_case):
    acase = open_case(subject="head_jwc")
    [m] = services.case_propose(acase=acase, actor=people["office2"], kinds=["criticize"], reason="建议")
    services.dissent_record(
        acase=acase, actor=people["office"], person=people["head_jwc"], statement="会议纪要载明反对"
    )
    m = Measure.objects.get(pk=m.pk)
    assert m.status == Measure.Status.DECLINED and "不承担领导责任" in m.decision_note
    with pytest.raises(services.AccountabilityRefused, match="不承担领导责任"):
        services.case_propose(acase=acase, actor=people["office2"], kinds=["explain"], reason="再建议")
    assert not PersonRecordEntry.objects.filter(person=people["head_jwc"]).exists()


def test_dissent_form_errors_in_place_and_only_the_office_records(people, open_case, client_for):
    acase = open_case(subject="jwc")
    url = reverse("accountability:act", args=[acase.pk, "dissent"])
    r = client_for(people["office"]).post(url, {"person": people["head_jwc"].pk, "statement": ""})
    assert r.status_code == 400 and "请填写反对意见的内容及记录出处。" in r.content.decode()
    with pytest.raises(PermissionDenied):
        services.dissent_record(acase=acase, actor=people["discipline"], person=people["head_jwc"], statement="x")
    assert not acase.dissents.exists()
