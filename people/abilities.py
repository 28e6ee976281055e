"""Who a person is, as named predicates (django-rules). Every app's abilities are built
from these, so a role is spelled once; an anonymous user is none of them."""

from __future__ import annotations

import rules

from .models import Unit, User


def _role(role: str, name: str) -> rules.Predicate:
    return rules.Predicate(lambda user: getattr(user, "role", None) == role, name=name)


is_clerk = _role(User.Role.CLERK, "is_clerk")
is_office = _role(User.Role.OFFICE, "is_office")
is_unit_head = _role(User.Role.UNIT_HEAD, "is_unit_head")
is_receptionist = _role(User.Role.RECEPTIONIST, "is_receptionist")
is_leader = _role(User.Role.LEADER, "is_leader")
is_discipline = _role(User.Role.DISCIPLINE, "is_discipline")
is_admin = _role(User.Role.ADMIN, "is_admin")

# 部门负责人 and 接待员: the people of a handling unit.
is_unit_staff = is_unit_head | is_receptionist


@rules.predicate
def is_main_leader(user) -> bool:
    """主要领导 (seed 000 §四.3, §四.6): sees the whole school and signs off major cases."""
    return getattr(user, "role", None) == User.Role.LEADER and bool(user.is_main_leader)


@rules.predicate
def has_unit(user) -> bool:
    return getattr(user, "unit_id", None) is not None


# 条例 第22条, 第30条: a 举报 goes to 纪检监察, whose own staff (role discipline, in the
# discipline unit) handle it as that unit's handlers.
is_discipline_staff = is_discipline & has_unit

# Whoever handles a case for their unit: the unit's head and receptionists, and the
# discipline unit's staff.
is_case_handler = is_unit_staff | is_discipline_staff


@rules.predicate
def heads_own_unit(user) -> bool:
    """The 部门负责人 of the user's unit: a unit head, or the discipline officer the unit
    names as its head (部门负责人审定 of a reply, seed 000 §四.6(1))."""
    role = getattr(user, "role", None)
    if role == User.Role.UNIT_HEAD:
        return True
    if role == User.Role.DISCIPLINE and getattr(user, "unit_id", None) is not None:
        return Unit.objects.filter(pk=user.unit_id, head_id=user.pk).exists()
    return False
