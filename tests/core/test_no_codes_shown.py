"""No page, PDF or spreadsheet a user reads shows an internal source code such as
"seed 000 §四.2" (issue 12 point 14): on demo-like data (a case being handled with its
clocks, a 督办单, an accountability case with a decided measure), every main page, the
annual report's xlsx and the PDFs name their sources by title."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability import services as accountability
from accountability.models import Ground
from deadlines.clocks import Clock
from documents.demo import deliver_answer
from documents.services import document_issue
from supervision import services as supervision
from supervision.models import Trigger

# an internal code, or the regulation cited without its title (条例第三十五条, 条例 第35条)
CODE = re.compile(r"seed\s*0|§|(?<!》)条例\s*第")


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


@pytest.fixture
def demo(people, make_case):
    case = make_case("handling", unit="jwc")
    notice, _ = supervision.notice_raise(
        case=case,
        actor=people["office"],
        data=supervision.NoticeData(trigger=Trigger.objects.get(code="shirking"), suggestions="建议公示价格。"),
    )
    acase = accountability.case_open(
        actor=people["office"],
        data=accountability.CaseData(
            facts="推诿扯皮。", grounds=list(Ground.objects.all()[:3]), subject_user=people["head_jwc"], case=case
        ),
    )
    (measure,) = accountability.case_propose(acase=acase, actor=people["office2"], kinds=["criticize"], reason="建议")
    accountability.measure_decide(measure=measure, actor=people["office"], approve=True, note="同意")
    return {"case": case, "notice": notice, "acase": acase, "clock": Clock.objects.filter(case=case).first()}


def test_the_code_pattern_catches_what_it_is_for():
    for shown in ("seed 000 §四.2", "（条例第三十五条）", "条例 第35条"):
        assert CODE.search(shown), shown
    assert not CODE.search("《信访工作条例》第三十五条；《兰州大学信访工作责任制实施细则》第十一条（一）")


def test_the_letters_and_the_review_form_cite_by_title(people, demo, make_case, client_for):
    office = client_for(people["office"])
    replied = make_case("replied", unit="jwc", petitioner={"name": "李华", "phone": "13800001111"})
    deliver_answer(replied, people["office"])  # issues the 信访处理意见书 and opens the 复查 window
    seen = {"review form": office.get(reverse("supervision:review_new", args=[replied.pk, "review"])).content.decode()}
    assert "《信访工作条例》第三十五条" in seen["review form"]
    letters = [
        document_issue(case=demo["case"], kind=kind, actor=people["office"]) for kind in ("registration", "acceptance")
    ]
    letters += list(replied.documents.issued())
    letters.append(
        document_issue(case=demo["case"], kind="supervision", actor=people["office"], subject=demo["notice"])
    )
    for document in letters:
        response = office.get(reverse("documents:download", args=[document.case_id, document.pk]))
        assert response.status_code == 200, document.kind
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[document.kind] = pdf_text(body)
    assert "第三十二条" in seen["opinion"]
    shown = {where: CODE.findall(text) for where, text in seen.items()}
    assert {where: found for where, found in shown.items() if found} == {}


def test_no_page_pdf_or_sheet_shows_a_source_code(people, demo, client_for):
    office = client_for(people["office"])
    year = timezone.localdate().year
    case, clock = demo["case"], demo["clock"]
    assert clock is not None
    pages = [
        case.get_absolute_url(),
        reverse("deadlines:explain", args=[case.pk, clock.pk]),
        demo["notice"].get_absolute_url(),
        reverse("accountability:list"),
        reverse("accountability:open"),
        demo["acase"].get_absolute_url(),
        reverse("accountability:assessment"),
        reverse("dashboard:home"),
        reverse("dashboard:report"),
    ]
    seen = {}
    for url in pages:
        response = office.get(url)
        assert response.status_code == 200, url
        seen[url] = response.content.decode()
    # a person's record is read by discipline/HR (seed 004 第十九条)
    record = client_for(people["discipline"]).get(reverse("accountability:record", args=[people["head_jwc"].pk]))
    assert record.status_code == 200
    seen["record"] = record.content.decode()
    # the page that explains a clock names the rule's source by title
    assert "《" in seen[pages[1]]
    assert "《" in seen[demo["acase"].get_absolute_url()]
    report_pdf = office.get(reverse("dashboard:report_pdf"), {"year": year})
    seen["report.pdf"] = pdf_text(report_pdf.content)
    assessment_pdf = office.get(reverse("accountability:assessment_pdf", args=[year]))
    seen["assessment.pdf"] = pdf_text(assessment_pdf.content)
    report_xlsx = office.get(reverse("dashboard:report_xlsx"), {"year": year})
    seen["report.xlsx"] = xlsx_text(b"".join(report_xlsx.streaming_content))
    assessment_xlsx = office.get(reverse("accountability:assessment_xlsx", args=[year]))
    content = b"".join(assessment_xlsx.streaming_content) if assessment_xlsx.streaming else assessment_xlsx.content
    seen["assessment.xlsx"] = xlsx_text(content)
    shown = {where: CODE.findall(text) for where, text in seen.items()}
    assert {where: found for where, found in shown.items() if found} == {}
