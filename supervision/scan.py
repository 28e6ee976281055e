"""The deadline scan: a few set-based statements in one transaction.

It marks the clocks (deadlines) that fall due and raises the 催办 notices for the late
ones (seed 000 §四.7(1); seed 002 第十一条), in one statement on PostgreSQL, so it lives
with the notices, above the clocks. Beat runs it every few minutes (the task
`deadlines.scan` in supervision.tasks) and `manage.py scan_deadlines` runs the same
function. It never loops over cases in Python and never schedules a task per case:
one periodic scan over stored due times is the design.

Idempotent by construction:
- a clock changes status under its row lock with a WHERE on its old status, so of two
  concurrent scans only one sees each change;
- a notice is inserted with ON CONFLICT DO NOTHING against the unique (clock, level), so a
  clock gets one notice per level, whoever raises it and however often;
- everything is one transaction, so a worker that dies half-way leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from deadlines.clocks import Clock, DeadlineRule
from notifications.models import Notification
from people.models import User

from .models import Level, Notice, Trigger
from .seed_triggers import OVERDUE


@dataclass
class ScanResult:
    due_soon: int
    overdue: int
    notices: int
    notifications: int

    def __str__(self) -> str:
        return (
            f"即将到期 {self.due_soon} 项，新超期 {self.overdue} 项，"
            f"新督办单 {self.notices} 份，通知 {self.notifications} 条"
        )


def _tables() -> dict[str, str]:
    return {
        "clock": Clock._meta.db_table,
        "rule": DeadlineRule._meta.db_table,
        "notice": Notice._meta.db_table,
        "trigger": Trigger._meta.db_table,
        "notification": Notification._meta.db_table,
        "user": User._meta.db_table,
    }


# A late clock's notice is raised under its rule's trigger (DeadlineRule.notice_trigger:
# the 送达 rule's 未履行送达责任, 《河南省教育系统信访工作责任制实施细则》第十一条（四）),
# otherwise under 超过办理期限.
REASON_SQL = "CASE WHEN tr.id IS NULL THEN '超过办理时限：' || r.name ELSE tr.name || '：' || r.name || '期限已过' END"


@transaction.atomic
def scan(now: dt.datetime | None = None) -> ScanResult:
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        return _scan_postgresql(now)
    return _scan_portable(now)


def _notice_params(now: dt.datetime) -> dict:
    """What every notice of one scan shares: the 超过办理期限 trigger and the feedback
    deadline counted from today (supervision.services.feedback_due)."""
    from .services import feedback_due

    due, due_at = feedback_due(timezone.localdate(now))
    trigger = Trigger.objects.filter(code=OVERDUE).values_list("pk", flat=True).first()
    return {"now": now, "level": int(Level.URGE), "trigger": trigger, "due": due, "due_at": due_at}


def _digest_params() -> dict:
    """Who gets a digest and where it leads: the office to the overdue list; a unit with
    new 催办 to its inbox of notices, otherwise to the overdue list."""
    return {
        "office": User.Role.OFFICE.value,
        "unit_head": User.Role.UNIT_HEAD.value,
        "receptionist": User.Role.RECEPTIONIST.value,
        "inbox": reverse("supervision:inbox"),
        "overdue_list": reverse("deadlines:overdue"),
        "petitioner": DeadlineRule.Duty.PETITIONER.value,
    }


def _history_columns() -> tuple[str, str]:
    """The notice table's columns, which its history table repeats (simple-history)."""
    columns = ", ".join(f.column for f in Notice._meta.concrete_fields)
    return Notice.history.model._meta.db_table, columns


