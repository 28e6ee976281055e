"""The annual report (条例 第41条), issue 12 point 13: the units most complained about are
counted by the unit the petition is about (被反映单位), not the handling unit; the report
includes the policy fixes adopted in the year and the accountability suggestions with
whether they were adopted. The xlsx's sheets, headers and rows are checked cell by cell."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accountability import services as accountability
from accountability.models import Ground
from cases.models import Case, Kind
from dashboard.policy_fixes import policy_fix_record
from dashboard.report import annual_report
from people.models import Unit
from tests.conftest import logged_in_client as client_for

YEAR = 2026


@pytest.fixture
def data(today_is, people, units, make_case):
    """Three petitions handled by 教务处: two about 后勤保卫处, one about no unit in
    particular; a policy fix this year and one last year; three accountability proposals
    this year (adopted, not adopted, pending) and one last year."""
    today_is(dt.date(2025, 12, 20))
    old_case = make_case("handling", unit="jwc")
    policy_fix_record(
        actor=people["office"],
        title="去年的制度",
        description="—",
        unit=units["hqc"],
        adopted_on=dt.date(2025, 12, 20),
        reference="",
        cases=[old_case],
    )
    _propose(people, "head_hqc", ["criticize"], decide=True)
    today_is(dt.date(2026, 6, 15))
    c1 = make_case("handling", unit="jwc", kind=Kind.COMPLAINT)
    c2 = make_case("handling", unit="jwc", kind=Kind.SUGGESTION)
    c3 = make_case("handling", unit="jwc", kind=Kind.COMPLAINT)
    Case.objects.filter(pk__in=[c1.pk, c2.pk]).update(complained_unit=units["hqc"])
    policy_fix_record(
        actor=people["office"],
        title="食堂价格公示制度",
        description="每月公示主要菜品价格。",
        unit=units["hqc"],
        adopted_on=dt.date(2026, 5, 8),
        reference="湘信院后〔2026〕3号",
        cases=[c1, c2],
    )
    adopted = _propose(people, "head_jwc", ["criticize"], decide=True)
    declined = _propose(people, "jsj", ["unit_check"], decide=False)
    pending = _propose(people, "head_jsj", ["explain"], decide=None)
    return {"cases": (c1, c2, c3), "acases": (adopted, declined, pending)}


def _propose(people, subject, kinds, decide):
    data = accountability.CaseData(facts="推诿扯皮。", grounds=list(Ground.objects.filter(code="shirking")))
    if subject in ("jsj", "jwc", "hqc"):
        data.subject_unit = Unit.objects.get(code=subject)
    else:
        data.subject_user = people[subject]
    acase = accountability.case_open(actor=people["office"], data=data)
    for m in accountability.case_propose(acase=acase, actor=people["office2"], kinds=kinds, reason="建议"):
        if decide is not None:
            accountability.measure_decide(measure=m, actor=people["office"], approve=decide, note="意见")
    return acase


def test_units_most_complained_about_count_the_unit_the_petition_is_about(people, data):
    report = annual_report(user=people["office"], year=YEAR)
    assert report.total == 3
    assert [(r.label, r.count, r.extra, r.share) for r in report.top_units] == [("后勤保卫处", 2, 1, "66.7%")]
    assert "教务处" not in [r.label for r in report.top_units]


def test_the_report_has_the_years_policy_fixes_and_accountability_suggestions(people, data):
    report = annual_report(user=people["office"], year=YEAR)
    assert [(f.title, f.unit, f.reference) for f in report.policy_fixes] == [
        ("食堂价格公示制度", "后勤保卫处", "湘信院后〔2026〕3号")
    ]
    [part] = report.parts
    assert part.summary == [
        ("提出追究责任建议（项）", 3),
        ("追究责任建议已采纳（项）", 1),
        ("追究责任建议未采纳（项）", 1),
        ("追究责任建议待决定（项）", 1),
    ]


def test_xlsx_sheets_headers_and_rows(people, data):
    adopted, declined, pending = data["acases"]
    c1, c2, _ = data["cases"]
    response = client_for(people["office"]).get(reverse("dashboard:report_xlsx"), {"year": YEAR})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [
        "概况",
        "按渠道",
        "按类型",
        "按月份",
        "涉及领域",
        "被反映较多的单位",
        "转送交办督办",
        "群众建议采纳",
        "改进建议采纳",
        "完善政策",
        "追责建议采纳",
        "改进建议明细",
    ]

    def rows(name):
        return list(book[name].iter_rows(min_row=2, values_only=True))

    overview = {r[0]: r[1] for r in rows("概况")[1:]}
    assert overview["完善政策（项）"] == 1
    assert overview["提出追究责任建议（项）"] == 3
    assert overview["追究责任建议已采纳（项）"] == 1
    assert overview["追究责任建议未采纳（项）"] == 1
    assert overview["追究责任建议待决定（项）"] == 1
    assert rows("被反映较多的单位") == [
        ("排名", "被反映单位", "件数", "其中投诉举报", "占比"),
        (1, "后勤保卫处", 2, 1, "66.7%"),
    ]
    fixes = rows("完善政策")
    assert fixes[0] == ("出台日期", "制度完善事项", "责任部门", "文件名称或文号", "相关信访件")
    assert fixes[1][1:] == ("食堂价格公示制度", "后勤保卫处", "湘信院后〔2026〕3号", f"{c1.number}、{c2.number}")
    assert fixes[1][0].date() == dt.date(2026, 5, 8)
    assert len(fixes) == 2
    suggestions = rows("追责建议采纳")
    assert suggestions[0] == (
        "责任追究编号",
        "被追责对象",
        "追责方式",
        "追责层级",
        "提出建议日期",
        "采纳情况",
        "决定日期",
    )
    assert [r[:4] + r[5:6] for r in suggestions[1:]] == [
        (adopted.number, "李教务", "通报批评", "通报、限期整改", "已采纳"),
        (declined.number, "计算机工程学院", "责令检查", "通报、限期整改", "未采纳"),
        (pending.number, "刘院长", "责成说明情况", "通报、限期整改", "待决定"),
    ]
    assert [r[4].date() for r in suggestions[1:]] == [dt.date(2026, 6, 15)] * 3
    assert suggestions[1][6].date() == dt.date(2026, 6, 15) and suggestions[3][6] is None


def test_a_leader_sees_the_suggestions_from_petitions_in_his_charge_only(people, data):
    """王分管 (教务处, 学工处, 计算机学院, 后勤处): only suggestions in cases from petitions he can
    see count; the three this year were opened by hand, with no petition."""
    [part] = annual_report(user=people["leader"], year=YEAR).parts
    assert part.rows == [] and part.summary[0] == ("提出追究责任建议（项）", 0)


def test_page_and_pdf_show_the_new_parts(people, data):
    office = client_for(people["office"])
    page = office.get(reverse("dashboard:report"), {"year": YEAR}).content.decode()
    assert 'data-testid="policy-fixes"' in page and "食堂价格公示制度" in page
    assert "追责建议采纳" in page and "提出追究责任建议（项） 3" in page
    assert "被反映较多的单位（前十位，按被反映单位）" in page
    pdf = office.get(reverse("dashboard:report_pdf"), {"year": YEAR})
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert "全年完善政策、出台制度1项：食堂价格公示制度（后勤保卫处，2026年5月8日出台，湘信院后〔2026〕3号）" in flat
    assert "追责建议采纳：提出追究责任建议（项）3，追究责任建议已采纳（项）1" in flat
    assert "按被反映单位统计，被反映较多的是后勤保卫处（2件" in flat
