"""Request plumbing that every app's security depends on: who is asking from where, one
id per request that the log and the error page share, bounded sessions, and a log line
for every refused request (OWASP ASVS 7.1, 3.3; 等保 2.0 三级 安全审计).

Nothing here knows about cases: the apps above call `client_ip` and log through
`security_log`."""

from __future__ import annotations

import ipaddress
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

security_log = logging.getLogger("xinfang.security")


def escape_for_log(value: object, limit: int = 150) -> str:
    """A user-supplied value made safe for one log line: control characters (a newline
    would forge a second entry) are written as escapes, and it is cut to `limit`."""
    text = str(value)[:limit]
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. `X-Forwarded-For` is believed only as far as the number of
    proxies in front of the app (settings.TRUSTED_PROXY_COUNT): with N proxies the
    client is the N-th address from the right, which the outermost proxy wrote. Anything
    further left was written by the client and is ignored; with no proxies the header is
    ignored altogether, so a rotating header cannot dodge the log-in lock-out."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


SESSION_STARTED = "_xf_started"
SESSION_SEEN = "_xf_seen"
# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60


def start_session_clock(session) -> None:
    """At log-in: the 12 hours and the 30 idle minutes count from now."""
    now = int(time.time())
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now


class SessionLimitsMiddleware:
    """An idle session ends after SESSION_IDLE_SECONDS (30 minutes) and any session after
    SESSION_ABSOLUTE_SECONDS (12 hours), whatever it did meanwhile (OWASP ASVS 3.3.1,
    3.3.2; 等保 2.0 三级: 登录连接超时自动退出). The user lands on the log-in page with a
    message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            if started is None or seen is None:
                session[SESSION_STARTED] = started = now if started is None else started
                session[SESSION_SEEN] = seen = now
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            expired = now - started > settings.SESSION_ABSOLUTE_SECONDS
            if idle or expired:
                security_log.info(
                    "session_ended reason=%s user=%s ip=%s",
                    "idle" if idle else "absolute",
                    escape_for_log(user.get_username()),
                    client_ip(request),
                )
                logout(request)
                messages.info(request, "您已较长时间未操作，请重新登录。" if idle else "登录已超过12小时，请重新登录。")
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
                return redirect_to_login(request.get_full_path())
            if now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class RefusalLogMiddleware:
    """A refused request (403, 404 and the lock-out's 429) is logged with the user, the
    address and the request id, not only as Django's bare "Not Found": an out-of-scope
    case answers 404 like a missing one, and this line is how the office learns someone
    tried (《信访工作条例》第三十条; seed 004 第九条)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404, 429) and not request.path.startswith(settings.STATIC_URL):
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            security_log.warning(
                "refused status=%s user=%s ip=%s method=%s path=%s",
                response.status_code,
                escape_for_log(name),
                client_ip(request),
                request.method,
                escape_for_log(request.get_full_path(), 300),
            )
        return response
