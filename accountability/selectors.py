"""Reads for 责任追究, scoped to the user (issue 7 item 3): the petition office,
discipline/HR and leaders see every case; the subject sees their own (a person their
case, a unit's head the unit's case); everyone else sees nothing, and a page outside
the scope is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from people.abilities import is_unit_head
from people.models import User

from . import abilities
from .models import AccountabilityCase, PersonRecordEntry


def cases_visible_to(*, user: User) -> QuerySet[AccountabilityCase]:
    qs = AccountabilityCase.objects.select_related("subject_unit", "subject_user")
    if not user.is_authenticated:
        return qs.none()
    if abilities.sees_all_cases(user):
        return qs
    own = Q(subject_user=user)
    if is_unit_head(user) and user.unit_id:
        own |= Q(subject_unit_id=user.unit_id)
    return qs.filter(own)


def case_for_user(*, user: User, pk: int) -> AccountabilityCase:
    try:
        return cases_visible_to(user=user).get(pk=pk)
    except AccountabilityCase.DoesNotExist as e:
        raise Http404 from e


def may_read_record(*, user: User, person: User) -> bool:
    # seed 004 第十九条: only discipline/HR and the person read the record
    return user.is_authenticated and (abilities.reads_every_record(user) or user.pk == person.pk)


def record_for(*, user: User, person: User) -> QuerySet[PersonRecordEntry]:
    if not may_read_record(user=user, person=person):
        raise Http404
    return PersonRecordEntry.objects.filter(person=person).select_related("acase", "created_by", "corrects")


def case_list(*, user: User, status: str = "", subject: str = "") -> QuerySet[AccountabilityCase]:
    qs = cases_visible_to(user=user)
    if status:
        qs = qs.filter(status=status)
    if subject == "unit":
        qs = qs.filter(subject_unit__isnull=False)
    elif subject == "person":
        qs = qs.filter(subject_user__isnull=False)
    return qs
