"""An appeal does not suspend the measure; the person's record is written once and read
only by discipline/HR and the person."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from accountability import selectors, services
from accountability.models import AccountabilityCase, Appeal, Measure, PersonRecordEntry

from .conftest import fresh


def test_appeal_does_not_suspend_the_measure(people, decided_case):
    acase = decided_case()
    measure = acase.measures.get()
    appeal = services.appeal_file(acase=acase, actor=people["head_jwc"], grounds="情况不属实", measure=measure)
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.status == Measure.Status.DECIDED and measure.in_force
    assert fresh(acase).status == AccountabilityCase.Status.DECIDED

    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, actor=people["leader"], decision="upheld", opinion="x")
    services.appeal_decide(appeal=appeal, actor=people["discipline"], decision=Appeal.Decision.UPHELD, opinion="维持")
    assert Measure.objects.get(pk=measure.pk).in_force
    # and the rectification still runs during and after the appeal
    services.case_start_rectification(
        acase=fresh(acase), actor=people["office"], due=timezone.localdate(measure.decided_at)
    )
    assert fresh(acase).status == AccountabilityCase.Status.RECTIFYING


def test_only_the_subject_or_deciders_may_appeal(people, decided_case):
    acase = decided_case()
    for name in ("head_jsj", "leader", "clerk", "recep_jwc"):
        with pytest.raises(PermissionDenied):
            services.appeal_file(acase=acase, actor=people[name], grounds="x")
    services.appeal_file(acase=acase, actor=people["office"], grounds="本人书面申诉，代为登记")


def test_changed_appeal_is_a_correction_entry(people, decided_case):
    acase = decided_case()
    measure = acase.measures.get()
    [original] = PersonRecordEntry.objects.filter(person=people["head_jwc"])
    appeal = services.appeal_file(acase=acase, actor=people["head_jwc"], grounds="不服", measure=measure)
    services.appeal_decide(appeal=appeal, actor=people["office"], decision=Appeal.Decision.CHANGED, opinion="改为说明")
    entries = list(PersonRecordEntry.objects.filter(person=people["head_jwc"]))
    assert len(entries) == 2 and entries[1].corrects == original
    assert PersonRecordEntry.objects.get(pk=original.pk).text == original.text


def test_decided_measure_goes_to_the_record_and_is_immutable(people, decided_case):
    acase = decided_case()
    [entry] = PersonRecordEntry.objects.filter(person=people["head_jwc"])
    assert "通报批评" in entry.text and entry.acase == acase
    entry.text = "改写"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    measure = acase.measures.get()
    measure.decision_note = "改写"
    with pytest.raises(ValidationError):
        measure.save()
    assert PersonRecordEntry.objects.get(pk=entry.pk).text != "改写"

    with pytest.raises(PermissionDenied):
        services.record_correct(entry=entry, actor=people["office"], text="更正")
    correction = services.record_correct(entry=entry, actor=people["discipline"], text="更正：日期有误")
    assert correction.corrects == entry and PersonRecordEntry.objects.count() == 2


def test_unit_measures_write_no_person_record(people, decided_case):
    decided_case(subject="jwc", kinds=("unit_check",))
    assert not PersonRecordEntry.objects.exists()


@pytest.mark.parametrize("name", ["discipline", "head_jwc"])
def test_record_readers(people, decided_case, name):
    decided_case()
    assert selectors.record_for(user=people[name], person=people["head_jwc"]).count() == 1


@pytest.mark.parametrize("name", ["office", "leader", "president", "head_jsj", "recep_jwc", "admin", "clerk"])
def test_record_hidden_from_others(people, decided_case, client_for, name):
    decided_case()
    with pytest.raises(Http404):
        selectors.record_for(user=people[name], person=people["head_jwc"])
    url = f"/accountability/people/{people['head_jwc'].pk}/record/"
    assert client_for(people[name]).get(url).status_code == 404
