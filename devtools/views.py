from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.models import Case


@require_GET
def bench_minimal_list(request: HttpRequest) -> HttpResponse:
    """The baseline for bench/case_list.py: 50 rows of the same table, a plain template,
    no scope and no filters. Only routed when XINFANG_BENCH_VIEWS is on."""
    rows = Case.objects.select_related("petitioner").order_by("-registered_at", "-id")[:50]
    return render(request, "devtools/bench_minimal.html", {"rows": rows})
