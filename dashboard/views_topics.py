"""What the petitions are about: hot topics and clusters of similar open cases, and the
policy fixes (制度完善) recorded against the cases that raised them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from people.models import Unit

from . import clusters as cluster_analysis
from . import topics as topic_analysis
from .forms_topics import PRESETS, PolicyFixForm, ScopeForm, TopicsFilterForm
from .policy_fixes import may_record, policy_fix_record, policy_fixes_for
from .scope import require_dashboard

FIXES_LIMIT = 200


def _list_link(period: topic_analysis.Period, unit: Unit | None, **extra) -> str:
    """The case list with the same period and unit: where a keyword leads."""
    params = {"date_from": f"{period.start:%Y-%m-%d}", "date_to": f"{period.end:%Y-%m-%d}", **extra}
    if unit is not None:
        params["unit"] = unit.pk
    return f"{reverse('cases:list')}?{urlencode(params)}"


@login_required
@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    require_dashboard(request.user)
    form = TopicsFilterForm(request.GET or None, user=request.user)
    period, unit = form.period(), form.chosen_unit()
    hot = topic_analysis.hot_topics(user=request.user, period=period, unit=unit)
    found = cluster_analysis.open_case_clusters(user=request.user, unit=unit)
    today = timezone.localdate()
    presets = []
    for days, label in PRESETS:
        preset = topic_analysis.Period.last_days(days, today=today)
        query = {"date_from": f"{preset.start:%Y-%m-%d}", "date_to": f"{preset.end:%Y-%m-%d}"}
        if unit is not None:
            query["unit"] = unit.pk
        presets.append({"label": label, "query": urlencode(query), "active": preset == period})
    return render(
        request,
        "dashboard/topics.html",
        {
            "form": form,
            "unit": unit,
            "hot": hot,
            "keyword_rows": [(row, _list_link(period, unit, q=row.label)) for row in hot.keywords],
            # a topic's count is the list's count for that topic over the same period
            "topic_rows": [
                (row, _list_link(period, unit, topic=row.topic_id) if row.topic_id else "") for row in hot.topics
            ],
            "found": found,
            "presets": presets,
            "may_record": may_record(request.user),
            "cache_minutes": max(1, topic_analysis.cache_seconds() // 60),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_fixes(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_dashboard(user)
    form = None
    if request.method == "POST":
        if not may_record(user):
            raise PermissionDenied("只有信访办可以记录制度完善。")
        form = PolicyFixForm(request.POST, user=user)
        if form.is_valid():
            d = form.cleaned_data
            fix = policy_fix_record(
                actor=user,
                title=d["title"],
                description=d["description"],
                unit=d["unit"],
                adopted_on=d["adopted_on"],
                reference=d["reference"],
                cases=d["case_numbers"],
            )
            messages.success(request, f"已记录制度完善“{fix.title}”，关联信访件{len(d['case_numbers'])}件。")
            return redirect("dashboard:policy_fixes")
    elif may_record(user):
        # a cluster's button arrives with ?cases=<numbers>
        form = PolicyFixForm(
            initial={"case_numbers": request.GET.get("cases", ""), "adopted_on": timezone.localdate()}, user=user
        )
    scope = ScopeForm(request.GET if "unit" in request.GET else None, user=user, auto_id="scope_%s")
    unit = scope.chosen_unit()
    fixes = policy_fixes_for(user=user, unit=unit)
    return render(
        request,
        "dashboard/policy_fixes.html",
        {
            "form": form,
            "scope": scope,
            "fixes": list(fixes[:FIXES_LIMIT]),
            "total": fixes.count(),
            "limit": FIXES_LIMIT,
            "open_form": request.method == "POST" or "cases" in request.GET,
        },
    )
