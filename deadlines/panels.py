"""The case page's 办理时限 card (registered with cases.pages from DeadlinesConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest

from cases.models import Case

from . import abilities, services
from .clocks import Extension


def case_clocks(request: HttpRequest, case: Case) -> dict:
    """The case's clocks, open ones first, with the time left; its extensions."""
    clocks = list(case.clocks.select_related("rule").order_by("status", "due_at"))
    for clock in clocks:
        clock.can_extend = clock.is_open and services.may_request_extension(clock, request.user)
    clocks.sort(key=lambda c: (not c.is_open, c.due_at))
    return {
        "clocks": [(c, services.remaining_text(c)) for c in clocks],
        "extensions": Extension.objects.filter(clock__case=case).select_related("clock__rule", "requested_by"),
        "can_decide_extension": abilities.can_decide_extension(request.user),
    }
