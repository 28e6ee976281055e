"""常用查询 (issue 14, point 4): a person keeps the case-list queries they run every day,
the office shares a few with everyone, and the menu shows how many cases each finds now.

A saved query is the list's filter parameters and nothing else; its count and its
results are read through the reader's own scope (cases_visible_to), so a shared query
never shows anyone a case they may not see, nor counts one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict

from people.abilities import is_office
from people.models import User

from .models import SavedSearch
from .paging import count_or_estimate
from .selectors import cases_filtered

# The parameters a saved query keeps: the list's filters (cases.forms.CaseFilterForm),
# never a page cursor.
PAGING = ("after", "before")
MAX_PER_PERSON = 20


def clean_query(params: QueryDict) -> str:
    """The list's parameters in a stable order, without paging and empty values."""
    from .forms import CaseFilterForm

    known = set(CaseFilterForm.base_fields)
    kept = QueryDict(mutable=True)
    for key in sorted(params):
        if key in known and key not in PAGING:
            values = [v for v in params.getlist(key) if v.strip()]
            if values:
                kept.setlist(key, values)
    return kept.urlencode()


def searches_for(user: User) -> QuerySet[SavedSearch]:
    """A person's own queries and the shared ones, the shared first."""
    return SavedSearch.objects.filter(Q(owner=user) | Q(shared=True)).order_by("-shared", "name", "pk")


@transaction.atomic
def saved_search_create(*, user: User, name: str, params: QueryDict, shared: bool = False) -> SavedSearch:
    """Keep the list's current query under `name`. Only the office shares."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("请填写常用查询的名称。")
    if len(name) > 30:
        raise ValidationError(f"常用查询的名称不能超过 30 字（现有 {len(name)} 字）。")
    if shared and not is_office(user):
        raise PermissionDenied("只有信访办可以共享常用查询。")
    query = clean_query(params)
    if not query:
        raise ValidationError("请先设置筛选条件，再保存为常用查询。")
    if SavedSearch.objects.filter(owner=user).count() >= MAX_PER_PERSON:
        raise ValidationError(f"每人最多保存 {MAX_PER_PERSON} 个常用查询，请先删除不用的。")
    if SavedSearch.objects.filter(owner=user, name=name).exists():
        raise ValidationError(f"您已有名为“{name}”的常用查询，请换一个名称。")
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(owner=user, name=name, query=query, shared=shared)
    except IntegrityError as e:  # two clicks at once: the first one stands
        raise ValidationError(f"您已有名为“{name}”的常用查询，请换一个名称。") from e


@transaction.atomic
def saved_search_delete(*, user: User, search: SavedSearch) -> None:
    """A person deletes their own; the office also the shared ones."""
    if search.owner_id != user.pk and not (search.shared and is_office(user)):
        raise PermissionDenied("只能删除自己的常用查询。")
    search.delete()


def count_for(user: User, search: SavedSearch) -> tuple[int, bool] | None:
    """How many cases the query finds for `user` now (exact up to the list's limit, an
    estimate past it), or None when the query no longer validates."""
    from .forms import CaseFilterForm

    form = CaseFilterForm(QueryDict(search.query))
    if not form.is_valid():
        return None
    qs, _sort = cases_filtered(user=user, data=form.cleaned_data)
    return count_or_estimate(qs)
