"""The annual report (信访情况年度报告, 条例 第41条): for one year and one scope,

(一) the figures (volumes by channel, kind and month), the areas the petitions concern
     (by topic) and the units most complained about: counted by the unit the petition is
     about (Case.complained_unit, 被反映单位), not by the unit that handles it;
(二) the office's 转送, 交办 and 督办;
(三) suggestions: the petitioners' suggestions (建议意见类, 条例 第29条) and what was adopted,
     and the office's own improvement suggestions in supervision notices with the units'
     written answer on adopting them (条例 第40条); the policy fixes adopted in the year
     (PolicyFix, 完善政策); and the accountability suggestions with whether they were
     adopted (追究责任建议, contributed by accountability through core.reports).

Every number is an aggregate in SQL over `dashboard_cases(user=…, unit=…)`, the case
list's own scope with the 举报 rule, so the report never counts a case its reader could
not open. Notices count when their case is in that scope. A case belongs to the year it
reached the school (`received_on`); a 交办 to the year it was made, a notice to the year
it was sent.

The sections are rows, rendered three ways: the page, the PDF (core.pdf's
renderer and the official-document base template) and the xlsx (core.spreadsheets'
renderer, one sheet per section).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from cases.choices import OPEN_STATES, REPLIED_STATES, Procedure
from cases.choices import Adoption as SuggestionAdoption
from cases.models import CLOSED_STATES, Case, Channel, Kind, State
from core.days import day_start
from core.reports import ReportPart, annual_report_parts
from core.spreadsheets import Sheet, write_workbook
from people.abilities import is_leader
from people.models import Unit, User
from supervision.models import Adoption, Level, Notice

from .policy_fixes import policy_fixes_for
from .scope import dashboard_cases, is_whole_school

TOP_UNITS = 10
ADOPTION_LABELS = {
    SuggestionAdoption.ADOPTED: "予以采纳",
    SuggestionAdoption.PARTLY: "部分采纳",
    SuggestionAdoption.NOT_ADOPTED: "未予采纳",
}
# The office's suggestions are listed one by one up to this many (the counts cover all).
SUGGESTION_ITEMS = 200


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: str = ""  # of the year's total, e.g. "12.5%"
    extra: int | None = None  # a second count where a section has one


@dataclass(frozen=True)
class SuggestionItem:
    number: str
    sent_on: dt.date
    unit: str
    case_number: str
    suggestions: str
    adoption: str
    adoption_note: str


@dataclass(frozen=True)
class PolicyFixItem:
    adopted_on: dt.date
    title: str
    unit: str
    reference: str
    cases: str


@dataclass
class AnnualReport:
    year: int
    scope_label: str
    generated_at: dt.datetime
    total: int = 0
    closed: int = 0
    by_channel: list[Row] = field(default_factory=list)
    by_kind: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    by_topic: list[Row] = field(default_factory=list)
    top_units: list[Row] = field(default_factory=list)
    forwarded: int = 0
    assigned: int = 0
    notices: int = 0
    notices_by_level: list[Row] = field(default_factory=list)
    notices_closed: int = 0
    notices_escalated: int = 0
    suggestion_cases: list[Row] = field(default_factory=list)
    suggestion_total: int = 0
    office_suggestions: list[Row] = field(default_factory=list)
    office_suggestion_total: int = 0
    office_suggestion_items: list[SuggestionItem] = field(default_factory=list)
    policy_fixes: list[PolicyFixItem] = field(default_factory=list)
    parts: list[ReportPart] = field(default_factory=list)

    @property
    def top_unit(self) -> Row | None:
        return self.top_units[0] if self.top_units else None


def share(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}%" if total else "—"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def scope_label(*, user: User, unit: Unit | None) -> str:
    if unit is not None:
        return unit.name
    if is_whole_school(user):
        return "全校"
    if is_leader(user):
        names = "、".join(user.charge_units.values_list("name", flat=True))
        return f"{user.display_name}分管部门（{names}）" if names else f"{user.display_name}分管范围"
    return user.unit.name if user.unit_id else "本人范围"


def report_years(*, user: User) -> list[int]:
    """The years a report can be asked for: from the earliest case in scope to this year."""
    this_year = timezone.localdate().year
    first = dashboard_cases(user=user).aggregate(first=Min("received_on"))["first"]
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


def annual_report(*, user: User, year: int, unit: Unit | None = None) -> AnnualReport:
    scoped = dashboard_cases(user=user, unit=unit)
    start, end = year_bounds(year)
    cases = scoped.filter(received_on__gte=start, received_on__lt=end)
    report = AnnualReport(year=year, scope_label=scope_label(user=user, unit=unit), generated_at=timezone.now())
    _volumes(report, cases, year)
    _areas(report, cases)
    # 交办 counts by when it was made, whenever the case arrived
    report.assigned = scoped.filter(assigned_at__gte=day_start(start), assigned_at__lt=day_start(end)).count()
    _supervision(report, _notices(scoped, year))
    report.policy_fixes = _policy_fixes(user=user, unit=unit, year=year)
    report.parts = annual_report_parts(year=year, cases=scoped, whole_school=unit is None and is_whole_school(user))
    return report


def _policy_fixes(*, user: User, unit: Unit | None, year: int) -> list[PolicyFixItem]:
    """The policy fixes adopted in the year with a case in the reader's scope."""
    start, end = year_bounds(year)
    fixes = policy_fixes_for(user=user, unit=unit).filter(adopted_on__gte=start, adopted_on__lt=end)
    return [
        PolicyFixItem(
            adopted_on=f.adopted_on,
            title=f.title,
            unit=f.unit.name,
            reference=f.reference,
            cases="、".join(c.number for c in f.visible_cases),
        )
        for f in fixes.order_by("adopted_on", "pk")
    ]


