"""The rollup refresh: the command and the beat job run the same set-based function; it
is idempotent and two runs at once leave the same rows."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from dashboard.models import Rollup, RollupRefresh
from dashboard.rollups import refresh_rollups
from tests.conftest import requires_postgres


def totals() -> dict:
    return Rollup.objects.filter(dimension="").aggregate(
        *(Sum(f) for f in ("received", "open_now", "closed", "completion_stopped"))
    )


@pytest.mark.django_db
def test_command_refreshes_and_says_so(make_case, capsys):
    make_case("handling", unit="jwc")
    make_case("followed_up", unit="jsj")
    call_command("refresh_dashboard")
    assert "看板汇总完成" in capsys.readouterr().out
    first = totals()
    assert first["received__sum"] == 2 and first["open_now__sum"] == 1 and first["closed__sum"] == 1
    refresh_rollups()
    assert totals() == first
    assert RollupRefresh.objects.count() == 1


def test_beat_runs_it_at_least_every_15_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-refresh"]
    assert entry["task"] == "dashboard.refresh" and entry["schedule"] <= 900
    from dashboard.tasks import refresh

    assert refresh.name == "dashboard.refresh"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_leave_the_same_rows(reseeded, make_case):
    for state in ("handling", "followed_up", "registered"):
        make_case(state, unit="jwc")
    refresh_rollups()
    expected = totals()
    errors = []

    def run():
        try:
            refresh_rollups()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert totals() == expected


@pytest.mark.django_db
def test_the_page_keeps_rollup_figures_until_the_next_refresh(make_case, people, client):
    """Between refreshes the rollup part is read once and kept under the refresh's stamp;
    a new case shows after the next refresh, while overdue stays live meanwhile."""
    from dashboard import figures
    from dashboard.periods import make_period

    today = timezone.localdate()  # received today: in this year's figures on 1 January too
    make_case("handling", unit="jwc", received_on=today)
    refresh_rollups()
    client.force_login(people["president"])

    def received() -> int:
        page = client.get("/dashboard/")
        assert page.context["from_rollup"]
        return {f.key: f.value for f in page.context["figures"]}["received"]

    assert received() == 1
    make_case("handling", unit="jsj", received_on=today)
    assert received() == 1  # the rollups have not been refreshed yet, and say when they were
    refresh_rollups()
    assert received() == 2
    assert figures.dashboard(user=people["president"], unit=None, period=make_period())["from_rollup"]
