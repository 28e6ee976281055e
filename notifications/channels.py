"""The channels beside mail that Chinese offices use: SMS and a work group's robot.

Each channel sends through a backend named in the settings (`NOTIFICATION_SMS_BACKEND`,
`NOTIFICATION_ROBOT_BACKEND`), as Django names its mail backend. The default for both is
the console backend, which prints what would be sent to the worker's output, so a first
run needs no gateway. A backend's `send(address, text)` raises on failure; the caller
records the error and the sweep tries again.

- `HttpSmsBackend` posts `{"phone": …, "text": …}` as JSON to `NOTIFICATION_SMS_URL`
  with `NOTIFICATION_SMS_TOKEN` as a bearer token: the shape of a school's own SMS
  gateway, which then talks to the carrier or the cloud provider with its signature.
- `RobotWebhookBackend` posts to the unit's 企业微信 or 钉钉 group robot (UnitRobot) in the
  documented text-message form, @-mentioning the person by phone, and signs 钉钉's
  request with the robot's 加签 secret (timestamp and HMAC-SHA256, as 钉钉 documents).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class ChannelError(Exception):
    """A message the gateway or the robot refused."""


@dataclass(frozen=True)
class RobotAddress:
    kind: str  # UnitRobot.Kind
    webhook: str
    secret: str
    mention: str  # the person's phone number, or ""

    def __str__(self) -> str:
        return f"{self.kind}:{urllib.parse.urlsplit(self.webhook).netloc}@{mask_phone(self.mention)}"


CHANNEL_LABELS = {"sms": "短信", "robot": "工作群机器人"}


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 11 else phone


class ConsoleBackend:
    """Prints each message, one line, to the process's standard output."""

    label = "控制台"

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, address: object, text: str) -> None:
        where = mask_phone(address) if isinstance(address, str) else str(address)
        sys.stdout.write(f"[{CHANNEL_LABELS.get(self.channel, self.channel)}] {where} {text}\n")
        sys.stdout.flush()


def _post_json(url: str, payload: dict, headers: dict | None = None) -> dict:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    timeout = settings.NOTIFICATION_CHANNEL_TIMEOUT
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    try:
        return json.loads(raw or b"{}")
    except ValueError as e:
        raise ChannelError(f"网关返回的不是 JSON：{raw[:80]!r}") from e


class HttpSmsBackend:
    label = "短信网关"

    def __init__(self, channel: str) -> None:
        self.url = settings.NOTIFICATION_SMS_URL
        self.token = settings.NOTIFICATION_SMS_TOKEN
        if not self.url:
            raise ChannelError("未配置 NOTIFICATION_SMS_URL")

    def send(self, address: object, text: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = _post_json(self.url, {"phone": str(address), "text": text}, headers)
        if answer.get("ok") is False or answer.get("code") not in (None, 0, "0", "OK"):
            raise ChannelError(f"短信网关拒绝：{answer}"[:200])


def dingtalk_signed(webhook: str, secret: str, now_ms: int | None = None) -> str:
    """钉钉 加签: timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(secret,
    f"{timestamp}\\n{secret}"))) appended to the webhook."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp}&sign={sign}"


class RobotWebhookBackend:
    label = "群机器人 Webhook"

    def __init__(self, channel: str) -> None:
        pass

    def send(self, address: object, text: str) -> None:
        assert isinstance(address, RobotAddress)
        if address.kind == "dingtalk":
            url = dingtalk_signed(address.webhook, address.secret) if address.secret else address.webhook
            payload = {"msgtype": "text", "text": {"content": text}, "at": {"atMobiles": [address.mention]}}
        else:
            url = address.webhook
            payload = {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": [address.mention]}}
        answer = _post_json(url, payload)
        if answer.get("errcode", 0) != 0:
            raise ChannelError(f"机器人拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}"[:200])


@cache
def _backend_class(path: str):
    return import_string(path)


def backend(channel: str):
    """The configured backend of `channel` ("sms" or "robot")."""
    path = settings.NOTIFICATION_SMS_BACKEND if channel == "sms" else settings.NOTIFICATION_ROBOT_BACKEND
    return _backend_class(path)(channel)
