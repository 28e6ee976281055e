"""The case page's 文书 card (registered with cases.pages from DocumentsConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Case

from .forms import DeliveryForm
from .models import DocumentKind
from .selectors import documents_for
from .services import issuable_kinds, may_issue, owes_delivery

# The kinds of issue 12, offered by one loop on the card.
NEW_KINDS = (
    DocumentKind.FORWARD,
    DocumentKind.SUGGESTION_REPLY,
    DocumentKind.STATUTORY_ROUTE,
    DocumentKind.MEDIATION,
    DocumentKind.SETTLEMENT,
    DocumentKind.URGENT_REPORT,
)


def case_documents(request: HttpRequest, case: Case) -> dict:
    """The documents, each that goes to the petitioner with its deliveries (未送达 or
    已送达) and, for the office, a form to record one."""
    documents = list(documents_for(case=case, user=request.user).prefetch_related("deliveries"))
    for d in documents:
        d.owes_delivery = owes_delivery(d)
        d.delivery_list = list(d.deliveries.all())
        d.delivery_form = DeliveryForm(document=d) if d.owes_delivery and may_issue(request.user, d.kind) else None
    kinds = issuable_kinds(case, request.user)
    return {
        "documents": documents,
        "document_kinds": kinds,
        "new_document_kinds": [(k.value, k.label) for k in NEW_KINDS if k in kinds],
    }
