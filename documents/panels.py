"""The case page's 文书 card (registered with cases.pages from DocumentsConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Case

from .selectors import documents_for
from .services import issuable_kinds


def case_documents(request: HttpRequest, case: Case) -> dict:
    return {
        "documents": documents_for(case=case, user=request.user),
        "document_kinds": issuable_kinds(case, request.user),
    }
