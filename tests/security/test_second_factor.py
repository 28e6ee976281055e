"""The TOTP second factor (issue 13, point 5): required for the office, leaders,
discipline and administrators when XINFANG_REQUIRE_OTP is on (the production settings),
never for a clerk or a unit; off in the embedded demo."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def otp_on(settings):
    settings.XINFANG_REQUIRE_OTP = True


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": "pw"}).status_code == 302
    return client


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + offset:06d}"[-6:]


@pytest.mark.parametrize("username", ["office", "leader", "discipline", "admin"])
def test_the_first_log_in_enrols_an_authenticator_before_anything_else(people, otp_on, username):
    client = _signed_in(username)
    response = client.get("/cases/")
    assert response.status_code == 302 and response.url == "/account/otp/setup/?next=%2Fcases%2F"
    assert client.get("/dashboard/").url.startswith("/account/otp/setup/")
    page = client.get(response.url).content.decode()
    assert "绑定身份验证器" in page and 'src="data:image/svg+xml;base64,' in page
    # the page wrote nothing: the key waits in the session until a code confirms it
    assert not TOTPDevice.objects.filter(user=people[username]).exists()
    secret = page.split("<code", 1)[1].split("</code>", 1)[0]
    assert secret in client.get(response.url).content.decode()  # the same key on reload
    device = TOTPDevice(key=client.session["_xf_otp_pending_key"])
    wrong = client.post("/account/otp/setup/", {"token": _code(device, 1), "next": "/cases/"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get("/cases/").status_code == 302
    # after a wrong code django-otp makes the next try wait a moment (its throttle)
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        done = client.post("/account/otp/setup/", {"token": _code(device), "next": "/cases/"})
    assert done.status_code == 302 and done.url == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert TOTPDevice.objects.get(user=people[username]).confirmed
    assert "_xf_otp_pending_key" not in client.session


def test_later_log_ins_ask_for_the_code(people, otp_on):
    device = TOTPDevice.objects.create(user=people["office"], name="手机", confirmed=True)
    client = _signed_in("office")
    response = client.get("/")
    assert response.url == "/account/otp/?next=%2F"
    assert "输入动态验证码" in client.get(response.url).content.decode()
    refused = client.post("/account/otp/", {"token": "12345a"})
    assert "动态验证码只包含数字。" in refused.content.decode()
    ok = client.post("/account/otp/", {"token": _code(device), "next": "https://evil.example/"})
    assert ok.status_code == 302 and ok.url == "/"  # never off-site
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(people, otp_on):
    device = TOTPDevice.objects.create(user=people["office"], name="手机", confirmed=True)
    code = _code(device)
    first = _signed_in("office")
    assert first.post("/account/otp/", {"token": code}).status_code == 302
    second = _signed_in("office")
    assert "验证码不正确" in second.post("/account/otp/", {"token": code}).content.decode()
    assert second.get("/").status_code == 302


def test_repeated_wrong_codes_are_throttled(people, otp_on):
    device = TOTPDevice.objects.create(user=people["office"], name="手机", confirmed=True)
    client = _signed_in("office")
    for _ in range(3):
        client.post("/account/otp/", {"token": _code(device, 7)})
    # three failures: the right code is refused for 2**2 seconds, then accepted
    response = client.post("/account/otp/", {"token": _code(device)})
    assert "验证码不正确或已过期；多次输错后需等待片刻再试。" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        assert client.post("/account/otp/", {"token": _code(device)}).status_code == 302


def test_htmx_requests_are_sent_to_the_code_page_too(people, otp_on):
    TOTPDevice.objects.create(user=people["office"], name="手机", confirmed=True)
    response = _signed_in("office").get("/cases/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/account/otp/")


@pytest.mark.parametrize("username", ["clerk", "head_jwc", "recep_jsj"])
def test_clerks_and_units_need_no_second_factor(people, otp_on, username):
    assert _signed_in(username).get("/").status_code == 200


def test_off_the_demo_lets_the_office_straight_in(people, settings):
    settings.XINFANG_REQUIRE_OTP = False
    assert _signed_in("office").get("/").status_code == 200


def test_the_demo_says_the_second_factor_is_off(db, settings):
    from io import StringIO

    from django.core.management import call_command

    if "devtools" not in settings.INSTALLED_APPS:
        pytest.skip("devtools not installed")
    out = StringIO()
    settings.XINFANG_REQUIRE_OTP = False
    call_command("load_demo", stdout=out)
    assert "双因素认证：演示环境未开启" in out.getvalue()
