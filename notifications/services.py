"""Writing notifications and sending their mail.

`notify` writes one row per person and hands the mail to the worker after the caller's
transaction commits, so a mail that fails never undoes the action that caused it. Mail
goes through Django's mail settings (EMAIL_* from the environment; without EMAIL_HOST it
is written to the worker's log)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from people.models import User

from . import channels
from .channels import RobotAddress
from .models import Delivery, Notification, Preference, UnitRobot
from .selectors import notifications_for

log = logging.getLogger(__name__)


def notify(
    *,
    users: Iterable[User],
    text: str,
    link: str = "",
    # a cases.Case and a supervision.Notice: models of the floors above, so not named here
    case: Any = None,
    notice: Any = None,
    brief: str = "",
) -> list[Notification]:
    """One notification per person, mail after commit. The caller has chosen who may be
    told and written the text (about a 举报, the case number only: 条例 第30条), and the
    brief text for the channels that leave the system. Each person's SMS and robot
    messages are written here too, in the caller's transaction (the outbox)."""
    users = list(users)
    rows = [
        Notification(
            user=user, case=case, notice=notice, text=text[:200], brief=brief[:200], link=link, fanned_out=True
        )
        for user in users
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk]
    deliveries = fan_out(created)
    if ids:
        transaction.on_commit(lambda: queue_mail(ids))
    if deliveries:
        transaction.on_commit(lambda: queue_deliveries(deliveries))
    return created


def preferences(users: Iterable[User]) -> dict[int, Preference]:
    """Each person's channels; who has not chosen gets the default (mail at once)."""
    ids = [u.pk for u in users]
    chosen = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    return {pk: chosen.get(pk) or Preference(user_id=pk) for pk in ids}


def fan_out(notifications: list[Notification]) -> list[int]:
    """The outbox rows of these notifications (SMS, robot), in the caller's transaction:
    pending, or held for the person's digest. Returns the ids to send now."""
    if not notifications:
        return []
    prefs = preferences([n.user for n in notifications])
    rows = []
    for n in notifications:
        pref = prefs[n.user_id]
        status = Delivery.Status.PENDING if pref.digest == Preference.Digest.NONE else Delivery.Status.HELD
        if pref.by_sms:
            rows.append(Delivery(notification=n, channel=Delivery.Channel.SMS, status=status))
        if pref.by_robot:
            rows.append(Delivery(notification=n, channel=Delivery.Channel.ROBOT, status=status))
    created = Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if any(d.pk is None for d in created):  # ignore_conflicts gives no ids on some engines
        created = list(Delivery.objects.filter(notification__in=notifications, status=Delivery.Status.PENDING))
    return [d.pk for d in created if d.status == Delivery.Status.PENDING]


def queue_deliveries(ids: list[int]) -> None:
    """Hand the SMS and robot messages to the worker; the sweep sends what this misses."""
    from .tasks import send_deliveries

    try:
        send_deliveries.delay(ids)
    except Exception:
        log.exception("could not queue notification deliveries %s", ids)


def _address(delivery: Delivery) -> tuple[object | None, str]:
    """Where a delivery goes, or None and why it cannot go."""
    user = delivery.notification.user
    phone = (user.phone or "").strip()
    if delivery.channel == Delivery.Channel.SMS:
        return (phone, "") if phone else (None, "未填写手机号码")
    robot = UnitRobot.objects.filter(unit_id=user.unit_id).first() if user.unit_id else None
    if robot is None:
        return None, "本部门未配置工作群机器人"
    return RobotAddress(kind=robot.kind, webhook=robot.webhook, secret=robot.secret, mention=phone), ""


def _message(n: Notification) -> str:
    """What leaves the system: the brief text (no summary, no petitioner) and the link."""
    return f"【信访工作】{n.brief or n.text} {settings.SITE_URL.rstrip('/')}{n.link}".strip()


