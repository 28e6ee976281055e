"""归档 waits for the answer (issue 12 point 11): a case is filed only once its
信访处理意见书 has been issued and delivered to the petitioner, unless the petitioner's
name or address is unclear (《信访工作条例》第二十三条's exception)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import State
from documents.models import Delivery
from documents.services import delivery_record, document_draft, document_issue
from tests.conftest import logged_in_client


def archive(case, people):
    return case_services.case_archive(case=type(case).objects.get(pk=case.pk), actor=people["office"])


def test_a_case_is_not_filed_before_its_answer_is_issued_and_delivered(people, make_case):
    case = make_case("replied", petitioner={"name": "周杰", "phone": "13800003333"})
    office = logged_in_client(people["office"])
    page = office.post(f"/cases/{case.pk}/do/archive/", {"reason": ""}, follow=True).content.decode()
    assert "信访处理意见书尚未签发，不能归档" in page
    case.refresh_from_db()
    assert case.state == State.REPLIED
    # a draft is not an answer
    draft = document_draft(case=case, kind="opinion", actor=people["office"])
    with pytest.raises(case_services.TransitionRefused, match="信访处理意见书尚未签发"):
        archive(case, people)
    document = document_issue(case=case, kind="opinion", actor=people["office"])
    assert document.pk == draft.pk
    with pytest.raises(case_services.TransitionRefused, match=f"信访处理意见书 {document.number} 尚未送达信访人"):
        archive(case, people)
    history = case.history.count()
    delivery_record(document=document, actor=people["office"], way="email", delivered_on=timezone.localdate())
    assert case.history.count() == history + 1  # the delivery's own note
    response = office.post(f"/cases/{case.pk}/do/archive/", {"reason": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ARCHIVED
    last = case.history.order_by("-history_id").first()
    assert (last.state, last.history_user) == (State.ARCHIVED, people["office"])


@pytest.mark.parametrize(
    "petitioner",
    [
        {"name": "匿名"},  # no name
        {"name": "不详", "phone": "13800004444"},  # a number, but nobody to answer
        {"name": "王五"},  # a name, and nowhere to deliver to
    ],
    ids=["anonymous", "unknown-name", "no-address"],
)
def test_no_delivery_is_owed_when_the_petitioner_is_unclear(people, make_case, petitioner):
    case = make_case("replied", petitioner=petitioner)
    assert archive(case, people).state == State.ARCHIVED
    assert not case.documents.exists()


def test_a_case_made_archived_by_the_fixtures_has_its_answer_delivered(people, make_case):
    case = make_case("followed_up")
    assert case.state == State.FOLLOWED_UP
    delivery = Delivery.objects.get(document__case=case)
    assert delivery.document.kind == "opinion" and not delivery.document.is_draft
