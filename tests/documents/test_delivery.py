"""Delivery (送达) of documents to the petitioner: every way is recorded with its date and
proof, 邮寄 needs its tracking number, the date is neither in the future nor before the
document was made, the case history says who recorded what, and the document's first
delivery is the event its clocks count from (《信访工作条例》第三十五条: 30 days from
receipt of the written reply, not from its date)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deadlines.clocks import Clock, DeadlineRule, Event
from documents import services as documents
from documents.models import Delivery, DeliveryWay
from documents.services import DeliveryRefused, delivery_record, document_issue
from tests.conftest import logged_in_client

# The smallest real PNG: check_upload reads the content, not the name.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def latest_note(case):
    return case.history.order_by("-history_id").first()


def page_of(user, case) -> str:
    return logged_in_client(user).get(case.get_absolute_url()).content.decode()


def delivery_block(page: str, document) -> str:
    """The case page's list item of `document` (its status and form)."""
    start = page.index(f'data-document="{document.kind}"')
    return page[start : page.index("</li>", start)]


@pytest.fixture
def accepted_notice(people, make_case):
    case = make_case("accepted", petitioner={"name": "李华", "phone": "13800001111"})
    return document_issue(case=case, kind="acceptance", actor=people["office"])


@pytest.mark.parametrize(
    ("way", "tracking"),
    [
        (DeliveryWay.IN_PERSON, ""),
        (DeliveryWay.POST, "XA123456789CN"),
        (DeliveryWay.EMAIL, ""),
        (DeliveryWay.SMS, ""),
        (DeliveryWay.ONLINE, ""),
    ],
)
def test_a_delivery_is_recorded_with_each_way(people, accepted_notice, way, tracking):
    document, office = accepted_notice, people["office"]
    case = document.case
    today = timezone.localdate()
    page = page_of(office, case)
    assert "未送达" in delivery_block(page, document)
    response = logged_in_client(office).post(
        f"/cases/{case.pk}/documents/{document.pk}/delivery/",
        {
            f"delivery-{document.pk}-way": way,
            f"delivery-{document.pk}-delivered_on": today.isoformat(),
            f"delivery-{document.pk}-tracking_number": tracking,
            f"delivery-{document.pk}-note": "信访人本人签收",
        },
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get(document=document)
    assert (delivery.way, delivery.delivered_on, delivery.tracking_number) == (way, today, tracking)
    assert (delivery.recorded_by, delivery.note) == (office, "信访人本人签收")
    note = latest_note(case)
    assert (note.transition, note.history_user) == ("文书送达", office)
    assert note.history_change_reason.startswith(f"受理告知书 {document.number}：{way.label}")
    assert note.history_change_reason.endswith(f"{today:%Y-%m-%d}送达")
    if tracking:
        assert f"单号 {tracking}" in note.history_change_reason
    block = delivery_block(page_of(office, case), document)
    assert "已送达" in block and way.label in block and f"{today:%Y-%m-%d}" in block
    assert "未送达" not in block
    assert documents.delivery_text(document) == f"已送达（{way.label}、{today:%Y-%m-%d}）"


def test_post_without_a_tracking_number_is_refused_and_the_form_keeps_what_was_typed(people, accepted_notice):
    document = accepted_notice
    day = timezone.localdate()
    response = logged_in_client(people["office"]).post(
        f"/cases/{document.case_id}/documents/{document.pk}/delivery/",
        {
            f"delivery-{document.pk}-way": "post",
            f"delivery-{document.pk}-delivered_on": day.isoformat(),
            f"delivery-{document.pk}-note": "挂号信寄往信访人住址",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "邮寄送达须填写邮件单号" in page
    assert "挂号信寄往信访人住址" in page and f'value="{day.isoformat()}"' in page
    assert re.search(r'<option value="post" selected>', page)
    assert not Delivery.objects.exists()
    with pytest.raises(DeliveryRefused, match="邮寄送达须填写邮件单号"):
        delivery_record(document=document, actor=people["office"], way="post", delivered_on=day, tracking_number=" ")


def test_the_date_is_not_in_the_future_nor_before_the_document_was_made(people, make_case, today_is):
    today_is(dt.date(2026, 3, 10))
    case = make_case("accepted")
    document = document_issue(case=case, kind="acceptance", actor=people["office"])
    office = people["office"]
    with pytest.raises(DeliveryRefused, match=r"送达日期不能晚于今天（2026-03-10）"):
        delivery_record(document=document, actor=office, way="in_person", delivered_on=dt.date(2026, 3, 11))
    with pytest.raises(DeliveryRefused, match=r"送达日期不能早于文书制作日期（2026-03-10）"):
        delivery_record(document=document, actor=office, way="in_person", delivered_on=dt.date(2026, 3, 9))
    response = logged_in_client(office).post(
        f"/cases/{case.pk}/documents/{document.pk}/delivery/",
        {f"delivery-{document.pk}-way": "sms", f"delivery-{document.pk}-delivered_on": "2026-03-12"},
    )
    assert "送达日期不能晚于今天" in response.content.decode()
    assert not Delivery.objects.exists()
    today_is(dt.date(2026, 3, 13))
    delivery = delivery_record(document=document, actor=office, way="in_person", delivered_on=dt.date(2026, 3, 10))
    assert delivery.delivered_on == dt.date(2026, 3, 10)


def test_a_signed_receipt_is_kept_and_a_disguised_file_is_refused(people, accepted_notice):
    document = accepted_notice
    url = f"/cases/{document.case_id}/documents/{document.pk}/delivery/"
    office = logged_in_client(people["office"])
    fields = {f"delivery-{document.pk}-way": "in_person", f"delivery-{document.pk}-delivered_on": timezone.localdate()}
    fake = SimpleUploadedFile("回执.pdf", b"this is not a pdf", content_type="application/pdf")
    response = office.post(url, {**fields, f"delivery-{document.pk}-proof": fake})
    assert response.status_code == 200
    assert "内容与扩展名不符" in response.content.decode()
    assert not Delivery.objects.exists()
    scan = SimpleUploadedFile("签收回执.png", PNG, content_type="image/png")
    assert office.post(url, {**fields, f"delivery-{document.pk}-proof": scan}).status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.proof_name, delivery.proof_type) == ("签收回执.png", "image/png")
    with delivery.proof.open("rb") as f:
        assert f.read() == PNG
    assert "签收回执.png" in delivery_block(page_of(people["office"], document.case), document)


def test_the_reply_delivered_starts_the_clocks_counted_from_receipt(people, make_case, today_is):
    """A rule that counts from receipt of the 信访处理意见书 starts on the day it was
    delivered, not on the reply's date; a second delivery starts nothing again."""
    today_is(dt.date(2026, 4, 1))
    rule = DeadlineRule.objects.create(
        code="h1-from-reply-delivery",
        name="自收到处理意见书之日起",
        slot="h1-from-reply-delivery",
        start_event=Event.REPLY_DELIVERED,
        length=30,
        unit="days",
        duty=DeadlineRule.Duty.PETITIONER,
        raises_notice=False,
        citation="《信访工作条例》第三十五条",
    )
    case = make_case("replied")
    document = document_issue(case=case, kind="opinion", actor=people["office"])
    assert not Clock.objects.filter(case=case, rule=rule).exists()
    today_is(dt.date(2026, 4, 9))
    delivery_record(
        document=document, actor=people["office"], way="post", delivered_on=dt.date(2026, 4, 6), tracking_number="1"
    )
    clock = Clock.objects.get(case=case, rule=rule)
    assert clock.start_date == dt.date(2026, 4, 6)
    assert clock.due_date == dt.date(2026, 5, 6)
    delivery_record(document=document, actor=people["office"], way="sms", delivered_on=dt.date(2026, 4, 8))
    assert Clock.objects.filter(case=case, rule=rule).count() == 1
    assert document.deliveries.count() == 2


def test_the_rejection_notice_stops_the_three_day_clock_when_delivered(people, make_case):
    case = make_case("not_accepted", petitioner={"name": "赵敏", "phone": "13800002222"})
    clock = case.clocks.get(rule__code="not-accepted-notice")
    document = document_issue(case=case, kind="rejection", actor=people["office"])
    clock.refresh_from_db()
    assert clock.is_open  # made, not yet sent
    delivery_record(document=document, actor=people["office"], way="in_person", delivered_on=timezone.localdate())
    clock.refresh_from_db()
    assert not clock.is_open and clock.on_time


def test_who_may_record_and_what_is_delivered(people, make_case):
    case = make_case("handling", unit="jwc")
    notice = document_issue(case=case, kind="acceptance", actor=people["office"])
    registration = document_issue(case=case, kind="registration", actor=people["office"])
    url = f"/cases/{case.pk}/documents/{notice.pk}/delivery/"
    data = {f"delivery-{notice.pk}-way": "in_person", f"delivery-{notice.pk}-delivered_on": timezone.localdate()}
    # out of scope: 404, for the form and the post
    outsider = logged_in_client(people["head_jsj"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, data).status_code == 404
    # a document of another case through this case's URL
    other = make_case("accepted")
    assert (
        logged_in_client(people["office"]).post(f"/cases/{other.pk}/documents/{notice.pk}/delivery/", data).status_code
        == 404
    )
    # the unit sees the status but does not record deliveries
    assert logged_in_client(people["head_jwc"]).post(url, data).status_code == 403
    unit_block = delivery_block(page_of(people["head_jwc"], case), notice)
    assert "未送达" in unit_block and "delivery-form" not in unit_block
    with pytest.raises(PermissionDenied):
        delivery_record(document=notice, actor=people["clerk"], way="in_person", delivered_on=timezone.localdate())
    # the 登记表 stays in the file: nothing to deliver
    assert (
        logged_in_client(people["office"]).get(f"/cases/{case.pk}/documents/{registration.pk}/delivery/").status_code
        == 404
    )
    with pytest.raises(DeliveryRefused, match="不送达信访人"):
        delivery_record(
            document=registration, actor=people["office"], way="in_person", delivered_on=timezone.localdate()
        )
    assert "delivery-status" not in delivery_block(page_of(people["office"], case), registration)
    assert not Delivery.objects.exists()