def _notices(scoped: QuerySet[Case], year: int) -> QuerySet[Notice]:
    """The notices sent in `year` on cases in scope."""
    start, end = year_bounds(year)
    return Notice.objects.filter(case__in=scoped, created_at__gte=day_start(start), created_at__lt=day_start(end))


def office_suggestions(*, user: User, year: int, unit: Unit | None = None) -> Iterator[SuggestionItem]:
    """Every one of the year's office suggestions in scope (the xlsx lists them all)."""
    return suggestion_items(_notices(dashboard_cases(user=user, unit=unit), year))


def _next_month(year: int, month: int) -> dt.date:
    return dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)


def _volumes(report: AnnualReport, cases: QuerySet[Case], year: int) -> None:
    """One query: the total and every per-channel, per-kind, per-outcome and per-month count."""
    counts: dict[str, Any] = {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(state__in=CLOSED_STATES)),
        "forwarded": Count("pk", filter=Q(state=State.FORWARDED) | ~Q(forwarded_to="")),
    }
    counts.update({f"channel_{c.value}": Count("pk", filter=Q(channel=c)) for c in Channel})
    counts.update({f"kind_{k.value}": Count("pk", filter=Q(kind=k)) for k in Kind})
    # 建议意见类 (条例 第29条): studied, adopted where sound, and answered with what was adopted
    suggestion = Q(procedure=Procedure.SUGGESTION)
    counts.update(
        {f"suggestion_{a.value}": Count("pk", filter=suggestion & Q(adoption=a)) for a in SuggestionAdoption},
        suggestions=Count("pk", filter=suggestion),
        suggestion_declined=Count("pk", filter=suggestion & Q(state__in=(State.NOT_ACCEPTED, State.FORWARDED))),
        suggestion_pending=Count(
            "pk", filter=suggestion & Q(adoption="", state__in=OPEN_STATES) & ~Q(state__in=REPLIED_STATES)
        ),
    )
    counts.update(
        {
            f"month_{m}": Count(
                "pk", filter=Q(received_on__gte=dt.date(year, m, 1), received_on__lt=_next_month(year, m))
            )
            for m in range(1, 13)
        }
    )
    row = cases.aggregate(**counts)
    total = report.total = row["total"]
    report.closed = row["closed"]
    report.forwarded = row["forwarded"]
    report.by_channel = [Row(c.label, n, share(n, total)) for c in Channel if (n := row[f"channel_{c.value}"])]
    report.by_kind = [Row(k.label, n, share(n, total)) for k in Kind if (n := row[f"kind_{k.value}"])]
    suggestions = report.suggestion_total = row["suggestions"]
    adopted = {a: row[f"suggestion_{a.value}"] for a in SuggestionAdoption}
    declined, pending = row["suggestion_declined"], row["suggestion_pending"]
    # answered before the adoption was recorded (rows older than the field)
    unrecorded = suggestions - sum(adopted.values()) - declined - pending
    report.suggestion_cases = [
        *(Row(ADOPTION_LABELS[a], n, share(n, suggestions)) for a, n in adopted.items()),
        Row("不予受理或转送", declined, share(declined, suggestions)),
        Row("尚在办理", pending, share(pending, suggestions)),
        *([Row("已答复（未记录采纳情况）", unrecorded, share(unrecorded, suggestions))] if unrecorded > 0 else []),
    ]
    report.by_month = [Row(f"{m}月", row[f"month_{m}"], share(row[f"month_{m}"], total)) for m in range(1, 13)]


