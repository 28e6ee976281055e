"""Working-day arithmetic over the official calendar (DOMAIN.md "Counting").

The rules: the start day is not counted; a period counted in days that ends on a day off
ends on the next working day; a period counted in workdays skips days off and counts the
weekend days made working days (调休上班). Years the State Council has not published yet
count weekends only (plus any day an administrator entered) and every result that went
through one says so.

`due_date` and `explain` are pure over a `Calendar` snapshot; pass one in when computing
many deadlines (`cal = current_calendar()` once, then `due_date(..., calendar=cal)`).
This module imports no models at import time: deadlines.models imports it to connect the
signals that version the calendar and drop the cached snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import django.dispatch
from django.db import transaction
from django.db.models import Count, Max, Sum

DAYS = "days"
WORKDAYS = "workdays"
UNITS = (DAYS, WORKDAYS)
WEEKEND = "周末"
ONE_DAY = timedelta(days=1)

# Sent with years={...} after any CalendarDay or CalendarYear is saved or deleted, inside
# the writer's transaction; a receiver that queues work should use transaction.on_commit.
calendar_changed = django.dispatch.Signal()


@dataclass(frozen=True)
class Day:
    """One day as the calendar sees it; `name` is the holiday, 调休上班（…）, 周末 or ""."""

    date: date
    is_workday: bool
    name: str


@dataclass(frozen=True, eq=False)
class Calendar:
    """An in-memory snapshot of the calendar tables.

    `off` holds the official days off (on weekdays and on weekends), `extra_workdays` the
    weekend days made working days; every other day is a workday from Monday to Friday.
    `versions` maps a year to its CalendarYear.version (a year without a row is absent).
    """

    off: Set[date] = frozenset()
    extra_workdays: Set[date] = frozenset()
    official_years: Set[int] = frozenset()
    versions: dict[int, int] = field(default_factory=dict)
    names: dict[date, str] = field(default_factory=dict)
    # What the CalendarYear table looked like when this was loaded (see current_calendar).
    stamp: tuple = ()

    @classmethod
    def load(cls) -> Calendar:
        """Read both tables: two queries."""
        from deadlines.models import CalendarDay, CalendarYear

        years = list(CalendarYear.objects.values_list("year", "status", "version", "updated_at"))
        off: set[date] = set()
        extra: set[date] = set()
        names: dict[date, str] = {}
        for day, is_workday, name in CalendarDay.objects.values_list("date", "is_workday", "name"):
            (extra if is_workday else off).add(day)
            names[day] = name
        return cls(
            off=frozenset(off),
            extra_workdays=frozenset(extra),
            official_years=frozenset(y for y, status, _, _ in years if status == CalendarYear.Status.OFFICIAL),
            versions={y: version for y, _, version, _ in years},
            names=names,
            stamp=(len(years), sum(v for _, _, v, _ in years), max((t for *_, t in years), default=None)),
        )

    def is_workday(self, d: date) -> bool:
        if d in self.extra_workdays:
            return True
        if d in self.off:
            return False
        return d.weekday() < 5

    def is_provisional(self, d: date) -> bool:
        """The year's schedule is not published (no row, or status provisional)."""
        return d.year not in self.official_years

    def day(self, d: date) -> Day:
        workday = self.is_workday(d)
        name = self.names.get(d) or (WEEKEND if d.weekday() >= 5 and not workday else "")
        return Day(date=d, is_workday=workday, name=name)


_snapshot: Calendar | None = None


def _stamp() -> tuple:
    from deadlines.models import CalendarYear

    agg = CalendarYear.objects.aggregate(n=Count("year"), v=Sum("version"), t=Max("updated_at"))
    return (agg["n"], agg["v"] or 0, agg["t"])


def current_calendar() -> Calendar:
    """The cached snapshot, reloaded when the tables changed.

    The signals call invalidate() for writes made in this process; the stamp check (one
    small aggregate over CalendarYear, whose version moves on every change) also catches
    writes by other processes (the admin runs in the web server, scans in the worker)
    and a rolled-back transaction whose uncommitted calendar had been cached.
    """
    global _snapshot
    snapshot = _snapshot
    if snapshot is None or snapshot.stamp != _stamp():
        snapshot = _snapshot = Calendar.load()
    return snapshot


def invalidate() -> None:
    global _snapshot
    _snapshot = None


def _check(start: date, length: int, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: a period is counted in 'days' or 'workdays'")
    if isinstance(length, bool) or not isinstance(length, int):
        raise TypeError(f"length must be a whole number of {unit}, not {length!r}")
    if length < 0:
        raise ValueError(f"length must be 0 or more {unit}, not {length}")
    if isinstance(start, datetime) or not isinstance(start, date):
        raise TypeError(f"start must be a date (use timezone.localdate()), not {start!r}")


def _years(start: date, due: date) -> range:
    """Years whose days the count looked at: from the day after the start to the due date."""
    first = start + ONE_DAY if due > start else start
    return range(first.year, due.year + 1)


def provisional_years_between(start: date, due: date, calendar: Calendar | None = None) -> list[int]:
    """Years between the start (not counted) and the due date that are not published."""
    cal = calendar if calendar is not None else current_calendar()
    return [year for year in _years(start, due) if year not in cal.official_years]


@dataclass(frozen=True)
class Explanation:
    """How a due date was computed, for the "how was this computed" page.

    In days, `counted` is every calendar day of the period and `skipped` the days off the
    end was moved across (`moved_from` is where it would have ended). In workdays,
    `counted` is the working days and `skipped` the days off passed over.
    """

    start: date
    length: int
    unit: str
    due: date
    counted: list[Day]
    skipped: list[Day]
    moved_from: date | None
    provisional_years: list[int]
    versions: dict[int, int]

    @property
    def moved(self) -> bool:
        return self.moved_from is not None

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional_years)


