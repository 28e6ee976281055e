"""Bad input is a form error or a 404, never a 500 (issue 13 point 10): a date out of the
range the system counts (2000 to 2099) is reported in Chinese in place, and the page
answers with the default period; a year with no assessment is not found."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from dashboard.models import PolicyFix

DAY = date(2026, 11, 10)
OUT_OF_RANGE = "日期超出可查询范围（2000年至2099年）"


@pytest.fixture(autouse=True)
def _frozen(today_is):
    today_is(DAY)


@pytest.fixture
def office(people) -> Client:
    """The office, with a server error answered as a 500 page rather than raised."""
    c = Client(raise_request_exception=False)
    c.force_login(people["office"])
    return c


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/topics/?date_from=0001-01-01&date_to=0001-01-05",
        "/dashboard/topics/?date_to=0001-01-05",
        "/dashboard/topics/?date_from=9999-12-01&date_to=9999-12-31",
        "/dashboard/?period=custom&start=0001-01-01&end=0001-01-02",
        "/dashboard/?period=custom&start=9999-12-01&end=9999-12-31",
        "/cases/?date_from=0001-01-01&date_to=9999-12-31",
    ],
)
def test_a_date_out_of_range_is_a_chinese_error_in_place(office, url):
    response = office.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert OUT_OF_RANGE in body
    assert "自定义期间请填写起止日期" not in body  # the one error, not a second about it


def test_the_dashboard_falls_back_to_this_year_to_date(office):
    response = office.get("/dashboard/?period=custom&start=0001-01-01&end=0001-01-02")
    assert response.context["period"].start == date(2026, 1, 1)
    assert response.context["period"].end == DAY


def test_the_topics_page_falls_back_to_the_last_thirty_days(office):
    response = office.get("/dashboard/topics/?date_from=0001-01-01&date_to=0001-01-05")
    assert response.status_code == 200
    assert response.context["form"].period().end == DAY


def test_a_drill_down_date_out_of_range_answers_the_list(office, make_case):
    """closed_* and late_* come from the dashboard's links; the list still answers."""
    response = office.get("/cases/?closed_from=0001-01-01&closed_to=9999-12-31&late=completion&late_to=9999-12-31")
    assert response.status_code == 200


def test_a_year_out_of_range_is_a_chinese_error(office):
    response = office.get("/dashboard/?period=year&year=9999")
    assert response.status_code == 200
    assert "年度超出可查询范围（2000年至2099年）" in response.content.decode()


def test_dates_in_range_still_work(office):
    response = office.get("/dashboard/topics/?date_from=2026-10-01&date_to=2026-10-31")
    assert response.status_code == 200 and OUT_OF_RANGE not in response.content.decode()
    response = office.get("/dashboard/?period=custom&start=2026-01-01&end=2026-06-30")
    assert response.status_code == 200 and response.context["period"].start == date(2026, 1, 1)


def test_a_policy_fix_dated_out_of_range_is_refused_in_place(office, make_case, units):
    case = make_case("handling")
    response = office.post(
        "/dashboard/topics/fixes/",
        {
            "title": "修订宿舍热水管理办法",
            "description": "明确维修时限",
            "unit": units["hqc"].pk,
            "adopted_on": "0001-01-01",
            "case_numbers": case.number,
        },
    )
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not PolicyFix.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/accountability/assessment/9999/",
        "/accountability/assessment/0/",
        "/accountability/assessment/1999/",
        "/accountability/assessment/9999/export.xlsx",
        "/accountability/assessment/9999/export.pdf",
        "/accountability/assessment/?year=99999",
        "/accountability/assessment/?year=" + "9" * 5000,
    ],
)
def test_an_assessment_of_a_year_out_of_range_is_not_found(office, url):
    assert office.get(url).status_code == 404


@pytest.mark.parametrize("action", ["scheme", "veto", "note", "confirm"])
def test_writing_to_a_year_out_of_range_is_not_found(office, action):
    assert office.post(f"/accountability/assessment/9999/{action}/", {"text": "说明"}).status_code == 404


def test_a_year_that_is_not_ascii_digits_shows_this_year(office):
    response = office.get("/accountability/assessment/", {"year": "²"})
    assert response.status_code == 200 and response.context["year"] == DAY.year
    assert office.get("/accountability/assessment/2026/").status_code == 200


def test_an_upload_without_a_file_says_so(people, make_case, client_for):
    case = make_case("accepted")
    response = client_for(people["office"]).post(f"/cases/{case.pk}/attachments/", {}, follow=True)
    assert "请选择要上传的文件。" in response.content.decode()
    assert "已上传 0 个附件" not in response.content.decode()
    assert not case.attachments.exists()
