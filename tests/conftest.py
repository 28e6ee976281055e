"""Shared fixtures: the demo units and one person per role, named by role; cases are
built through the real services (cases.services) and walked with cases.demo.walk."""

from __future__ import annotations

import itertools
import os
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases import services
from cases.demo import walk
from cases.models import AccusedPerson, Case, Channel, Kind
from documents.demo import deliver_answer
from notifications.models import Notification
from people.demo import ensure_people
from people.models import Unit

_counter = itertools.count(1)

requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _xf_today() -> datetime | None:
    """XF_TODAY as an aware datetime: a date means 10:00 that day in Shanghai; a datetime
    without an offset is read in Shanghai too."""
    value = os.environ.get("XF_TODAY", "").strip()
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(10, 0), tzinfo=SHANGHAI)
    except ValueError:
        moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _a_today():
    """Run every test as if today were XF_TODAY, to find tests that only pass on the day
    they were written (`.ci/dates` runs the date-sensitive ones on awkward days).

    XF_TODAY=2028-02-29 puts the clock at 10:00 Asia/Shanghai that day;
    XF_TODAY=2026-12-31T23:59:30+08:00 (or without the offset, read in Shanghai) at that
    moment. The clock ticks on from there (`tick=True`), so durations and ordering by
    time still work. Unset or empty, the real clock is left alone.

    It covers the test and every function-scoped fixture: it is autouse and takes no
    other fixture, so pytest sets it up before `people`, `make_case` and the rest (its
    name sorts it first among this file's autouse fixtures, too). It does not cover code
    run at import time (module-level constants, parametrize arguments) nor session- or
    module-scoped fixtures; a test's own `time_machine.travel` nests inside it and wins.
    """
    moment = _xf_today()
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def today_is():
    """today_is(date(2026, 11, 2)): from that line on, the test runs on that day, 10:00 in
    Shanghai, the clock ticking. For a test whose data are fixed dates (the rule it checks
    is about them: a holiday, a 30-day window), so that neither the real today nor XF_TODAY
    moves it; call it before building any data. The clock comes back at teardown."""
    travels = []

    def travel(day: date) -> None:
        travels.append(time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=SHANGHAI), tick=True))
        travels[-1].start()

    yield travel
    for t in reversed(travels):
        t.stop()


@pytest.fixture(autouse=True)
def _test_settings(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # PBKDF2 at full strength costs ~0.3 s a password; the demo people are made per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A fresh in-process cache per test: nothing cached by one test (or kept in Redis
    # between runs) answers another.
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {"default": {"BACKEND": locmem, "LOCATION": tmp_path.name}}
    # Tests travel days ahead with a client still logged in: the 30-minute and 12-hour
    # session limits would log it out. tests/security/test_sessions.py puts them back.
    settings.SESSION_IDLE_SECONDS = settings.SESSION_ABSOLUTE_SECONDS = 10 * 366 * 86400
    settings.SESSION_COOKIE_AGE = settings.SESSION_ABSOLUTE_SECONDS  # the store's expiry
    # A test that loads the demo without a count (call_command("load_demo")) loads a small
    # one: each case is walked through the services with its PDFs (tests/devtools/test_demo.py).
    settings.XINFANG_DEMO_CASES = 20


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
        # an archived case has its answer issued and delivered first (documents.guards)
        walk(case, state, people, unit_code=unit, before_archive=lambda c: deliver_answer(c, people["office"]))
        # the walk's hand-off notifications (cases.handoffs) are not what a test of a
        # case "in state X" is about; tests/cases/test_handoffs.py walks them
        Notification.objects.filter(case=case, text__startswith="【待办】").delete()
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
    from cases.models import Phrase, SavedSearch
    from cases.seed_defaults import seed_defaults
    from deadlines.calendar import seed_from_package
    from deadlines.clocks import DeadlineRule
    from deadlines.seed_rules import seed_rules
    from supervision.models import Trigger
    from supervision.seed_triggers import seed_triggers

    seed_from_package()
    seed_rules(DeadlineRule)
    seed_triggers(Trigger)
    seed_grounds(Ground)
    seed_defaults(SavedSearch, Phrase)


def logged_in_client(user) -> Client:
    """A test client logged in as `user` (no password round trip)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """client_for(user) -> a test client logged in as that person."""
    return logged_in_client


def accuse_after_routing(case: Case, user) -> None:
    """Name `user` as accused in `case` after the case went to its units (as the office's
    correction of a link can): registering them would have kept the case from every unit
    they work in, head or lead (cases.conditions.barred_units), so a test of the scope that
    must keep the case from them where it already is builds it this way."""
    AccusedPerson.objects.create(
        case=case, name=user.display_name, user=user, unit=user.unit, status=AccusedPerson.Status.LINKED
    )
