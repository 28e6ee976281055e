"""Reads for supervision: every notice and notification goes through the case scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cases.choices import REPLIED_STATES
from cases.conditions import accepts_review_request
from cases.models import Case
from cases.selectors import cases_visible_to
from deadlines.clocks import Clock
from people.abilities import is_leader, is_office, is_unit_staff
from people.models import User

from . import abilities
from .models import OPEN_STATUSES, Level, Notice, ReviewRequest


def notices_visible_to(*, user: User) -> QuerySet[Notice]:
    """The notices `user` may see: those on cases in the user's scope (the 举报 rule
    included), and for unit staff only those addressed to their own unit."""
    if not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    qs = Notice.objects.filter(Exists(cases_visible_to(user=user).filter(pk=OuterRef("case_id"))))
    if not abilities.can_see_notices(user):
        return Notice.objects.none()
    if is_unit_staff(user):
        qs = qs.filter(unit_id=user.unit_id)
    return qs


def notice_for_user(*, user: User, pk: int) -> Notice:
    """One notice, or Http404 when it is out of scope."""
    return get_object_or_404(
        notices_visible_to(user=user).select_related("case", "unit", "trigger", "clock__rule", "created_by", "parent"),
        pk=pk,
    )


def inbox_for(*, user: User) -> QuerySet[Notice]:
    """A unit's notices; for a leader the notices that reached them: 约谈/通报 and above in
    the units in their charge, 挂牌督办 anywhere for a main leader."""
    qs = notices_visible_to(user=user)
    if is_leader(user):
        reach = Q(level__gte=Level.TALK, unit__in=user.charge_units.all())
        if user.is_main_leader:
            reach |= Q(level__gte=Level.LISTED)
        qs = qs.filter(reach)
    return qs


def board(
    *,
    user: User,
    unit: int | None = None,
    level: int | None = None,
    status: str = "open",
    late: str = "",
    trigger: int | None = None,
) -> QuerySet[Notice]:
    """The office's board: open notices by unit, level and lateness."""
    qs = notices_visible_to(user=user).select_related("case", "unit", "trigger")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit_id=unit)
    if level:
        qs = qs.filter(level=level)
    if trigger:
        qs = qs.filter(trigger_id=trigger)
    now = timezone.now()
    if late == "yes":
        qs = qs.filter(status__in=("sent", "signed"), feedback_due_at__lte=now)
    elif late == "no":
        qs = qs.exclude(status__in=("sent", "signed"), feedback_due_at__lte=now)
    return qs


def workbench_counts(*, user: User) -> list[tuple[str, int, str]]:
    """The supervision work waiting for `user`, for the workbench: (label, count, link)."""
    now = timezone.now()
    if user.is_unit_staff:
        mine = notices_visible_to(user=user).filter(status__in=("sent", "signed"))
        return [
            ("待签收、待反馈的督办单", mine.count(), reverse("supervision:inbox")),
            ("其中反馈已逾期", mine.filter(feedback_due_at__lte=now).count(), reverse("supervision:inbox")),
        ]
    if is_office(user):
        from .models import SatisfactionReview

        visible = notices_visible_to(user=user)
        pending = SatisfactionReview.objects.filter(
            status=SatisfactionReview.Status.PENDING, case__in=cases_visible_to(user=user)
        )
        return [
            (
                "待审核的督办反馈",
                visible.filter(status="answered").count(),
                reverse("supervision:board") + "?status=answered",
            ),
            (
                "反馈逾期的督办单",
                visible.filter(status__in=("sent", "signed"), feedback_due_at__lte=now).count(),
                reverse("supervision:board") + "?late=yes",
            ),
            ("不满意待研判", pending.count(), ""),
        ]
    if is_leader(user):
        open_notices = inbox_for(user=user).filter(status__in=OPEN_STATUSES)
        return [("报送本人的督办事项", open_notices.count(), reverse("supervision:inbox"))]
    return []


def pending_reviews(*, user: User):
    """不满意 follow-ups waiting for the office's review, oldest first."""
    from .models import SatisfactionReview

    if not abilities.can_supervise(user):
        return SatisfactionReview.objects.none()
    return (
        SatisfactionReview.objects.filter(status=SatisfactionReview.Status.PENDING)
        .filter(Exists(cases_visible_to(user=user).filter(pk=OuterRef("case_id"))))
        .select_related("case")
        .order_by("opened_at")
    )


# --- 复查 and 复核 -------------------------------------------------------------------


WINDOW_RULES: dict[str, str] = {
    ReviewRequest.Stage.REVIEW: "review-request",
    ReviewRequest.Stage.REREVIEW: "rereview-request",
}


def review_window(case: Case, stage: str) -> tuple[dt.date, dt.date] | None:
    """(start, last day) of the petitioner's window to ask for 复查 or 复核, or None if it
    has not opened. Each runs 30 days from the day the petitioner *received* the written
    reply (《信访工作条例》第三十五条) or the 复查意见 (第三十六条): from its delivery record
    (REPLY_DELIVERED, REVIEW_OPINION_DELIVERED), not from the document's date. The
    window is the clock that delivery started, so an administrator's rule and the
    calendar count it; with no delivery yet there is no window. A 建议意见类 matter has no
    复查 (条例 第二十九条), nor one routed to its statutory procedure (第三十一条): neither
    has a window, whatever clocks an old rule set may have left."""
    if not accepts_review_request(case):
        return None
    clock = (
        Clock.objects.filter(case=case, rule__code=WINDOW_RULES[stage])
        .exclude(due_date=None)
        .order_by("-round")
        .first()
    )
    if clock is None or clock.due_date is None:
        return None
    return clock.start_date, clock.due_date


def review_window_closed(case: Case, stage: str) -> str:
    """Why there is no window to ask for 复查 or 复核 yet, for the office."""
    if not accepts_review_request(case):
        if case.procedure == "suggestion":
            return "建议意见类事项答复后不适用复查、复核（《信访工作条例》第二十九条）。"
        return (
            "该事项已导入法定途径处理，不适用复查、复核，请依照法定程序向有关机关提出（《信访工作条例》第三十一条）。"
        )
    if stage == ReviewRequest.Stage.REVIEW:
        if case.state not in REPLIED_STATES or case.replied_at is None:
            return "该件尚未书面答复，不能申请复查。"
        return (
            "信访处理意见书尚未登记送达，复查申请期限尚未起算"
            "（《信访工作条例》第三十五条：自收到书面答复之日起30日内）；请先登记送达。"
        )
    if not case.review_requests.filter(stage=ReviewRequest.Stage.REVIEW).exclude(decided_on=None).exists():
        return "该件尚无复查意见，不能申请复核。"
    return (
        "复查意见尚未登记送达，复核申请期限尚未起算"
        "（《信访工作条例》第三十六条：自收到复查意见之日起30日内）；请先登记送达。"
    )


def is_final(case: Case) -> bool:
    """终结: after the 复核 opinion the same request on the same facts is not accepted
    again (条例 第36条第三款)."""
    return case.review_requests.filter(stage=ReviewRequest.Stage.REREVIEW).exclude(decided_on=None).exists()
