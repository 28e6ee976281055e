"""Writes about people: their sessions."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.security import escape_for_log, security_log

from .models import LoginSession, User


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@transaction.atomic
def user_end_sessions(*, user: User, actor: User | None, reason: str = LoginSession.EndReason.ENDED) -> int:
    """End every open session of `user` now: the session rows are deleted from the store,
    so the next request of each is anonymous (OWASP ASVS 3.3.4). Returns how many."""
    store = _session_store()
    open_sessions = list(LoginSession.objects.select_for_update().filter(user=user, ended_at__isnull=True))
    for row in open_sessions:
        store(session_key=row.session_key).delete()
    LoginSession.objects.filter(pk__in=[r.pk for r in open_sessions]).update(ended_at=timezone.now(), end_reason=reason)
    security_log.info(
        "sessions_ended user=%s by=%s count=%s reason=%s",
        escape_for_log(user.get_username()),
        escape_for_log(actor.get_username()) if actor else "-",
        len(open_sessions),
        reason,
    )
    return len(open_sessions)
