"""The dashboard's key figures against a hand-counted fixture, their drill-down lists,
and the scope and 举报 rule for a unit head."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Channel, Kind, Satisfaction
from core.days import day_start
from dashboard import figures
from dashboard.charts import chart_data
from dashboard.periods import make_period
from dashboard.rollups import refresh_rollups
from dashboard.scope import make_scope
from deadlines.clocks import Clock, Event
from deadlines.services import on_case_event
from supervision.models import Notice
from tests.conftest import accuse_after_routing

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def fixture_cases(make_case, people, units):
    """Seven cases, counted by hand below. Received this year unless said otherwise."""
    now = timezone.now()
    today = timezone.localdate()

    def make(*args, **fields):
        # received today, not make_case's yesterday: on 1 January that is last year
        return make_case(*args, **{"received_on": today, **fields})

    c = {}
    c["registered"] = make("registered", channel=Channel.PHONE)  # open, no unit
    c["late"] = make("handling", unit="jwc", is_over_level=True)  # open; its completion past due
    c["followed"] = make("followed_up", unit="jwc", channel=Channel.VISIT)  # closed today, 满意
    c["declined"] = make("not_accepted")  # closed today
    c["group"] = make(
        "handling",
        unit="jsj",
        is_group=True,
        group_size=5,
        is_leader_case=True,
        leader_in_charge=people["leader"],
    )  # open; its unit result due within 3 working days
    c["report"] = make("handling", unit="jwc", kind=Kind.REPORT)
    # a 举报 naming the head of 教务处 once it is there: hidden from them
    accuse_after_routing(c["report"], people["head_jwc"])
    c["old"] = make(
        "handling", unit="jwc", received_on=today.replace(month=1, day=1) - timedelta(days=20), is_repeat=False
    )  # received last year, still open
    Case.objects.filter(pk=c["followed"].pk).update(satisfaction=Satisfaction.BASICALLY)
    Case.objects.filter(pk=c["registered"].pk).update(is_repeat=True)
    Clock.objects.filter(case=c["late"], rule__slot="completion").update(due_at=now - timedelta(days=2))
    Clock.objects.filter(case=c["group"], rule__slot="unit_result").update(due_at=now + timedelta(hours=2))
    # the old case's 受理告知书 reached the petitioner on time, 3 days after receipt (the
    # 15 days of 《信访工作条例》第二十三条 run from receipt, so undelivered it would be overdue)
    old_received = c["old"].received_on
    on_case_event(c["old"], Event.ACCEPTANCE_NOTICE_DELIVERED, at=day_start(old_received + timedelta(days=3)))
    # the followed-up case's 受理告知书 went out late
    Clock.objects.filter(case=c["followed"], rule__slot="acceptance").update(
        status=Clock.Status.STOPPED, stopped_at=now, on_time=False
    )
    Notice.objects.create(case=c["late"], unit=units["jwc"], reason="超期未办结")
    Notice.objects.create(case=c["group"], unit=units["jsj"], reason="答复不规范")
    Notice.objects.filter(case=c["group"]).update(status=Notice.Status.ESCALATED)
    return c


# The office sees everything: hand-counted.
OFFICE = {
    "open_now": 5,  # registered, late, group, report, old
    "received": 6,  # all but old
    "closed": 2,  # followed, declined
    "backlog": 1,  # late
    "overdue": 1,  # late
    "due_soon": 1,  # group
    "notices_open": 1,  # late
    "escalated": 1,  # group
    "repeat": 1,
    "over_level": 1,
    "group": 1,
    "leader_cases": 1,
    "leader_open": 1,
}


def values(data) -> dict:
    return {f.key: f.value for f in data["figures"]}


def list_total(client, url: str) -> int:
    page = client.get(url).content.decode()
    return int(re.search(r'data-testid="total">共 (\d+) 件', page).group(1))


def test_each_figure_against_the_hand_count(fixture_cases, people):
    data = figures.dashboard(user=people["office"], unit=None, period=make_period())
    got = values(data)
    assert not data["from_rollup"]  # never refreshed: live
    for key, want in OFFICE.items():
        assert got[key] == want, key
    assert got["satisfaction"] == 100.0  # 1 基本满意 of 1 rated
    assert got["acceptance_rate"] < 100.0  # one 受理 clock late
    hints = {f.key: f.hint for f in data["figures"]}
    assert "5 人次" in hints["group"] and "1 人次" in hints["over_level"]


def test_rollups_give_the_same_figures(fixture_cases, people):
    live = values(figures.dashboard(user=people["office"], unit=None, period=make_period()))
    refresh_rollups()
    refresh_rollups()  # idempotent
    data = figures.dashboard(user=people["office"], unit=None, period=make_period())
    assert data["from_rollup"]
    assert values(data) == live
    scope = make_scope(user=people["office"], unit=None)
    stocks = figures.live_stocks(scope, timezone.now())
    live_charts = chart_data(scope, make_period(), rollup=False, stocks=stocks)
    assert data["charts"] == live_charts


def test_drill_down_counts_equal_list_counts(fixture_cases, people, client):
    client.force_login(people["office"])
    page = client.get(reverse("dashboard:home"))
    assert page.status_code == 200
    for f in page.context["figures"]:
        if f.unit == "件":
            assert list_total(client, f.url) == f.value, f.key
    by_key = {f.key: f for f in page.context["figures"]}
    assert list_total(client, by_key["acceptance_rate"].url) == 1  # the late 受理
    assert list_total(client, by_key["satisfaction"].url) == 1


def test_unit_head_sees_their_unit_without_the_report_against_them(fixture_cases, people, units, client):
    head = people["head_jwc"]
    client.force_login(head)
    page = client.get(reverse("dashboard:home"))
    assert page.status_code == 200
    got = {f.key: f.value for f in page.context["figures"]}
    # 教务处 handles late, followed, report and old; the report names its head.
    assert got["open_now"] == 2  # late, old
    assert got["received"] == 2  # late, followed
    assert got["overdue"] == 1 and got["notices_open"] == 1 and got["escalated"] == 0
    for f in page.context["figures"]:
        if f.unit == "件":
            assert list_total(client, f.url) == f.value, f.key
    assert [r["name"] for r in page.context["charts"]["units"]["rows"]] == ["教务处"]
    # another unit is not theirs to choose
    assert client.get(reverse("dashboard:home"), {"unit": units["jsj"].pk}).context["unit"] is None


def test_the_unit_receptionist_and_the_clerk_are_refused(people, client):
    for name in ("recep_jwc", "clerk"):
        client.force_login(people[name])
        assert client.get(reverse("dashboard:home")).status_code == 403


def test_one_unit_and_a_custom_period(fixture_cases, people, units, client):
    client.force_login(people["office"])
    today = timezone.localdate()
    page = client.get(
        reverse("dashboard:home"),
        {
            "period": "custom",
            "start": (today - timedelta(days=400)).isoformat(),
            "end": today.isoformat(),
            "unit": units["jwc"].pk,
        },
    )
    got = {f.key: f.value for f in page.context["figures"]}
    assert not page.context["from_rollup"]
    assert got["received"] == 4  # late, followed, report, old
    for f in page.context["figures"]:
        assert f"unit={units['jwc'].pk}" in f.url
        if f.unit == "件":
            assert list_total(client, f.url) == f.value, f.key


def test_minimum_volume_keeps_small_units_out_of_the_ranking(fixture_cases, people, settings):
    settings.DASHBOARD_MIN_VOLUME = 2
    rows = figures.dashboard(user=people["office"], unit=None, period=make_period())["charts"]["units"]["rows"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["教务处"]["ranked"] and by_name["教务处"]["received"] == 3
    assert not by_name["计算机工程学院"]["ranked"]  # one case
    assert by_name["计算机工程学院"]["on_time_rate"] is None
    assert rows[0]["name"] == "教务处"


def test_the_page_shows_when_rollups_were_refreshed(fixture_cases, people, client):
    client.force_login(people["office"])
    assert "实时统计" in client.get(reverse("dashboard:home")).content.decode()
    refresh_rollups()
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "统计数据汇总于" in page
    assert 'id="dashboard-data"' in page and "echarts.min.js" in page


def test_the_list_says_which_dashboard_filters_it_shows(fixture_cases, people, client):
    client.force_login(people["office"])
    by_key = {f.key: f for f in client.get(reverse("dashboard:home")).context["figures"]}
    page = client.get(by_key["overdue"].url)
    assert ("时限", "当前超期") in page.context["drill"]
    text = page.content.decode()
    assert 'data-testid="drill-down"' in text and "清除这些条件" in text
    assert "deadline" not in page.context["clear_drill"]
    assert 'data-testid="drill-down"' not in client.get("/cases/").content.decode()


def test_a_unit_head_without_a_unit_is_refused_not_crashed(people, client):
    from people.models import User

    orphan = User.objects.create_user("orphan_head", password="pw", role=User.Role.UNIT_HEAD, unit=None)
    client.force_login(orphan)
    assert client.get(reverse("dashboard:home")).status_code == 403


def test_a_co_unit_does_not_count_another_units_notice(people, make_case, units, client):
    """A notice addressed to 教务处 on a case 计算机工程学院 co-handles is 教务处's alone: the
    co-unit's 督办 figure and its list filter do not count it."""
    from supervision import services as sv
    from supervision.models import Trigger

    case = make_case("handling", unit="jwc")
    case.co_units.add(units["jsj"])
    sv.notice_raise(case=case, actor=people["office"], data=sv.NoticeData(trigger=Trigger.objects.get(code="other")))
    for user, expected in ((people["head_jsj"], 0), (people["head_jwc"], 1)):
        client.force_login(user)
        figs = {f.key: f for f in client.get(reverse("dashboard:home")).context["figures"]}
        assert figs["notices_open"].value == expected
        assert list_total(client, figs["notices_open"].url) == expected