def _scan_postgresql(now: dt.datetime) -> ScanResult:
    """One statement: the notices and the digests come from the rows this scan changed
    (RETURNING), so its cost follows what falls due, not the clocks already overdue.
    A notice goes to the unit answerable for the clock; the office's own late steps show
    on the overdue list and in its digest. Each new notice gets its history row here too."""
    t = _tables()
    history_table, columns = _history_columns()
    with connection.cursor() as cur:
        cur.execute(
            f"""WITH late AS (
                    UPDATE {t["clock"]} SET status = 'overdue', overdue_at = %(now)s
                    WHERE status IN ('running', 'due_soon') AND due_at <= %(now)s
                    RETURNING id, case_id, unit_id, rule_id),
                soon AS (
                    UPDATE {t["clock"]} SET status = 'due_soon', warned_at = %(now)s
                    WHERE status = 'running' AND warn_at <= %(now)s AND due_at > %(now)s
                    RETURNING unit_id, rule_id),
                notices AS (
                    INSERT INTO {t["notice"]} (case_id, clock_id, unit_id, trigger_id, level, reason, status,
                                               feedback_due, feedback_due_at, created_at)
                    SELECT late.case_id, late.id, late.unit_id, COALESCE(tr.id, %(trigger)s), %(level)s,
                           {REASON_SQL}, 'sent', %(due)s, %(due_at)s, %(now)s
                    FROM late JOIN {t["rule"]} r ON r.id = late.rule_id
                    LEFT JOIN {t["trigger"]} tr ON tr.code = r.notice_trigger AND r.notice_trigger <> ''
                    WHERE r.raises_notice AND late.unit_id IS NOT NULL
                    ON CONFLICT (clock_id, level) DO NOTHING
                    RETURNING *),
                notice_history AS (
                    INSERT INTO {history_table} ({columns}, history_date, history_change_reason, history_type,
                                                 history_user_id, transition)
                    SELECT {columns}, %(now)s, reason, '+', NULL, '发出督办单' FROM notices
                    RETURNING 1),
                per_unit AS (
                    SELECT b.unit_id, SUM(b.late) AS late, SUM(b.soon) AS soon
                    FROM (SELECT unit_id, rule_id, 1 AS late, 0 AS soon FROM late
                          UNION ALL SELECT unit_id, rule_id, 0, 1 FROM soon) b
                    JOIN {t["rule"]} r ON r.id = b.rule_id AND r.duty <> %(petitioner)s
                    GROUP BY b.unit_id),
                digests AS (
                    INSERT INTO {t["notification"]} (user_id, case_id, notice_id, text, link, created_at, read_at)
                    SELECT u.id, NULL, NULL,
                           '时限提醒：新超期 ' || SUM(p.late) || ' 项，即将到期 ' || SUM(p.soon) || ' 项',
                           CASE WHEN u.role <> %(office)s AND SUM(p.late) > 0 THEN %(inbox)s
                                ELSE %(overdue_list)s END,
                           %(now)s, NULL
                    FROM per_unit p
                    JOIN {t["user"]} u ON u.is_active AND (
                         u.role = %(office)s
                         OR (u.role IN (%(unit_head)s, %(receptionist)s) AND u.unit_id = p.unit_id))
                    GROUP BY u.id
                    RETURNING 1)
                SELECT (SELECT count(*) FROM late), (SELECT count(*) FROM soon),
                       (SELECT count(*) FROM notice_history), (SELECT count(*) FROM digests)""",
            {**_notice_params(now), **_digest_params()},
        )
        overdue, due_soon, notices, notifications = cur.fetchone()
    return ScanResult(due_soon=due_soon, overdue=overdue, notices=notices, notifications=notifications)


