"""Accountability cases are built through the real services, by the office."""

from __future__ import annotations

import pytest

from accountability import services
from accountability.models import Ground
from tests.supervision.conftest import raise_notice  # noqa: F401  (the notice fixture, shared)


@pytest.fixture
def open_case(people, units):
    """open_case(subject=user_or_unit_code, grounds=("shirking",)) -> AccountabilityCase"""

    def make(subject="head_jwc", grounds=("shirking",), **fields):
        data = services.CaseData(facts="推诿扯皮，逾期未办。", grounds=list(Ground.objects.filter(code__in=grounds)))
        if subject in units:
            data.subject_unit = units[subject]
        else:
            data.subject_user = people[subject]
        for key, value in fields.items():
            setattr(data, key, value)
        return services.case_open(actor=people["office"], data=data)

    return make


@pytest.fixture
def decided_case(people, open_case):
    """A person's case with a decided 通报批评, in rectification."""

    def make(subject="head_jwc", kinds=("criticize",), due=None):
        acase = open_case(subject=subject)
        # the petition office (马督办) proposes, the school office (成信访, 党政办公室) decides
        for measure in services.case_propose(acase=acase, actor=people["office2"], kinds=list(kinds), reason="建议"):
            services.measure_decide(measure=measure, actor=people[_decider(measure)], approve=True, note="同意")
        return fresh(acase)

    return make


def _decider(measure) -> str:
    return "discipline" if measure.decider_role == "discipline" else "office"


def fresh(acase):
    return type(acase).objects.get(pk=acase.pk)
