"""A person's notifications: the list, mark read, open one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import PreferenceForm
from .models import Preference, UnitRobot


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(user=request.user)
    if unread_only:
        qs = qs.filter(read_at=None)
    return render(
        request,
        "notifications/list.html",
        {"items": qs.order_by("-created_at", "-id")[:200], "unread_only": unread_only},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all (or the ticked) notifications read."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()] or None
    n = services.notifications_mark_read(user=request.user, ids=ids)
    messages.success(request, f"已将 {n} 条通知标为已读。")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one notification: it is marked read and its link followed."""
    item = get_object_or_404(selectors.notifications_for(user=request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[item.pk])
    if item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts={request.get_host()}):
        return redirect(item.link)
    return redirect("notifications:list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """How the person is told: mail, SMS, the unit's work-group robot, at once or in a
    digest. Saving changes only their own row."""
    pref = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, form=form)
        messages.success(request, "通知设置已保存。")
        return redirect("notifications:settings")
    unit = request.user.unit
    robot = UnitRobot.objects.filter(unit=unit).first() if unit else None
    return render(request, "notifications/settings.html", {"form": form, "robot": robot})
