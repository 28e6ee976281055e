"""The 督办通知书 (seed 000 §四.7; 条例 第39条): a document about a notice, registered with
documents from SupervisionConfig.ready()."""

from __future__ import annotations

from django.conf import settings

from cases.models import Case
from documents.models import DocumentKind
from documents.services import DocumentRefused, Subject, register_subject

from .models import OPEN_STATUSES, Notice

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


def register() -> None:
    register_subject(
        DocumentKind.SUPERVISION,
        Subject(field="notice", refusal=refusal, choose=choose, lookup=lookup, context=context),
    )