@pytest.mark.parametrize(
    ("today", "expected_previous"),
    [
        # 1 March: last year's 1 March counts, its 2 March does not; February in full.
        ("2026-03-01", {"2025-01": 1, "2025-02": 2, "2025-03": 1}),
        # the last day of a month: the whole of last year's March counts.
        ("2026-03-31", {"2025-01": 1, "2025-02": 2, "2025-03": 3}),
        # 29 February: a year earlier ends on 28 February, the whole month.
        ("2028-02-29", {"2027-01": 1, "2027-02": 2}),
    ],
)
def test_the_same_period_last_year_ends_on_the_same_day(make_case, people, today, expected_previous):
    """上年同期 is the same days a year earlier, read live or from the rollups alike: the
    rollups hold whole months, so a cut-short month a year earlier must not count whole."""
    day = dt.date.fromisoformat(today)
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=False):
        last_year = day.year - 1
        received = [
            dt.date(last_year, 1, 15),
            dt.date(last_year, 2, 10),
            dt.date(last_year, 2, 28),
            dt.date(last_year, 3, 1),
            dt.date(last_year, 3, 2),
            dt.date(last_year, 3, 31),
            dt.date(last_year, 4, 1),
            day,  # one this year, so the current line is not empty
        ]
        for d in received:
            make_case("registered", received_on=d)
        period = make_period()
        live = figures.dashboard(user=people["office"], unit=None, period=period)
        assert not live["from_rollup"]
        refresh_rollups()
        cached = figures.dashboard(user=people["office"], unit=None, period=period)
        assert cached["from_rollup"]
        for data in (live, cached):
            trend = data["charts"]["trend"]
            got = {f"{last_year}-{m[5:]}": n for m, n in zip(trend["months"], trend["previous"], strict=True)}
            assert got == expected_previous
            assert trend["previous_label"] == f"{last_year}年同期"
            assert trend["current"][-1] == 1
