"""Bounded sessions (issue 13, point 6): 30 idle minutes, 12 hours at most, ended by an
administrator, ended by disabling the account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from people.models import LoginSession
from people.services import user_end_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_real_limits(settings):
    """The limits of xinfang/settings.py (tests/conftest.py lifts them for other tests)."""
    settings.SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_ABSOLUTE_SECONDS = settings.SESSION_COOKIE_AGE = 12 * 3600


def _signed_in(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": "pw"})
    assert response.status_code == 302
    return client


def test_an_idle_session_ends_after_thirty_minutes(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = _signed_in(people["clerk"])
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200  # 29 minutes after the last request
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/cases/")
        assert response.status_code == 302
        assert response.url.startswith("/login/?next=/cases/")
        page = client.get(response.url)
        assert "您已较长时间未操作，请重新登录。" in page.content.decode()
        assert "_auth_user_id" not in client.session


def test_a_busy_session_still_ends_after_twelve_hours(people):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = _signed_in(people["clerk"])
        for _ in range(12 * 4 - 1):
            clock.shift(timedelta(minutes=15))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=16))
        response = client.get("/")
        assert response.status_code == 302
        assert "登录已超过12小时，请重新登录。" in client.get(response.url).content.decode()


def test_the_session_cookie_lives_no_longer_than_the_browser_or_twelve_hours(people, settings):
    from xinfang import settings as project  # the module's own values, not the tests' overrides

    assert (project.SESSION_IDLE_SECONDS, project.SESSION_ABSOLUTE_SECONDS) == (30 * 60, 12 * 3600)
    assert project.SESSION_COOKIE_AGE == 12 * 3600 and project.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client = _signed_in(people["clerk"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["httponly"]


def test_an_administrator_ends_a_persons_sessions(people, client_for):
    phone, desk = _signed_in(people["office"]), _signed_in(people["office"])
    other = _signed_in(people["clerk"])
    assert LoginSession.objects.filter(user=people["office"], ended_at=None).count() == 2
    admin = client_for(people["admin"])
    response = admin.post(
        "/admin/people/user/",
        {"action": "end_sessions", "_selected_action": [people["office"].pk]},
        follow=True,
    )
    assert "已结束 2 个登录会话" in response.content.decode()
    for client in (phone, desk):
        assert client.get("/cases/").status_code == 302
    assert other.get("/cases/").status_code == 200
    ended = LoginSession.objects.filter(user=people["office"])
    assert {row.end_reason for row in ended} == {LoginSession.EndReason.ENDED}
    assert all(row.ended_at for row in ended)


def test_disabling_a_user_ends_their_sessions(people):
    client = _signed_in(people["office"])
    assert client.get("/cases/").status_code == 200
    people["office"].is_active = False
    people["office"].save()
    assert client.get("/cases/").status_code == 302
    row = LoginSession.objects.get(user=people["office"])
    assert row.end_reason == LoginSession.EndReason.DISABLED
    assert not Session.objects.filter(session_key=row.session_key).exists()


def test_log_out_closes_the_session_row(people):
    client = _signed_in(people["clerk"])
    client.post("/logout/")
    row = LoginSession.objects.get(user=people["clerk"])
    assert row.end_reason == LoginSession.EndReason.LOGOUT and row.ended_at is not None


def test_ending_nothing_is_harmless(people):
    assert user_end_sessions(user=people["leader"], actor=people["admin"]) == 0