def _scan_portable(now: dt.datetime) -> ScanResult:
    t = _tables()
    with connection.cursor() as cur:
        # 1. Clocks that ran out. `overdue_at` marks this scan's batch for step 4.
        cur.execute(
            f"""UPDATE {t["clock"]} SET status = 'overdue', overdue_at = %s
                WHERE status IN ('running', 'due_soon') AND due_at <= %s""",
            [now, now],
        )
        overdue = cur.rowcount
        # 2. Clocks entering their warning period.
        cur.execute(
            f"""UPDATE {t["clock"]} SET status = 'due_soon', warned_at = %s
                WHERE status = 'running' AND warn_at <= %s AND due_at > %s""",
            [now, now, now],
        )
        due_soon = cur.rowcount
        # 3. One 催办 notice per overdue clock of a unit (DOMAIN.md: once per case, rule
        #    and level), and its history row.
        p = _notice_params(now)
        history_table, columns = _history_columns()
        cur.execute(
            f"""INSERT INTO {t["notice"]} (case_id, clock_id, unit_id, trigger_id, level, reason, status,
                                           feedback_due, feedback_due_at, created_at)
                SELECT c.case_id, c.id, c.unit_id, COALESCE(tr.id, %s), %s, {REASON_SQL}, 'sent', %s, %s, %s
                FROM {t["clock"]} c JOIN {t["rule"]} r ON r.id = c.rule_id
                LEFT JOIN {t["trigger"]} tr ON tr.code = r.notice_trigger AND r.notice_trigger <> ''
                WHERE c.status = 'overdue' AND r.raises_notice AND c.unit_id IS NOT NULL
                ON CONFLICT (clock_id, level) DO NOTHING""",
            [p["trigger"], p["level"], p["due"], p["due_at"], now],
        )
        notices = cur.rowcount
        if notices:
            cur.execute(
                f"""INSERT INTO {history_table} ({columns}, history_date, history_change_reason, history_type,
                                                 history_user_id, transition)
                    SELECT {columns}, %s, reason, '+', NULL, '发出督办单' FROM {t["notice"]}
                    WHERE created_at = %s AND created_by_id IS NULL AND clock_id IS NOT NULL AND level = %s""",
                [now, now, p["level"]],
            )
        # 4. A digest per person: the office, and each responsible unit's head and
        #    receptionists. Counts only: no content, no petitioner (条例 第30条). A unit
        #    that has just been sent 催办 notices is taken to its inbox of notices.
        notifications = 0
        if overdue or due_soon:
            d = _digest_params()
            cur.execute(
                f"""INSERT INTO {t["notification"]} (user_id, case_id, notice_id, text, link, created_at, read_at)
                    SELECT u.id, NULL, NULL,
                           '时限提醒：新超期 ' || CAST(SUM(CASE WHEN c.overdue_at = %s THEN 1 ELSE 0 END) AS TEXT)
                           || ' 项，即将到期 ' || CAST(SUM(CASE WHEN c.warned_at = %s THEN 1 ELSE 0 END) AS TEXT)
                           || ' 项',
                           CASE WHEN u.role <> %s AND SUM(CASE WHEN c.overdue_at = %s THEN 1 ELSE 0 END) > 0
                                THEN %s ELSE %s END,
                           %s, NULL
                    FROM {t["clock"]} c
                    JOIN {t["rule"]} r ON r.id = c.rule_id AND r.duty <> %s
                    JOIN {t["user"]} u ON u.is_active AND (
                         u.role = %s
                         OR (u.role IN (%s, %s) AND u.unit_id = c.unit_id))
                    WHERE c.overdue_at = %s OR c.warned_at = %s
                    GROUP BY u.id""",
                [
                    now,
                    now,
                    d["office"],
                    now,
                    d["inbox"],
                    d["overdue_list"],
                    now,
                    d["petitioner"],
                    d["office"],
                    d["unit_head"],
                    d["receptionist"],
                    now,
                    now,
                ],
            )
            notifications = cur.rowcount
    return ScanResult(due_soon=due_soon, overdue=overdue, notices=notices, notifications=notifications)


def overdue_case_ids() -> list[int]:
    """Cases with an overdue clock; a helper for tests and the worklists."""
    return list(Case.objects.filter(clocks__status=Clock.Status.OVERDUE).values_list("pk", flat=True).distinct())