def _areas(report: AnnualReport, cases: QuerySet[Case]) -> None:
    total = report.total
    topics = cases.values("topic__name").annotate(n=Count("pk")).order_by("-n", "topic__name")
    report.by_topic = [Row(t["topic__name"] or "未分类", t["n"], share(t["n"], total)) for t in topics]
    # 条例 第41条(一) 被投诉较多的机关、单位: the unit the petition is about, not its handler
    complaint = Q(kind__in=(Kind.COMPLAINT, Kind.REPORT))
    units = (
        cases.exclude(complained_unit=None)
        .values("complained_unit__name")
        .annotate(n=Count("pk"), complaints=Count("pk", filter=complaint))
        .order_by("-n", "-complaints", "complained_unit__name")[:TOP_UNITS]
    )
    report.top_units = [Row(u["complained_unit__name"], u["n"], share(u["n"], total), u["complaints"]) for u in units]


def _supervision(report: AnnualReport, notices: QuerySet[Notice]) -> None:
    has_suggestions = ~Q(suggestions="")
    counts: dict[str, Any] = {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(status=Notice.Status.CLOSED)),
        "escalated": Count("pk", filter=Q(status=Notice.Status.ESCALATED)),
        "suggested": Count("pk", filter=has_suggestions),
        "unanswered": Count("pk", filter=has_suggestions & Q(adoption="")),
    }
    counts.update({f"level_{lv.value}": Count("pk", filter=Q(level=lv)) for lv in Level})
    counts.update({f"adoption_{a.value}": Count("pk", filter=has_suggestions & Q(adoption=a)) for a in Adoption})
    row = notices.aggregate(**counts)
    report.notices = row["total"]
    report.notices_closed = row["closed"]
    report.notices_escalated = row["escalated"]
    report.notices_by_level = [
        Row(lv.label, row[f"level_{lv.value}"], share(row[f"level_{lv.value}"], row["total"])) for lv in Level
    ]
    suggested = report.office_suggestion_total = row["suggested"]
    report.office_suggestions = [
        *(Row(a.label, row[f"adoption_{a.value}"], share(row[f"adoption_{a.value}"], suggested)) for a in Adoption),
        Row("尚未反馈", row["unanswered"], share(row["unanswered"], suggested)),
    ]
    report.office_suggestion_items = list(suggestion_items(notices, limit=SUGGESTION_ITEMS))


ADOPTIONS = dict(Adoption.choices)


def suggestion_items(notices: QuerySet[Notice], *, limit: int | None = None) -> Iterator[SuggestionItem]:
    """The office's suggestions one by one, with the unit's answer on adopting them."""
    qs = (
        notices.exclude(suggestions="")
        .order_by("created_at", "pk")
        .values_list("pk", "created_at", "unit__name", "case__number", "suggestions", "adoption", "adoption_note")
    )
    if limit is not None:
        qs = qs[:limit]
    for pk, created_at, unit, case_number, suggestions, adoption, note in qs:
        sent = timezone.localtime(created_at)
        yield SuggestionItem(
            number=f"督{sent:%Y}-{pk:05d}",
            sent_on=sent.date(),
            unit=unit or "",
            case_number=case_number,
            suggestions=suggestions,
            adoption=ADOPTIONS.get(adoption, "尚未反馈"),
            adoption_note=note,
        )


# --- the xlsx: one sheet per section -----------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    headers: list[str]
    rows: Iterable[list[Any]]
    widths: list[int] = field(default_factory=list)


