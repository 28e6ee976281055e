"""Every transition by the right role only; who decides which measure; escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from accountability import services
from accountability.models import AccountabilityCase, Ground, Level, Measure, MeasureKind
from accountability.seed_grounds import GROUNDS

from .conftest import fresh

S = AccountabilityCase.Status
OTHERS = ["leader", "president", "head_jwc", "recep_jwc", "discipline", "admin", "clerk"]


def test_grounds_are_seeded_with_citations(db):
    assert Ground.objects.count() == len(GROUNDS)
    assert all(g.citation.startswith("《") for g in Ground.objects.all())
    assert Ground.objects.filter(citation__contains="第十三条").exists()
    assert Ground.objects.filter(citation__contains="《河南省教育系统信访工作责任制实施细则》第十四条").exists()


def test_open_needs_office_and_exactly_one_subject(people, units, open_case):
    grounds = list(Ground.objects.filter(code="shirking"))
    for name in OTHERS:
        with pytest.raises(PermissionDenied):
            services.case_open(
                actor=people[name], data=services.CaseData(facts="x", grounds=grounds, subject_unit=units["jwc"])
            )
    both = services.CaseData(facts="x", grounds=grounds, subject_unit=units["jwc"], subject_user=people["head_jwc"])
    with pytest.raises(services.AccountabilityRefused, match="一个单位或一名人员"):
        services.case_open(actor=people["office"], data=both)
    acase = open_case()
    assert acase.status == S.OPENED
    h = acase.history.latest()
    assert h.history_user == people["office"] and h.transition == "立案"


def test_open_from_notice_takes_its_case(people, units, make_case, open_case, raise_notice):
    case = make_case("handling")
    notice = raise_notice(case)
    acase = open_case(subject="jwc", notice=notice)
    assert acase.notice == notice and acase.case == case and acase.subject_unit == units["jwc"]


@pytest.mark.parametrize("name", OTHERS)
def test_only_office_proposes(people, open_case, name):
    acase = open_case()
    with pytest.raises(PermissionDenied):
        services.case_propose(acase=acase, actor=people[name], kinds=["criticize"], reason="r")
    assert fresh(acase).status == S.OPENED


def test_measures_must_fit_the_subject(people, open_case):
    acase = open_case(subject="jwc")
    with pytest.raises(services.AccountabilityRefused, match="不适用于单位"):
        services.case_propose(acase=acase, actor=people["office"], kinds=["admonish"], reason="r")
    measures = services.case_propose(
        acase=acase, actor=people["office"], kinds=["unit_check", "unit_criticize"], reason="合并使用"
    )
    assert len(measures) == 2 and fresh(acase).status == S.PROPOSED


@pytest.mark.parametrize(
    ("kind", "decider", "refused"),
    [
        ("explain", "office", ["discipline", "leader", "head_jwc"]),
        ("written_check", "office", ["discipline", "leader"]),
        ("criticize", "office", ["discipline", "president"]),
        ("admonish", "office", ["discipline", "leader"]),
        ("org_action", "discipline", ["office", "leader", "president"]),
        ("discipline", "discipline", ["office", "clerk", "leader"]),
    ],
)
def test_who_decides_follows_the_measure(people, open_case, kind, decider, refused):
    acase = open_case()
    [measure] = services.case_propose(acase=acase, actor=people["office2"], kinds=[kind], reason="r")
    for name in refused:
        with pytest.raises(PermissionDenied):
            services.measure_decide(measure=measure, actor=people[name], approve=True)
    assert Measure.objects.get(pk=measure.pk).status == Measure.Status.PROPOSED
    services.measure_decide(measure=measure, actor=people[decider], approve=True, note="同意")
    assert Measure.objects.get(pk=measure.pk).status == Measure.Status.DECIDED
    acase = fresh(acase)
    assert acase.status == S.DECIDED
    assert acase.history.latest().history_user == people[decider]


def test_unit_measures_are_decided_by_the_office(people, open_case):
    acase = open_case(subject="jwc")
    [m] = services.case_propose(acase=acase, actor=people["office2"], kinds=["unit_no_honours"], reason="r")
    with pytest.raises(PermissionDenied):
        services.measure_decide(measure=m, actor=people["discipline"], approve=True)
    services.measure_decide(measure=m, actor=people["office"], approve=True)
    assert fresh(acase).status == S.DECIDED


def test_combined_measures_wait_for_both_deciders(people, open_case):
    acase = open_case()
    m1, m2 = services.case_propose(acase=acase, actor=people["office2"], kinds=["criticize", "discipline"], reason="r")
    services.measure_decide(measure=m1, actor=people["office"], approve=True)
    assert fresh(acase).status == S.PROPOSED
    services.measure_decide(measure=m2, actor=people["discipline"], approve=False, note="不予处分")
    assert fresh(acase).status == S.DECIDED


@pytest.mark.parametrize("name", ["office2", "office"])
def test_rectify_and_close_by_office(people, decided_case, name):
    acase = decided_case()
    due = timezone.localdate() + dt.timedelta(days=10)
    for other in OTHERS:
        with pytest.raises(PermissionDenied):
            services.case_start_rectification(acase=acase, actor=people[other], due=due, reason="r")
    with pytest.raises(services.AccountabilityRefused, match="整改期限"):
        services.case_start_rectification(acase=acase, actor=people[name], due=None)
    services.case_start_rectification(acase=acase, actor=people[name], due=due, reason="限期整改")
    acase = fresh(acase)
    assert acase.status == S.RECTIFYING and acase.rectify_due == due
    for other in OTHERS:
        with pytest.raises(PermissionDenied):
            services.case_close(acase=acase, actor=people[other], reason="r")
    with pytest.raises(services.AccountabilityRefused, match="理由"):
        services.case_close(acase=acase, actor=people[name], reason="")
    services.case_close(acase=acase, actor=people[name], reason="整改完成")
    acase = fresh(acase)
    assert acase.status == S.CLOSED
    h = acase.history.latest()
    assert (h.history_user, h.history_change_reason, h.transition) == (people[name], "整改完成", "办结")


def test_dismiss_by_office_only(people, open_case):
    acase = open_case()
    for other in OTHERS:
        with pytest.raises(PermissionDenied):
            services.case_dismiss(acase=acase, actor=people[other], reason="r")
    services.case_dismiss(acase=acase, actor=people["office"], reason="情节轻微，责令改正")
    assert fresh(acase).status == S.DISMISSED
    with pytest.raises(services.AccountabilityRefused, match="不能执行"):
        services.case_propose(acase=fresh(acase), actor=people["office"], kinds=["criticize"], reason="r")


def test_manual_escalation_by_office_only(people, decided_case):
    acase = decided_case()
    services.case_start_rectification(acase=acase, actor=people["office"], due=timezone.localdate())
    for other in OTHERS:
        with pytest.raises(PermissionDenied):
            services.case_escalate(acase=fresh(acase), actor=people[other], reason="r")
    services.case_escalate(acase=fresh(acase), actor=people["office"], reason="整改不力")
    assert fresh(acase).level == Level.ADMONISH


def test_unfinished_rectification_after_notice_escalates_once(people, decided_case):
    acase = decided_case()
    today = timezone.localdate()
    due = today + dt.timedelta(days=5)
    services.case_start_rectification(acase=acase, actor=people["office"], due=due, reason="限期整改")

    on_due_day = timezone.make_aware(dt.datetime.combine(due, dt.time(23, 0)))
    assert services.escalate_unfinished(now=on_due_day) == []

    after = on_due_day + dt.timedelta(hours=2)
    [done] = services.escalate_unfinished(now=after)
    assert done.pk == acase.pk
    acase = fresh(acase)
    assert acase.status == S.PROPOSED and acase.level == Level.ADMONISH and acase.rectify_due is None
    assert list(acase.measures.filter(level=Level.ADMONISH).values_list("kind", flat=True)) == [MeasureKind.ADMONISH]
    assert acase.grounds.filter(code="unfinished_after_notice").exists()
    h = acase.history.latest()
    assert h.history_user is None and h.transition == "升级追责" and "仍未完成整改" in h.history_change_reason

    # idempotent: running again (or the command) changes nothing
    assert services.escalate_unfinished(now=after) == []
    call_command("escalate_accountability")
    assert fresh(acase).level == Level.ADMONISH
    assert acase.measures.count() == 2


def test_no_escalation_without_notice_or_when_finished(people, decided_case):
    explained = decided_case(kinds=("explain",))
    finished = decided_case()
    for acase in (explained, finished):
        services.case_start_rectification(acase=acase, actor=people["office"], due=timezone.localdate())
    services.case_close(acase=fresh(finished), actor=people["office"], reason="已整改")
    later = timezone.now() + dt.timedelta(days=3)
    assert services.escalate_unfinished(now=later) == []


def test_second_level_unfinished_goes_to_discipline(people, decided_case):
    acase = decided_case()
    services.case_start_rectification(acase=acase, actor=people["office"], due=timezone.localdate())
    later = timezone.now() + dt.timedelta(days=2)
    services.escalate_unfinished(now=later)
    [admonish] = fresh(acase).measures.filter(status=Measure.Status.PROPOSED)
    services.measure_decide(measure=admonish, actor=people["office"], approve=True)
    services.case_start_rectification(acase=fresh(acase), actor=people["office"], due=timezone.localdate())
    services.escalate_unfinished(now=later)
    acase = fresh(acase)
    assert acase.level == Level.ORGANIZATION
    [org] = acase.measures.filter(status=Measure.Status.PROPOSED)
    assert org.kind == MeasureKind.ORG_ACTION and org.decider_role == "discipline"
    with pytest.raises(PermissionDenied):
        services.measure_decide(measure=org, actor=people["office"], approve=True)
    services.measure_decide(measure=org, actor=people["discipline"], approve=True)
    services.case_start_rectification(acase=fresh(acase), actor=people["office"], due=timezone.localdate())
    assert services.escalate_unfinished(now=later + dt.timedelta(days=5)) == []


def test_unit_escalation_proposes_supervision_and_loss_of_honours(people, decided_case):
    acase = decided_case(subject="jwc", kinds=("unit_criticize",))
    services.case_start_rectification(acase=acase, actor=people["office"], due=timezone.localdate())
    services.escalate_unfinished(now=timezone.now() + dt.timedelta(days=2))
    kinds = set(fresh(acase).measures.filter(status=Measure.Status.PROPOSED).values_list("kind", flat=True))
    assert kinds == {MeasureKind.UNIT_SUPERVISE, MeasureKind.UNIT_NO_HONOURS}
