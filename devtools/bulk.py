"""Clocks for cases that were loaded without them (generate_cases, an import), set-based.

`on_case_event` starts and stops clocks one case at a time as events happen. A case loaded
in bulk has a state and the timestamps of its steps but no clocks; `fill_clocks` gives it
the clocks that its history implies, in a fixed number of statements whatever the number of
cases:

1. The distinct case profiles (state and the fields `applies_to` can test) are read, and
   for each one the events of its path through the lifecycle are replayed in Python over
   the active rules, as `on_case_event` would (most specific rule per slot, a slot taken by
   an earlier clock of at least the same specificity, the unit set at 交办). A few thousand
   profiles; the result goes into a temporary table.
2. The distinct (rule, start date, superior or assignment deadline) triples of the cases
   are read and each due time is computed by `services.compute_due` over the real calendar
   (a few ten thousand triples); a second temporary table.
3. One INSERT ... SELECT joins the cases to both tables.

PostgreSQL only: it relies on temporary tables, AT TIME ZONE and ON CONFLICT.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, State
from deadlines import calendar as cal
from deadlines.clocks import Clock, DeadlineRule, Event, PeriodUnit
from deadlines.services import case_context, compute_due

# When each event happened, read from the case row (alias k). Generated cases keep the time
# of every step except two: a 不予受理 or 转送 decision is the last change of such a case
# (updated_at), and a major case's 结案报告 goes to review before the reply, so while it is
# in review the report is the last change; once replied, the reply time stands in for it.
EVENT_TIMES: dict[str, str] = {
    Event.REGISTERED: "k.registered_at",
    Event.ACCEPTED: "k.accepted_at",
    Event.NOT_ACCEPTED: "CASE WHEN k.state = 'not_accepted' THEN k.updated_at END",
    # Generated cases carry no record of the written 不予受理 notice; the reasons they give
    # were told to the petitioner, so it is taken as sent with the decision.
    Event.NOT_ACCEPTED_NOTICE: "CASE WHEN k.state = 'not_accepted' THEN k.updated_at END",
    Event.FORWARDED: "CASE WHEN k.state = 'forwarded' THEN k.updated_at END",
    Event.PROPOSED: "k.proposed_at",
    Event.ASSIGNED: "k.assigned_at",
    Event.REPORTED: (
        "COALESCE(k.replied_at, CASE WHEN k.state IN ('unit_review', 'leader_review') THEN k.updated_at END)"
    ),
    Event.REPLIED: "k.replied_at",
    # Generated cases carry no delivery record either; 归档 needs the answer delivered
    # (documents' guard), so it is taken as delivered when the case was filed.
    Event.REPLY_DELIVERED: "k.archived_at",
    Event.ARCHIVED: "k.archived_at",
}

_ACCEPTED = [Event.REGISTERED, Event.ACCEPTED]
_ASSIGNED = [*_ACCEPTED, Event.PROPOSED, Event.ASSIGNED]
_REPLIED = [*_ASSIGNED, Event.REPORTED, Event.REPLIED]
# The events a case in each state has been through, in order (the ordinary path of
# cases.demo.walk; a reply is REPORTED then REPLIED, as deadlines.services.TRANSITION_EVENTS).
STATE_EVENTS: dict[str, list[str]] = {
    State.REGISTERED: [Event.REGISTERED],
    State.NOT_ACCEPTED: [Event.REGISTERED, Event.NOT_ACCEPTED, Event.NOT_ACCEPTED_NOTICE],
    State.FORWARDED: [Event.REGISTERED, Event.FORWARDED],
    State.ACCEPTED: _ACCEPTED,
    State.PROPOSED: [*_ACCEPTED, Event.PROPOSED],
    State.ASSIGNED: _ASSIGNED,
    State.HANDLING: _ASSIGNED,
    State.UNIT_REVIEW: [*_ASSIGNED, Event.REPORTED],
    State.LEADER_REVIEW: [*_ASSIGNED, Event.REPORTED],
    State.REPLIED: _REPLIED,
    State.ARCHIVED: [*_REPLIED, Event.REPLY_DELIVERED, Event.ARCHIVED],
    State.FOLLOWED_UP: [*_REPLIED, Event.REPLY_DELIVERED, Event.ARCHIVED],
}

PROFILE_FIELDS = ("state", "channel", "source", "kind", "is_major", "is_group", "is_over_level")
NO_DATE = dt.date(1, 1, 1)  # "no superior or assignment deadline" in a join key


@dataclass
class _Planned:
    rule: DeadlineRule
    stop_event: str | None = None
    gets_unit: bool = False


def plan_clocks(events: Sequence[str], context: dict, rules: Sequence[DeadlineRule]) -> list[_Planned]:
    """The clocks `on_case_event` leaves on a case that went through `events`: replayed
    over in-memory rules (ordered by id, active only), no queries."""
    made: list[_Planned] = []
    main_unit_known = False
    for event in events:
        for clock in made:
            if clock.stop_event is None and event in (clock.rule.stop_events or []):
                clock.stop_event = event
        if event == Event.PROPOSED:
            main_unit_known = True  # 拟办 names the main unit
        if event in (Event.ASSIGNED, Event.RETURNED):
            for clock in made:
                if clock.stop_event is None and clock.rule.duty == DeadlineRule.Duty.UNIT:
                    clock.gets_unit = True
        best: dict[str, DeadlineRule] = {}
        for rule in rules:
            if rule.start_event != event or not rule.matches(context):
                continue
            current = best.get(rule.slot)
            if current is None or rule.specificity > current.specificity:
                best[rule.slot] = rule
        for rule in best.values():
            if rule.unit == PeriodUnit.MINUTES:
                continue  # counted from an instant the office records by hand (现场接访), never part of a path
            if any(
                c.rule.slot == rule.slot and c.rule.pk != rule.pk and c.rule.specificity >= rule.specificity
                for c in made
            ):
                continue
            if any(c.rule.pk == rule.pk for c in made):
                continue
            made.append(_Planned(rule, gets_unit=rule.duty == DeadlineRule.Duty.UNIT and main_unit_known))
    return made


def _case_sql(expr_by_event: dict[str, str], column: str) -> str:
    whens = " ".join(f"WHEN '{event}' THEN {expr}" for event, expr in expr_by_event.items())
    return f"CASE {column} {whens} END"


def fill_clocks(*, only_missing: bool = True, now: dt.datetime | None = None) -> int:
    """Give every case without clocks (every case, if not `only_missing`) the clocks its
    history implies; returns the number of clocks written.

    A clock whose stop event happened is stopped then (on time if not after its due time);
    the others run. A petitioner's window (申请复查, 异议期: a rule that raises no notice)
    that has run out by `now` is written as the scan leaves it, overdue since its due
    time (已届满): it raises nothing, and leaving it to the next scan would have that scan
    find a lapsed window on almost every closed case. A duty past due keeps running, so the
    next scan raises its notice. Round 1; existing (case, rule, round 1) clocks are kept.
    """
    if connection.vendor != "postgresql":
        raise NotImplementedError("fill_clocks needs PostgreSQL (temporary tables, AT TIME ZONE, ON CONFLICT)")
    now = now or timezone.now()
    rules = list(DeadlineRule.objects.filter(is_active=True).order_by("id"))
    t = {"case": Case._meta.db_table, "clock": Clock._meta.db_table}
    missing = f"NOT EXISTS (SELECT 1 FROM {t['clock']} x WHERE x.case_id = k.id)" if only_missing else "TRUE"
    join = " AND ".join(f"p.{f} = k.{f}" for f in PROFILE_FIELDS)
    event_time = _case_sql(EVENT_TIMES, "p.start_event")
    stop_time = _case_sql(EVENT_TIMES, "p.stop_event")
    started_at = f"CASE WHEN p.from_received THEN k.received_on::timestamp AT TIME ZONE %(tz)s ELSE {event_time} END"
    start_date = f"CASE WHEN p.from_received THEN k.received_on ELSE ({event_time} AT TIME ZONE %(tz)s)::date END"
    override_kind = (
        "CASE WHEN p.superior_wins AND k.superior_deadline IS NOT NULL THEN 'superior'"
        " WHEN p.assignment_wins AND k.due_date IS NOT NULL THEN 'assignment' ELSE '' END"
    )
    override_date = (
        "CASE WHEN p.superior_wins AND k.superior_deadline IS NOT NULL THEN k.superior_deadline"
        " WHEN p.assignment_wins AND k.due_date IS NOT NULL THEN k.due_date ELSE %(no_date)s END"
    )
    params = {"tz": settings.TIME_ZONE, "no_date": NO_DATE, "now": now}

    with transaction.atomic(), connection.cursor() as cur:
        # 1. Profiles and the clocks each implies.
        cur.execute(f"SELECT DISTINCT {', '.join('k.' + f for f in PROFILE_FIELDS)} FROM {t['case']} k WHERE {missing}")
        profile_rows = []
        for profile in cur.fetchall():
            fields = dict(zip(PROFILE_FIELDS, profile, strict=True))
            events = STATE_EVENTS.get(fields["state"])
            if events is None:
                continue
            context = case_context(SimpleNamespace(**fields))
            for c in plan_clocks(events, context, rules):
                r = c.rule
                profile_rows.append(
                    (
                        *profile,
                        r.pk,
                        r.start_event,
                        r.from_received,
                        c.stop_event,
                        r.superior_deadline_wins,
                        r.assignment_due_wins,
                        c.gets_unit,
                        not r.raises_notice,
                    )
                )
        cur.execute("DROP TABLE IF EXISTS pg_temp.fill_profile, pg_temp.fill_due")
        cur.execute(
            """CREATE TEMPORARY TABLE fill_profile (
                   state varchar(20), channel varchar(16), source varchar(20), kind varchar(16),
                   is_major boolean, is_group boolean, is_over_level boolean,
                   rule_id bigint, start_event varchar(24), from_received boolean, stop_event varchar(24),
                   superior_wins boolean, assignment_wins boolean, gets_unit boolean, lapses boolean)"""
        )
        if profile_rows:
            cur.executemany(f"INSERT INTO fill_profile VALUES ({', '.join(['%s'] * 15)})", profile_rows)
        cur.execute("ANALYZE fill_profile")

        # 2. Due times over the real calendar, one per distinct (rule, start day, deadline).
        cur.execute(
            f"""SELECT DISTINCT p.rule_id, {start_date}, {override_kind}, {override_date}
                FROM {t["case"]} k JOIN fill_profile p ON {join}
                WHERE {missing}""",
            params,
        )
        keys = cur.fetchall()
        calendar = cal.current_calendar()
        by_id = {r.pk: r for r in rules}
        due_rows = [
            _due_row(by_id[rule_id], start, kind, override, calendar)
            for rule_id, start, kind, override in keys
            if start is not None
        ]
        cur.execute(
            """CREATE TEMPORARY TABLE fill_due (
                   rule_id bigint, start_date date, override_kind varchar(10), override_date date,
                   due_date date, due_at timestamptz, warn_at timestamptz, due_source varchar(16),
                   provisional boolean, versions jsonb)"""
        )
        if due_rows:
            cur.executemany(
                "INSERT INTO fill_due VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb)",
                due_rows,
            )
        cur.execute("ANALYZE fill_due")

        # 3. The clocks.
        cur.execute(
            f"""INSERT INTO {t["clock"]} (
                    case_id, rule_id, round, started_at, start_date, base_due_date, due_date, due_at, warn_at,
                    due_source, extension_days, provisional, calendar_versions, status, warned_at, overdue_at,
                    stopped_at, on_time, unit_id)
                SELECT s.case_id, s.rule_id, 1, s.started_at, s.start_date, d.due_date, d.due_date, d.due_at,
                       d.warn_at, d.due_source, 0, d.provisional, d.versions,
                       CASE WHEN s.stopped_at IS NOT NULL THEN 'stopped'
                            WHEN s.lapses AND d.due_at <= %(now)s THEN 'overdue'
                            ELSE 'running' END,
                       NULL,
                       CASE WHEN s.stopped_at IS NULL AND s.lapses AND d.due_at <= %(now)s THEN d.due_at END,
                       s.stopped_at,
                       CASE WHEN s.stopped_at IS NOT NULL THEN d.due_at >= s.stopped_at END,
                       s.unit_id
                FROM (
                    SELECT k.id AS case_id, p.rule_id, p.lapses,
                           {started_at} AS started_at, {start_date} AS start_date, {stop_time} AS stopped_at,
                           {override_kind} AS override_kind, {override_date} AS override_date,
                           CASE WHEN p.gets_unit THEN k.main_unit_id END AS unit_id
                    FROM {t["case"]} k JOIN fill_profile p ON {join}
                    WHERE {missing}
                ) s
                JOIN fill_due d ON d.rule_id = s.rule_id AND d.start_date = s.start_date
                     AND d.override_kind = s.override_kind AND d.override_date = s.override_date
                ON CONFLICT (case_id, rule_id, round) DO NOTHING""",
            params,
        )
        written = cur.rowcount
        cur.execute("DROP TABLE fill_profile, fill_due")
    return written


def _due_row(
    rule: DeadlineRule, start: dt.date, kind: str, override: dt.date, calendar: cal.Calendar
) -> tuple[object, ...]:
    case = SimpleNamespace(
        superior_deadline=override if kind == "superior" else None,
        due_date=override if kind == "assignment" else None,
    )
    started_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    due = compute_due(rule, case, started_at, start, calendar=calendar)
    return (
        rule.pk,
        start,
        kind,
        override,
        due.due_date,
        due.due_at,
        due.warn_at,
        due.source,
        due.provisional,
        json.dumps(due.versions),
    )