def _rows(rows: list[Row], *, total_label: str = "合计", total: int | None = None) -> list[list[Any]]:
    out = [[r.label, r.count, r.share] for r in rows]
    if total is not None:
        out.append([total_label, total, "100.0%" if total else "—"])
    return out


def report_sections(report: AnnualReport) -> list[Section]:
    overview = [
        ["年度", report.year],
        ["统计范围", report.scope_label],
        ["信访事项总量（件）", report.total],
        ["已办结（件）", report.closed],
        ["转送（件）", report.forwarded],
        ["交办（件）", report.assigned],
        ["督办（件次）", report.notices],
        ["建议意见类事项（件）", report.suggestion_total],
        ["信访部门提出改进建议（条）", report.office_suggestion_total],
        ["完善政策（项）", len(report.policy_fixes)],
        *([label, value] for part in report.parts for label, value in part.summary),
        ["生成时间", timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")],
    ]
    units = [[i, r.label, r.count, r.extra, r.share] for i, r in enumerate(report.top_units, 1)]
    handling = [
        ["转送", report.forwarded, "收到日期在本年度、转送有权处理机关的信访事项"],
        ["交办", report.assigned, "本年度批示交办承办部门的信访事项"],
        *([f"督办：{r.label}", r.count, "本年度发出的督办单，按级别"] for r in report.notices_by_level),
        ["督办：合计", report.notices, f"其中已办结 {report.notices_closed}，已升级 {report.notices_escalated}"],
    ]
    return [
        Section("概况", ["项目", "数值"], overview, [30, 40]),
        Section("按渠道", ["信访渠道", "件数", "占比"], _rows(report.by_channel, total=report.total), [16, 10, 10]),
        Section("按类型", ["信访类型", "件数", "占比"], _rows(report.by_kind, total=report.total), [16, 10, 10]),
        Section("按月份", ["月份", "件数", "占比"], _rows(report.by_month, total=report.total), [10, 10, 10]),
        Section("涉及领域", ["问题类别", "件数", "占比"], _rows(report.by_topic, total=report.total), [20, 10, 10]),
        Section("被反映较多的单位", ["排名", "被反映单位", "件数", "其中投诉举报", "占比"], units, [8, 20, 10, 14, 10]),
        Section("转送交办督办", ["项目", "件数", "说明"], handling, [20, 10, 50]),
        Section(
            "群众建议采纳",
            ["办理结果", "件数", "占比"],
            _rows(report.suggestion_cases, total=report.suggestion_total),
            [22, 10, 10],
        ),
        Section(
            "改进建议采纳",
            ["采纳情况", "条数", "占比"],
            _rows(report.office_suggestions, total=report.office_suggestion_total),
            [16, 10, 10],
        ),
        Section(
            "完善政策",
            ["出台日期", "制度完善事项", "责任部门", "文件名称或文号", "相关信访件"],
            [[f.adopted_on, f.title, f.unit, f.reference, f.cases] for f in report.policy_fixes],
            [12, 40, 16, 30, 30],
        ),
        *(Section(p.title, p.headers, p.rows, p.widths) for p in report.parts),
    ]


def suggestion_section(items: Iterable[SuggestionItem]) -> Section:
    return Section(
        "改进建议明细",
        ["督办单编号", "发出日期", "督办部门", "信访件编号", "改进建议", "采纳情况", "未采纳的原因"],
        ([i.number, i.sent_on, i.unit, i.case_number, i.suggestions, i.adoption, i.adoption_note] for i in items),
        [14, 12, 16, 12, 60, 12, 40],
    )


def write_report_xlsx(report: AnnualReport, out: IO[bytes], *, items: Iterable[SuggestionItem] | None = None) -> None:
    """Each section on its own sheet (named after it) under the report's title; the
    suggestions' list is streamed from its query."""
    sections = [
        *report_sections(report),
        suggestion_section(report.office_suggestion_items if items is None else items),
    ]
    heading = f"{settings.XINFANG_ORGANISATION}{report.year}年度信访情况报告"
    write_workbook(
        (
            Sheet(f"{heading} · {s.title}（{report.scope_label}）", s.headers, s.rows, name=s.title, widths=s.widths)
            for s in sections
        ),
        out,
    )


def report_filename(report: AnnualReport, ext: str) -> str:
    return f"{report.year}年度信访情况报告（{report.scope_label}）.{ext}"
