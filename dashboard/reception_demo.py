"""Demo reception days: seed 001's one school leader a day, around today."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dashboard.models import ReceptionDay
from people.models import User

PLACE = "学校信访接待室（行政楼101）"
SLOTS = ["上午 8:30—11:30", "下午 14:30—17:30"]


def load(users: dict[str, User]) -> int:
    """A reception day for each demo leader, yesterday to two days ahead; safe to run again.
    Returns the number of days created."""
    today = timezone.localdate()
    leaders = [users[name] for name in ("president", "leader", "leader2", "leader") if name in users]
    created = 0
    for offset, leader in zip(range(-1, 3), leaders, strict=False):
        _, new = ReceptionDay.objects.get_or_create(
            date=today + timedelta(days=offset),
            leader=leader,
            defaults={
                "place": PLACE,
                "time_slot": SLOTS[offset % 2],
                "note": "信访问题源头治理专项行动期间校领导轮流接访" if offset >= 0 else "",
            },
        )
        created += new
    return created
