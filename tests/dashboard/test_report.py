"""The annual report (条例 第41条): figures against a hand-counted fixture, its scope and
the 举报 rule, the PDF and the xlsx, and who may read it."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.choices import Adoption
from cases.models import Case, Channel, Kind, Topic
from dashboard.report import annual_report
from supervision import services as supervision
from supervision.models import Adoption as NoticeAdoption
from supervision.models import Trigger
from tests.conftest import accuse_after_routing
from tests.conftest import logged_in_client as client_for


@pytest.fixture
def today() -> date:
    """Read when the test runs (so under XF_TODAY too); the report is of today's year."""
    return timezone.localdate()


@pytest.fixture
def year_cases(people, make_case, today):
    """Seven cases received this year and one last year; three notices (one escalated)."""
    a, b, c = (Topic.objects.get_or_create(name=n)[0] for n in ("报告测试甲", "报告测试乙", "报告测试丙"))
    jan_1 = today.replace(month=1, day=1)
    cases = {
        "c1": make_case(
            "handling", unit="jwc", channel=Channel.LETTER, kind=Kind.COMPLAINT, topic=a, received_on=today
        ),
        "c2": make_case("replied", unit="jwc", channel=Channel.VISIT, kind=Kind.COMPLAINT, topic=a, received_on=jan_1),
        "c3": make_case("replied", unit="jsj", channel=Channel.PHONE, kind=Kind.SUGGESTION, topic=b, received_on=jan_1),
        "c4": make_case("accepted", channel=Channel.LETTER, kind=Kind.SUGGESTION, topic=b, received_on=today),
        "c5": make_case("forwarded", channel=Channel.LETTER, kind=Kind.CONSULTATION, received_on=today),
        # a major case goes to the president, outside 王分管's charge
        "c6": make_case(
            "assigned", unit="dz", channel=Channel.ONLINE, kind=Kind.HELP, topic=a, received_on=today, is_major=True
        ),
        # a 举报 naming 王分管: in a unit in his charge, yet invisible to him (条例 第30条)
        "c7": make_case(
            "assigned",
            unit="jsj",
            channel=Channel.LETTER,
            kind=Kind.REPORT,
            topic=c,
            received_on=today,
            is_major=True,
        ),
        # received last year, assigned this year: counts only as a 交办
        "old": make_case("assigned", unit="jwc", received_on=date(today.year - 1, 12, 31)),
    }
    accuse_after_routing(cases["c7"], people["leader"])
    # here each petition is about the unit that handles it (the report counts the former)
    for case in cases.values():
        Case.objects.filter(pk=case.pk).update(complained_unit_id=case.main_unit_id)
    other = Trigger.objects.get(code="other")
    office = people["office"]
    n1, _ = supervision.notice_raise(
        case=cases["c1"],
        actor=office,
        data=supervision.NoticeData(trigger=other, reason="办理进度缓慢", suggestions="建议建立食堂价格公示制度。"),
    )
    supervision.notice_answer(
        notice=n1, actor=people["recep_jwc"], answer="已整改。", adoption=NoticeAdoption.ADOPTED, adoption_note=""
    )
    n2, _ = supervision.notice_raise(case=cases["c6"], actor=office, data=supervision.NoticeData(trigger=other))
    supervision.notice_escalate(notice=n2, actor=office, reason="逾期未反馈")
    return cases


def counts(rows) -> dict[str, int]:
    return {r.label: r.count for r in rows}


def test_figures_for_the_whole_school(people, year_cases, today):
    report = annual_report(user=people["office"], year=today.year)
    assert report.scope_label == "全校"
    assert report.total == 7
    assert report.closed == 1  # the forwarded one
    assert counts(report.by_channel) == {"来信": 4, "来电": 1, "来访": 1, "网上信访": 1}
    assert counts(report.by_kind) == {"咨询": 1, "求助": 1, "建议": 2, "投诉": 2, "举报": 1}
    months = dict.fromkeys(range(1, 13), 0)
    months[1] += 2
    months[today.month] += 5
    assert [r.count for r in report.by_month] == [months[m] for m in range(1, 13)]
    assert counts(report.by_topic) == {"报告测试甲": 3, "报告测试乙": 2, "报告测试丙": 1, "未分类": 1}
    assert [(r.label, r.count, r.extra) for r in report.top_units] == [
        ("教务处", 2, 2),
        ("计算机工程学院", 2, 1),
        ("电子工程学院", 1, 0),
    ]
    assert report.top_units[0].share == "28.6%"
    assert report.forwarded == 1
    assert report.assigned == 6  # c1, c2, c3, c6, c7 and last year's case
    assert report.notices == 3
    assert counts(report.notices_by_level) == {"催办": 2, "督办": 1, "约谈/通报": 0, "挂牌督办": 0}
    assert report.notices_escalated == 1
    # the petitioners' suggestions (条例 第29条): c3 answered with what was adopted, c4
    # still being handled
    adoption = year_cases["c3"].adoption
    label = {Adoption.ADOPTED: "予以采纳", Adoption.PARTLY: "部分采纳", Adoption.NOT_ADOPTED: "未予采纳"}
    assert report.suggestion_total == 2
    assert counts(report.suggestion_cases)[label[adoption]] == 1
    assert sum(counts(report.suggestion_cases).values()) == 2
    assert counts(report.suggestion_cases)["尚在办理"] == 1
    # the office's suggestion in a notice, and the unit's answer (条例 第40条)
    assert report.office_suggestion_total == 1
    assert counts(report.office_suggestions) == {"已采纳": 1, "部分采纳": 0, "未采纳": 0, "尚未反馈": 0}
    [item] = report.office_suggestion_items
    assert (item.unit, item.case_number, item.adoption) == ("教务处", year_cases["c1"].number, "已采纳")


