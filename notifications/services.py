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

from .models import Notification
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
) -> list[Notification]:
    """One notification per person, mail after commit. The caller has chosen who may be
    told and written the text (about a 举报, the case number only: 条例 第30条)."""
    rows = [Notification(user=user, case=case, notice=notice, text=text[:200], link=link) for user in users]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk]
    if ids:
        transaction.on_commit(lambda: queue_mail(ids))
    return created


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
    for n in rows:
        if not n.user.email:
            continue
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
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
