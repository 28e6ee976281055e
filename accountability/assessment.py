"""The annual assessment of units (issue 7 item 2; seed 000 §五(五); seed 004 第十二–十三条).

For each unit and year the indicators are counted in SQL, with the dashboard's
definitions (dashboard.figures): the cases whose main unit is the unit and that were
received in the year (satisfaction, repeat, 越级访, 集体访); the completion and reply
clocks of those units' cases that stopped in the year (on-time rates); the duty clocks
due in the year that ran late (overdue); the 督办单 addressed to the unit in the year,
and those escalated.

The score is the weighted rates less the deductions (AssessmentScheme). A veto (一票否决)
fails a unit whatever its score: one recorded by the office, a decided 取消年度评优资格
on the unit in the year, or a decided 诫勉 on one of its people in the year. Units under
the scheme's minimum volume, and vetoed units, are shown but not ranked.

Once the office confirms a year, its figures are stored (AssessmentRow) and read from
there; every write on that year except a note is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404

from cases.models import Case, Satisfaction
from core.days import day_start
from deadlines.clocks import Clock
from people.models import Unit, User
from supervision.models import Notice

from . import abilities
from .models import (
    AssessmentResult,
    AssessmentScheme,
    AssessmentVeto,
    Measure,
    MeasureKind,
)

SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
RATED = tuple(Satisfaction.values)
SCHEME_FIELDS = (
    "w_completion",
    "w_reply",
    "w_satisfaction",
    "p_overdue",
    "p_notice",
    "p_escalated",
    "p_repeat",
    "p_over_level",
    "p_group",
    "pass_score",
    "min_completion_rate",
    "min_volume",
)
# The counted items and the scheme field that deducts for each.
DEDUCTIONS = (
    ("overdue", "p_overdue"),
    ("notices", "p_notice"),
    ("escalated", "p_escalated"),
    ("repeat", "p_repeat"),
    ("over_level", "p_over_level"),
    ("group", "p_group"),
)
CENT = Decimal("0.01")
ADMONISH_RULE = "《兰州大学信访工作责任制实施细则》第十七条；《河南省教育系统信访工作责任制实施细则》第十六条(二)"


class Frozen(ValidationError):
    """The year is confirmed: its result never changes."""


# --- access -----------------------------------------------------------------------------


def may_view(user: User) -> bool:
    return abilities.can_view_assessment(user)


def may_write(user: User) -> bool:
    return abilities.can_keep_assessment(user)


def require_view(user: User) -> None:
    if not may_view(user):
        raise Http404


def require_write(user: User) -> None:
    if not may_write(user):
        raise PermissionDenied("年度考核由信访办维护。")


# --- reads ------------------------------------------------------------------------------


def scheme_for(year: int) -> AssessmentScheme:
    """The year's scheme, with the defaults when none was saved (not stored by reading)."""
    return AssessmentScheme.objects.filter(year=year).first() or AssessmentScheme(year=year)


def result_for(year: int) -> AssessmentResult | None:
    return AssessmentResult.objects.filter(year=year).first()


def is_frozen(year: int) -> bool:
    return AssessmentResult.objects.filter(year=year).exists()


@dataclass
class Row:
    unit_id: int
    unit_name: str
    figures: dict
    score: Decimal
    passed: bool
    vetoed: bool
    veto_reason: str = ""
    rank: int | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(CENT, ROUND_HALF_UP)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return day_start(dt.date(year, 1, 1)), day_start(dt.date(year + 1, 1, 1))


def counts(year: int) -> dict[int, dict]:
    """The raw counts per unit id, in four grouped queries."""
    start, end = _year_bounds(year)
    out: dict[int, dict] = {}

    def put(unit_id, **values):
        out.setdefault(unit_id, {}).update(values)

    cases = (
        Case.objects.filter(
            main_unit__isnull=False, received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )
        .values("main_unit")
        .annotate(
            received=Count("pk"),
            rated=Count("pk", filter=Q(satisfaction__in=RATED)),
            satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
            repeat=Count("pk", filter=Q(is_repeat=True)),
            over_level=Count("pk", filter=Q(is_over_level=True)),
            group=Count("pk", filter=Q(is_group=True)),
        )
    )
    for r in cases:
        put(r.pop("main_unit"), **r)
    stopped = Q(status="stopped", stopped_at__gte=start, stopped_at__lt=end)
    late = Q(status="overdue") | Q(status="stopped", on_time=False)
    clocks = (
        Clock.objects.filter(case__main_unit__isnull=False)
        .filter(stopped | Q(due_at__gte=start, due_at__lt=end))
        .values("case__main_unit")
        .annotate(
            completion_stopped=Count("pk", filter=stopped & Q(rule__slot="completion")),
            completion_late=Count("pk", filter=stopped & Q(rule__slot="completion", on_time=False)),
            reply_stopped=Count("pk", filter=stopped & Q(rule__slot="unit_result")),
            reply_late=Count("pk", filter=stopped & Q(rule__slot="unit_result", on_time=False)),
            overdue=Count("pk", filter=late & Q(due_at__gte=start, due_at__lt=end, rule__raises_notice=True)),
        )
    )
    for r in clocks:
        put(r.pop("case__main_unit"), **r)
    notices = (
        Notice.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("unit")
        .annotate(notices=Count("pk"), escalated=Count("pk", filter=Q(status=Notice.Status.ESCALATED)))
    )
    for r in notices:
        put(r.pop("unit"), **r)
    return out


