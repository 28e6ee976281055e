"""Late feedback escalates up the ladder 催办 → 督办 → 约谈/通报 → 挂牌督办, once per step
however often the sweep runs, reaching the 分管领导 and then the 主要领导. Time is frozen
by passing `now` to the sweep, as the beat job does with the clock."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from notifications.models import Notification
from supervision import services
from supervision.models import Level, Notice


def _recipients(notice: Notice) -> set[str]:
    return set(Notification.objects.filter(notice=notice).values_list("user__username", flat=True))


def test_feedback_late_by_a_minute_escalates_once(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    due_at = notice.feedback_due_at
    assert services.escalate_late(now=due_at - dt.timedelta(minutes=1)) == 0
    notice.refresh_from_db()
    assert notice.status == "sent"

    late = due_at + dt.timedelta(minutes=1)
    assert services.escalate_late(now=late) == 1
    assert services.escalate_late(now=late) == 0  # the second sweep finds nothing to do
    assert services.escalate_late(now=late + dt.timedelta(hours=1)) == 0
    notice.refresh_from_db()
    assert (notice.status, notice.escalated_at) == ("escalated", late)
    child = Notice.objects.get(parent=notice)
    assert (child.level, child.status, child.unit, child.trigger) == (
        Level.SUPERVISE,
        "sent",
        notice.unit,
        notice.trigger,
    )
    assert child.feedback_due > notice.feedback_due  # a new period, counted from the escalation
    row = notice.history.latest("history_date")
    assert (row.transition, row.history_user, row.status) == ("升级督办", None, "escalated")
    assert "逾期未反馈" in row.history_change_reason
    assert _recipients(child) == {"head_jwc", "recep_jwc", "office", "office2"}


def test_the_ladder_reaches_the_leader_in_charge_then_the_main_leader(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    chain = [notice]
    for _ in range(3):
        now = chain[-1].feedback_due_at + dt.timedelta(minutes=1)
        assert services.escalate_late(now=now) == 1
        chain.append(Notice.objects.get(parent=chain[-1]))
    assert [n.level for n in chain] == [Level.URGE, Level.SUPERVISE, Level.TALK, Level.LISTED]
    # 约谈/通报 reaches the 分管领导 of 教务处; 挂牌督办 the 主要领导 as well
    assert "leader" in _recipients(chain[2]) and "president" not in _recipients(chain[2])
    assert {"leader", "president"} <= _recipients(chain[3])
    assert "leader2" not in _recipients(chain[3])  # not in charge of 教务处
    assert chain[2].form == "talk"
    # the top of the ladder does not escalate further
    assert services.escalate_late(now=chain[3].feedback_due_at + dt.timedelta(days=30)) == 0
    chain[3].refresh_from_db()
    assert chain[3].status == "sent"


def test_an_answered_notice_does_not_escalate_for_lateness(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    services.notice_answer(notice=notice, actor=people["head_jwc"], answer="已办结")
    assert services.escalate_late(now=notice.feedback_due_at + dt.timedelta(days=3)) == 0
    notice.refresh_from_db()
    assert notice.status == "answered"


def test_the_office_escalates_by_its_judgement(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    child = services.notice_escalate(notice=notice, actor=people["office"], reason="群众反映强烈")
    assert (child.level, child.parent_id, child.created_by) == (Level.SUPERVISE, notice.pk, people["office"])
    notice.refresh_from_db()
    assert notice.history.latest("history_date").history_user == people["office"]


def test_the_management_command_runs_the_same_sweep(people, make_case, raise_notice, capsys):
    notice = raise_notice(make_case("handling", unit="jwc"))
    Notice.objects.filter(pk=notice.pk).update(feedback_due_at=notice.created_at - dt.timedelta(minutes=1))
    call_command("supervise")
    assert "升级督办 1 份" in capsys.readouterr().out
    notice.refresh_from_db()
    assert notice.status == "escalated"
