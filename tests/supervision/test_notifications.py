"""The notification centre: scoped to the reader's cases, a 举报 named by number only,
mark read; mail after commit, retried, and never able to undo the action."""

from __future__ import annotations

import pytest
from django.core import mail

from cases.models import Kind
from notifications.models import Notification
from notifications.selectors import notifications_for, unread_count
from supervision import services
from supervision.models import Notice, Trigger
from xinfang.celery import app as celery_app

REPORT = {"kind": Kind.REPORT, "summary": "举报计算机工程学院刘院长违规收取学生费用", "content": "具体经过……"}
REPORTER = {"name": "赵举报", "phone": "13900001111"}


@pytest.fixture
def eager_celery():
    """Tasks run in the calling process, as a worker would run them."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _report_case(make_case, units):
    case = make_case("handling", unit="jwc", petitioner=REPORTER, **REPORT)
    case.accused_units.add(units["jsj"])
    return case


def test_a_notification_about_a_report_names_the_number_only(people, make_case, units, raise_notice):
    case = _report_case(make_case, units)
    raise_notice(case)
    texts = list(Notification.objects.filter(case=case).values_list("text", flat=True))
    assert texts and all(case.number in t for t in texts)
    for t in texts:
        assert "刘院长" not in t and "违规" not in t and "赵举报" not in t and "139" not in t


def test_a_notification_about_an_ordinary_case_says_what_it_is_about(people, make_case, raise_notice):
    case = make_case("handling", unit="jwc")
    raise_notice(case)
    text = Notification.objects.filter(user=people["head_jwc"], case=case).get().text
    assert case.number in text and case.summary[:10] in text and "催办" in text


def test_the_accused_never_see_a_notification_about_the_report(people, make_case, units, raise_notice, client_for):
    case = _report_case(make_case, units)
    raise_notice(case)
    # even a notification row addressed to them by mistake stays hidden
    Notification.objects.create(user=people["head_jsj"], case=case, text=f"督办：信访件 {case.number}", link="/x/")
    assert not notifications_for(user=people["head_jsj"]).exists()
    assert unread_count(user=people["head_jsj"]) == 0
    page = client_for(people["head_jsj"]).get("/notifications/").content.decode()
    assert case.number not in page
    assert case.number in client_for(people["head_jwc"]).get("/notifications/").content.decode()


def test_each_person_sees_only_their_own(people, make_case, raise_notice, client_for):
    raise_notice(make_case("handling", unit="jwc"))
    theirs = Notification.objects.filter(user=people["head_jwc"]).first()
    assert unread_count(user=people["head_jsj"]) == 0
    assert client_for(people["head_jsj"]).post(f"/notifications/{theirs.pk}/open/").status_code == 404


def test_the_unread_badge_and_marking_read(people, make_case, raise_notice, client_for):
    case = make_case("handling", unit="jwc")
    notice = raise_notice(case)
    raise_notice(case, "not_executing")
    head = client_for(people["head_jwc"])
    assert unread_count(user=people["head_jwc"]) == 2
    page = head.get("/").content.decode()
    assert 'data-testid="notifications-link">通知 <span class="badge text-bg-warning">2</span>' in page
    one = Notification.objects.get(user=people["head_jwc"], notice=notice)
    response = head.post(f"/notifications/{one.pk}/open/")
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert unread_count(user=people["head_jwc"]) == 1
    head.post("/notifications/read/")
    assert unread_count(user=people["head_jwc"]) == 0
    assert unread_count(user=people["recep_jwc"]) == 2  # someone else's stay unread


def test_mail_goes_out_after_commit(
    people, make_case, raise_notice, eager_celery, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = make_case("handling", unit="jwc")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        raise_notice(case)
        assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["head_jwc@example.edu.cn", "recep_jwc@example.edu.cn"]
    assert "催办" in mail.outbox[0].subject and case.number in mail.outbox[0].body
    sent = Notification.objects.filter(case=case)
    assert all(n.emailed_at is not None and n.mail_attempts == 1 for n in sent)


def test_a_mail_failure_does_not_undo_the_action(
    people, make_case, eager_celery, settings, client_for, django_capture_on_commit_callbacks
):
    """A real SMTP connection to a port where nothing listens: the notice stands, the
    failure is recorded, and the sweep sends the mail once the server is back."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    case = make_case("handling", unit="jwc")
    trigger = Trigger.objects.get(code="no_reply")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["office"]).post(
            f"/cases/{case.pk}/notices/new/", {"trigger": trigger.pk, "unit": case.main_unit_id, "form": "online"}
        )
    notice = Notice.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    failed = Notification.objects.filter(notice=notice)
    assert failed.count() == 2
    for n in failed:
        assert n.emailed_at is None and n.mail_attempts >= 1 and "ConnectionRefused" in n.mail_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = services.sweep()
    assert result.mail_retried == 2
    assert len(mail.outbox) == 2
    assert all(n.emailed_at is not None and n.mail_error == "" for n in Notification.objects.filter(notice=notice))
    assert services.sweep().mail_retried == 0  # nothing is sent twice


def test_a_failed_mail_is_given_up_after_the_attempt_limit(people, make_case, raise_notice, settings):
    settings.NOTIFICATION_MAIL_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    raise_notice(make_case("handling", unit="jwc"))
    assert services.sweep().mail_retried == 2
    assert services.sweep().mail_retried == 2
    assert services.sweep().mail_retried == 0
    assert set(Notification.objects.values_list("mail_attempts", flat=True)) == {2}


def test_mail_is_not_sent_once_the_case_left_the_recipients_scope(people, make_case, units, raise_notice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = make_case("handling", unit="jwc", kind=Kind.REPORT)
    raise_notice(case)
    # 张接待 is named in the report after the notification was made: the case leaves them
    # and their unit (《信访工作条例》第三十条; cases.selectors.accused_case_ids), so the
    # mail to the unit's head is held too
    case.accused_people.create(name="张接待", user=people["recep_jwc"], status="linked")
    services.sweep()
    assert mail.outbox == []
    for who in ("recep_jwc", "head_jwc"):
        held = Notification.objects.get(user=people[who], case=case)
        assert held.emailed_at is None and "不在查看范围" in held.mail_error
    assert services.sweep().mail_retried == 0
