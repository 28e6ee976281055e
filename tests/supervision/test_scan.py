"""The scan: due soon and overdue marked in SQL, exactly one notice per clock and level
however often and however concurrently it runs, and a digest for the unit and the office."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from deadlines.clocks import Clock, Event
from deadlines.services import on_case_event
from notifications.models import Notification
from supervision.models import Level, Notice
from supervision.scan import scan
from supervision.tasks import scan_deadlines
from tests.conftest import logged_in_client as _client
from tests.conftest import requires_postgres


def _open_unit_clock(case) -> Clock:
    return case.clocks.get(rule__code="unit-result")


def test_due_soon_then_overdue_then_nothing_new(people, make_case):
    case = make_case(state="handling")
    clock = _open_unit_clock(case)
    warn = scan(now=clock.warn_at + dt.timedelta(minutes=1))
    clock.refresh_from_db()
    assert clock.status == Clock.Status.DUE_SOON and warn.due_soon >= 1 and warn.notices == 0

    late = clock.due_at + dt.timedelta(minutes=1)
    first = scan(now=late)
    clock.refresh_from_db()
    assert clock.status == Clock.Status.OVERDUE
    notice = Notice.objects.get(clock=clock)
    assert (notice.level, notice.unit, notice.case) == (Level.URGE, case.main_unit, case)
    assert "承办答复" in notice.reason
    assert first.notices >= 1

    again = scan(now=late + dt.timedelta(minutes=5))
    assert (again.overdue, again.due_soon, again.notices, again.notifications) == (0, 0, 0, 0)
    assert Notice.objects.filter(clock=clock).count() == 1


def test_the_unit_and_the_office_are_notified_without_content(people, make_case):
    case = make_case(state="handling", kind="report", summary="举报某某收受礼品")
    scan(now=_open_unit_clock(case).due_at + dt.timedelta(minutes=1))
    receivers = set(Notification.objects.values_list("user__username", flat=True))
    assert {"office", "office2", "head_jwc", "recep_jwc"} <= receivers
    assert not receivers & {"head_jsj", "recep_jsj", "clerk", "leader"}
    for note in Notification.objects.all():
        assert "举报" not in note.text and case.petitioner.name not in note.text
        assert note.text.startswith("时限提醒：新超期")
    page = _client(people["recep_jwc"]).get("/notifications/").content.decode()
    assert "时限提醒：新超期" in page


def test_a_notice_is_unique_per_clock_and_level(make_case):
    case = make_case(state="handling")
    clock = _open_unit_clock(case)
    Notice.objects.create(case=case, clock=clock, level=Level.URGE, reason="人工催办")
    scan(now=clock.due_at + dt.timedelta(minutes=1))  # the scan's own INSERT meets the person's notice
    assert Notice.objects.filter(clock=clock, level=Level.URGE).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(case=case, clock=clock, level=Level.URGE, reason="again")
    Notice.objects.create(case=case, clock=clock, level=Level.SUPERVISE, reason="升级督办")


def test_a_scan_that_dies_half_way_leaves_nothing(make_case):
    case = make_case(state="handling")
    clock = _open_unit_clock(case)
    with pytest.raises(RuntimeError), transaction.atomic():
        scan(now=clock.due_at + dt.timedelta(minutes=1))
        raise RuntimeError("worker killed")
    clock.refresh_from_db()
    assert clock.status != Clock.Status.OVERDUE and not Notice.objects.exists()


def test_stopped_clocks_are_never_flagged(make_case):
    case = make_case(state="archived")  # the answer delivered before filing
    on_case_event(case, Event.ACCEPTANCE_NOTICE_DELIVERED)  # and the acceptance notice
    scan(now=case.clocks.order_by("-due_at").first().due_at + dt.timedelta(days=400))
    assert not Notice.objects.filter(case=case).exclude(clock__rule__code="review-request").exists()
    assert not case.clocks.filter(status="overdue").exclude(rule__code="review-request").exists()


def test_the_command_and_the_beat_task_run_the_same_scan(make_case, capsys, settings):
    make_case(state="handling")
    call_command("scan_deadlines")
    assert "新督办单" in capsys.readouterr().out
    assert "新超期" in scan_deadlines()
    assert settings.CELERY_BEAT_SCHEDULE["deadline-scan"]["task"] == "deadlines.scan"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_make_one_notice_per_clock(reseeded, people, make_case):
    cases = [make_case(state="handling") for _ in range(8)]
    late = max(_open_unit_clock(c).due_at for c in cases) + dt.timedelta(minutes=1)
    start = threading.Barrier(2, timeout=10)
    results: list = []

    def run():
        try:
            start.wait()
            results.append(scan(now=late))
        except Exception as e:
            results.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(not isinstance(r, Exception) for r in results), results
    # a notice goes to the unit answerable; the office's own late steps (the acceptance
    # notice) show on the overdue list instead
    overdue_clocks = Clock.objects.filter(status="overdue", rule__raises_notice=True, unit__isnull=False)
    assert overdue_clocks.count() >= 8
    assert Notice.objects.count() == overdue_clocks.count()
    assert sum(r.notices for r in results) == overdue_clocks.count()
    assert sum(r.overdue for r in results) == Clock.objects.filter(status="overdue").count()


def test_a_unit_sent_a_notice_is_taken_to_its_inbox(people, make_case):
    case = make_case(state="handling")
    scan(now=_open_unit_clock(case).due_at + dt.timedelta(minutes=1))
    links = dict(Notification.objects.values_list("user__username", "link"))
    assert links["head_jwc"] == links["recep_jwc"] == "/supervision/inbox/"
    assert links["office"] == "/deadlines/"
