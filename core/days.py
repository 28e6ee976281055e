"""Day boundaries in the project's time zone (Asia/Shanghai): a date's first instant, as
every deadline, period and report counts whole local days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of `day`, local time (aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