def test_last_year_holds_only_last_years_case(people, year_cases, today):
    report = annual_report(user=people["office"], year=today.year - 1)
    assert report.total == 1
    assert report.assigned == 0
    assert report.notices == 0


def test_a_leader_sees_only_the_units_in_charge_and_no_report_naming_him(people, year_cases, today):
    report = annual_report(user=people["leader"], year=today.year)
    assert report.scope_label.startswith("王分管分管部门")
    assert report.total == 3  # c1, c2, c3: not c6 (dz), not the 举报 naming him, not the unassigned
    assert [(r.label, r.count) for r in report.top_units] == [("教务处", 2), ("计算机工程学院", 1)]
    assert "举报" not in counts(report.by_kind)
    assert report.assigned == 4
    assert report.notices == 1
    other = annual_report(user=people["leader2"], year=today.year)
    assert (other.total, other.assigned, other.notices) == (1, 1, 2)
    assert [r.label for r in other.top_units] == ["电子工程学院"]


def test_the_unit_head_sees_their_unit_only(people, year_cases, today):
    report = annual_report(user=people["head_jwc"], year=today.year)
    assert report.total == 2
    assert report.scope_label == "教务处"


def test_page_shows_the_figures_and_narrows_to_a_unit(people, year_cases, django_assert_max_num_queries, today):
    client = client_for(people["leader"])
    # a fixed number, whatever the rows: +3 for the policy fixes (the 举报 among their cases,
    # the fixes, their cases), +2 for the accountability suggestions (the counts and the list)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("dashboard:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dashboard-nav"' in html
    assert f"{today.year}年度信访情况报告" in html
    assert re.search(r'data-testid="total">\s*3\s*<', html)
    response = client.get(reverse("dashboard:report"), {"year": today.year, "unit": "jsj"})
    assert re.search(r'data-testid="total">\s*1\s*<', response.content.decode())
    # a unit outside his charge is not found, the same answer as for a case out of scope
    assert client.get(reverse("dashboard:report"), {"year": today.year, "unit": "dz"}).status_code == 404
    # a year that is not offered is an error in place, and the default year is shown
    response = client.get(reverse("dashboard:report"), {"year": "1999"})
    assert response.status_code == 200
    assert "请选择列表中的年度。" in response.content.decode()


@pytest.mark.parametrize("role", ["clerk", "recep_jwc", "discipline"])
def test_roles_without_the_dashboard_are_refused(people, role):
    for name in ("report", "report_pdf", "report_xlsx"):
        assert client_for(people[role]).get(reverse(f"dashboard:{name}")).status_code == 403


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get(reverse("dashboard:report"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_pdf_carries_the_year_the_total_and_the_top_unit(people, year_cases, today):
    response = client_for(people["office"]).get(reverse("dashboard:report_pdf"), {"year": today.year})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert f"{today.year}年度信访情况报告" in flat
    assert "共收到信访事项7件" in flat
    assert "按被反映单位统计，被反映较多的是教务处（2件" in flat
    assert "发出督办单3件次" in flat


def test_xlsx_reads_back(people, year_cases, today):
    response = client_for(people["office"]).get(reverse("dashboard:report_xlsx"), {"year": today.year})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == "概况"
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["年度"] == today.year
    assert overview["信访事项总量（件）"] == 7
    assert overview["转送（件）"] == 1
    assert overview["交办（件）"] == 6
    assert overview["督办（件次）"] == 3
    units = list(book["被反映较多的单位"].iter_rows(min_row=3, values_only=True))
    assert units[0] == (1, "教务处", 2, 2, "28.6%")
    channels = {row[0]: row[1] for row in book["按渠道"].iter_rows(min_row=3, values_only=True)}
    assert channels == {"来信": 4, "来电": 1, "来访": 1, "网上信访": 1, "合计": 7}
    items = list(book["改进建议明细"].iter_rows(min_row=3, values_only=True))
    assert [(r[2], r[4], r[5]) for r in items] == [("教务处", "建议建立食堂价格公示制度。", "已采纳")]


def test_xlsx_for_a_leader_is_his_scope(people, year_cases, today):
    response = client_for(people["leader"]).get(reverse("dashboard:report_xlsx"), {"year": today.year})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["信访事项总量（件）"] == 3
