"""What supervision adds to the case page, its timeline and the workbench (registered
with cases.pages from SupervisionConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from cases.choices import HANDED_TO_UNIT, REPLIED_STATES
from cases.models import Case
from cases.pages import TimelineEntry
from documents.models import Document
from documents.services import delivery_text
from people.models import User

from . import abilities, selectors
from .documents import OPINION_KINDS
from .models import ReviewRequest, SatisfactionReview
from .selectors import notices_visible_to, pending_reviews, workbench_counts


def case_card(request: HttpRequest, case: Case) -> dict:
    """The case page's 督办与跟踪 card: the notices the user may see, the 不满意 review,
    and 复查/复核 with their windows."""
    user = request.user
    office = abilities.can_supervise(user)
    reviews = list(case.review_requests.all())
    _attach_opinion_documents(case, reviews, office)
    stages = {r.stage for r in reviews}
    final = selectors.is_final(case)
    next_stage = None
    if office and not final:
        if ReviewRequest.Stage.REVIEW not in stages and selectors.review_window(case, ReviewRequest.Stage.REVIEW):
            next_stage = ReviewRequest.Stage.REVIEW
        elif ReviewRequest.Stage.REREVIEW not in stages and selectors.review_window(case, ReviewRequest.Stage.REREVIEW):
            next_stage = ReviewRequest.Stage.REREVIEW
    # Why no window yet (no delivery record; a 建议意见 answer): said, not left blank.
    window_waiting = ""
    if office and not final and next_stage is None:
        if ReviewRequest.Stage.REVIEW not in stages and case.state in REPLIED_STATES:
            window_waiting = selectors.review_window_closed(case, ReviewRequest.Stage.REVIEW)
        elif ReviewRequest.Stage.REREVIEW not in stages and any(
            r.stage == ReviewRequest.Stage.REVIEW and r.decided_on for r in reviews
        ):
            window_waiting = selectors.review_window_closed(case, ReviewRequest.Stage.REREVIEW)
    return {
        "notices": notices_visible_to(user=user)
        .filter(case=case)
        .select_related("unit", "trigger")
        .order_by("created_at"),
        "can_raise_notice": office and case.main_unit_id is not None and case.state in HANDED_TO_UNIT,
        "satisfaction_review": SatisfactionReview.objects.filter(case=case).first(),
        "review_requests": reviews,
        "next_review_stage": next_stage,
        "next_review_window": selectors.review_window(case, next_stage) if next_stage else None,
        "review_window_waiting": window_waiting,
        "is_final": final,
        "is_office": office,
    }


def _attach_opinion_documents(case: Case, reviews: list[ReviewRequest], office: bool) -> None:
    """Each decided 复查/复核 with its 复查意见书 or 复核意见书 and their delivery state: the
    复核 window runs from the delivery of the 复查意见书 (《信访工作条例》第三十六条), so the
    office sees whether it has reached the petitioner, and may draft it once the opinion
    is recorded."""
    documents = Document.objects.filter(case=case, review__in=[r.pk for r in reviews]).prefetch_related("deliveries")
    by_review: dict[int, list[Document]] = {}
    for d in documents:
        d.delivery_state = "" if d.is_draft else delivery_text(d)
        by_review.setdefault(d.review_id, []).append(d)
    for r in reviews:
        r.opinion_kind = OPINION_KINDS[r.stage]
        r.opinion_documents = by_review.get(r.pk, [])
        r.can_draft_opinion = office and r.decided_on is not None and not r.opinion_documents


def notice_steps(case: Case, user: User) -> list[TimelineEntry]:
    """The steps of the notices on the case that the user may see, from each notice's own
    history (the scan writes there too), for the case's timeline."""
    notices = notices_visible_to(user=user).filter(case=case)
    rows = (
        notices.model.history.model.objects.filter(id__in=notices.values("pk"))
        .exclude(transition="")
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = []
    for h in rows:
        number = f"督{h.created_at:%Y}-{h.id:05d}"
        who = h.history_user.display_name if h.history_user else "系统（超期扫描）"
        result = f"{h.get_level_display()} {number}：{h.get_status_display()}"
        link = reverse("supervision:detail", args=[h.id])
        entries.append(TimelineEntry(h.transition, result, h.history_date, who, h.history_change_reason or "", link))
    return entries


def workbench(request: HttpRequest) -> dict:
    """The supervision work waiting for the user."""
    return {
        "supervision": workbench_counts(user=request.user),
        "pending_reviews": list(pending_reviews(user=request.user)[:5]),
    }


def register() -> None:
    from cases import pages

    pages.add_case_page_part(case_card)
    pages.add_timeline_source(notice_steps)
    pages.add_workbench_part(workbench)
