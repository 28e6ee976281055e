"""The documents of issue 12 (points 3, 5, 8, 9), rendered by WeasyPrint and read back
with pdftotext: the 转送告知书 names the body, the 建议意见答复函 answers without a 第32条
outcome or a 复查 clause, the 法定途径告知书 names the procedure and the body, the 调解/和解
协议书 print the terms the office typed, the 紧急信访信息报告 goes to the leaders and the
superior, and the 延期办理告知书 names who approved the extension."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Kind, State
from deadlines import services as deadline_services
from documents import services as documents
from documents.services import DocumentRefused, delivery_record, document_draft, document_issue, draft_issue
from tests.documents.test_documents import assert_fonts_embedded, has, pdf_text, stored


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


def test_the_forward_notice_names_the_body_and_its_delivery_is_the_forward_event(people, make_case, tmp_path, year):
    case = make_case("forwarded", petitioner={"name": "陈晨", "phone": "13800005555"})
    document = document_issue(case=case, kind="forward", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(text, "转送告知书", f"〔{year}〕信转第0001号", "陈晨：", case.summary, case.number)
    has(text, "已将该信访事项转送长沙市人力资源和社会保障局", "第二十三条")
    assert_fonts_embedded(stored(document), tmp_path)
    assert documents.DELIVERY_EVENTS["forward"] == "forward_delivered"
    delivery_record(document=document, actor=people["office"], way="sms", delivered_on=timezone.localdate())
    note = case.history.order_by("-history_id").first()
    assert note.transition == "文书送达" and note.history_change_reason.startswith("转送告知书")
    with pytest.raises(DocumentRefused, match="未转送其他机关"):
        document_issue(case=make_case("accepted"), kind="forward", actor=people["office"])


def test_the_suggestion_reply_has_no_outcome_clause_and_no_review_clause(people, make_case, tmp_path, year):
    case = make_case("replied", kind=Kind.SUGGESTION, petitioner={"name": "刘洋", "phone": "13800006666"})
    assert case.procedure == "suggestion" and case.adoption and not case.outcome
    with pytest.raises(DocumentRefused, match="建议意见类事项以建议意见答复函答复"):
        document_issue(case=case, kind="opinion", actor=people["office"])
    document = document_issue(case=case, kind="suggestion-reply", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(text, "建议意见答复函", f"〔{year}〕信建复第0001号", "刘洋：", case.summary, "第二十九条", "特此函复。")
    has(text, case.report_facts, case.report_handling, "三、采纳情况")
    assert "复查" not in text and "第三十二条" not in text and "第三十五条" not in text
    # its delivery is the reply delivered, and the case may then be filed
    delivery_record(document=document, actor=people["office"], way="email", delivered_on=timezone.localdate())
    from cases import services as case_services

    assert case_services.case_archive(case=case, actor=people["office"]).state == State.ARCHIVED


def test_the_statutory_route_notice_names_the_procedure_and_the_body(people, make_case, tmp_path, year):
    case = make_case("statutory", petitioner={"name": "何静", "phone": "13800007777"})
    document = document_issue(case=case, kind="statutory-route", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(text, "法定途径告知书", f"〔{year}〕信法第0001号", "何静：", case.summary, "第三十一条")
    has(text, "通过人事争议仲裁途径解决", "向长沙市劳动人事争议仲裁委员会提出人事争议仲裁申请")
    assert documents.owes_delivery(document)
    with pytest.raises(DocumentRefused, match="未导入法定途径"):
        document_issue(case=make_case("accepted"), kind="statutory-route", actor=people["office"])


@pytest.mark.parametrize(
    ("kind", "title", "prefix"), [("mediation", "调解协议书", "信调"), ("settlement", "和解协议书", "信和")]
)
def test_the_agreements_print_the_terms_the_office_typed(people, make_case, tmp_path, year, kind, title, prefix):
    case = make_case("handling", unit="jwc", petitioner={"name": "林峰", "phone": "13800008888"})
    draft = document_draft(case=case, kind=kind, actor=people["office"])
    assert "甲方（信访人）：林峰" in draft.text and "乙方：教务处" in draft.text
    terms = draft.text.replace(
        "（请在此填写双方约定的具体事项、履行方式和期限。）", "乙方于2026年12月31日前退还甲方重修费480元。"
    )
    documents.draft_update(document=draft, actor=people["office"], text=terms)
    document = draft_issue(document=draft, actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(
        text,
        title,
        f"〔{year}〕{prefix}第0001号",
        "甲方（信访人）：林峰",
        "乙方于2026年12月31日前退还甲方重修费480元。",
    )
    assert "请在此填写" not in text
    with pytest.raises(DocumentRefused, match="承办中"):
        document_issue(case=make_case("accepted"), kind=kind, actor=people["office"])


def test_the_urgent_report_goes_to_the_leaders_and_the_superior(people, make_case, tmp_path, year, settings):
    settings.XINFANG_REVIEW_BODY = "湖南省教育厅"
    case = make_case("registered", is_group=True, group_size=12, petitioner={"name": "赵强", "phone": "13800009999"})
    document = document_issue(case=case, kind="urgent-report", actor=people["office"])
    text = pdf_text(stored(document), tmp_path)
    has(text, "紧急信访信息报告", f"〔{year}〕信急第0001号", "学院党委、行政主要负责同志，湖南省教育厅：")
    has(text, "12人集体", case.summary, "第二十五条", "特此报告。")
    assert not documents.owes_delivery(document)  # a report up, not a letter to the petitioner
    with pytest.raises(DocumentRefused, match="重大、紧急事项或集体访"):
        document_issue(case=make_case("registered"), kind="urgent-report", actor=people["office"])


def test_the_extension_notice_names_who_approved(people, make_case, tmp_path):
    """《信访工作条例》第三十四条: the extension is approved by the institution's head, and the
    notice says who."""
    case = make_case("handling", unit="jwc", petitioner={"name": "孙悦"})
    clock = case.clocks.get(rule__slot="completion")
    extension = deadline_services.extension_request(
        clock=clock, actor=people["recep_jwc"], days=10, reason="需赴实习单位调查取证"
    )
    approver = people["president"]
    extension = deadline_services.extension_propose(extension=extension, actor=people["office"], opinion="同意延期")
    extension = deadline_services.extension_decide(extension=extension, actor=approver, approve=True)
    assert extension.decided_by == approver
    text = pdf_text(stored(document_issue(case=case, kind="extension", actor=people["office"])), tmp_path)
    has(text, f"经{documents.approver_title(approver)}{approver.display_name}批准", "第三十四条")
    assert documents.approver_title(approver) == "学院主要负责人"


def test_a_12345_extension_notice_names_the_superior_that_approved(people, make_case, today_is, tmp_path):
    """A 12345 work order's extension is approved by 市教育局 (《湖南信息职业技术学院信访工作实施
    方案》五（三）3): its notice names that body with the reference and date, not the office
    clerk who recorded the decision."""
    today_is(dt.date(2026, 11, 30))
    case = make_case("handling", unit="jwc", source="hotline_12345", superior_reference="GD20261121")
    extension = deadline_services.extension_request(
        clock=case.clocks.get(rule__slot="completion"), actor=people["recep_jwc"], days=10, reason="需协调多个部门"
    )
    today_is(dt.date(2026, 12, 2))
    deadline_services.extension_record_superior(
        extension=extension,
        actor=people["office"],
        approve=True,
        decided_on=dt.date(2026, 12, 1),
        reference="长教信延〔2026〕12号",
    )
    text = pdf_text(stored(document_issue(case=case, kind="extension", actor=people["office"])), tmp_path)
    has(text, "经市教育局（批复文号 长教信延〔2026〕12号，2026年12月1日）批准", "第三十四条")
    assert people["office"].display_name not in text
