"""The second-factor pages: the code after the password, and the first enrolment."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from core.security import client_ip, escape_for_log, security_log

from .forms import TokenForm
from .otp import PENDING_KEY, confirmed_device, pending_device, qr_data_uri, secret_text


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _log(event: str, request: HttpRequest) -> None:
    security_log.info("%s user=%s ip=%s", event, escape_for_log(request.user.get_username()), client_ip(request))


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect("people:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, _ = device.verify_is_allowed()
        if verified and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            security_log.info(
                "otp_succeeded user=%s ip=%s", escape_for_log(request.user.get_username()), client_ip(request)
            )
            return redirect(_next(request))
        security_log.warning(
            "otp_failed user=%s ip=%s", escape_for_log(request.user.get_username()), client_ip(request)
        )
        form.add_error("token", "验证码不正确或已过期；多次输错后需等待片刻再试。")
    return render(request, "people/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is not None:
        return redirect("people:otp_verify")
    device = pending_device(request.user, request.session)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            request.session.pop(PENDING_KEY, None)
            otp_login(request, device)
            security_log.info(
                "otp_enrolled user=%s ip=%s", escape_for_log(request.user.get_username()), client_ip(request)
            )
            return redirect(_next(request))
        form.add_error("token", "验证码不正确：请确认手机时间准确，并输入当前显示的6位数字。")
    context = {"form": form, "qr": qr_data_uri(device), "secret": secret_text(device), "next": _next(request)}
    return render(request, "people/otp_setup.html", context)
