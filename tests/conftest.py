"""Shared fixtures: the demo units and one person per role, named by role; cases are
built through the real services (cases.services) and walked with cases.demo.walk."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cases import services
from cases.demo import walk
from cases.models import Case, Channel, Kind
from people.demo import ensure_people
from people.models import Unit

_counter = itertools.count(1)

requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # PBKDF2 at full strength costs ~0.3 s a password; the demo people are made per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A fresh in-process cache per test: nothing cached by one test (or kept in Redis
    # between runs) answers another.
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {"default": {"BACKEND": locmem, "LOCATION": tmp_path.name}}


@pytest.fixture
def people(db):
    return ensure_people(password="pw")


@pytest.fixture
def units(people):
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def make_case(people):
    """make_case(state="handling", unit="jwc", **case_fields) -> Case"""

    def make(state: str = "registered", unit: str = "jwc", petitioner: dict | None = None, **fields) -> Case:
        n = next(_counter)
        data = {
            "channel": Channel.LETTER,
            "kind": Kind.COMPLAINT,
            "received_on": timezone.localdate() - timedelta(days=1),
            "summary": f"反映食堂饭菜价格偏高（测试{n}）",
            "content": "详细内容",
        }
        data.update(fields)
        case, _ = services.case_register(
            actor=people["clerk"],
            petitioner=services.PetitionerData(**(petitioner or {"name": f"信访人{n}", "phone": f"1380000{n:04d}"})),
            data=services.CaseData(**data),
        )
        walk(case, state, people, unit_code=unit)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def reseeded(db):
    """Transactional tests start from empty tables (the flush of an earlier one removes
    what the data migrations seeded): put the calendar, the deadline rules, the
    supervision triggers and the accountability grounds back."""
    from accountability.models import Ground
    from accountability.seed_grounds import seed_grounds
    from deadlines.calendar import seed_from_package
    from deadlines.clocks import DeadlineRule
    from deadlines.seed_rules import seed_rules
    from supervision.models import Trigger
    from supervision.seed_triggers import seed_triggers

    seed_from_package()
    seed_rules(DeadlineRule)
    seed_triggers(Trigger)
    seed_grounds(Ground)
