"""Every log-in, failed log-in, lock-out and log-out is logged with the user name escaped
and the client's address (OWASP ASVS 7.1.3, 7.2.1; 等保 2.0 三级 安全审计), and each
session is registered so that it can be ended (people.services.user_end_sessions)."""

from __future__ import annotations

from django.utils import timezone

from core.security import client_ip, escape_for_log, security_log, start_session_clock

from .models import LoginSession


def logged_in(sender, request, user, **kwargs) -> None:
    ip = client_ip(request)
    security_log.info("login_succeeded user=%s ip=%s", escape_for_log(user.get_username()), ip)
    start_session_clock(request.session)
    if not request.session.session_key:
        request.session.save()
    LoginSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": ip,
            "user_agent": request.headers.get("User-Agent", "")[:200],
            "ended_at": None,
            "end_reason": "",
        },
    )


def logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    security_log.info("logout user=%s ip=%s", escape_for_log(user.get_username()), client_ip(request))
    key = request.session.session_key
    if key:
        LoginSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=LoginSession.EndReason.LOGOUT
        )


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    security_log.warning(
        "login_failed user=%s ip=%s",
        escape_for_log(credentials.get("username", "")),
        client_ip(request) if request is not None else "-",
    )


def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_log.warning("login_locked_out user=%s ip=%s", escape_for_log(username or ""), ip_address)


def user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A disabled account's sessions end at once (its next request is anonymous anyway:
    Django refuses an inactive user; this closes the registry rows and the store)."""
    if created or instance.is_active:
        return
    from .services import user_end_sessions

    if LoginSession.objects.filter(user=instance, ended_at__isnull=True).exists():
        user_end_sessions(user=instance, actor=None, reason=LoginSession.EndReason.DISABLED)
