"""Who a person is, as named predicates (django-rules). Every app's abilities are built
from these, so a role is spelled once; an anonymous user is none of them."""

from __future__ import annotations

import rules

from .models import User


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
