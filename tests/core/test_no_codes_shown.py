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
from supervision import services as supervision
from supervision.models import Trigger

CODE = re.compile(r"seed\s*0|条例 第\d")


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
