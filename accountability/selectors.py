"""Reads for 责任追究, scoped to the user (issue 7 item 3): the petition office,
discipline/HR and leaders see every case; the subject sees their own (a person their
case, a unit's head the unit's case); everyone else sees nothing, and a page outside
the scope is a 404.

A case opened from a 举报 follows the 举报's own scope (issue 13 point 3; 《信访工作条例》
第三十条; 《河南省教育系统信访工作责任制实施细则》第九条): whoever may not open the 举报 does
not see the accountability case either, except its subject, who must be able to read
and appeal what is decided about them (《兰州大学信访工作责任制实施细则》第二十条) but is
never shown where it came from (see `source_for`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Case, Kind
from cases.selectors import cases_visible_to as petitions_visible_to
from people.abilities import is_unit_head
from people.models import User
from supervision.models import Notice
from supervision.selectors import notices_visible_to

from . import abilities
from .models import AccountabilityCase, PersonRecordEntry


def cases_visible_to(*, user: User) -> QuerySet[AccountabilityCase]:
    qs = AccountabilityCase.objects.select_related("subject_unit", "subject_user")
    if not user.is_authenticated:
        return qs.none()
    own = Q(subject_user=user)
    if is_unit_head(user) and user.unit_id:
        own |= Q(subject_unit_id=user.unit_id)
    if not abilities.sees_all_cases(user):
        return qs.filter(own)
    hidden = hidden_reports(user=user)
    # the ids are few (accountability cases opened from a 举报): no anti-join on the list
    return qs.exclude(Q(case_id__in=hidden) & ~own) if hidden else qs


def hidden_reports(*, user: User) -> list[int]:
    """The 举报 that accountability cases were opened from and that `user` may not open
    (《信访工作条例》第三十条): two small queries, the first over the accountability cases
    only, so that a list can leave these out by id."""
    sources = set(
        AccountabilityCase.objects.filter(case__kind=Kind.REPORT).values_list("case_id", flat=True).distinct()
    )
    if not sources:
        return []
    seen = set(petitions_visible_to(user=user).filter(pk__in=sources).values_list("pk", flat=True))
    return sorted(sources - seen)


@dataclass(frozen=True)
class Source:
    """What a reader is shown of where an accountability case came from: the petition
    and the notice each only if the reader may open it themselves, so that the subject
    of a case opened from a 举报 against them learns neither its number nor its title
    nor who reported it (《信访工作条例》第三十条; 《河南省教育系统信访工作责任制实施细则》
    第九条)."""

    case: Case | None
    notice: Notice | None


def source_for(*, user: User, acase: AccountabilityCase) -> Source:
    case = notice = None
    if acase.case_id is not None:
        case = petitions_visible_to(user=user).filter(pk=acase.case_id).first()
    if acase.notice_id is not None and (case is not None or acase.case_id is None):
        notice = notices_visible_to(user=user).filter(pk=acase.notice_id).first()
    return Source(case=case, notice=notice)


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


# The steps that wait for the office or discipline (accountability.abilities.can_decide_step)
WAITING = (
    (AccountabilityCase.Status.OPENED, "追责待拟处理"),
    (AccountabilityCase.Status.PROPOSED, "追责待决定"),
    (AccountabilityCase.Status.RECTIFYING, "追责整改中"),
)


def workbench_counts(*, user: User) -> list[tuple[str, int, str]]:
    """(label, count, link) of the accountability cases waiting for `user`, for the
    workbench: one query."""
    from django.db.models import Count
    from django.urls import reverse

    if not abilities.can_decide_step(user):
        return []
    counts = dict(
        cases_visible_to(user=user)
        .filter(status__in=[s for s, _ in WAITING])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    url = reverse("accountability:list")
    return [(label, counts.get(status, 0), f"{url}?status={status}") for status, label in WAITING]


def workbench_part(request) -> dict:
    return {"accountability": workbench_counts(user=request.user)}