def vetoes(year: int) -> dict[int, list[str]]:
    """The year's vetoes per unit id: recorded ones, and decided 取消年度评优资格."""
    start, end = _year_bounds(year)
    out: dict[int, list[str]] = {}
    for v in AssessmentVeto.objects.filter(year=year).order_by("created_at", "pk"):
        out.setdefault(v.unit_id, []).append(v.reason)
    measures = Measure.objects.filter(
        kind=MeasureKind.UNIT_NO_HONOURS,
        status=Measure.Status.DECIDED,
        decided_at__gte=start,
        decided_at__lt=end,
        acase__subject_unit__isnull=False,
    ).select_related("acase")
    for m in measures:
        out.setdefault(m.acase.subject_unit_id, []).append(f"责任追究 {m.acase.number}：取消年度评优资格")
    # A 诫勉 on a person costs the person's unit its honours for the year (seed 002
    # 第十七条: 同时，取消所在单位当年度评优资格; seed 004 第十六条(二)).
    admonished = Measure.objects.filter(
        kind=MeasureKind.ADMONISH,
        status=Measure.Status.DECIDED,
        decided_at__gte=start,
        decided_at__lt=end,
        acase__subject_user__unit__isnull=False,
    ).select_related("acase__subject_user")
    for m in admonished:
        person = m.acase.subject_user
        out.setdefault(person.unit_id, []).append(
            f"责任追究 {m.acase.number}：{person.display_name}受到诫勉谈话，取消所在单位当年度评优资格"
            f"（{ADMONISH_RULE}）"
        )
    return out


def figures_for(raw: dict) -> dict:
    """The indicators of one unit from its raw counts (zeros where nothing was counted)."""
    f = {
        k: raw.get(k, 0)
        for k in (
            "received",
            "rated",
            "satisfied",
            "repeat",
            "over_level",
            "group",
            "completion_stopped",
            "completion_late",
            "reply_stopped",
            "reply_late",
            "overdue",
            "notices",
            "escalated",
        )
    }
    f["completion_rate"] = _rate(f["completion_stopped"] - f["completion_late"], f["completion_stopped"])
    f["reply_rate"] = _rate(f["reply_stopped"] - f["reply_late"], f["reply_stopped"])
    f["satisfaction_rate"] = _rate(f["satisfied"], f["rated"])
    return f


def score_for(f: dict, scheme: AssessmentScheme) -> Decimal:
    """Weighted rates (a rate with nothing counted earns the full weight) less the
    deductions, never below zero."""
    score = Decimal(0)
    for rate, weight in (
        ("completion_rate", scheme.w_completion),
        ("reply_rate", scheme.w_reply),
        ("satisfaction_rate", scheme.w_satisfaction),
    ):
        value = f[rate] if f[rate] is not None else Decimal(100)
        score += Decimal(weight) * value / 100
    for item, points in DEDUCTIONS:
        score -= Decimal(getattr(scheme, points)) * f[item]
    return max(score, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def compute(year: int) -> list[Row]:
    """The live result of a year not yet confirmed: every unit, ranked first."""
    scheme = scheme_for(year)
    raw = counts(year)
    vetoed = vetoes(year)
    rows = []
    for unit in Unit.objects.order_by("pk"):
        f = figures_for(raw.get(unit.pk, {}))
        score = score_for(f, scheme)
        reasons = []
        if score < Decimal(scheme.pass_score):
            reasons.append("得分低于合格分数线")
        if f["completion_rate"] is not None and f["completion_rate"] < Decimal(scheme.min_completion_rate):
            reasons.append("办结按期率低于下限")
        veto = vetoed.get(unit.pk, [])
        if veto:
            reasons.append("一票否决")
        rows.append(
            Row(
                unit.pk,
                unit.name,
                f,
                score,
                passed=not reasons,
                vetoed=bool(veto),
                veto_reason="；".join(veto),
                reasons=reasons,
            )
        )
    return rank(rows, scheme.min_volume)


def rank(rows: list[Row], min_volume: int) -> list[Row]:
    """Rank by score (equal scores share a rank); under the minimum volume or vetoed: no rank."""
    eligible = sorted(
        (r for r in rows if r.figures["received"] >= min_volume and not r.vetoed), key=lambda r: (-r.score, r.unit_name)
    )
    for i, r in enumerate(eligible):
        r.rank = eligible[i - 1].rank if i and r.score == eligible[i - 1].score else i + 1
    others = [r for r in rows if r.rank is None]
    return eligible + sorted(others, key=lambda r: (-r.score, r.unit_name))


def stored_rows(result: AssessmentResult) -> list[Row]:
    return [
        Row(
            r.unit_id,
            r.unit_name,
            decode_figures(r.figures),
            r.score,
            r.passed,
            r.vetoed,
            r.veto_reason,
            r.rank,
            r.figures.get("_reasons", []),
        )
        for r in result.rows.order_by("rank", "id")
    ]


def assessment(year: int) -> tuple[list[Row], AssessmentResult | None]:
    """The year's rows: the stored ones once confirmed, else computed live."""
    result = result_for(year)
    if result is not None:
        rows = stored_rows(result)
        return [r for r in rows if r.rank is not None] + [r for r in rows if r.rank is None], result
    return compute(year), None


def encode_figures(f: dict, reasons: list[str]) -> dict:
    return {**{k: (str(v) if isinstance(v, Decimal) else v) for k, v in f.items()}, "_reasons": reasons}


def decode_figures(stored: dict) -> dict:
    f = {k: v for k, v in stored.items() if not k.startswith("_")}
    for k in ("completion_rate", "reply_rate", "satisfaction_rate"):
        if f.get(k) is not None:
            f[k] = Decimal(f[k])
    return f


def row_dict(r: Row) -> dict:
    return asdict(r)
