"""The working-day calendar (DOMAIN.md "Counting"), on the tables migration 0002 seeded
from the chinesecalendar package. The dates below are the State Council's published
schedules for 2025 and 2026, written out so that a wrong package or seed shows up."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.db import transaction
from django.urls import reverse

from deadlines import calendar
from deadlines.calendar import Calendar, current_calendar, due_date, explain, seed_from_package
from deadlines.models import CalendarDay, CalendarYear


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


@pytest.fixture
def changes():
    """The years of every calendar_changed signal sent during the test."""
    sent: list[set[int]] = []

    def record(sender, years, **kwargs):
        sent.append(years)

    calendar.calendar_changed.connect(record)
    yield sent
    calendar.calendar_changed.disconnect(record)


# --- the seed --------------------------------------------------------------------------


def test_migration_seeded_every_year_the_package_covers(db):
    known = {d.year for d in (*chinese_calendar.holidays, *chinese_calendar.workdays)}
    span = range(min(known), max(known) + 1)
    assert min(known) == 2004
    assert CalendarYear.objects.count() == len(span)
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(span)
    assert set(CalendarYear.objects.values_list("status", flat=True)) == {CalendarYear.Status.OFFICIAL}
    expected = len(chinese_calendar.holidays) + len(chinese_calendar.workdays)
    assert CalendarDay.objects.filter(source=CalendarDay.Source.PACKAGE).count() == expected


def test_national_day_2025(db):
    cal = current_calendar()
    for d in days(date(2025, 10, 1), date(2025, 10, 8)):
        assert not cal.is_workday(d), d
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2025, 10, 6)).name == "中秋节"
    # The two weekend days made working days.
    assert date(2025, 9, 28).weekday() == 6
    assert date(2025, 10, 11).weekday() == 5
    assert cal.is_workday(date(2025, 9, 28))
    assert cal.is_workday(date(2025, 10, 11))
    assert CalendarDay.objects.get(date=date(2025, 9, 28)).name == "调休上班（国庆节）"
    assert cal.is_workday(date(2025, 9, 30))
    assert cal.is_workday(date(2025, 10, 9))
    assert not cal.is_workday(date(2025, 10, 12))  # an ordinary Sunday


def test_spring_festival_2026(db):
    cal = current_calendar()
    for d in days(date(2026, 2, 15), date(2026, 2, 23)):
        assert not cal.is_workday(d), d
        assert cal.names[d] == "春节"
    assert cal.is_workday(date(2026, 2, 13))
    assert cal.is_workday(date(2026, 2, 24))
    # Saturdays 14 and 28 February are working days.
    assert cal.is_workday(date(2026, 2, 14))
    assert cal.is_workday(date(2026, 2, 28))
    assert date(2026, 2, 14) in cal.extra_workdays
    assert cal.names[date(2026, 2, 28)] == "调休上班（春节）"
    assert not cal.is_provisional(date(2026, 2, 14))


def test_load_reads_two_queries_and_the_snapshot_is_cached(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        Calendar.load()
    first = current_calendar()
    with django_assert_num_queries(1):  # only the check that nothing changed
        assert current_calendar() is first


# --- due_date: days ---------------------------------------------------------------------


def test_start_day_is_not_counted(db):
    assert due_date(date(2026, 3, 2), 1, "days") == date(2026, 3, 3)
    assert due_date(date(2026, 3, 2), 15, "days") == date(2026, 3, 17)


def test_period_in_days_ending_on_a_day_off_ends_on_the_next_working_day(db):
    assert due_date(date(2025, 9, 25), 7, "days") == date(2025, 10, 9)
    e = explain(date(2025, 9, 25), 7, "days")
    assert e.due == date(2025, 10, 9)
    assert e.moved and e.moved_from == date(2025, 10, 2)
    assert [d.date for d in e.counted] == days(date(2025, 9, 26), date(2025, 10, 2))
    assert [(d.date, d.name) for d in e.skipped] == [
        (date(2025, 10, 2), "国庆节"),
        (date(2025, 10, 3), "国庆节"),
        (date(2025, 10, 4), "国庆节"),
        (date(2025, 10, 5), "国庆节"),
        (date(2025, 10, 6), "中秋节"),
        (date(2025, 10, 7), "国庆节"),
        (date(2025, 10, 8), "国庆节"),
    ]
    assert e.provisional_years == [] and not e.is_provisional
    assert e.versions == {2025: 1}


def test_period_in_days_ending_on_a_weekend_or_a_working_saturday(db):
    # Saturday 2026-03-07 is an ordinary weekend: the period ends on Monday.
    e = explain(date(2026, 3, 2), 5, "days")
    assert e.due == date(2026, 3, 9)
    assert [(d.date, d.name) for d in e.skipped] == [(date(2026, 3, 7), "周末"), (date(2026, 3, 8), "周末")]
    # Saturday 2026-02-14 is a working day: the period ends there.
    assert due_date(date(2026, 2, 11), 3, "days") == date(2026, 2, 14)
    # Ending inside the Spring Festival: the first working day after it.
    assert due_date(date(2026, 2, 10), 7, "days") == date(2026, 2, 24)


def test_zero_length_ends_on_the_start_day(db):
    # Nothing counted, nothing to move: even a start on a day off stays put.
    assert due_date(date(2026, 3, 2), 0, "days") == date(2026, 3, 2)
    assert due_date(date(2025, 10, 1), 0, "days") == date(2025, 10, 1)
    assert due_date(date(2025, 10, 1), 0, "workdays") == date(2025, 10, 1)
    assert explain(date(2025, 10, 1), 0, "days").counted == []


# --- due_date: workdays -----------------------------------------------------------------


def test_workdays_across_national_day_2025(db):
    # Sat 27 skipped, Sun 28 worked, 29, 30; 1–8 October off; 9, 10; Sat 11 worked; 13.
    assert due_date(date(2025, 9, 26), 5, "workdays") == date(2025, 10, 10)
    e = explain(date(2025, 9, 26), 7, "workdays")
    assert e.due == date(2025, 10, 13)
    assert [d.date for d in e.counted] == [
        date(2025, 9, 28),
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 9),
        date(2025, 10, 10),
        date(2025, 10, 11),
        date(2025, 10, 13),
    ]
    assert e.counted[0].name == "调休上班（国庆节）"
    national_day = days(date(2025, 10, 1), date(2025, 10, 8))
    assert [d.date for d in e.skipped] == [date(2025, 9, 27), *national_day, date(2025, 10, 12)]
    assert e.skipped[0].name == "周末"
    assert not e.moved


def test_workdays_across_spring_festival_2026(db):
    # 13 Feb (Fri), 14 Feb (working Saturday), then 15–23 off, 24 Feb.
    assert due_date(date(2026, 2, 12), 3, "workdays") == date(2026, 2, 24)
    e = explain(date(2026, 2, 12), 3, "workdays")
    assert [d.date for d in e.counted] == [date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 24)]
    assert [d.date for d in e.skipped] == days(date(2026, 2, 15), date(2026, 2, 23))
    # The sunshine platform's 7 workdays (seed 000 §五(三)4) from Friday 13 February:
    # Sat 14; 24, 25, 26, 27; Sat 28 (worked); Monday 2 March.
    assert due_date(date(2026, 2, 13), 7, "workdays") == date(2026, 3, 2)


def test_workdays_across_the_new_year(db):
    # 30, 31 December; 1–3 January off; Sunday 4 January worked; 5, 6 January.
    e = explain(date(2025, 12, 29), 5, "workdays")
    assert e.due == date(2026, 1, 6)
    assert [d.date for d in e.counted] == [
        date(2025, 12, 30),
        date(2025, 12, 31),
        date(2026, 1, 4),
        date(2026, 1, 5),
        date(2026, 1, 6),
    ]
    assert [(d.date, d.name) for d in e.skipped] == [
        (date(2026, 1, 1), "元旦"),
        (date(2026, 1, 2), "元旦"),
        (date(2026, 1, 3), "元旦"),
    ]
    assert e.versions == {2025: 1, 2026: 1}


# --- provisional years ------------------------------------------------------------------


def test_a_year_without_a_published_schedule_counts_weekends_only(db):
    assert not CalendarYear.objects.filter(year=2027).exists()
    cal = current_calendar()
    assert cal.is_provisional(date(2027, 10, 1))
    assert cal.is_workday(date(2027, 10, 1))  # a Friday, National Day not yet published
    e = explain(date(2027, 9, 29), 2, "workdays")
    assert e.due == date(2027, 10, 1)
    assert e.provisional_years == [2027] and e.is_provisional
    assert e.versions == {2027: 0}
    # A deadline that runs from a published year into an unpublished one says so.
    e = explain(date(2026, 12, 30), 5, "workdays")
    assert e.due == date(2027, 1, 6)
    assert e.provisional_years == [2027]
    assert calendar.provisional_years_between(date(2026, 12, 30), e.due) == [2027]
    assert calendar.provisional_years_between(date(2026, 3, 2), date(2026, 3, 9)) == []


def test_entering_a_day_changes_results_at_once(db, changes):
    start = date(2027, 9, 29)
    assert due_date(start, 2, "workdays") == date(2027, 10, 1)

    CalendarDay.objects.create(date=date(2027, 10, 1), is_workday=False, name="国庆节")

    assert due_date(start, 2, "workdays") == date(2027, 10, 4)
    assert changes == [{2027}]
    year = CalendarYear.objects.get(year=2027)
    assert year.status == CalendarYear.Status.PROVISIONAL
    assert year.version == 1
    e = explain(start, 2, "workdays")
    assert e.versions == {2027: 1} and e.provisional_years == [2027]
    assert e.skipped == [
        calendar.Day(date(2027, 10, 1), False, "国庆节"),
        calendar.Day(date(2027, 10, 2), False, "周末"),
        calendar.Day(date(2027, 10, 3), False, "周末"),
    ]

    day = CalendarDay.objects.get(date=date(2027, 10, 1))
    day.delete()
    assert due_date(start, 2, "workdays") == date(2027, 10, 1)
    assert CalendarYear.objects.get(year=2027).version == 2
    assert changes == [{2027}, {2027}]


def test_publishing_a_year_bumps_its_version(db, changes):
    year = CalendarYear.objects.get(year=2026)
    assert year.version == 1
    year.note = "国务院办公厅关于2026年部分节假日安排的通知"
    year.save()
    assert year.version == 2
    assert CalendarYear.objects.get(year=2026).version == 2
    assert changes == [{2026}]

    CalendarYear.objects.create(year=2027, status=CalendarYear.Status.OFFICIAL)
    assert not current_calendar().is_provisional(date(2027, 1, 1))
    assert changes == [{2026}, {2027}]


def test_a_rolled_back_edit_leaves_no_stale_snapshot(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=date(2027, 10, 1), is_workday=False, name="国庆节")
        assert not current_calendar().is_workday(date(2027, 10, 1))
        raise RuntimeError
    assert current_calendar().is_workday(date(2027, 10, 1))


def test_reseeding_keeps_what_an_administrator_entered(db):
    assert seed_from_package() == 0
    CalendarDay.objects.filter(date=date(2025, 10, 8)).update(name="改错的名称")
    CalendarDay.objects.filter(date=date(2025, 10, 7)).update(name="管理员的名称", source=CalendarDay.Source.ADMIN)
    CalendarDay.objects.create(date=date(2025, 12, 31), is_workday=False, name="测试放假")

    assert seed_from_package([2025, 1999]) == 1
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2025, 10, 7)).name == "管理员的名称"
    assert CalendarDay.objects.filter(date=date(2025, 12, 31)).exists()
    assert not CalendarYear.objects.filter(year=1999).exists()
    assert CalendarYear.objects.get(year=2025).version == 3  # the entered day, then the reseed


# --- pure function ------------------------------------------------------------------------


def test_due_date_on_a_given_snapshot_reads_nothing():
    cal = Calendar(off={date(2030, 1, 1)}, extra_workdays={date(2030, 1, 5)}, official_years={2030})
    # No `db` fixture: a query would fail the test.
    assert due_date(date(2029, 12, 31), 1, "days", cal) == date(2030, 1, 2)
    assert due_date(date(2029, 12, 31), 3, "workdays", cal) == date(2030, 1, 4)
    assert due_date(date(2029, 12, 31), 4, "workdays", cal) == date(2030, 1, 5)
    assert explain(date(2029, 12, 31), 1, "days", cal).skipped[0].name == ""


@pytest.mark.parametrize(
    ("length", "unit", "error"),
    [(1, "weeks", ValueError), (1, "", ValueError), (-1, "days", ValueError), (1.5, "days", TypeError)],
)
def test_bad_arguments_are_refused(length, unit, error):
    with pytest.raises(error):
        due_date(date(2026, 3, 2), length, unit, Calendar())


def test_a_datetime_start_is_refused():
    with pytest.raises(TypeError, match="date"):
        due_date(datetime(2026, 3, 2, 9), 1, "days", Calendar())


# --- admin ------------------------------------------------------------------------------


def test_admin_edit_makes_the_day_the_administrators_and_versions_the_year(admin_client, changes):
    url = reverse("admin:deadlines_calendarday_change", args=["2025-10-08"])
    response = admin_client.post(url, {"is_workday": "", "name": "国庆节（补休）"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2025, 10, 8))
    assert (day.name, day.source) == ("国庆节（补休）", CalendarDay.Source.ADMIN)
    assert CalendarYear.objects.get(year=2025).version == 2
    assert changes == [{2025}]


def test_admin_refuses_a_weekday_made_a_working_day(admin_client):
    url = reverse("admin:deadlines_calendarday_add")
    response = admin_client.post(url, {"date": "2027-10-04", "is_workday": "on", "name": "调休上班"})
    assert response.status_code == 200
    assert not CalendarDay.objects.filter(date=date(2027, 10, 4)).exists()


def test_admin_year_list_and_unchanged_save(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:deadlines_calendaryear_changelist"))
    assert response.status_code == 200
    assert "?date__year=2026" in response.content.decode()
    url = reverse("admin:deadlines_calendaryear_change", args=[2026])
    year = CalendarYear.objects.get(year=2026)
    response = admin_client.post(url, {"status": year.status, "note": year.note})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2026).version == 1