def send_deliveries(ids: list[int]) -> list[int]:
    """Send these pending or failed deliveries; returns the ids that failed. Each is
    claimed by a conditional UPDATE on its attempt count, so two workers never send the
    same message twice; one that left the person's scope is not sent."""
    failed = []
    rows = Delivery.objects.filter(
        pk__in=ids, status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]
    ).select_related("notification__user")
    for d in rows:
        n = d.notification
        if not notifications_for(user=n.user).filter(pk=n.pk).exists():
            Delivery.objects.filter(pk=d.pk).update(status=Delivery.Status.DROPPED, error="已不在查看范围内，不再发送")
            continue
        address, why = _address(d)
        if address is None:
            Delivery.objects.filter(pk=d.pk).update(status=Delivery.Status.DROPPED, error=why)
            continue
        claimed = Delivery.objects.filter(pk=d.pk, attempts=d.attempts, status=d.status).update(
            attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        try:
            channels.backend(d.channel).send(address, _message(n))
        except Exception as e:
            Delivery.objects.filter(pk=d.pk).update(
                status=Delivery.Status.FAILED, error=f"{type(e).__name__}: {e}"[:200]
            )
            failed.append(d.pk)
        else:
            Delivery.objects.filter(pk=d.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), error="")
    return failed


def sweep_deliveries(now: dt.datetime | None = None) -> int:
    """Fan out what the deadline scan inserted in SQL, and send what is pending or failed
    (under the attempt limit) from the last day. Returns how many were tried."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    with transaction.atomic():
        fresh = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(fanned_out=False, created_at__gte=since)
            .select_related("user")[:1000]
        )
        fan_out(fresh)
        Notification.objects.filter(pk__in=[n.pk for n in fresh]).update(fanned_out=True)
    ids = list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
            attempts__lt=settings.NOTIFICATION_MAIL_ATTEMPTS,
            notification__created_at__gte=since,
        ).values_list("pk", flat=True)[:1000]
    )
    if ids:
        send_deliveries(ids)
    return len(ids)


def send_digests(now: dt.datetime | None = None) -> int:
    """The digests: for each person who asked for one (hourly, or daily at 8:00 Beijing
    time), one message per channel with what was held since, and one mail. Returns the
    number of digests sent."""
    now = now or timezone.now()
    kinds = [Preference.Digest.HOURLY]
    if timezone.localtime(now).hour == DAILY_DIGEST_HOUR:
        kinds.append(Preference.Digest.DAILY)
    sent = 0
    for pref in Preference.objects.filter(digest__in=kinds).select_related("user"):
        user = pref.user
        visible = notifications_for(user=user)
        held = Delivery.objects.filter(notification__user=user, status=Delivery.Status.HELD).select_related(
            "notification"
        )
        by_channel: dict[str, list[Delivery]] = {}
        for d in held:
            by_channel.setdefault(d.channel, []).append(d)
        for channel, items in by_channel.items():
            shown = set(visible.filter(pk__in=[d.notification_id for d in items]).values_list("pk", flat=True))
            keep = [d for d in items if d.notification_id in shown]
            Delivery.objects.filter(pk__in=[d.pk for d in items if d.notification_id not in shown]).update(
                status=Delivery.Status.DROPPED, error="已不在查看范围内，不再发送"
            )
            if not keep:
                continue
            probe = Delivery(notification=keep[0].notification, channel=channel)
            probe.notification.user = user
            address, why = _address(probe)
            if address is None:
                Delivery.objects.filter(pk__in=[d.pk for d in keep]).update(status=Delivery.Status.DROPPED, error=why)
                continue
            text = digest_text([d.notification for d in keep])
            try:
                channels.backend(channel).send(address, text)
            except Exception as e:
                Delivery.objects.filter(pk__in=[d.pk for d in keep]).update(
                    attempts=F("attempts") + 1, error=f"{type(e).__name__}: {e}"[:200]
                )
                continue
            Delivery.objects.filter(pk__in=[d.pk for d in keep]).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, error=""
            )
            sent += 1
        if pref.by_mail and user.email:
            sent += _mail_digest(user, visible, since=now - dt.timedelta(days=2))
    return sent


DAILY_DIGEST_HOUR = 8


def digest_text(items: list[Notification]) -> str:
    lines = [f"【信访工作】您有 {len(items)} 条新通知："]
    for i, n in enumerate(items[:10], start=1):
        lines.append(f"{i}. {n.brief or n.text}")
    if len(items) > 10:
        lines.append(f"……另有 {len(items) - 10} 条")
    lines.append(f"请登录查看：{settings.SITE_URL.rstrip('/')}/notifications/")
    return "\n".join(lines)


def _mail_digest(user: User, visible, *, since: dt.datetime) -> int:
    items = list(visible.filter(emailed_at=None, mail_attempts=0, created_at__gte=since).order_by("created_at"))
    if not items:
        return 0
    ids = [n.pk for n in items]
    claimed = Notification.objects.filter(pk__in=ids, emailed_at=None, mail_attempts=0).update(mail_attempts=1)
    if claimed != len(ids):
        return 0
    lines = [f"{n.created_at:%m-%d %H:%M} {n.text}\n{settings.SITE_URL.rstrip('/')}{n.link}" for n in items]
    try:
        send_mail(
            subject=f"[信访工作] 通知汇总：{len(items)} 条",
            message="\n\n".join(lines) + "\n\n（本邮件由信访工作管理系统自动发送）",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except Exception as e:
        Notification.objects.filter(pk__in=ids).update(mail_error=f"{type(e).__name__}: {e}"[:200])
        return 0
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now(), mail_error="")
    return 1


def queue_mail(ids: list[int]) -> None:
    """Hand the mail to the worker. A broker that is down loses nothing: the sweep sends
    what is still unsent."""
    from .tasks import send_notification_mail

    try:
        send_notification_mail.delay(ids)
    except Exception:
        log.exception("could not queue notification mail %s", ids)


def deliver_mail(ids: list[int]) -> list[int]:
    """Send the mail of these notifications; returns the ids that failed. Each one is
    claimed by a conditional UPDATE on its attempt count, so two workers never send the
    same mail twice."""
    failed = []
    rows = Notification.objects.filter(pk__in=ids, emailed_at=None).select_related("user")
    prefs = preferences([n.user for n in rows])
    for n in rows:
        if not n.user.email:
            continue
        pref = prefs[n.user_id]
        if not pref.by_mail:
            Notification.objects.filter(pk=n.pk).update(
                mail_error="本人已关闭邮件通知", mail_attempts=settings.NOTIFICATION_MAIL_ATTEMPTS
            )
            continue
        if pref.digest != Preference.Digest.NONE:
            continue  # the digest sends it (send_digests)
        if not notifications_for(user=n.user).filter(pk=n.pk).exists():
            # what it is about left the person's scope (say, they have since been named
            # as accused): the mail is not sent, as the in-app list no longer shows it
            Notification.objects.filter(pk=n.pk).update(
                mail_error="已不在查看范围内，不再发送", mail_attempts=settings.NOTIFICATION_MAIL_ATTEMPTS
            )
            continue
        claimed = Notification.objects.filter(pk=n.pk, emailed_at=None, mail_attempts=n.mail_attempts).update(
            mail_attempts=F("mail_attempts") + 1
        )
        if not claimed:
            continue
        try:
            send_mail(
                subject=f"[信访工作] {n.text[:60]}",
                message=f"{n.text}\n\n{settings.SITE_URL.rstrip('/')}{n.link}\n\n（本邮件由信访工作管理系统自动发送）",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[n.user.email],
            )
        except Exception as e:
            Notification.objects.filter(pk=n.pk).update(mail_error=f"{type(e).__name__}: {e}"[:200])
            failed.append(n.pk)
        else:
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now(), mail_error="")
    return failed


def retry_mail(now: dt.datetime | None = None) -> int:
    """Mail of notices' notifications not yet sent from the last day, under the attempt
    limit, is tried again (the supervision sweep calls this)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            emailed_at=None,
            notice__isnull=False,
            mail_attempts__lt=settings.NOTIFICATION_MAIL_ATTEMPTS,
            created_at__gte=now - dt.timedelta(days=1),
        )
        .exclude(user__email="")
        .values_list("pk", flat=True)[:1000]
    )
    if ids:
        deliver_mail(ids)
    return len(ids)


@transaction.atomic
def preference_save(*, user: User, form) -> Preference:
    """Save the person's own channels (the form is bound to their row)."""
    pref = form.save(commit=False)
    pref.user = user
    pref.save()
    return pref


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
