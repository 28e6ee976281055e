"""Demo units and one login per role. The passwords are for the demo only."""

from __future__ import annotations

from django.db import transaction

from .models import Unit, User

DEMO_PASSWORD = "xinfang-demo"

UNITS = [
    ("dzb", "党政办公室", Unit.Kind.OFFICE),
    ("xgc", "学生工作处", Unit.Kind.STUDENT_AFFAIRS),
    ("jwc", "教务处", Unit.Kind.FUNCTIONAL),
    ("hqc", "后勤保卫处", Unit.Kind.FUNCTIONAL),
    ("rsc", "组织人事处", Unit.Kind.FUNCTIONAL),
    ("jjjc", "纪检监察室", Unit.Kind.DISCIPLINE),
    ("jsj", "计算机工程学院", Unit.Kind.COLLEGE),
    ("dz", "电子工程学院", Unit.Kind.COLLEGE),
    ("rj", "软件学院", Unit.Kind.COLLEGE),
]

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
    ("discipline", "姚纪检", User.Role.DISCIPLINE, "jjjc", True, [], False),
    ("admin", "系统管理员", User.Role.ADMIN, None, False, [], False),
]


@transaction.atomic
def ensure_people(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create (or reset) the demo units and users; safe to run again."""
    units = {}
    for code, name, kind in UNITS:
        units[code], _ = Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
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
        user.set_password(password)
        user.save()
        user.charge_units.set([units[c] for c in charge])
        if is_head and unit_code:
            Unit.objects.filter(pk=units[unit_code].pk).update(head=user)
        users[username] = user
    return users
