"""The documents about a record of supervision, registered with documents from
SupervisionConfig.ready(): the 督办通知书 (seed 000 §四.7; 条例 第39条), about a notice, and
the 复查意见书 and 复核意见书 (条例 第35–36条), about a ReviewRequest with its opinion."""

from __future__ import annotations

from django.conf import settings

from cases.models import Case
from deadlines.clocks import DeadlineRule
from documents.models import DocumentKind
from documents.services import DocumentRefused, Subject, register_subject

from .models import OPEN_STATUSES, Notice, ReviewRequest

NO_OPEN_NOTICE = "该信访件没有未办结的督办单，不能制作督办通知书；请先发出督办单。"


def open_notices(case: Case):
    return Notice.objects.filter(case=case, status__in=OPEN_STATUSES).order_by("-created_at", "-pk")


def refusal(case: Case) -> str:
    return "" if open_notices(case).exists() else NO_OPEN_NOTICE


def choose(case: Case, notice: Notice | None) -> Notice:
    """The notice the 督办通知书 is about: the one named, or the case's latest open one."""
    if notice is None:
        notice = open_notices(case).first()
    if notice is None:
        raise DocumentRefused(NO_OPEN_NOTICE)
    notice = Notice.objects.select_related("unit", "trigger").get(pk=notice.pk)
    if notice.case_id != case.pk:
        raise DocumentRefused("该督办单不属于本信访件。")
    if not notice.is_open:
        raise DocumentRefused(f"督办单{notice.number}{notice.get_status_display()}，不能再制作督办通知书。")
    return notice


def lookup(case: Case, pk: int) -> Notice | None:
    return Notice.objects.filter(pk=pk, case=case).first()


def context(notice: Notice) -> dict:
    return {"notice": notice, "issuer": f"{settings.XINFANG_ORGANISATION}信访工作领导小组办公室"}


# --- 复查意见书 and 复核意见书 (条例 第35–36条) ----------------------------------------------

# The kind of letter each stage's opinion is written in.
OPINION_KINDS = {
    ReviewRequest.Stage.REVIEW: DocumentKind.REVIEW_OPINION,
    ReviewRequest.Stage.REREVIEW: DocumentKind.REREVIEW_OPINION,
}


def _decided(case: Case, stage: str):
    return ReviewRequest.objects.filter(case=case, stage=stage).exclude(decided_on=None)


def _review_subject(stage: str) -> Subject:
    """The 复查意见书 (stage review) or 复核意见书 (rereview): the written opinion the
    petitioner receives. Its delivery starts the 复核 window (条例 第三十六条: 自收到复查意见
    之日起30日内), through documents.services.DELIVERY_EVENTS, so it is drafted only once
    the opinion is recorded."""
    name = ReviewRequest.Stage(stage).label
    label = OPINION_KINDS[stage].label
    missing = f"该件尚未登记{name}意见，不能制作{label}；请先登记{name}意见。"

    def refusal(case: Case) -> str:
        return "" if _decided(case, stage).exists() else missing

    def choose(case: Case, review: ReviewRequest | None) -> ReviewRequest:
        if review is None:
            review = _decided(case, stage).first()
        if review is None:
            raise DocumentRefused(missing)
        review = ReviewRequest.objects.get(pk=review.pk)
        if review.case_id != case.pk or review.stage != stage:
            raise DocumentRefused(f"该{name}不属于本信访件。")
        if review.decided_on is None:
            raise DocumentRefused(missing)
        return review

    def lookup(case: Case, pk: int) -> ReviewRequest | None:
        return ReviewRequest.objects.filter(pk=pk, case=case, stage=stage).first()

    def context(review: ReviewRequest) -> dict:
        review_of = None
        if stage == ReviewRequest.Stage.REREVIEW:
            review_of = _decided(review.case, ReviewRequest.Stage.REVIEW).first()
        return {
            "review": review,
            "review_of": review_of,
            "title": label,
            "issuer": review.body,
            "rereview_days": _rule_length("rereview-request", 30),
        }

    return Subject(field="review", refusal=refusal, choose=choose, lookup=lookup, context=context)


def _rule_length(code: str, default: int) -> int:
    """A period as the deadline rules hold it (rules are data)."""
    return DeadlineRule.objects.filter(code=code).values_list("length", flat=True).first() or default


def register() -> None:
    register_subject(
        DocumentKind.SUPERVISION,
        Subject(field="notice", refusal=refusal, choose=choose, lookup=lookup, context=context),
    )
    for stage, kind in OPINION_KINDS.items():
        register_subject(kind, _review_subject(stage))
