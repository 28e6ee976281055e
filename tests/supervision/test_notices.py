"""The notice lifecycle (已发出 → 已签收 → 已反馈 → 已办结, or → 已升级), each step by the
right role only; the 条例 第40条 adoption reply; one notice per trigger and level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.selectors import case_timeline
from deadlines import calendar as cal
from deadlines.clocks import Clock
from notifications.models import Notification
from supervision import services
from supervision.models import Level, Notice, Trigger
from supervision.scan import scan

from ..conftest import requires_postgres
from ..e2e.test_letter_walk import minimal_pdf


def _history(notice: Notice) -> list[tuple[str, str | None, str]]:
    rows = notice.history.order_by("history_date", "history_id")
    return [(h.transition, h.history_user.username if h.history_user else None, h.status) for h in rows]


def test_the_office_raises_a_notice_by_hand(people, make_case, raise_notice):
    case = make_case("handling", unit="jwc")
    notice = raise_notice(case, "shirking", requirements="请于期限内说明拖延原因", form="phone")
    assert (notice.status, notice.level, notice.unit.code, notice.form) == ("sent", Level.URGE, "jwc", "phone")
    assert notice.reason == "推诿、敷衍、拖延或弄虚作假"  # the trigger's name when no reason is typed
    # 7 workdays on the official calendar (seed 002 第十一条(一))
    expected = cal.due_date(timezone.localdate(), 7, "workdays", cal.current_calendar())
    assert notice.feedback_due == expected
    assert _history(notice) == [("发出督办单", "office", "sent")]
    entry = [e for e in case_timeline(case=case, user=people["office"]) if e.title == "发出督办单"]
    assert [(e.who, e.link) for e in entry] == [("成信访", notice.get_absolute_url())]
    assert notice.number in entry[0].result
    told = set(Notification.objects.filter(notice=notice).values_list("user__username", flat=True))
    assert told == {"head_jwc", "recep_jwc"}


def test_the_feedback_deadline_skips_the_national_day_holiday(people, make_case, raise_notice, today_is):
    """The test above computes its expectation with the app's own calendar from today;
    this one fixes the day and the answer. Raised on Monday 28 September 2026, the 7
    workdays are 29 and 30 September, then (1–7 October off) 8 and 9 October, Saturday
    10 October (a 调休 workday), 12 and 13 October."""
    today_is(dt.date(2026, 9, 28))
    notice = raise_notice(make_case("handling", unit="jwc"), "shirking")
    assert notice.feedback_due == dt.date(2026, 10, 13)


def test_a_unit_signs_answers_and_the_office_closes(people, make_case, units, raise_notice):
    case = make_case("handling", unit="jwc")
    case.co_units.add(units["jsj"])
    notice = raise_notice(case)
    services.notice_sign(notice=notice, actor=people["recep_jwc"])
    pdf = SimpleUploadedFile("整改说明.pdf", minimal_pdf(), content_type="application/pdf")
    services.notice_answer(notice=notice, actor=people["head_jwc"], answer="已约谈经办人，三日内办结。", files=[pdf])
    services.notice_close(notice=notice, actor=people["office"], note="反馈属实")
    notice.refresh_from_db()
    assert notice.status == "closed"
    assert (notice.signed_by, notice.answered_by, notice.closed_by) == (
        people["recep_jwc"],
        people["head_jwc"],
        people["office"],
    )
    assert [a.original_name for a in notice.attachments.all()] == ["整改说明.pdf"]
    assert notice.attachments.get().case == case  # kept with the case's files, served by its scoped view
    assert _history(notice) == [
        ("发出督办单", "office", "sent"),
        ("签收督办单", "recep_jwc", "signed"),
        ("书面反馈", "head_jwc", "answered"),
        ("督办办结", "office", "closed"),
    ]
    timeline = [(e.title, e.who) for e in case_timeline(case=case, user=people["head_jwc"])]
    assert timeline[-4:] == [
        ("发出督办单", "成信访"),
        ("签收督办单", "张接待"),
        ("书面反馈", "李教务"),
        ("督办办结", "成信访"),
    ]
    # another unit never sees this unit's notices on a case it co-handles
    assert not [e for e in case_timeline(case=case, user=people["head_jsj"]) if "督办" in e.title]


def test_answering_an_unsigned_notice_signs_it_first(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    services.notice_answer(notice=notice, actor=people["head_jwc"], answer="已办结。")
    notice.refresh_from_db()
    assert notice.status == "answered" and notice.signed_by == people["head_jwc"]
    assert [t for t, _, _ in _history(notice)] == ["发出督办单", "签收督办单", "书面反馈"]


STEPS = {
    "sign": lambda n, u: services.notice_sign(notice=n, actor=u),
    "answer": lambda n, u: services.notice_answer(notice=n, actor=u, answer="已办理"),
    "close": lambda n, u: services.notice_close(notice=n, actor=u),
    "send_back": lambda n, u: services.notice_send_back(notice=n, actor=u, reason="反馈不具体"),
    "escalate": lambda n, u: services.notice_escalate(notice=n, actor=u, reason="情节严重"),
}
# the state each step starts from, and who may take it
MATRIX = {
    "sign": ("sent", {"head_jwc", "recep_jwc"}),
    "answer": ("signed", {"head_jwc", "recep_jwc"}),
    "close": ("answered", {"office"}),
    "send_back": ("answered", {"office"}),
    "escalate": ("signed", {"office"}),
}
EVERYONE = ["clerk", "office", "leader", "president", "head_jwc", "recep_jwc", "head_jsj", "discipline", "admin"]


def _at(notice: Notice, status: str, people) -> Notice:
    if status in ("signed", "answered"):
        services.notice_sign(notice=notice, actor=people["head_jwc"])
    if status == "answered":
        services.notice_answer(notice=notice, actor=people["head_jwc"], answer="已办理")
    notice.refresh_from_db()
    return notice


@pytest.mark.parametrize("step", list(MATRIX))
@pytest.mark.parametrize("who", EVERYONE)
def test_each_step_is_taken_by_the_right_role_only(people, make_case, raise_notice, step, who):
    source, allowed = MATRIX[step]
    notice = _at(raise_notice(make_case("handling", unit="jwc")), source, people)
    if who in allowed:
        STEPS[step](notice, people[who])
        notice.refresh_from_db()
        assert notice.status != source or step == "send_back"
    else:
        with pytest.raises(PermissionDenied):
            STEPS[step](notice, people[who])
        notice.refresh_from_db()
        assert notice.status == source
        assert notice.history.count() == len(_history(notice))  # nothing half-written


def test_a_step_from_the_wrong_state_is_refused_in_words(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    with pytest.raises(services.SupervisionRefused, match="已发出"):
        services.notice_close(notice=notice, actor=people["office"])


def test_suggestions_need_a_written_answer_on_their_adoption(people, make_case, raise_notice):
    """条例 第40条: the unit answers in writing whether it adopted the suggestions;
    seed 000 §四.7(3): what it did not adopt, it explains."""
    notice = raise_notice(make_case("handling", unit="jwc"), suggestions="建立成绩录入双人复核制度")
    head = people["head_jwc"]
    with pytest.raises(services.SupervisionRefused, match="采纳情况"):
        services.notice_answer(notice=notice, actor=head, answer="已更正成绩")
    with pytest.raises(services.SupervisionRefused, match="原因"):
        services.notice_answer(notice=notice, actor=head, answer="已更正成绩", adoption="not_adopted")
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.answer == ""  # both refusals rolled back whole
    services.notice_answer(
        notice=notice, actor=head, answer="已更正成绩", adoption="partly", adoption_note="人手不足，先在本学期试行"
    )
    notice.refresh_from_db()
    assert (notice.adoption, notice.adoption_note) == ("partly", "人手不足，先在本学期试行")


def test_a_second_rejected_answer_escalates(people, make_case, raise_notice):
    notice = raise_notice(make_case("handling", unit="jwc"))
    office, head = people["office"], people["head_jwc"]
    services.notice_answer(notice=notice, actor=head, answer="正在办理")
    services.notice_send_back(notice=notice, actor=office, reason="未说明办结时间")
    notice.refresh_from_db()
    assert (notice.status, notice.rejections) == ("signed", 1)
    services.notice_answer(notice=notice, actor=head, answer="仍在办理")
    child = services.notice_send_back(notice=notice, actor=office, reason="仍未说明办结时间")
    notice.refresh_from_db()
    assert (notice.status, notice.rejections) == ("escalated", 2)
    assert (child.level, child.parent, child.status, child.unit) == (Level.SUPERVISE, notice, "sent", notice.unit)
    assert "第2次被退回" in notice.history.latest("history_date").history_change_reason
    assert child.history.get().transition == "升级为督办"


def test_an_overdue_trigger_needs_an_overdue_clock(people, make_case):
    case = make_case("handling", unit="jwc")
    data = services.NoticeData(trigger=Trigger.objects.get(code="overdue"))
    with pytest.raises(services.SupervisionRefused, match="没有超期"):
        services.notice_raise(case=case, actor=people["office"], data=data)
    assert not Notice.objects.exists()


def test_a_notice_goes_only_to_a_unit_handling_the_case(people, make_case, units):
    data = services.NoticeData(trigger=Trigger.objects.get(code="other"), unit=units["jsj"])
    with pytest.raises(services.SupervisionRefused, match="不是该件的承办或协办部门"):
        services.notice_raise(case=make_case("handling", unit="jwc"), actor=people["office"], data=data)
    not_yet = make_case("accepted")
    with pytest.raises(services.SupervisionRefused, match="尚未交办"):
        services.notice_raise(case=not_yet, actor=people["office"], data=services.NoticeData(trigger=data.trigger))


def test_only_the_office_raises_notices(people, make_case):
    data = services.NoticeData(trigger=Trigger.objects.get(code="other"))
    for who in ("leader", "head_jwc", "clerk"):
        with pytest.raises(PermissionDenied):
            services.notice_raise(case=make_case("handling", unit="jwc"), actor=people[who], data=data)


# --- idempotency: one notice per trigger and level -----------------------------------------


def _overdue(make_case):
    case = make_case("handling", unit="jwc")
    clock = case.clocks.filter(rule__duty="unit", unit__isnull=False, rule__raises_notice=True).order_by("due_at")[0]
    return case, clock


def test_the_scan_then_a_person_make_one_notice(people, make_case):
    case, clock = _overdue(make_case)
    assert scan(now=clock.due_at + dt.timedelta(minutes=1)).notices >= 1
    by_scan = Notice.objects.get(clock=clock)
    assert (by_scan.trigger.code, by_scan.feedback_due is not None) == ("overdue", True)
    assert by_scan.history.get().transition == "发出督办单"  # the scan writes the history row too
    on_timeline = [e for e in case_timeline(case=case, user=people["office"]) if e.title == "发出督办单"]
    assert [e.who for e in on_timeline] == ["系统（超期扫描）"]
    data = services.NoticeData(trigger=Trigger.objects.get(code="overdue"), reason="人工催办")
    notice, created = services.notice_raise(case=case, actor=people["office"], data=data)
    assert (notice, created) == (by_scan, False)
    assert Notice.objects.filter(case=case, level=Level.URGE, trigger__code="overdue").count() == 1


def test_a_person_then_the_scan_make_one_notice(people, make_case):
    case, clock = _overdue(make_case)
    Clock.objects.filter(pk=clock.pk).update(status="overdue")  # the office saw it late first
    data = services.NoticeData(trigger=Trigger.objects.get(code="overdue"))
    notice, created = services.notice_raise(case=case, actor=people["office"], data=data)
    assert created and notice.clock == clock
    Clock.objects.filter(pk=clock.pk).update(status="running")
    assert scan(now=clock.due_at + dt.timedelta(minutes=1)).notices == 0
    assert list(Notice.objects.filter(clock=clock)) == [notice]


def test_the_same_trigger_twice_makes_one_open_notice(people, make_case, raise_notice):
    case = make_case("handling", unit="jwc")
    first = raise_notice(case, "not_executing")
    data = services.NoticeData(trigger=Trigger.objects.get(code="not_executing"))
    again, created = services.notice_raise(case=case, actor=people["office"], data=data)
    assert (again, created) == (first, False)
    other = raise_notice(case, "evasive_opinion")  # another trigger is another notice
    assert other != first
    services.notice_answer(notice=first, actor=people["head_jwc"], answer="已执行")
    services.notice_close(notice=first, actor=people["office"])
    recurrence, created = services.notice_raise(case=case, actor=people["office"], data=data)
    assert created and recurrence != first  # once closed, a recurrence is a new notice


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_scan_and_a_person_at_once_make_one_notice(reseeded, people, make_case):
    """Two connections race: the scan's INSERT … ON CONFLICT and the person's savepoint
    meet in the unique (clock, level)."""
    import threading

    from django.db import connection

    case, clock = _overdue(make_case)
    Clock.objects.filter(pk=clock.pk).update(status="overdue")
    now = clock.due_at + dt.timedelta(minutes=1)
    Clock.objects.filter(pk=clock.pk).update(status="running")
    barrier = threading.Barrier(2)
    errors = []

    def by_scan():
        try:
            barrier.wait()
            scan(now=now)
        except Exception as e:
            errors.append(e)
        finally:
            connection.close()

    def by_person():
        try:
            barrier.wait()
            Clock.objects.filter(pk=clock.pk, status="running").update(status="overdue")
            data = services.NoticeData(trigger=Trigger.objects.get(code="overdue"))
            services.notice_raise(case=case, actor=people["office"], data=data)
        except services.SupervisionRefused:
            pass  # the scan had not marked the clock yet and the person's update lost: fine
        except Exception as e:
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=by_scan), threading.Thread(target=by_person)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Notice.objects.filter(clock=clock, level=Level.URGE).count() == 1
