"""SMS, work-group robots and digests (issue 14, point 1; notifications.channels): each
person chooses in their settings; the console backend is the default; a 企业微信 or 钉钉
robot gets the documented request, signed; a failure is recorded, retried by the sweep
and never undoes the action; a 举报 leaves the system as its number only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases import services as cases
from cases.models import Kind
from notifications import services
from notifications.models import Delivery, Notification, Preference, UnitRobot
from xinfang.celery import app as celery_app

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def eager_celery():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _prefer(user, **fields) -> Preference:
    return Preference.objects.update_or_create(user=user, defaults=fields)[0]


class Robot:
    """A 企业微信/钉钉 robot on 127.0.0.1: records each request, answers `errcode`."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.errcode = 0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.requests.append((self.path, json.loads(body)))
                answer = json.dumps({"errcode": robot.errcode, "errmsg": "ok" if not robot.errcode else "bad"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=k1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(settings):
    settings.NOTIFICATION_ROBOT_BACKEND = "notifications.channels.RobotWebhookBackend"
    server = Robot()
    yield server
    server.close()


def _assign(people, make_case, **fields):
    """A proposal waiting for the leader; assigning it tells the 教务处."""
    case = make_case("proposed", **fields)
    Notification.objects.all().delete()
    cases.case_assign(
        case=case,
        actor=people["leader"],
        instruction="同意拟办意见",
        due_date=timezone.localdate() + timedelta(days=20),
    )
    return case


def test_the_settings_page_saves_the_persons_own_channels(people, client_for):
    client = client_for(people["head_jwc"])
    page = client.get("/notifications/settings/").content.decode()
    assert "通知设置" in page and "本部门尚未配置工作群机器人" in page
    response = client.post("/notifications/settings/", {"by_sms": "on", "digest": "hourly"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=people["head_jwc"])
    assert (pref.by_mail, pref.by_sms, pref.by_robot, pref.digest) == (False, True, False, "hourly")
    assert Preference.objects.count() == 1
    # a bad choice is refused in Chinese, and what was ticked stays ticked
    page = client.post("/notifications/settings/", {"by_sms": "on", "digest": "weekly"}).content.decode()
    assert "请从列出的发送方式中选择一项。" in page and "不在可用的选项中" not in page
    assert 'id="id_by_sms" checked' in page


def test_without_a_choice_nobody_gets_sms_or_robot_messages(people, make_case):
    case = _assign(people, make_case)
    assert Notification.objects.filter(case=case).count() == 2
    assert not Delivery.objects.exists()


def test_an_sms_goes_out_after_commit_through_the_console_backend(
    people, make_case, eager_celery, capsys, django_capture_on_commit_callbacks
):
    people["head_jwc"].phone = "13912345678"
    people["head_jwc"].save()
    _prefer(people["head_jwc"], by_sms=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = _assign(people, make_case)
        delivery = Delivery.objects.get()
        assert (delivery.notification.user, delivery.channel, delivery.status) == (people["head_jwc"], "sms", "pending")
    capsys.readouterr()
    for callback in callbacks:
        callback()
    out = capsys.readouterr().out
    assert "[短信] 139****5678 【信访工作】交办（主办），请签收办理" in out
    assert f"信访件 {case.number} http" in out and case.summary not in out  # the summary stays inside
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.sent_at is not None and delivery.attempts == 1


def test_a_wecom_robot_gets_the_documented_message_mentioning_the_person(people, make_case, units, robot):
    people["recep_jwc"].phone = "13700001111"
    people["recep_jwc"].save()
    UnitRobot.objects.create(unit=units["jwc"], kind="wecom", webhook=robot.url)
    _prefer(people["recep_jwc"], by_robot=True, by_mail=False)
    case = _assign(people, make_case, kind=Kind.REPORT, summary="举报某某收受礼品")
    failed = services.send_deliveries(list(Delivery.objects.values_list("pk", flat=True)))
    assert failed == []
    [(path, payload)] = robot.requests
    assert path == "/cgi-bin/webhook/send?key=k1"
    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_mobile_list"] == ["13700001111"]
    assert f"信访件 {case.number}" in payload["text"]["content"] and "收受礼品" not in payload["text"]["content"]


def test_a_dingtalk_robot_is_signed_with_its_secret(people, make_case, units, robot):
    UnitRobot.objects.create(unit=units["jwc"], kind="dingtalk", webhook=robot.url, secret="SEC123")
    people["head_jwc"].phone = "13600002222"
    people["head_jwc"].save()
    _prefer(people["head_jwc"], by_robot=True)
    _assign(people, make_case)
    services.send_deliveries(list(Delivery.objects.values_list("pk", flat=True)))
    [(path, payload)] = robot.requests
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(b"SEC123", f"{timestamp}\nSEC123".encode(), hashlib.sha256).digest())
    assert sign == expected.decode()
    assert payload["at"] == {"atMobiles": ["13600002222"]}


def test_a_refusing_robot_undoes_nothing_and_the_sweep_sends_it_later(people, make_case, units, robot):
    UnitRobot.objects.create(unit=units["jwc"], kind="wecom", webhook=robot.url)
    people["head_jwc"].phone = "13600002222"
    people["head_jwc"].save()
    _prefer(people["head_jwc"], by_robot=True)
    robot.errcode = 93000
    case = _assign(people, make_case)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert services.send_deliveries(ids) == ids
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "93000" in delivery.error
    case.refresh_from_db()
    assert case.state == "assigned"  # the assignment stands
    robot.errcode = 0
    assert services.sweep_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(robot.requests) == 2
    # nothing more to send: a second sweep sends nothing twice
    services.sweep_deliveries()
    assert len(robot.requests) == 2


def test_no_phone_or_no_robot_is_recorded_not_retried(people, make_case):
    _prefer(people["head_jwc"], by_sms=True, by_robot=True)
    people["head_jwc"].phone = ""
    people["head_jwc"].save()
    _assign(people, make_case)
    services.send_deliveries(list(Delivery.objects.values_list("pk", flat=True)))
    assert dict(Delivery.objects.values_list("channel", "error")) == {
        "sms": "未填写手机号码",
        "robot": "本部门未配置工作群机器人",
    }
    assert set(Delivery.objects.values_list("status", flat=True)) == {"dropped"}


def test_the_sweep_fans_out_what_the_deadline_scan_wrote_in_sql(people, capsys):
    people["office"].phone = "13500003333"
    people["office"].save()
    _prefer(people["office"], by_sms=True)
    # the scan's digest rows are inserted in SQL, without deliveries
    Notification.objects.create(user=people["office"], text="本次扫描：即将到期 3 项", link="/deadlines/overdue/")
    capsys.readouterr()
    assert services.sweep_deliveries() == 1
    assert "[短信] 135****3333 【信访工作】本次扫描：即将到期 3 项" in capsys.readouterr().out
    assert Notification.objects.get().fanned_out


def test_hourly_and_daily_digests_batch_what_was_held(people, make_case, capsys, mailoutbox):
    for who, digest in (("head_jwc", "hourly"), ("recep_jwc", "daily")):
        people[who].phone = "13800138000"
        people[who].save()
        _prefer(people[who], by_sms=True, digest=digest)
    first = _assign(people, make_case)
    Notification.objects.exclude(case=first).delete()
    cases.case_take(case=first, actor=people["recep_jwc"])
    second = make_case("proposed")
    cases.case_assign(
        case=second, actor=people["leader"], instruction="同意", due_date=timezone.localdate() + timedelta(days=20)
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {"held"}
    mailoutbox.clear()
    # held mail is not sent one by one
    services.deliver_mail(list(Notification.objects.values_list("pk", flat=True)))
    assert mailoutbox == []
    capsys.readouterr()
    with time_machine.travel(datetime(2026, 12, 4, 7, 0, tzinfo=SHANGHAI), tick=False):
        assert services.send_digests() == 2  # head_jwc: one SMS and one mail
    out = capsys.readouterr().out
    assert out.count("[短信]") == 1 and "您有 2 条新通知" in out
    assert first.number in out and second.number in out
    assert [m.subject for m in mailoutbox] == ["[信访工作] 通知汇总：2 条"]
    with time_machine.travel(datetime(2026, 12, 4, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert services.send_digests() == 2  # recep_jwc's daily digest, at 8:00
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert services.send_digests() == 0


def test_a_message_about_a_case_that_left_the_persons_scope_is_not_sent(people, make_case, capsys):
    people["recep_jwc"].phone = "13800138000"
    people["recep_jwc"].save()
    _prefer(people["recep_jwc"], by_sms=True)
    case = _assign(people, make_case, kind=Kind.REPORT)
    case.accused_people.create(name="张接待", user=people["recep_jwc"], status="linked")
    capsys.readouterr()
    services.send_deliveries(list(Delivery.objects.values_list("pk", flat=True)))
    assert "[短信]" not in capsys.readouterr().out
    assert Delivery.objects.get().error == "已不在查看范围内，不再发送"
