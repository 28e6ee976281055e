"""A calendar edit recomputes the open deadlines it affects, with a history row; the case
page shows each clock and how it was computed; the overdue list keeps to the user's scope."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Case
from cases.selectors import with_next_due
from deadlines.clocks import Clock, Event
from deadlines.models import CalendarDay
from deadlines.services import on_case_event
from supervision.scan import scan
from tests.conftest import logged_in_client as _client

AT = timezone.make_aware(dt.datetime(2026, 12, 20, 9, 0))


def test_a_deadline_through_an_unpublished_year_is_provisional_and_recomputed(
    people, make_case, django_capture_on_commit_callbacks
):
    case = make_case(received_on=dt.date(2026, 12, 19))
    Clock.objects.filter(case=case).delete()
    clock = next(c for c in on_case_event(case, Event.ACCEPTED, at=AT) if c.rule.code == "completion")
    assert clock.due_date == dt.date(2027, 2, 18)  # 60 days; 2027 known only by its weekends
    assert clock.provisional

    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=dt.date(2027, 2, 18), is_workday=False, name="春节", source="admin")
    clock.refresh_from_db()
    assert clock.due_date == dt.date(2027, 2, 19)
    row = case.history.order_by("-history_id").first()
    assert row.transition == "日历调整"
    assert "2027-02-18" in row.history_change_reason and "2027-02-19" in row.history_change_reason


def test_stopped_clocks_are_not_recomputed(people, make_case, django_capture_on_commit_callbacks):
    case = make_case(received_on=dt.date(2026, 12, 19))
    Clock.objects.filter(case=case).delete()
    clock = next(c for c in on_case_event(case, Event.ACCEPTED, at=AT) if c.rule.code == "completion")
    on_case_event(case, Event.REPLIED, at=AT + dt.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=dt.date(2027, 2, 18), is_workday=False, name="春节", source="admin")
    clock.refresh_from_db()
    assert clock.due_date == dt.date(2027, 2, 18)


def test_case_page_shows_each_clock_with_time_left(people, make_case):
    case = make_case(state="handling")
    page = _client(people["recep_jwc"]).get(case.get_absolute_url()).content.decode()
    unit_clock = case.clocks.get(rule__code="unit-result")
    days_left = (unit_clock.due_date - timezone.localdate()).days
    assert "承办答复" in page and f"剩余 {days_left} 天" in page
    assert "办结" in page and "申请延期" in page  # the main unit may ask for more time
    assert "按期完成" in page  # the stopped 受理告知 clock


def test_overdue_clock_shows_days_late(people, make_case):
    case = make_case(state="handling")
    clock = case.clocks.get(rule__code="unit-result")
    Clock.objects.filter(pk=clock.pk).update(due_date=timezone.localdate() - dt.timedelta(days=4))
    page = _client(people["office"]).get(case.get_absolute_url()).content.decode()
    assert "已超期 4 天" in page


def test_how_was_this_computed(people, make_case):
    case = make_case(received_on=dt.date(2026, 9, 25))
    Clock.objects.filter(case=case).delete()
    on_case_event(case, Event.REGISTERED, at=timezone.make_aware(dt.datetime(2026, 9, 25, 10)))
    clock = case.clocks.get(rule__code="accept-decision")
    page = _client(people["clerk"]).get(f"/cases/{case.pk}/clocks/{clock.pk}/").content.decode()
    assert "2026-09-25" in page and "2026-10-10" in page
    # the source by its name, and the start and the stop as the law states them
    assert "《信访工作条例》第二十三条；《湖南信息职业技术学院信访工作实施方案》四、2" in page
    assert "seed" not in page
    assert "自收到信访事项之日起" in page and "受理、不予受理或转送的书面告知送达信访人" in page
    assert "2026 年第" in page  # the calendar version used
    assert _client(people["head_jsj"]).get(f"/cases/{case.pk}/clocks/{clock.pk}/").status_code == 404


def test_explanation_lists_the_days_skipped_and_the_move(people, make_case):
    case = make_case(received_on=dt.date(2026, 9, 25), channel="mailbox")
    Clock.objects.filter(case=case).delete()
    on_case_event(case, Event.REGISTERED, at=timezone.make_aware(dt.datetime(2026, 9, 25, 10)))
    clock = case.clocks.get(rule__code="mailbox")
    page = _client(people["office"]).get(f"/cases/{case.pk}/clocks/{clock.pk}/").content.decode()
    assert "2026-10-02 为休息日，顺延至下一工作日" in page
    assert "10-02 国庆节" in page and "2026-10-08" in page


def test_overdue_list_is_scoped_and_sorted(people, make_case):
    mine = make_case(state="handling", unit="jwc")
    other = make_case(state="handling", unit="jsj")
    scan(now=max(c.clocks.get(rule__code="unit-result").due_at for c in (mine, other)) + dt.timedelta(minutes=1))
    office = _client(people["office"]).get("/deadlines/?status=overdue").content.decode()
    assert mine.number in office and other.number in office
    unit = _client(people["head_jwc"]).get("/deadlines/").content.decode()
    assert mine.number in unit and other.number not in unit


def test_worklist_orders_by_nearest_due_date_with_badges(people, make_case):
    later = make_case(state="assigned")
    sooner = make_case(state="assigned")
    Clock.objects.filter(case=sooner, rule__code="unit-result").update(
        due_at=timezone.now() - dt.timedelta(days=1),
        due_date=timezone.localdate() - dt.timedelta(days=2),
        status="overdue",
    )
    page = _client(people["recep_jwc"]).get("/queues/to_take/").content.decode()
    assert page.index(sooner.number) < page.index(later.number)
    assert "已超期" in page


def test_a_paused_or_not_applicable_clock_sets_no_worklist_deadline(make_case):
    """Only a counting clock orders the worklists: a 听证 pauses the 复核 period (条例 第三十六条)
    and a notice not owed (第二十三条) is 不适用; neither is a deadline to work to."""
    paused = make_case(petitioner={"name": "王敏", "phone": "13800002222"})
    unknown = make_case(petitioner={"name": "匿名", "phone": "13800003333"})
    assert paused.clocks.get(rule__code="accept-decision").status == "running"
    assert unknown.clocks.get(rule__code="accept-decision").status == "not_applicable"
    paused.clocks.filter(rule__code="accept-decision").update(status="paused", paused_at=timezone.now())
    counted = {c.pk: c.next_due for c in with_next_due(Case.objects.filter(pk__in=(paused.pk, unknown.pk)))}
    assert counted == {paused.pk: None, unknown.pk: None}
    paused.clocks.filter(rule__code="accept-decision").update(status="running", paused_at=None)
    assert with_next_due(Case.objects.filter(pk=paused.pk)).get().next_due is not None


def test_the_non_acceptance_notice_is_a_delivery_not_a_button_and_the_office_records_a_summons(people, make_case):
    case = make_case(state="not_accepted")
    office = _client(people["office"])
    # the 3-day notice stops only when the 不予受理告知书 is delivered (documents' tests)
    assert office.post(f"/cases/{case.pk}/events/not_accepted_notice/").status_code == 404
    assert case.clocks.get(rule__code="not-accepted-notice").status == "running"
    assert "已书面告知不予受理" not in office.get(case.get_absolute_url()).content.decode()

    office.post(f"/cases/{case.pk}/events/summons/", {"area": "county"})
    summons = case.clocks.get(rule__code="summons-county")
    assert 89 <= (summons.due_at - summons.started_at).total_seconds() / 60 <= 90
    office.post(f"/cases/{case.pk}/events/arrived/")
    assert case.clocks.get(rule__code="summons-county").status == "stopped"
    assert _client(people["recep_jwc"]).post(f"/cases/{case.pk}/events/arrived/").status_code == 404
    assert _client(people["clerk"]).post(f"/cases/{case.pk}/events/summons/", {"area": "city"}).status_code == 403


def test_lapsed_windows_are_not_listed_as_overdue(people, make_case, today_is):
    today_is(dt.date(2026, 11, 2))  # the 5-workday objection window of 25 September is over
    case = make_case(source="province_system", superior_reference="SX-9", received_on=dt.date(2026, 9, 25))
    objection = case.clocks.get(rule__code="objection")
    # the acceptance notice, owed 15 days from the same receipt, went out on time
    on_case_event(case, Event.ACCEPTANCE_NOTICE_DELIVERED, at=timezone.make_aware(dt.datetime(2026, 9, 28, 10)))
    scan(now=objection.due_at + dt.timedelta(minutes=1))
    assert not case.notices.exists()
    body = _client(people["office"]).get("/deadlines/").content.decode()
    assert case.number not in body
    assert "已届满" in _client(people["office"]).get(case.get_absolute_url()).content.decode()
