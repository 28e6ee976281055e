"""fill_clocks: loaded cases get the clocks their history implies, as the services would
have started and stopped them, in a fixed number of statements, and only once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Source, State
from deadlines import calendar as cal
from deadlines.clocks import Clock
from deadlines.services import compute_due
from devtools.bulk import fill_clocks

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="fill_clocks is PostgreSQL-only (temporary tables, AT TIME ZONE, ON CONFLICT); set DATABASE_URL",
)

MAX_QUERIES = 20


def _snapshot(cases) -> dict:
    clocks = Clock.objects.filter(case__in=cases).select_related("rule")
    return {
        (c.case_id, c.rule.code): (c.status, c.due_date, c.due_source, c.unit_id, c.on_time, c.provisional)
        for c in clocks
    }


def test_the_clocks_match_what_the_services_started(people, make_case):
    """Cases walked through the real services, their clocks removed, then filled: the
    same rules, states, due dates and units."""
    cases = [
        make_case(state=s)
        for s in (State.REGISTERED, State.ACCEPTED, State.FORWARDED, State.PROPOSED, State.HANDLING, State.REPLIED)
    ]
    cases += [
        make_case(state=State.ARCHIVED, unit="jsj"),
        make_case(state=State.FOLLOWED_UP),
        make_case(state=State.UNIT_REVIEW, is_major=True),
        make_case(state=State.ASSIGNED, source=Source.SUNSHINE, superior_reference="YG1"),
        make_case(
            state=State.HANDLING,
            source=Source.HOTLINE_12345,
            superior_reference="GD1",
            superior_deadline=timezone.localdate() + timedelta(days=10),
        ),
    ]
    declined = make_case(state=State.NOT_ACCEPTED)
    expected = _snapshot([*cases, declined])
    Clock.objects.all().delete()

    written = fill_clocks()

    filled = _snapshot([*cases, declined])
    assert written == len(filled)
    # The one difference, by design: a generated decline carries no record of the written
    # notice, so fill_clocks takes it as sent with the decision; that delivered notice also
    # ends the 15-day acceptance clock (条例 第二十三条).
    for code in ("not-accepted-notice", "accept-decision"):
        by_service, by_fill = expected.pop((declined.pk, code)), filled.pop((declined.pk, code))
        assert by_service[0] == Clock.Status.RUNNING and by_fill[0] == Clock.Status.STOPPED
        assert by_fill[1] == by_service[1]
    assert filled == expected


def test_states_and_due_dates_of_generated_cases(people):
    call_command("generate_cases", count=200, seed=7, years=0.5, stdout=io.StringIO())
    now = timezone.now()
    fill_clocks(now=now)

    archived = Case.objects.filter(state__in=[State.ARCHIVED, State.FOLLOWED_UP]).first()
    completion = archived.clocks.get(rule__slot="completion")
    assert completion.status == Clock.Status.STOPPED and completion.stopped_at == archived.replied_at
    assert completion.on_time == (completion.due_at >= archived.replied_at)
    window = archived.clocks.get(rule__code="review-request")
    assert window.status == (Clock.Status.OVERDUE if window.due_at <= now else Clock.Status.RUNNING)

    handling = Case.objects.filter(state=State.HANDLING).first()
    unit_result = handling.clocks.get(rule__code="unit-result")
    assert unit_result.status == Clock.Status.RUNNING and unit_result.unit_id == handling.main_unit_id
    assert (unit_result.due_date, unit_result.due_source) == (handling.due_date, "assignment")
    assert unit_result.due_at == timezone.make_aware(
        timezone.datetime.combine(handling.due_date + timedelta(days=1), timezone.datetime.min.time())
    )

    # Every due time is the calendar's: recomputed one clock at a time with compute_due.
    calendar = cal.current_calendar()
    clocks = Clock.objects.select_related("rule", "case")
    assert clocks.count() > 400
    for c in clocks:
        due = compute_due(c.rule, c.case, c.started_at, c.start_date, calendar=calendar)
        assert (c.due_date, c.due_at, c.warn_at, c.due_source) == (due.due_date, due.due_at, due.warn_at, due.source)
        assert (c.provisional, c.calendar_versions) == (due.provisional, due.versions)
        if c.status == Clock.Status.STOPPED:
            assert c.stopped_at is not None and c.on_time == (c.due_at >= c.stopped_at)
    # a calendar-counted rule: 拟办呈报 ends two working days after acceptance
    accepted = Clock.objects.filter(rule__code="proposal").select_related("case").first()
    assert accepted.due_date == cal.due_date(timezone.localdate(accepted.case.accepted_at), 2, "workdays")
    # the open cases have running clocks; nothing open is stopped
    open_clocks = Clock.objects.filter(case__state__in=[State.HANDLING, State.ASSIGNED], rule__code="completion")
    assert open_clocks.exists() and not open_clocks.filter(status=Clock.Status.STOPPED).exists()


def test_a_fixed_number_of_queries_and_nothing_new_the_second_time(people, django_assert_max_num_queries):
    counts = []
    for count, seed in ((20, 1), (200, 2)):
        call_command("generate_cases", count=count, seed=seed, years=0.5, stdout=io.StringIO())
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            assert fill_clocks() > count
        counts.append(len(queries))
    assert counts[0] == counts[1]

    before = Clock.objects.count()
    assert fill_clocks() == 0
    assert fill_clocks(only_missing=False) == 0
    assert Clock.objects.count() == before
    assert not Case.objects.filter(clocks=None).exists()
