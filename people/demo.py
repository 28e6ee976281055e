"""Demo units and one login per role. The passwords are for the demo only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .models import Unit, User

DEMO_PASSWORD = "xinfang-demo"

# The units the demo's people and matters name by code (cases.demo_text.MATTERS): a school's
# own list (settings.XINFANG_DEMO_UNITS) renames them but keeps these.
REQUIRED_UNITS = {
    "dzb": Unit.Kind.OFFICE,
    "xgc": Unit.Kind.STUDENT_AFFAIRS,
    "jwc": Unit.Kind.FUNCTIONAL,
    "hqc": Unit.Kind.FUNCTIONAL,
    "rsc": Unit.Kind.FUNCTIONAL,
    "jjjc": Unit.Kind.DISCIPLINE,
    "jsj": Unit.Kind.COLLEGE,
    "dz": Unit.Kind.COLLEGE,
    "rj": Unit.Kind.COLLEGE,
}


def demo_units() -> list[tuple[str, str, str]]:
    """settings.XINFANG_DEMO_UNITS as (code, name, kind), checked: every code the demo
    names is there with its kind, and every kind is one of Unit.Kind."""
    units = [(str(code), str(name), str(kind)) for code, name, kind, *_ in settings.XINFANG_DEMO_UNITS]
    kinds = {code: kind for code, _, kind in units}
    wrong = [f"{code} ({kind})" for code, kind in kinds.items() if kind not in Unit.Kind.values]
    missing = [code for code, kind in REQUIRED_UNITS.items() if kinds.get(code) != kind]
    if wrong or missing:
        raise ImproperlyConfigured(
            "XINFANG_DEMO_UNITS: "
            + "；".join(
                ([f"类别不对：{'、'.join(wrong)}"] if wrong else [])
                + ([f"缺少或类别不符：{'、'.join(missing)}"] if missing else [])
            )
        )
    return units


# username, full name, role, unit code, is head, charge units, main leader
PEOPLE = [
    ("clerk", "周登记", User.Role.CLERK, "dzb", False, [], False),
    ("office", "成信访", User.Role.OFFICE, "dzb", True, [], False),
    ("office2", "马督办", User.Role.OFFICE, "xgc", False, [], False),
    ("leader", "王分管", User.Role.LEADER, None, False, ["jwc", "xgc", "jsj", "hqc"], False),
    ("leader2", "朱分管", User.Role.LEADER, None, False, ["dz", "rj", "rsc"], False),
    ("president", "陈院长", User.Role.LEADER, None, False, [], True),
    ("head_jwc", "李教务", User.Role.UNIT_HEAD, "jwc", True, [], False),
    ("recep_jwc", "张接待", User.Role.RECEPTIONIST, "jwc", False, [], False),
    ("head_jsj", "刘院长", User.Role.UNIT_HEAD, "jsj", True, [], False),
    ("recep_jsj", "赵接待", User.Role.RECEPTIONIST, "jsj", False, [], False),
    ("head_hqc", "黄后勤", User.Role.UNIT_HEAD, "hqc", True, [], False),
    ("head_xgc", "吴学工", User.Role.UNIT_HEAD, "xgc", True, [], False),
    ("head_dz", "郑电子", User.Role.UNIT_HEAD, "dz", True, [], False),
    ("head_rj", "孙软件", User.Role.UNIT_HEAD, "rj", True, [], False),
    ("head_rsc", "许人事", User.Role.UNIT_HEAD, "rsc", True, [], False),
    ("discipline", "姚纪检", User.Role.DISCIPLINE, "jjjc", True, [], False),
    ("admin", "系统管理员", User.Role.ADMIN, None, False, [], False),
]


@transaction.atomic
def ensure_people(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create (or reset) the demo units and users; safe to run again."""
    units = {}
    for code, name, kind in demo_units():
        units[code], _ = Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    # one hash for every login: hashing is the slow part (PBKDF2, ~0.4 s each), and the
    # password is the same demo password for all of them
    encoded = make_password(password)
    users = {}
    for username, full_name, role, unit_code, is_head, charge, main in PEOPLE:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                # mail for notifications; the demo writes it to the worker's log
                "email": f"{username}@example.edu.cn",
                "role": role,
                "unit": units.get(unit_code) if unit_code else None,
                "is_main_leader": main,
                "is_staff": role == User.Role.ADMIN,
                "is_superuser": role == User.Role.ADMIN,
            },
        )
        user.password = encoded
        user.save()
        user.charge_units.set([units[c] for c in charge])
        if is_head and unit_code:
            Unit.objects.filter(pk=units[unit_code].pk).update(head=user)
        users[username] = user
    return users
