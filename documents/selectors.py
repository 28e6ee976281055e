"""Reading documents through the case's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.models import Case
from people.models import User

from .models import Document


def documents_for(*, case: Case, user: User) -> QuerySet[Document]:
    """The case's documents `user` may open: unit staff do not get a 督办通知书 addressed to
    another unit handling the same case (their notice pages show only their own)."""
    qs = case.documents.all()
    if user.is_unit_staff:
        qs = qs.filter(Q(notice=None) | Q(notice__unit_id=user.unit_id))
    return qs
