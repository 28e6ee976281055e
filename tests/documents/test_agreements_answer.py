"""A dispute that ends in a 调解 or 和解 is answered by the agreement the parties signed
(《信访工作条例》第三十一条 lets a dispute be mediated): no 信访处理意见书 with a 第三十二条
clause is drafted, the agreement's delivery is the delivery of the answer, whether it was
signed before the reply or after, and the case can be archived once it is delivered."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services as case_services
from cases.models import Case
from core.days import day_start
from deadlines.clocks import Clock
from documents.guards import archive_refusal
from documents.services import DocumentRefused, delivery_record, document_issue
from supervision.models import Notice
from supervision.scan import scan

D = dt.date


def _reply(case, people, outcome: str) -> Case:
    case_services.case_reply(
        case=case,
        actor=people["head_jwc"],
        facts="双方就宿舍损坏赔偿存在争议",
        conclusion="经调解双方达成一致",
        handling="签订协议，学校退还押金",
        petitioner_opinion="同意",
        outcome=outcome,
    )
    return Case.objects.get(pk=case.pk)


def _deliver(document, people, day: D) -> None:
    delivery_record(document=document, actor=people["office"], way="in_person", delivered_on=day, note="双方当场签字")


@pytest.mark.parametrize("kind", ["mediation", "settlement"])
def test_an_agreement_signed_before_the_reply_is_its_delivered_answer(people, make_case, today_is, kind):
    today_is(D(2026, 12, 2))
    case = make_case("handling", unit="jwc", petitioner={"name": "林峰", "phone": "13800008888"})
    agreement = document_issue(case=case, kind=kind, actor=people["office"])
    _deliver(agreement, people, D(2026, 12, 2))
    today_is(D(2026, 12, 3))
    case = _reply(case, people, kind)
    with pytest.raises(DocumentRefused, match="不制作信访处理意见书"):
        document_issue(case=case, kind="opinion", actor=people["office"])
    clock = case.clocks.get(rule__code="reply-delivery")
    assert (clock.status, clock.on_time) == (Clock.Status.STOPPED, True)
    window = case.clocks.get(rule__code="review-request")
    assert window.start_date == D(2026, 12, 2)  # from the day the petitioner received it
    scan(now=day_start(D(2026, 12, 30)))
    assert not Notice.objects.filter(case=case, trigger__code="not_delivered").exists()
    assert archive_refusal(case) is None


def test_an_agreement_issued_after_the_reply_stops_the_delivery_clock_when_delivered(people, make_case, today_is):
    today_is(D(2026, 12, 2))
    case = _reply(
        make_case("handling", unit="jwc", petitioner={"name": "林峰", "phone": "13800008888"}), people, "mediation"
    )
    assert "调解协议书" in archive_refusal(case)  # the answer owed is the agreement, not a 意见书
    agreement = document_issue(case=case, kind="mediation", actor=people["office"])
    assert case.clocks.get(rule__code="reply-delivery").status == Clock.Status.RUNNING
    today_is(D(2026, 12, 4))
    _deliver(agreement, people, D(2026, 12, 4))
    clock = case.clocks.get(rule__code="reply-delivery")
    assert (clock.status, clock.on_time) == (Clock.Status.STOPPED, True)
    assert archive_refusal(Case.objects.get(pk=case.pk)) is None
