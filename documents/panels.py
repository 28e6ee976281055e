"""The case page's 文书 card (registered with cases.pages from DocumentsConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Case

from .forms import DeliveryForm
from .selectors import documents_for
from .services import issuable_kinds, may_issue, owes_delivery


def case_documents(request: HttpRequest, case: Case) -> dict:
    """The documents, each that goes to the petitioner with its deliveries (未送达 or
    已送达) and, for the office, a form to record one."""
    documents = list(documents_for(case=case, user=request.user).prefetch_related("deliveries"))
    for d in documents:
        d.owes_delivery = owes_delivery(d)
        d.delivery_list = list(d.deliveries.all())
        d.delivery_form = DeliveryForm(document=d) if d.owes_delivery and may_issue(request.user, d.kind) else None
    return {
        "documents": documents,
        "document_kinds": issuable_kinds(case, request.user),
    }
