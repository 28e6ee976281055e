"""The 复查意见书 and 复核意见书 (《信访工作条例》第三十五、三十六条): written once the opinion
is recorded, read back with pdftotext, and delivered; the 复核 window runs 30 days from the
day the petitioner received the 复查意见书 (its delivery record), not from the opinion's
date, and without a delivery it has not started."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from documents.services import (
    DELIVERY_EVENTS,
    DocumentRefused,
    delivery_record,
    document_draft,
    document_issue,
    draft_issue,
)
from supervision import selectors, services
from tests.documents.test_documents import has, pdf_text, stored

D = dt.date
REPLIED = D(2026, 6, 2)
REQUESTED = D(2026, 6, 10)
DECIDED = D(2026, 7, 1)
DELIVERED = D(2026, 7, 6)  # a Monday; day 30 is Wednesday 2026-08-05, a working day


def _review_decided(make_case, people, today_is, **case_fields):
    """A case answered on REPLIED (its 信访处理意见书 delivered that day), a 复查 asked for on
    REQUESTED and its opinion recorded on DECIDED, all through the services."""
    office = people["office"]
    today_is(REPLIED)
    case = make_case("replied", unit="jwc", **case_fields)
    answer = document_issue(case=case, kind="opinion", actor=office)
    delivery_record(document=answer, actor=office, way="in_person", delivered_on=REPLIED)
    today_is(REQUESTED)
    review = services.review_request_record(
        case=case,
        actor=office,
        stage="review",
        received_on=REQUESTED,
        request_text="对处理意见不服，请求复查",
        body="湖南省教育厅",
    )
    today_is(DECIDED)
    services.review_opinion_record(
        review=review, actor=office, decision="upheld", opinion="原处理意见认定事实清楚，维持", decided_on=DECIDED
    )
    review.refresh_from_db()
    return case, review


def _rereview(case, people, received_on):
    return services.review_request_record(
        case=case,
        actor=people["office"],
        stage="rereview",
        received_on=received_on,
        request_text="对复查意见不服，请求复核",
        body="教育部",
    )


def test_the_rereview_window_runs_30_days_from_the_delivered_review_opinion(people, make_case, today_is):
    case, review = _review_decided(make_case, people, today_is)
    assert DELIVERY_EVENTS["review-opinion"] == "review_opinion_delivered"
    document = document_issue(case=case, kind="review-opinion", actor=people["office"], subject=review)
    assert document.review == review and document.number.startswith("〔2026〕信复查第")
    today_is(DELIVERED)
    delivery_record(
        document=document, actor=people["office"], way="post", delivered_on=DELIVERED, tracking_number="XA123456789CN"
    )
    assert selectors.review_window(case, "rereview") == (DELIVERED, D(2026, 8, 5))
    note = case.history.filter(transition="文书送达").order_by("-history_id").first()
    assert note.history_change_reason.startswith("复查意见书") and note.history_user == people["office"]

    today_is(D(2026, 8, 6))
    with pytest.raises(
        services.SupervisionRefused,
        match=r"已超过复核申请期限：应自2026-07-06收到复查意见之日起30日内（至2026-08-05）提出.*第三十六条",
    ):
        _rereview(case, people, D(2026, 8, 6))
    assert not case.review_requests.filter(stage="rereview").exists()
    # 2026-08-05 is 35 days after the opinion's date but day 30 after delivery: accepted
    rereview = _rereview(case, people, D(2026, 8, 5))
    assert (rereview.stage, rereview.received_on) == ("rereview", D(2026, 8, 5))
    assert case.clocks.get(rule__code="rereview-request").status == "stopped"


def test_without_delivery_the_rereview_window_has_not_started(people, make_case, today_is):
    case, _ = _review_decided(make_case, people, today_is)
    document_issue(case=case, kind="review-opinion", actor=people["office"])
    today_is(D(2026, 7, 10))
    assert selectors.review_window(case, "rereview") is None
    with pytest.raises(services.SupervisionRefused, match="复查意见尚未登记送达，复核申请期限尚未起算"):
        _rereview(case, people, D(2026, 7, 10))
    assert not case.review_requests.filter(stage="rereview").exists()


def test_no_review_opinion_letter_before_the_opinion_is_recorded(people, make_case, today_is):
    today_is(REPLIED)
    case = make_case("replied", unit="jwc")
    with pytest.raises(DocumentRefused, match="尚未登记复查意见，不能制作复查意见书"):
        document_draft(case=case, kind="review-opinion", actor=people["office"])
    with pytest.raises(DocumentRefused, match="尚未登记复核意见，不能制作复核意见书"):
        document_draft(case=case, kind="rereview-opinion", actor=people["office"])


def test_the_review_opinion_letter_states_the_opinion_and_the_right_to_rereview(people, make_case, today_is, tmp_path):
    case, _ = _review_decided(make_case, people, today_is, petitioner={"name": "周敏", "phone": "13800008888"})
    draft = document_draft(case=case, kind="review-opinion", actor=people["office"])
    assert draft.number is None and "自收到本复查意见书之日起30日内" in draft.text
    text = pdf_text(stored(draft_issue(document=draft, actor=people["office"])), tmp_path)
    has(text, "复查意见书", "〔2026〕信复查第0001号", "周敏：", case.number, "对处理意见不服，请求复查")
    has(text, "湖南省教育厅", "维持原处理意见", "原处理意见认定事实清楚，维持")
    has(text, "自收到本复查意见书之日起30日内", "请求复核", "《信访工作条例》第三十六条")
    assert "不再受理" not in text


def test_the_rereview_opinion_letter_says_the_matter_is_final(people, make_case, today_is, tmp_path):
    case, _ = _review_decided(make_case, people, today_is, petitioner={"name": "吴刚", "phone": "13800009999"})
    office = people["office"]
    letter = document_issue(case=case, kind="review-opinion", actor=office)
    today_is(DELIVERED)
    delivery_record(document=letter, actor=office, way="in_person", delivered_on=DELIVERED)
    today_is(D(2026, 7, 20))
    rereview = _rereview(case, people, D(2026, 7, 20))
    services.review_opinion_record(
        review=rereview, actor=office, decision="changed", opinion="变更复查意见，补发奖学金", decided_on=D(2026, 7, 20)
    )
    document = document_issue(case=case, kind="rereview-opinion", actor=office)
    assert document.review == rereview
    text = pdf_text(stored(document), tmp_path)
    has(text, "复核意见书", "〔2026〕信复核第0001号", "吴刚：", "对复查意见不服，请求复核", "教育部")
    has(text, "撤销或变更复查意见", "变更复查意见，补发奖学金")
    has(text, "以同一事实和理由提出投诉请求的", "不再受理", "《信访工作条例》第三十六条第三款")
    assert "请求复核（" not in text
    assert DELIVERY_EVENTS["rereview-opinion"] == "rereview_opinion_delivered"
    delivery_record(document=document, actor=office, way="in_person", delivered_on=D(2026, 7, 20))
    assert case.history.filter(transition="文书送达", history_change_reason__startswith="复核意见书").exists()


def test_the_case_page_offers_the_letter_and_shows_its_delivery(people, make_case, today_is, client):
    case, review = _review_decided(make_case, people, today_is)
    client.force_login(people["office"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-issue="review-opinion"' in page and "起草复查意见书" in page
    response = client.post(reverse("documents:issue", args=[case.pk, "review-opinion"]), {"review": review.pk})
    assert response.status_code == 302
    draft = case.documents.get(kind="review-opinion")
    assert draft.review == review and draft.is_draft
    document = draft_issue(document=draft, actor=people["office"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert document.number in page and "未送达" in page and "起草复查意见书" not in page
    today_is(DELIVERED)
    delivery_record(document=document, actor=people["office"], way="in_person", delivered_on=DELIVERED)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "已送达（当面送达、2026-07-06）" in page
    # a review of another case is not found
    other, _ = _review_decided(make_case, people, today_is)
    response = client.post(reverse("documents:issue", args=[other.pk, "review-opinion"]), {"review": review.pk})
    assert response.status_code == 404
