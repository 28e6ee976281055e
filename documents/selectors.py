"""Reading documents through the case's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.models import Case
from people.models import User

from . import abilities
from .models import Document, DocumentKind


def documents_for(*, case: Case, user: User) -> QuerySet[Document]:
    """The case's documents `user` may open: drafts only for who may issue them; unit
    staff do not get a 督办通知书 addressed to another unit handling the same case (their
    notice pages show only their own)."""
    qs = case.documents.all()
    # a draft is the office's (the clerk's: a 登记表) until it is issued
    drafts = [k for k in DocumentKind.values if abilities.can_issue(user, k)]
    qs = qs.filter(Q(status=Document.Status.ISSUED) | Q(kind__in=drafts))
    if user.is_unit_staff:
        qs = qs.filter(Q(notice=None) | Q(notice__unit_id=user.unit_id))
    return qs
