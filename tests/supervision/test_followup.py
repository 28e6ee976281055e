"""The follow-up: 不满意 opens the office's review and, if the handling was inadequate, a
notice (《河南省教育系统信访工作责任制实施细则》第十一条（七）); 复查 within 30 days of the
day the petitioner received the written reply (its delivery), then 复核 within 30 days of
the delivered 复查意见, each with its clock, and after 复核 the same request is 终结
(《信访工作条例》第三十五、三十六条)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from core.days import day_start
from deadlines import calendar as cal
from deadlines.clocks import Event
from deadlines.services import on_case_event
from supervision import selectors, services
from supervision.models import ReviewRequest, SatisfactionReview

D = dt.date
# The 复查/复核 tests date replies, requests and opinions from June to October 2026, and a
# request cannot be dated after today: they run on a day after all of them.
AFTER_THE_WINDOWS = D(2026, 11, 2)


def _followed_up(make_case, people, satisfaction: str) -> Case:
    case = make_case("archived", unit="jwc")
    case_services.case_follow_up(
        case=case, actor=people["office"], satisfaction=satisfaction, method="phone", comment="成绩仍未更正"
    )
    case.refresh_from_db()
    return case


def test_dissatisfied_opens_a_review_and_tells_the_office(people, make_case):
    case = _followed_up(make_case, people, "dissatisfied")
    review = SatisfactionReview.objects.get(case=case)
    assert review.status == "pending"
    assert case.history.filter(transition="不满意待研判").exists()
    assert case.satisfaction == "dissatisfied" and case.satisfaction_method == "phone"
    told = set(people["office"].notifications.values_list("text", flat=True))
    assert any("不满意" in t for t in told)


def test_satisfied_opens_no_review(people, make_case):
    case = _followed_up(make_case, people, "satisfied")
    assert not SatisfactionReview.objects.filter(case=case).exists()


def test_inadequate_handling_raises_a_notice(people, make_case):
    case = _followed_up(make_case, people, "dissatisfied")
    review = services.dissatisfaction_decide(
        review=case.satisfaction_review, actor=people["office"], inadequate=True, note="未正面回应成绩更正诉求"
    )
    assert review.status == "inadequate" and review.decided_by == people["office"]
    notice = review.notice
    assert (notice.trigger.code, notice.unit.code, notice.status) == ("dissatisfied", "jwc", "sent")
    assert "未正面回应成绩更正诉求" in notice.reason


def test_adequate_handling_raises_none_and_only_the_office_decides(people, make_case):
    case = _followed_up(make_case, people, "dissatisfied")
    with pytest.raises(PermissionDenied):
        services.dissatisfaction_decide(
            review=case.satisfaction_review, actor=people["head_jwc"], inadequate=False, note="到位"
        )
    review = services.dissatisfaction_decide(
        review=case.satisfaction_review, actor=people["office"], inadequate=False, note="已依规答复，诉求无依据"
    )
    assert (review.status, review.notice) == ("adequate", None)
    assert not case.notices.exists()
    with pytest.raises(services.SupervisionRefused, match="已研判"):
        services.dissatisfaction_decide(review=review, actor=people["office"], inadequate=True, note="改判")


# --- 复查 and 复核 ---------------------------------------------------------------------------


def _replied_on(make_case, day: dt.date, delivered: dt.date | None = None) -> Case:
    """A case replied on `day`, the reply delivered on `delivered` (the same day unless
    said; None and delivered=False: not delivered yet). Documents (H1) records a delivery
    and sends REPLY_DELIVERED; here the event is sent directly."""
    case = make_case("replied", unit="jwc")
    Case.objects.filter(pk=case.pk).update(replied_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))
    case.refresh_from_db()
    if delivered is not False:
        on_case_event(case, Event.REPLY_DELIVERED, at=day_start(delivered or day))
    return case


def _opinion_delivered(case, day: dt.date) -> None:
    on_case_event(case, Event.REVIEW_OPINION_DELIVERED, at=day_start(day))


def _request(case, people, stage, received_on):
    return services.review_request_record(
        case=case,
        actor=people["office"],
        stage=stage,
        received_on=received_on,
        request_text="对处理意见不服，请求复查",
        body="省教育厅",
    )


def test_the_review_window_is_30_days_from_the_written_reply(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    # Replied 2026-06-02: day 30 is 2026-07-02 (a Thursday, a working day).
    case = _replied_on(make_case, D(2026, 6, 2))
    assert selectors.review_window(case, "review") == (D(2026, 6, 2), D(2026, 7, 2))
    with pytest.raises(services.SupervisionRefused, match=r"已超过复查申请期限.*2026-07-02.*信访工作条例》第三十五条"):
        _request(case, people, "review", D(2026, 7, 3))
    review = _request(case, people, "review", D(2026, 7, 2))
    assert (review.stage, review.recorded_by) == ("review", people["office"])
    assert case.history.filter(transition="收到复查申请").exists()


def test_a_window_ending_on_a_holiday_runs_to_the_next_working_day(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    # Replied 2026-09-02: day 30 is 2026-10-02, inside the National Day holiday.
    case = _replied_on(make_case, D(2026, 9, 2))
    last = selectors.review_window(case, "review")[1]
    calendar = cal.current_calendar()
    assert last > D(2026, 10, 2) and calendar.is_workday(last)
    assert not any(
        calendar.is_workday(D(2026, 10, 2) + dt.timedelta(days=i)) for i in range((last - D(2026, 10, 2)).days)
    )
    _request(case, people, "review", last)


def test_the_review_opinion_has_its_clock(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2))
    review = _request(case, people, "review", D(2026, 6, 20))
    clock = case.clocks.get(rule__code="review-opinion")
    assert (clock.start_date, clock.due_date, clock.status) == (D(2026, 6, 20), D(2026, 7, 20), "running")
    request_clock = case.clocks.get(rule__code="review-request")
    assert (request_clock.status, request_clock.on_time) == ("stopped", True)
    services.review_opinion_record(
        review=review,
        actor=people["office"],
        decision="upheld",
        opinion="原处理意见认定事实清楚",
        decided_on=D(2026, 7, 15),
    )
    clock.refresh_from_db()
    assert (clock.status, clock.on_time) == ("stopped", True)
    # the 复核 window opens when the petitioner receives the opinion, not at its date
    assert selectors.review_window(case, "rereview") is None
    with pytest.raises(services.SupervisionRefused, match="复查意见尚未登记送达"):
        _request(case, people, "rereview", D(2026, 7, 16))
    _opinion_delivered(case, D(2026, 7, 15))
    assert selectors.review_window(case, "rereview") == (D(2026, 7, 15), D(2026, 8, 14))
    assert case.clocks.get(rule__code="rereview-request").due_date == D(2026, 8, 14)


def test_rereview_needs_a_review_opinion_first(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2))
    with pytest.raises(services.SupervisionRefused, match="尚无复查意见"):
        _request(case, people, "rereview", D(2026, 6, 10))
    _request(case, people, "review", D(2026, 6, 10))
    with pytest.raises(services.SupervisionRefused, match="尚无复查意见"):
        _request(case, people, "rereview", D(2026, 6, 12))


def test_after_rereview_the_same_request_is_final(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2))
    office = people["office"]
    review = _request(case, people, "review", D(2026, 6, 10))
    services.review_opinion_record(
        review=review, actor=office, decision="upheld", opinion="维持", decided_on=D(2026, 7, 1)
    )
    _opinion_delivered(case, D(2026, 7, 1))
    with pytest.raises(services.SupervisionRefused, match="已超过复核申请期限"):
        _request(case, people, "rereview", D(2026, 8, 1))
    rereview = _request(case, people, "rereview", D(2026, 7, 20))
    services.review_opinion_record(
        review=rereview, actor=office, decision="upheld", opinion="维持复查意见", decided_on=D(2026, 8, 10)
    )
    assert selectors.is_final(case)
    assert case.history.filter(transition="作出复核意见", history_change_reason__contains="终结").exists()
    with pytest.raises(services.SupervisionRefused, match="不再受理"):
        _request(case, people, "review", D(2026, 8, 12))

    # The same matter registered again as a 重复信访 of it cannot be accepted: it is 终结.
    again = make_case("registered", repeat_of=case, is_repeat=True)
    with pytest.raises(case_services.TransitionRefused, match="《信访工作条例》第三十六条第三款"):
        case_services.case_accept(case=again, actor=office)
    again.refresh_from_db()
    assert again.state == "registered"
    case_services.case_decline(case=again, actor=office, reason="已复核终结，不再受理")
    again.refresh_from_db()
    assert again.state == "not_accepted"


def test_only_the_office_records_requests_and_opinions(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2))
    with pytest.raises(PermissionDenied):
        services.review_request_record(
            case=case, actor=people["head_jwc"], stage="review", received_on=D(2026, 6, 5), request_text="x", body="y"
        )
    review = _request(case, people, "review", D(2026, 6, 5))
    with pytest.raises(PermissionDenied):
        services.review_opinion_record(
            review=review, actor=people["leader"], decision="upheld", opinion="维持", decided_on=D(2026, 6, 20)
        )
    assert ReviewRequest.objects.get(pk=review.pk).decided_on is None


def test_a_case_not_yet_replied_has_no_review_window(people, make_case):
    case = make_case("handling", unit="jwc")
    assert selectors.review_window(case, "review") is None
    with pytest.raises(services.SupervisionRefused, match="尚未书面答复"):
        _request(case, people, "review", timezone.localdate())


def test_the_window_runs_from_delivery_not_from_the_reply(people, make_case, today_is):
    """Replied 2026-06-02, received by the petitioner 2026-06-20: a request received on
    2026-07-10 is 38 days after the reply's date but 20 after delivery, and is accepted;
    the window ends 2026-07-20 (条例 第三十五条: 自收到书面答复之日起30日内)."""
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2), delivered=D(2026, 6, 20))
    assert selectors.review_window(case, "review") == (D(2026, 6, 20), D(2026, 7, 20))
    with pytest.raises(services.SupervisionRefused, match=r"2026-06-20收到书面答复之日起30日内（至2026-07-20）"):
        _request(case, people, "review", D(2026, 7, 21))
    review = _request(case, people, "review", D(2026, 7, 10))
    assert review.received_on == D(2026, 7, 10)
    # 30 days from the request: 2026-08-09 is a Sunday, so the next working day
    assert case.clocks.get(rule__code="review-opinion").due_date == D(2026, 8, 10)


def test_without_a_delivery_record_the_window_has_not_started(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2), delivered=False)
    assert selectors.review_window(case, "review") is None
    assert not case.clocks.filter(rule__code="review-request").exists()
    with pytest.raises(services.SupervisionRefused, match="信访处理意见书尚未登记送达，复查申请期限尚未起算"):
        _request(case, people, "review", D(2026, 6, 10))
    assert not case.review_requests.exists()


def test_a_suggestion_answered_opens_no_review_window(people, make_case, today_is):
    """建议意见类 matters are answered without a 复查 (条例 第二十九条): the delivery of the
    answer starts no 复查 window."""
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2), delivered=False)
    case.procedure = "suggestion"  # cases' field (H3); read with a default where absent
    on_case_event(case, Event.REPLY_DELIVERED, at=day_start(D(2026, 6, 3)))
    assert not case.clocks.filter(rule__code="review-request").exists()
    assert selectors.review_window(case, "review") is None
    assert "条例》第二十九条" in selectors.review_window_closed(case, "review")


@pytest.mark.parametrize(("procedure", "article"), [("suggestion", "第二十九条"), ("statutory", "第三十一条")])
def test_a_window_an_old_rule_set_left_is_no_window_for_a_matter_without_review(
    people, make_case, today_is, procedure, article
):
    """A clock started before the matter took its procedure opens nothing: neither a 建议意见类
    matter (条例 第二十九条) nor one routed to its statutory procedure (第三十一条) has 复查 or
    复核, and the office is told which article says so."""
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2), delivered=D(2026, 6, 5))
    assert selectors.review_window(case, "review") is not None
    case.procedure = procedure
    for stage in ("review", "rereview"):
        assert selectors.review_window(case, stage) is None
        assert article in selectors.review_window_closed(case, stage)


def test_a_second_delivery_starts_no_second_window(people, make_case, today_is):
    today_is(AFTER_THE_WINDOWS)
    case = _replied_on(make_case, D(2026, 6, 2), delivered=D(2026, 6, 5))
    on_case_event(case, Event.REPLY_DELIVERED, at=day_start(D(2026, 6, 9)))
    assert list(case.clocks.filter(rule__code="review-request").values_list("start_date", flat=True)) == [D(2026, 6, 5)]
