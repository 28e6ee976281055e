"""The annual report's accountability part (条例 第41条(三): 提出……追究责任建议以及被采纳
情况): every measure the petition office proposed in the year and whether it was
adopted. Registered with core.reports in AccountabilityConfig.ready(), since the
dashboard, which writes the report, may not import this app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from core.days import day_start
from core.reports import ReportPart

from .models import Measure

ADOPTION = {
    Measure.Status.DECIDED: "已采纳",
    Measure.Status.DECLINED: "未采纳",
    Measure.Status.PROPOSED: "待决定",
}
HEADERS = ["责任追究编号", "被追责对象", "追责方式", "追责层级", "提出建议日期", "采纳情况", "决定日期"]
ITEMS = 500


def accountability_suggestions(*, year: int, cases, whole_school: bool) -> ReportPart:
    """The year's proposals (by the date proposed); a reader who does not see the whole
    school sees those whose accountability case came from a petition in their scope. A
    whole-school reader sees every one but those opened from a petition out of their
    scope: a 举报 that names them, or any 举报 for an administrator (《信访工作条例》第三十条)."""
    start, end = day_start(dt.date(year, 1, 1)), day_start(dt.date(year + 1, 1, 1))
    measures = Measure.objects.filter(proposed_at__gte=start, proposed_at__lt=end)
    if whole_school:
        measures = measures.filter(Q(acase__case=None) | Q(acase__case__in=cases))
    else:
        measures = measures.filter(acase__case__in=cases)
    counts = measures.aggregate(
        total=Count("pk"),
        adopted=Count("pk", filter=Q(status=Measure.Status.DECIDED)),
        declined=Count("pk", filter=Q(status=Measure.Status.DECLINED)),
        pending=Count("pk", filter=Q(status=Measure.Status.PROPOSED)),
    )
    rows = []
    items = measures.select_related("acase__subject_unit", "acase__subject_user").order_by("proposed_at", "pk")
    for m in items[:ITEMS]:
        decided = timezone.localtime(m.decided_at).date() if m.decided_at else None
        rows.append(
            [
                m.acase.number,
                m.acase.subject,
                m.get_kind_display(),
                m.get_level_display(),
                timezone.localtime(m.proposed_at).date(),
                ADOPTION[m.status],
                decided,
            ]
        )
    return ReportPart(
        title="追责建议采纳",
        headers=HEADERS,
        rows=rows,
        widths=[14, 20, 18, 20, 14, 10, 12],
        summary=[
            ("提出追究责任建议（项）", counts["total"]),
            ("追究责任建议已采纳（项）", counts["adopted"]),
            ("追究责任建议未采纳（项）", counts["declined"]),
            ("追究责任建议待决定（项）", counts["pending"]),
        ],
    )
