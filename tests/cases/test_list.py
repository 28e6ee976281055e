"""The case list: filters, sorting, keyset paging that neither skips nor repeats, counts
that are exact when small and marked as estimates when large, and a constant query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case, Channel, Kind, State
from tests.conftest import requires_postgres


@pytest.fixture
def office(people) -> Client:
    c = Client()
    c.force_login(people["office"])
    return c


def _numbers(body: str) -> list[str]:
    return re.findall(r'<td><a href="/cases/\d+/">(\d{4}-\d{4,})</a></td>', body)


def test_keyset_paging_walks_every_row_once_both_ways(office, make_case, settings):
    settings.CASE_LIST_PAGE_SIZE = 4
    made = [make_case().number for _ in range(10)]
    seen, url, pages = [], "/cases/?sort=-id", []
    while url:
        body = office.get(url).content.decode()
        pages.append(_numbers(body))
        seen += pages[-1]
        nxt = re.search(r'rel="next" href="\?([^"]+)"', body)
        url = "/cases/?" + nxt.group(1).replace("&amp;", "&") if nxt else None
    assert seen == sorted(made, reverse=True)
    assert [len(p) for p in pages] == [4, 4, 2]
    # and back from the last page
    prev = re.search(r'rel="prev" href="\?([^"]+)"', body).group(1).replace("&amp;", "&")
    assert _numbers(office.get("/cases/?" + prev).content.decode()) == pages[1]


def test_first_and_last_page_links(office, make_case, settings):
    """首页 and 末页 beside 上一页 and 下一页 (issue 14, point 12): the last page is the
    list's tail, with a way back and none onwards; the first has no way back."""
    settings.CASE_LIST_PAGE_SIZE = 4
    made = sorted((make_case().number for _ in range(10)), reverse=True)
    first = office.get("/cases/?sort=-id").content.decode()
    assert 'rel="first"' not in first and 'rel="prev"' not in first
    last_url = re.search(r'rel="last" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    assert last_url == "sort=-id&before=end"
    last = office.get("/cases/?" + last_url).content.decode()
    assert _numbers(last) == made[-4:]
    assert 'rel="next"' not in last and 'rel="last"' not in last
    back = re.search(r'rel="first" href="\?([^"]+)"', last).group(1).replace("&amp;", "&")
    assert _numbers(office.get("/cases/?" + back).content.decode()) == made[:4]
    prev = re.search(r'rel="prev" href="\?([^"]+)"', last).group(1).replace("&amp;", "&")
    assert _numbers(office.get("/cases/?" + prev).content.decode()) == made[2:6]


def test_sort_by_received_date(office, make_case):
    today = timezone.localdate()
    old = make_case(received_on=today - timedelta(days=30))
    new = make_case(received_on=today - timedelta(days=1))
    assert _numbers(office.get("/cases/?sort=received_on").content.decode()) == [old.number, new.number]
    assert _numbers(office.get("/cases/?sort=-received_on").content.decode()) == [new.number, old.number]


def test_filters(office, make_case, units):
    today = timezone.localdate()
    a = make_case(state=State.HANDLING, unit="jwc", channel=Channel.PHONE, is_major=False)
    b = make_case(
        state=State.ASSIGNED,
        unit="jsj",
        kind=Kind.SUGGESTION,
        is_over_level=True,
        received_on=today - timedelta(days=40),
    )
    c = make_case(petitioner={"name": "欧阳修", "phone": "13700001234"}, summary="反映图书馆开放时间短")

    def listed(**params):
        return set(_numbers(office.get("/cases/", params).content.decode()))

    assert listed(state="handling") == {a.number}
    assert listed(state=["handling", "assigned"]) == {a.number, b.number}
    assert listed(channel="phone") == {a.number}
    assert listed(kind="suggestion") == {b.number}
    assert listed(unit=units["jsj"].pk) == {b.number}
    assert listed(flags="is_over_level") == {b.number}
    assert listed(date_to=(today - timedelta(days=30)).isoformat()) == {b.number}
    assert listed(q="欧阳") == {c.number}
    assert listed(q="0001234") == {c.number}
    assert listed(q="图书馆") == {c.number}
    assert listed(q=c.number) == {c.number}


def test_bad_filter_is_reported(office):
    body = office.get("/cases/", {"date_from": "2026-05-01", "date_to": "2026-04-01"}).content.decode()
    assert "结束日期不能早于开始日期" in body


def test_count_is_exact_when_small(office, make_case):
    for _ in range(3):
        make_case()
    assert "共 3 件" in office.get("/cases/").content.decode()


@requires_postgres
def test_count_above_the_limit_is_an_estimate(office, make_case, settings):
    settings.CASE_LIST_EXACT_COUNT_LIMIT = 2
    for _ in range(4):
        make_case()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    assert re.search(r"共 约 \d+ 件", office.get("/cases/").content.decode())


def test_query_count_does_not_grow_with_rows(office, make_case, django_assert_max_num_queries):
    for _ in range(3):
        make_case(state=State.HANDLING)
    with django_assert_max_num_queries(12) as small:
        office.get("/cases/")
    for _ in range(12):
        make_case(state=State.HANDLING)
    with django_assert_max_num_queries(len(small.captured_queries)):
        office.get("/cases/")


def test_list_masks_phone_numbers(office, make_case):
    make_case(petitioner={"name": "赵六", "phone": "13812345678"})
    body = office.get("/cases/").content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_unit_head_view_shows_the_units_cases(people, make_case):
    mine = make_case(state=State.HANDLING, unit="jwc")
    other = make_case(state=State.HANDLING, unit="jsj")
    c = Client()
    c.force_login(people["head_jwc"])
    body = c.get("/unit/").content.decode()
    assert mine.number in body and other.number not in body
    assert "承办" in body
    assert Case.objects.count() == 2