def explain(start: date, length: int, unit: str, calendar: Calendar | None = None) -> Explanation:
    """Count `length` days or workdays from `start` (not counted) and say how.

    A length of 0 ends on the start day itself, in either unit and even on a day off:
    nothing was counted, so there is no period to end on a day off (an extension of 0
    days leaves the due date where it was).
    """
    _check(start, length, unit)
    cal = calendar if calendar is not None else current_calendar()
    counted: list[Day] = []
    skipped: list[Day] = []
    moved_from = None
    d = start
    if unit == DAYS:
        for _ in range(length):
            d += ONE_DAY
            counted.append(cal.day(d))
        if length and not cal.is_workday(d):
            moved_from = d
            while not cal.is_workday(d):
                skipped.append(cal.day(d))
                d += ONE_DAY
    else:
        while len(counted) < length:
            d += ONE_DAY
            (counted if cal.is_workday(d) else skipped).append(cal.day(d))
    years = _years(start, d)
    return Explanation(
        start=start,
        length=length,
        unit=unit,
        due=d,
        counted=counted,
        skipped=skipped,
        moved_from=moved_from,
        provisional_years=[y for y in years if y not in cal.official_years],
        versions={y: cal.versions.get(y, 0) for y in years},
    )


def due_date(start: date, length: int, unit: str, calendar: Calendar | None = None) -> date:
    """The last day of a period of `length` days or workdays that starts after `start`.

    Raises ValueError for an unknown unit or a negative length. See explain().
    """
    return explain(start, length, unit, calendar).due


# --- seeding from the chinesecalendar package --------------------------------------------

# The package's own Chinese names are short forms; the State Council's notices use these.
_OFFICIAL_NAMES = {"Tomb-sweeping Day": "清明节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节"}


def holiday_name(package_name: str) -> str:
    """The Chinese name of a holiday the package names in English."""
    import chinese_calendar

    if package_name in _OFFICIAL_NAMES:
        return _OFFICIAL_NAMES[package_name]
    try:
        return chinese_calendar.Holiday(package_name).chinese
    except ValueError:
        return package_name


def package_days() -> dict[date, tuple[bool, str]]:
    """Every exception the package knows: date -> (is_workday, name)."""
    import chinese_calendar

    days = {d: (False, holiday_name(name)) for d, name in chinese_calendar.holidays.items()}
    days.update({d: (True, f"调休上班（{holiday_name(name)}）") for d, name in chinese_calendar.workdays.items()})
    return days


def package_years() -> list[int]:
    """The years the package covers: from its first year to its last."""
    import chinese_calendar

    known = [d.year for d in (*chinese_calendar.holidays, *chinese_calendar.workdays)]
    return list(range(min(known), max(known) + 1))


def seed_from_package(years: Iterable[int] | None = None) -> int:
    """Bring the given years (default: all the package covers) in line with the package.

    Rows an administrator entered or edited (source admin) are left alone; package rows
    the package no longer lists are removed; each year becomes official, with a new
    version if anything changed. Years the package does not cover are ignored. Returns
    the number of day rows created, updated or deleted.
    """
    import chinese_calendar

    from deadlines.models import CalendarDay, CalendarYear

    wanted = package_days()
    covered = package_years()
    selected = covered if years is None else sorted(set(years) & set(covered))
    note = f"由 chinesecalendar {chinese_calendar.__version__} 导入"
    changed = 0
    with transaction.atomic():
        for year in selected:
            existing = {day.date: day for day in CalendarDay.objects.filter(date__year=year)}
            create, update, delete = [], [], []
            for d, (is_workday, name) in wanted.items():
                if d.year != year:
                    continue
                day = existing.get(d)
                if day is None:
                    create.append(CalendarDay(date=d, is_workday=is_workday, name=name, source="package"))
                elif day.source == CalendarDay.Source.PACKAGE and (day.is_workday, day.name) != (is_workday, name):
                    day.is_workday, day.name = is_workday, name
                    update.append(day)
            delete = [d for d, day in existing.items() if day.source == CalendarDay.Source.PACKAGE and d not in wanted]
            # Bulk writes send no signals: the year's save below versions them once.
            CalendarDay.objects.bulk_create(create)
            CalendarDay.objects.bulk_update(update, ["is_workday", "name"])
            if delete:
                CalendarDay.objects.filter(date__in=delete).delete()
            year_row = CalendarYear.objects.filter(year=year).first()
            if year_row is None:
                CalendarYear.objects.create(year=year, status=CalendarYear.Status.OFFICIAL, note=note)
            elif create or update or delete or year_row.status != CalendarYear.Status.OFFICIAL:
                year_row.status = CalendarYear.Status.OFFICIAL
                year_row.save()
            changed += len(create) + len(update) + len(delete)
    return changed
