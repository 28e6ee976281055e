"""One deadline badge with one colour scale, everywhere a case is shown (issue 14,
point 2; cases.deadline_badges): the workbench, the queues, the case list's sortable 期限
column and the case page. A lapsed petitioner's window never makes a case look late."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases.deadline_badges import Badge, badge_from
from deadlines.clocks import Clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def _clock(status, due, duty="unit", name="承办期限", note=""):
    at = dt.datetime.combine(due, dt.time(23, 59), tzinfo=dt.UTC)
    return {"status": status, "due_at": at, "due_date": due, "duty": duty, "name": name, "note": note}


@pytest.mark.parametrize(
    ("clocks", "state", "label"),
    [
        ([_clock("running", TODAY + dt.timedelta(days=5))], "running", "剩余 5 天"),
        ([_clock("due_soon", TODAY)], "due_soon", "今天到期"),
        (
            [_clock("running", TODAY + dt.timedelta(days=9)), _clock("overdue", TODAY - dt.timedelta(days=2))],
            "overdue",
            "已超期 2 天",
        ),
        # the petitioner's 复查 window lapsed while the unit's duty still runs: running
        (
            [
                _clock("overdue", TODAY - dt.timedelta(days=1), duty="petitioner"),
                _clock("running", TODAY + dt.timedelta(days=3)),
            ],
            "running",
            "剩余 3 天",
        ),
        (
            [_clock("overdue", TODAY - dt.timedelta(days=4), duty="petitioner", name="复查申请")],
            "lapsed",
            "申请期已届满",
        ),
        ([_clock("running", dt.date(2026, 4, 9), duty="petitioner")], "window", "申请期至 04-09"),
        ([_clock("paused", TODAY + dt.timedelta(days=30), duty="office")], "paused", "已暂停"),
        ([_clock("not_applicable", TODAY, duty="office", note="信访人姓名不清")], "not_applicable", "不适用"),
    ],
)
def test_one_badge_per_case(clocks, state, label):
    badge = badge_from(clocks, TODAY)
    assert (badge.state, badge.label) == (state, label)
    assert badge.css == Badge.CSS[state]


def test_no_open_clock_no_badge():
    assert badge_from([], TODAY) is None


def _unit_clock(case) -> Clock:
    return case.clocks.get(rule__code="unit-result", status__in=["running", "due_soon"])


def _badge_in(html: str, number: str) -> str:
    """The data-deadline of the badge in the row (or card) of case `number`."""
    row = re.search(rf"{re.escape(number)}.*?data-deadline=\"([a-z_]+)\"", html, re.S)
    assert row, number
    return row.group(1)


def test_the_list_workbench_queue_and_case_page_show_the_same_badge(people, make_case, client_for):
    case = make_case("handling")
    clock = _unit_clock(case)
    Clock.objects.filter(pk=clock.pk).update(status="overdue", due_date=timezone.localdate() - dt.timedelta(days=3))
    client = client_for(people["recep_jwc"])
    listing = client.get("/cases/").content.decode()
    assert '<th><a href="?sort=due_key" data-testid="sort-due">期限</a></th>' in listing
    assert _badge_in(listing, case.number) == "overdue" and "已超期 3 天" in listing
    assert _badge_in(client.get("/").content.decode(), case.number) == "overdue"
    assert _badge_in(client.get("/queues/handling/").content.decode(), case.number) == "overdue"
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-deadline="overdue"' in page and "text-bg-danger" in page


def test_a_lapsed_review_window_is_not_overdue(people, make_case, client_for):
    case = make_case("archived")
    # the 受理告知 was delivered: nothing is left for the school to do on time
    case.clocks.filter(rule__code="accept-decision").update(status="stopped")
    windows = case.clocks.filter(rule__duty="petitioner", status__in=["running", "due_soon"])
    assert windows.exists()
    windows.update(status="overdue", due_date=timezone.localdate() - dt.timedelta(days=1))
    listing = client_for(people["office"]).get("/cases/").content.decode()
    assert _badge_in(listing, case.number) == "lapsed"
    page = client_for(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "申请期已届满" in page and 'data-deadline="overdue"' not in page


def test_the_list_sorts_and_pages_by_the_nearest_duty(people, make_case, client_for, settings):
    settings.CASE_LIST_PAGE_SIZE = 2
    later, sooner, closed = make_case("handling"), make_case("handling"), make_case("archived")
    for case, days in ((later, 20), (sooner, 2)):
        clock = _unit_clock(case)
        due = timezone.localdate() + dt.timedelta(days=days)
        Clock.objects.filter(pk=clock.pk).update(due_date=due, due_at=clock.due_at + dt.timedelta(days=days - 30))
    client = client_for(people["office"])
    first = client.get("/cases/?sort=due_key").content.decode()
    numbers = re.findall(r'<td><a href="/cases/\d+/">(\d{4}-\d{4})</a></td>', first)
    assert numbers == [sooner.number, later.number]
    # the next page carries on after the last due time: the case with no open duty last
    cursor = re.search(r'href="\?[^"]*after=([^"&]+)', first).group(1)
    second = client.get(f"/cases/?sort=due_key&after={cursor}").content.decode()
    assert re.findall(r'<td><a href="/cases/\d+/">(\d{4}-\d{4})</a></td>', second)[-1] == closed.number
    reverse = client.get("/cases/?sort=-due_key").content.decode()
    assert "期限 ↓" in reverse
