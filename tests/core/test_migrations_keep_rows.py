"""A database made by the main branch before the apps were laid in floors migrates
forward with every row of the models that changed app: notifications, documents and
their numbering, ledger exports, policy fixes and reception days (with their cases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dashboard.models import PolicyFix, ReceptionDay
from documents.models import Document, DocumentNumberSequence, LedgerExport
from notifications.models import Notification
from supervision.models import Notice

pytestmark = pytest.mark.django_db(transaction=True)

# The leaves of each app's migrations on main before the move; the two new apps had none.
BEFORE = [
    ("people", "0002_reception_days"),
    ("cases", "0007_policy_fix"),
    ("supervision", "0003_seed_triggers"),
    ("dashboard", "0003_clock_overdue_rule_index"),
    ("notifications", None),
    ("documents", None),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def test_rows_survive_the_move_between_apps(reseeded, make_case, people, units):
    case = make_case("handling", unit="jwc")
    other = make_case("registered")
    notice = Notice.objects.create(case=case, unit=units["jwc"], reason="超期未办结")
    now = timezone.now()

    executor = _migrate(BEFORE)
    old = executor.loader.project_state([t for t in BEFORE if t[1]]).apps
    notification = old.get_model("supervision", "Notification").objects.create(
        user_id=people["head_jwc"].pk,
        case_id=case.pk,
        notice_id=notice.pk,
        text="收到催办单",
        link="/x/",
        mail_attempts=2,
        mail_error="ConnectionRefusedError",
    )
    document = old.get_model("cases", "Document").objects.create(
        case_id=case.pk,
        kind="registration",
        year=2026,
        sequence=7,
        number="〔2026〕信登第0007号",
        file="documents/2026/1/registration-00007.pdf",
        size=1234,
        sha256="ab" * 32,
        notice_id=notice.pk,
        created_by_id=people["office"].pk,
    )
    old.get_model("cases", "DocumentNumberSequence").objects.create(kind="registration", year=2026, last=7)
    export = old.get_model("cases", "LedgerExport").objects.create(
        user_id=people["office"].pk, params={"year": 2026}, description="2026年台账", status="done", total=3, done=3
    )
    fix = old.get_model("cases", "PolicyFix").objects.create(
        title="食堂价格公示制度",
        description="每月公示",
        unit_id=units["jwc"].pk,
        adopted_on=dt.date(2026, 5, 1),
        created_by_id=people["office"].pk,
    )
    fix.cases.set([case.pk, other.pk])
    day = old.get_model("people", "ReceptionDay").objects.create(
        date=dt.date(2026, 6, 1), leader_id=people["leader"].pk, place="行政楼201", time_slot="上午 8:30—11:30"
    )
    day.cases.set([other.pk])

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Notification.objects.get(pk=notification.pk)
    assert (moved.user, moved.case, moved.notice, moved.text) == (people["head_jwc"], case, notice, "收到催办单")
    assert (moved.mail_attempts, moved.mail_error) == (2, "ConnectionRefusedError")
    assert moved.created_at >= now - dt.timedelta(minutes=5)
    doc = Document.objects.get(pk=document.pk)
    assert (doc.case, doc.number, doc.sha256, doc.notice, doc.created_by) == (
        case,
        "〔2026〕信登第0007号",
        "ab" * 32,
        notice,
        people["office"],
    )
    assert list(case.documents.all()) == [doc]
    assert DocumentNumberSequence.objects.get(kind="registration", year=2026).last == 7
    assert LedgerExport.objects.get(pk=export.pk).params == {"year": 2026}
    assert set(PolicyFix.objects.get(pk=fix.pk).cases.all()) == {case, other}
    assert list(other.policy_fixes.all()) == [PolicyFix.objects.get(pk=fix.pk)]
    assert list(ReceptionDay.objects.get(pk=day.pk).cases.all()) == [other]
    # the moved tables go on numbering from where they were
    again = Notification.objects.create(user=people["office"], text="新通知")
    assert again.pk > notification.pk
