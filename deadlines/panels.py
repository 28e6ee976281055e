"""The case page's 办理时限 card (registered with cases.pages from DeadlinesConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Case

from . import abilities, services
from .clocks import Clock, Extension


def case_clocks(request: HttpRequest, case: Case) -> dict:
    """The case's clocks, open ones first, with the time left; its extensions."""
    clocks = list(case.clocks.select_related("rule").order_by("status", "due_at"))
    for clock in clocks:
        clock.can_extend = clock.is_open and services.may_request_extension(clock, request.user)
    clocks.sort(key=lambda c: (not c.is_open, c.status == Clock.Status.NOT_APPLICABLE, c.due_at))
    return {
        "clocks": [(c, services.remaining_text(c)) for c in clocks],
        "extensions": Extension.objects.filter(clock__case=case).select_related(
            "clock__rule", "clock__case", "requested_by", "proposed_by", "decided_by"
        ),
        "can_propose_extension": abilities.can_propose_extension(request.user),
        "can_decide_extension": abilities.can_decide_extension(request.user),
        # 听证 (条例 第三十六条): the office records its start on an open 复核 clock, its end
        "hearing_possible": any(c.rule.pauses_for_hearing and c.status in services.OPEN_COUNTING for c in clocks),
        "hearing_under_way": any(c.status == Clock.Status.PAUSED for c in clocks),
    }
