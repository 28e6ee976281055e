"""The written notices a demo (or test) case gets: the 受理/不予受理/转送 notice once the
office has decided (《信访工作条例》第二十三条), and the answer before it is filed (the archive
guard, documents.guards, files a case only once its answer has been issued and
delivered), so the demo does what an office does."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cases.choices import State
from cases.models import Case
from people.models import User

from .guards import answer_kind, delivery_owed
from .models import Delivery, DeliveryWay, Document, DocumentKind
from .services import delivery_record, document_issue


def deliver_answer(case: Case, office: User) -> None:
    """Issue the case's answer document (if not yet issued) and record it delivered in
    person today, unless no delivery is owed (《信访工作条例》第二十三条's exception)."""
    _issue_and_deliver(case, office, answer_kind(case), way=DeliveryWay.IN_PERSON, note="信访人当面签收。")


def _issue_and_deliver(case: Case, office: User, kind: str, *, way: str, note: str, tracking_number: str = "") -> None:
    """Issue `kind` (or take the one issued) and record it delivered today, once: nothing
    when no delivery is owed or it was delivered already."""
    document = issue(case, office, kind)
    if document is not None:
        deliver(document, office, way=way, note=note, tracking_number=tracking_number)


def issue(case: Case, office: User, kind: str) -> Document | None:
    """The issued document of `kind` (issued now if there is none), or None when no
    delivery is owed or one was recorded already: what is left to deliver."""
    if not delivery_owed(case) or Delivery.objects.filter(document__case=case, document__kind=kind).exists():
        return None
    return case.documents.issued().filter(kind=kind).last() or document_issue(case=case, kind=kind, actor=office)


def deliver(
    document: Document,
    office: User,
    *,
    way: str,
    note: str,
    delivered_on: date | None = None,
    tracking_number: str = "",
) -> None:
    """Record `document` delivered on `delivered_on` (today), once."""
    if Delivery.objects.filter(document=document).exists():
        return
    delivery_record(
        document=document,
        actor=office,
        way=way,
        delivered_on=delivered_on or timezone.localdate(),
        tracking_number=tracking_number,
        note=note,
    )


def first_notice_kind(case: Case) -> str | None:
    """The written notice 《信访工作条例》第二十三条 owes for the office's decision: 受理,
    不予受理 (a matter for its statutory procedure is told where to go instead, 第三十一条)
    or 转送; None before a decision, or for a case handed back to its superior."""
    if case.state == State.NOT_ACCEPTED:
        return DocumentKind.REJECTION
    if case.state == State.FORWARDED:
        return DocumentKind.FORWARD
    if case.state == State.STATUTORY:
        return DocumentKind.STATUTORY_ROUTE
    if case.state in (State.REGISTERED, State.RETURNED_UP) or case.accepted_at is None:
        return None
    return DocumentKind.ACCEPTANCE


def deliver_first_notice(case: Case, office: User) -> None:
    """Issue the decision's written notice and record it sent by registered post today,
    unless none is owed (第二十三条's exception) or it has been delivered already: the
    delivery stops the 15-day 受理告知 clock (and the 3-day 不予受理 one)."""
    kind = first_notice_kind(case)
    if kind is not None:
        _issue_and_deliver(
            case,
            office,
            kind,
            way=DeliveryWay.POST,
            note="挂号信寄送，邮件单号可查。",
            tracking_number=f"XA{timezone.localdate():%Y%m%d}{case.pk:06d}",
        )
