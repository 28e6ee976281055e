"""Reads of the staff directory: who a member of staff is, in words that tell namesakes
apart (姓名 · 部门 · 职务), and the directory search that the 举报 registration and the
office's correction pick accused people from (《信访工作条例》第三十条)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import User

# The picker shows this many matches; a longer name narrows the list.
DIRECTORY_LIMIT = 20


def staff_in_directory() -> QuerySet[User]:
    """Active staff with a name: the people a 举报 can name as accused."""
    return User.objects.filter(is_active=True).exclude(full_name="").select_related("unit")


def staff_title(user: User) -> str:
    """What the person is: 主要领导, 院领导, 部门负责人, or the role, and 负责人 for whoever
    heads their unit whatever the role (the office's or the discipline unit's head)."""
    if user.role == User.Role.LEADER:
        return "主要领导" if user.is_main_leader else "院领导"
    title = user.get_role_display()
    unit = user.unit
    if unit is not None and unit.head_id == user.pk and user.role != User.Role.UNIT_HEAD:
        title = f"{title}（部门负责人）"
    return title


def staff_label(user: User) -> str:
    """姓名 · 部门 · 职务: enough to tell two people of the same name apart."""
    return " · ".join((user.display_name, user.unit.name if user.unit else "（无所在部门）", staff_title(user)))


def staff_entries(users: Iterable[User]) -> list[dict]:
    """Name, unit and title of each person, and nothing else (no account, no contact
    details, no case): what the picker needs. Two entries that would still read alike
    carry the record number so that the clerk can tell them apart."""
    entries = [
        {
            "id": u.pk,
            "name": u.display_name,
            "unit": u.unit.name if u.unit else "",
            "title": staff_title(u),
            "label": staff_label(u),
        }
        for u in users
    ]
    seen: dict[str, int] = {}
    for e in entries:
        seen[str(e["label"])] = seen.get(str(e["label"]), 0) + 1
    for e in entries:
        if seen[str(e["label"])] > 1:
            e["label"] = f"{e['label']} · 编号{e['id']}"
    return entries


def staff_search(*, query: str, limit: int = DIRECTORY_LIMIT) -> list[dict]:
    """The directory entries whose name contains `query`, exact names first."""
    query = (query or "").strip()
    if not query:
        return []
    staff = staff_in_directory().order_by("full_name", "unit__name", "pk")
    exact = list(staff.filter(full_name=query)[:limit])
    rest = list(staff.filter(full_name__icontains=query).exclude(full_name=query)[: limit - len(exact)])
    return staff_entries(exact + rest)
