"""The whole demo (./xf run): people, two years of cases (devtools.demo_year), supervision
and leader reception, each loaded by its own app's demo module. A second run resets the
logins' passwords and loads nothing else: the cases are loaded once, into an empty
database."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from cases.demo import load_showcase
from cases.models import Case
from dashboard.reception_demo import load as load_reception
from dashboard.rollups import refresh_rollups
from deadlines import calendar as cal
from documents.demo import deliver_first_notice
from people.demo import ensure_people
from people.models import Unit
from supervision.demo import load as load_supervision
from supervision.scan import scan

from .demo_year import Clockwork, plan_cases, replay


def load_demo(*, cases: int | None = None, seed: int = 2026, log: Callable[[str], None] | None = None) -> dict:
    """People, then (into a database without cases) `cases` petitions over the two years
    before today (settings.XINFANG_DEMO_CASES by default), each walked through the real
    services at the time it happened, and today's showcase, supervision and reception
    days. Returns the users, how many cases were made, what the services refused (nothing,
    unless the plan has a fault) and the seconds it took."""
    log = log or (lambda line: None)
    started = time.monotonic()
    users = ensure_people()
    if Case.objects.exists():
        return {"users": users, "created": 0, "skipped": [], "seconds": 0.0}
    count = settings.XINFANG_DEMO_CASES if cases is None else cases
    now = timezone.now()
    colleges = dict(Unit.objects.filter(kind=Unit.Kind.COLLEGE).order_by("code").values_list("code", "name"))
    plans = plan_cases(count, now=now, seed=seed, colleges=colleges, clockwork=Clockwork(cal.current_calendar()))
    log(f"演示数据：按两年的校历重放 {len(plans)} 件信访件（每一步都经过正式的业务流程）……")
    replayed = replay(plans, users, now=now, log=log)
    # today: the cases the README points at, told in writing like the others
    before = set(Case.objects.values_list("pk", flat=True))
    made = load_showcase(users)
    for case in Case.objects.exclude(pk__in=before).order_by("pk"):
        deliver_first_notice(case, users["office"])
    load_supervision(users)
    load_reception(users)
    # what beat does within minutes of the first start: the scan, and the dashboard's figures
    scan()
    refresh_rollups()
    return {
        "users": users,
        "created": replayed["cases"] + made,
        "skipped": replayed["skipped"],
        "seconds": time.monotonic() - started,
    }
