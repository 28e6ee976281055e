"""Defended log-ins (issue 13, point 5): lock-out per (user name, address) by
django-axes, X-Forwarded-For believed only from the configured proxies, every attempt
logged with the user name escaped, and the password rules."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db


def _post(client: Client, username: str, password: str, xff: str | None = None, ip: str = "10.0.0.7"):
    extra = {"REMOTE_ADDR": ip}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_guessing_locks_the_pair_out_and_the_right_password_then_fails(people, settings):
    client = Client()
    statuses = [_post(client, "office", f"wrong-{i}").status_code for i in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = _post(client, "office", "pw")
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_rotating_forwarded_for_does_not_dodge_the_lock_out(people, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for i in range(80):
        _post(client, "office", f"wrong-{i}", xff=f"203.0.113.{i}")
    assert _post(client, "office", "pw", xff="198.51.100.1").status_code == 429


def test_behind_one_proxy_the_client_address_is_the_proxys_entry(people, settings):
    """With one trusted proxy, the address that proxy appended is the client; what the
    client wrote to the left of it is ignored, so rotating it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "office", f"wrong-{i}", xff=f"203.0.113.{i}, 192.0.2.10")
    assert _post(client, "office", "pw", xff="198.51.100.1, 192.0.2.10").status_code == 429
    # another real client (another address written by the proxy) is not locked out
    other = Client()
    response = _post(other, "office", "pw", xff="192.0.2.99")
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(people["office"].pk)


def test_the_lock_is_per_user_name_and_address(people, settings):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "office", f"wrong-{i}", ip="10.0.0.7")
    assert _post(Client(), "office", "pw", ip="10.0.0.8").status_code == 302
    assert _post(Client(), "clerk", "pw", ip="10.0.0.7").status_code == 302


def test_a_success_resets_the_count(people, settings):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, "office", f"wrong-{i}")
    assert _post(client, "office", "pw").status_code == 302
    client.post("/logout/")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, "office", f"wrong-again-{i}")
    assert _post(client, "office", "pw").status_code == 302


def test_the_cool_off_ends(people, settings):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(settings.AXES_FAILURE_LIMIT):
            _post(Client(), "office", f"wrong-{i}")
        assert _post(Client(), "office", "pw").status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timezone.timedelta(seconds=1), tick=False):
        assert _post(Client(), "office", "pw").status_code == 302


def test_every_attempt_is_logged_with_the_name_escaped(people, settings, caplog):
    caplog.set_level(logging.INFO, logger="xinfang.security")
    client = Client()
    _post(client, "office\nlogin_succeeded user=admin", "wrong")
    _post(client, "office", "pw")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(Client(), "clerk", f"wrong-{i}", ip="10.0.0.9")
    lines = [r.getMessage() for r in caplog.records if r.name == "xinfang.security"]
    forged = next(line for line in lines if line.startswith("login_failed"))
    assert "\n" not in forged and "office\\nlogin_succeeded" in forged
    assert "ip=10.0.0.7" in forged
    assert any(line == "login_succeeded user=office ip=10.0.0.7" for line in lines)
    assert any(line.startswith("login_locked_out user=clerk ip=10.0.0.9") for line in lines)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "至少需要 12 个字符"),
        ("password1234", "太常见"),
        ("202612031234", "只包含数字"),
    ],
)
def test_password_rules_are_length_and_the_common_list(people, password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=people["office"])
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_long_password_without_composition_rules_is_accepted(people):
    validate_password("信访工作要有温度也要有速度", user=people["office"])
    validate_password("correct horse battery", user=people["office"])
