"""The case list's drill-down filters: the dashboard's own conditions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from cases.choices import CLOSED_STATES
from cases.models import Case
from people.models import User

from . import conditions


def drill_down(qs: QuerySet[Case], data: dict, user: User) -> QuerySet[Case]:
    """The filters the dashboard's figures link with: the same conditions the figures
    count (dashboard.conditions), so that a figure and its list always agree. Registered
    with cases.pages from DashboardConfig.ready()."""
    if data.get("status") == "open":
        qs = qs.filter(conditions.q_open())
    elif data.get("status") == "closed":
        qs = qs.filter(state__in=CLOSED_STATES)
    if data.get("closed_from") or data.get("closed_to"):
        qs = qs.filter(conditions.q_closed(data.get("closed_from"), data.get("closed_to")))
    if data.get("deadline"):
        qs = qs.filter(conditions.q_deadline(data["deadline"], timezone.now()))
    if data.get("late"):
        qs = qs.filter(conditions.q_late(data["late"], data.get("late_from"), data.get("late_to")))
    if data.get("satisfaction"):
        qs = qs.filter(satisfaction__in=data["satisfaction"])
    if data.get("notice"):
        qs = qs.filter(conditions.q_notice(data["notice"], user))
    if data.get("topic"):
        qs = qs.filter(topic=data["topic"])
    return qs
