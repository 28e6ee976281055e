"""A reply delivered late, and the 复查 request that only its delivery record makes lawful,
through the real pages (《信访工作条例》第三十五条: "自收到书面答复之日起30日内请求复查").

教务处's answer is approved on 1 June 2026 and its 信访处理意见书 issued that day, but the
registered letter reaches the petitioner only on 20 June. On 20 June the office records
the delivery on the case page (邮寄, with the tracking number and the signed 回执 scan):
once refused for a missing tracking number, with what was typed kept, then accepted.
On 15 July, 44 days after the reply's date but 25 days after its receipt, the petitioner
asks for 复查, and the office records the request: the window the page shows runs from
the delivery, and the request is accepted. The end state is checked in the database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case
from documents.models import Delivery, DocumentKind
from documents.services import document_issue
from supervision.models import ReviewRequest
from tests.e2e.test_letter_walk import minimal_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date
REPLIED = D(2026, 6, 1)  # the reply's date, a Monday
DELIVERED = D(2026, 6, 20)  # the signed 回执's date, a Saturday: delivery runs on any day
ASKED = D(2026, 7, 15)  # day 44 after the reply, day 25 after its receipt
TRACKING = "XA202606180031"
REQUEST = "信访人对成绩更正的处理意见不服，请求复查。"


def test_a_review_request_counts_from_the_delivery_not_the_reply(
    reseeded, live_server, walk, make_case, people, today_is, tmp_path
):
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    proof = tmp_path / "挂号信回执.pdf"
    proof.write_bytes(minimal_pdf())

    # 0. Replied and its 信访处理意见书 issued on 1 June, through the services.
    today_is(REPLIED)
    case = make_case("replied", unit="jwc")
    opinion = document_issue(case=case, kind=DocumentKind.OPINION, actor=people["office"])
    case_url = f"{live_server.url}{case.get_absolute_url()}"
    assert timezone.localdate(case.replied_at) == REPLIED

    w = walk("delivery-")
    shot, logged_in = w.shot, w.logged_in

    # 1. 20 June: the office records the delivery from the case page's 文书 card.
    today_is(DELIVERED)
    with logged_in("office") as page:
        page.goto(case_url)
        item = page.locator(f'[data-document="{DocumentKind.OPINION}"]')
        expect(item.get_by_test_id("delivery-status")).to_contain_text("未送达")
        # no window yet: the 30 days have not started (第三十五条)
        expect(page.get_by_test_id("review-window-waiting")).to_contain_text("尚未登记送达")
        form = item.get_by_test_id("delivery-form")
        form.get_by_label("送达方式").select_option(label="邮寄")
        form.get_by_label("送达日期").fill(DELIVERED.isoformat())
        form.get_by_label("备注").fill("挂号信，信访人本人签收")
        shot(page, "delivery-form")
        form.get_by_role("button", name="登记送达").click()
        # refused in place, in Chinese, with what was typed kept
        expect(page.get_by_text("邮寄送达须填写邮件单号（挂号信或快递单号）")).to_be_visible()
        expect(page.get_by_label("备注")).to_have_value("挂号信，信访人本人签收")
        assert not Delivery.objects.filter(document=opinion).exists()
        shot(page, "delivery-refused")
        page.get_by_label("邮件单号").fill(TRACKING)
        page.get_by_label("送达凭证").set_input_files(str(proof))
        page.get_by_role("button", name="登记送达").click()
        page.wait_for_url(case_url)
        expect(page.get_by_role("alert").filter(has_text="已登记信访处理意见书送达")).to_be_visible()
        status = page.locator(f'[data-document="{DocumentKind.OPINION}"]').get_by_test_id("delivery-status")
        expect(status).to_contain_text("已送达")
        expect(status).to_contain_text(TRACKING)
        expect(status).to_contain_text("挂号信回执.pdf")
        # the window now runs from the delivery: 30 days from 20 June is 20 July
        expect(page.get_by_test_id("record-review")).to_be_visible()
        expect(page.get_by_text("申请期限至 2026-07-20（自 2026-06-20 送达起算）")).to_be_visible()
        shot(page, "delivered")

    delivery = Delivery.objects.get(document=opinion)
    assert (delivery.way, delivery.delivered_on, delivery.tracking_number) == ("post", DELIVERED, TRACKING)
    assert delivery.recorded_by == people["office"] and delivery.proof_name == "挂号信回执.pdf"
    assert case.history.filter(history_user=people["office"], transition="文书送达").exists()

    # 2. 15 July: more than 30 days after the reply's date, within 30 of its receipt.
    today_is(ASKED)
    with logged_in("office") as page:
        page.goto(case_url)
        page.get_by_test_id("record-review").click()
        expect(page.get_by_test_id("window-end")).to_have_text("2026-07-20")
        page.get_by_label("收到申请日期").fill(ASKED.isoformat())
        page.get_by_label("请求事项及理由").fill(REQUEST)
        page.get_by_label("复查（复核）机关").fill("省教育厅")
        shot(page, "review-form")
        page.get_by_test_id("submit-review").click()
        page.wait_for_url(case_url)
        expect(page.get_by_text(REQUEST)).to_be_visible()
        shot(page, "review-recorded")

    review = ReviewRequest.objects.get(case=case, stage=ReviewRequest.Stage.REVIEW)
    assert (review.received_on, review.recorded_by, review.body) == (ASKED, people["office"], "省教育厅")
    case = Case.objects.get(pk=case.pk)
    assert case.history.filter(history_user=people["office"], transition="收到复查申请").exists()
    # the 复查机关's own 30 days run from the request (第三十五条)
    opinion_clock = case.clocks.get(rule__code="review-opinion")
    assert opinion_clock.start_date == ASKED and opinion_clock.status == "running"
    assert not w.page_errors, w.page_errors
