"""The answer a demo (or test) case gets before it is filed: the archive guard
(documents.guards) files a case only once its answer document has been issued and
delivered, so the demo does what an office does."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case
from people.models import User

from .guards import answer_kind, delivery_owed
from .models import Delivery, DeliveryWay
from .services import delivery_record, document_issue


def deliver_answer(case: Case, office: User) -> None:
    """Issue the case's answer document (if not yet issued) and record it delivered in
    person today, unless no delivery is owed (《信访工作条例》第二十三条's exception)."""
    if not delivery_owed(case):
        return
    kind = answer_kind(case)
    if Delivery.objects.filter(document__case=case, document__kind=kind).exists():
        return
    document = case.documents.issued().filter(kind=kind).last() or document_issue(case=case, kind=kind, actor=office)
    delivery_record(
        document=document,
        actor=office,
        way=DeliveryWay.IN_PERSON,
        delivered_on=timezone.localdate(),
        note="信访人当面签收。",
    )
