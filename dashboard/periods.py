"""The periods the dashboard counts over: 本年至今, 本月, 本季度, a whole year, or 自定义."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

# --- periods ---------------------------------------------------------------------------

PERIODS = [("ytd", "本年至今"), ("month", "本月"), ("quarter", "本季度"), ("year", "全年"), ("custom", "自定义")]


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    @property
    def months(self) -> list[dt.date]:
        months, m = [], self.start.replace(day=1)
        while m <= self.end:
            months.append(m)
            m = (m + dt.timedelta(days=32)).replace(day=1)
        return months

    @property
    def whole_months(self) -> bool:
        """Whether rollups (by month) can answer: whole months, or up to today."""
        last = (self.end + dt.timedelta(days=1)).day == 1 or self.end >= timezone.localdate()
        return self.kind != "custom" and self.start.day == 1 and last


def make_period(kind: str = "ytd", *, year: int | None = None, start=None, end=None) -> Period:
    today = timezone.localdate()
    if kind == "month":
        return Period(kind, today.replace(day=1), today)
    if kind == "quarter":
        return Period(kind, today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today)
    if kind == "year":
        y = year or today.year
        return Period(kind, dt.date(y, 1, 1), min(dt.date(y, 12, 31), today))
    if kind == "custom" and start and end:
        return Period(kind, start, end)
    return Period("ytd", today.replace(month=1, day=1), today)
