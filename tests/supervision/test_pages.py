"""The pages: the office's board with its filters, the unit's inbox, a notice's page and
its forms, raising a notice twice, the case page's panel, and 404 outside scope."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Kind
from supervision import services
from supervision.models import Notice, Trigger

from ..e2e.test_letter_walk import minimal_pdf


def test_the_board_filters_by_unit_level_and_lateness(people, make_case, raise_notice, client_for):
    jwc = raise_notice(make_case("handling", unit="jwc"))
    jsj = raise_notice(make_case("handling", unit="jsj"))
    late = raise_notice(make_case("handling", unit="jsj"), "no_reply")
    Notice.objects.filter(pk=late.pk).update(
        feedback_due=timezone.localdate(late.created_at) - dt.timedelta(days=3),
        feedback_due_at=late.created_at - dt.timedelta(days=2),
    )
    escalated = services.notice_escalate(notice=jwc, actor=people["office"], reason="群众反映强烈")
    office = client_for(people["office"])

    def shown(query: str = "") -> set[int]:
        page = office.get("/supervision/" + query)
        assert page.status_code == 200
        return {r[0].pk for r in page.context["rows"]}

    assert shown() == {escalated.pk, jsj.pk, late.pk}  # open notices; the escalated 催办 is done
    assert shown(f"?unit={jsj.unit_id}") == {jsj.pk, late.pk}
    assert shown("?level=2") == {escalated.pk}
    assert shown("?late=yes") == {late.pk}
    assert shown("?late=no") == {escalated.pk, jsj.pk}
    assert shown("?status=escalated") == {jwc.pk}
    page = office.get("/supervision/?late=yes").content.decode()
    assert "逾期 2 天" in page or "逾期 3 天" in page
    assert 'data-testid="level-count-2">督办 1<' in office.get("/supervision/").content.decode()


def test_the_board_sorts(people, make_case, raise_notice, client_for):
    first = raise_notice(make_case("handling", unit="jwc"))
    second = raise_notice(make_case("handling", unit="jsj"))
    services.notice_escalate(notice=second, actor=people["office"], reason="升级")
    office = client_for(people["office"])
    rows = [r[0].level for r in office.get("/supervision/?sort=-level").context["rows"]]
    assert rows == sorted(rows, reverse=True) and len(rows) == 2
    assert first.pk in [r[0].pk for r in office.get("/supervision/?sort=level").context["rows"]]


def test_the_board_is_for_the_office_and_leaders(people, client_for):
    assert client_for(people["head_jwc"]).get("/supervision/").status_code == 403
    assert client_for(people["clerk"]).get("/supervision/").status_code == 403
    assert client_for(people["leader"]).get("/supervision/").status_code == 200


def test_a_leader_sees_the_units_in_their_charge(people, make_case, raise_notice, client_for):
    dz = raise_notice(make_case("assigned", unit="dz"))
    jwc = raise_notice(make_case("handling", unit="jwc"))
    rows = {r[0].pk for r in client_for(people["leader2"]).get("/supervision/").context["rows"]}
    assert dz.pk in rows and jwc.pk not in rows  # leader2 is in charge of 党政办, not 教务处
    assert client_for(people["leader2"]).get(jwc.get_absolute_url()).status_code == 404
    assert client_for(people["president"]).get(jwc.get_absolute_url()).status_code == 200


def test_the_unit_inbox_holds_its_own_notices_only(people, make_case, raise_notice, client_for):
    mine = raise_notice(make_case("handling", unit="jwc"))
    theirs = raise_notice(make_case("handling", unit="jsj"))
    page = client_for(people["recep_jwc"]).get("/supervision/inbox/")
    assert [r[0].pk for r in page.context["open_rows"]] == [mine.pk]
    assert client_for(people["recep_jwc"]).get(theirs.get_absolute_url()).status_code == 404
    assert client_for(people["recep_jwc"]).post(f"/supervision/{theirs.pk}/do/sign/").status_code == 404
    assert client_for(people["clerk"]).get(mine.get_absolute_url()).status_code == 404


def test_a_notice_on_a_report_is_invisible_to_the_accused(people, make_case, units, raise_notice, client_for):
    case = make_case("handling", unit="jwc", kind=Kind.REPORT)
    case.accused_units.add(units["jsj"])
    notice = raise_notice(case)
    assert client_for(people["head_jsj"]).get(notice.get_absolute_url()).status_code == 404
    assert client_for(people["head_jwc"]).get(notice.get_absolute_url()).status_code == 200
    form = client_for(people["office"]).get(f"/cases/{case.pk}/notices/new/").context["form"]
    assert units["jsj"] not in form.fields["unit"].queryset


def test_the_unit_answers_through_the_page_and_bad_input_keeps_what_was_typed(
    people, make_case, raise_notice, client_for
):
    notice = raise_notice(make_case("handling", unit="jwc"), suggestions="完善成绩录入复核")
    head = client_for(people["head_jwc"])
    page = head.get(notice.get_absolute_url()).content.decode()
    assert 'data-testid="do-sign"' in page and 'data-testid="do-answer"' in page and "do-close" not in page
    response = head.post(
        f"/supervision/{notice.pk}/do/answer/",
        {"answer-answer": "已更正两名学生成绩", "answer-adoption": "not_adopted", "answer-adoption_note": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "未采纳或部分采纳的，请写明原因。" in text and "已更正两名学生成绩" in text
    notice.refresh_from_db()
    assert notice.status == "sent"
    pdf = SimpleUploadedFile("说明.pdf", minimal_pdf(), content_type="application/pdf")
    response = head.post(
        f"/supervision/{notice.pk}/do/answer/",
        {
            "answer-answer": "已更正两名学生成绩",
            "answer-adoption": "adopted",
            "answer-attachments": [pdf],
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.adoption) == ("answered", "adopted")
    attachment = notice.attachments.get()
    office = client_for(people["office"])
    assert office.get(f"/cases/{notice.case_id}/attachments/{attachment.uuid}/").status_code == 200
    page = office.get(notice.get_absolute_url()).content.decode()
    assert "说明.pdf" in page and 'data-testid="do-close"' in page and 'data-testid="do-send_back"' in page
    assert office.post(f"/supervision/{notice.pk}/do/send_back/", {"send_back-reason": ""}).status_code == 400
    assert office.post(f"/supervision/{notice.pk}/do/close/", {"close-reason": "同意"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "closed"
    # a unit head cannot close, even by posting directly
    response = head.post(f"/supervision/{notice.pk}/do/close/", {"close-reason": "x"}, follow=True)
    assert "您不能执行" in response.content.decode()


def test_raising_the_same_notice_twice_makes_one(people, make_case, client_for):
    case = make_case("handling", unit="jwc")
    office = client_for(people["office"])
    trigger = Trigger.objects.get(code="not_executing")
    data = {"trigger": trigger.pk, "unit": case.main_unit_id, "form": "letter", "requirements": "三日内书面说明"}
    first = office.post(f"/cases/{case.pk}/notices/new/", data)
    second = office.post(f"/cases/{case.pk}/notices/new/", data, follow=True)
    notice = Notice.objects.get(case=case)
    assert first["Location"] == notice.get_absolute_url()
    assert "未重复发出" in second.content.decode()
    assert notice.form == "letter" and notice.requirements == "三日内书面说明"


def test_the_notice_form_checks_in_place(people, make_case, client_for):
    case = make_case("handling", unit="jwc")
    office = client_for(people["office"])
    response = office.post(f"/cases/{case.pk}/notices/new/", {"unit": case.main_unit_id, "requirements": "请说明"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择督办情形。" in text and "请说明" in text
    overdue = Trigger.objects.get(code="overdue")
    response = office.post(
        f"/cases/{case.pk}/notices/new/", {"trigger": overdue.pk, "unit": case.main_unit_id, "form": "online"}
    )
    assert response.status_code == 400 and "没有超期的办理时限" in response.content.decode()
    assert not Notice.objects.exists()
    assert client_for(people["head_jwc"]).get(f"/cases/{case.pk}/notices/new/").status_code == 403


def test_the_case_page_shows_its_notices(people, make_case, raise_notice, client_for):
    case = make_case("handling", unit="jwc")
    notice = raise_notice(case)
    page = client_for(people["office"]).get(case.get_absolute_url()).content.decode()
    assert notice.number in page and 'data-testid="raise-notice"' in page
    assert "发出督办单" in page  # on the timeline
    head_page = client_for(people["head_jwc"]).get(case.get_absolute_url()).content.decode()
    assert notice.number in head_page and 'data-testid="raise-notice"' not in head_page


def test_review_pages_record_a_request_and_refuse_a_late_one(people, make_case, client_for, today_is):
    from django.utils import timezone

    from cases.models import Case
    from core.days import day_start
    from deadlines.clocks import Event
    from deadlines.services import on_case_event

    today_is(dt.date(2026, 11, 2))  # after the reply, the window and the requests below
    case = make_case("replied", unit="jwc")
    Case.objects.filter(pk=case.pk).update(replied_at=timezone.make_aware(dt.datetime(2026, 6, 2, 10)))
    office = client_for(people["office"])
    page = office.get(case.get_absolute_url()).content.decode()
    # no delivery record yet: no window, and the page says why
    assert 'data-testid="record-review"' not in page and "复查申请期限尚未起算" in page
    on_case_event(case, Event.REPLY_DELIVERED, at=day_start(dt.date(2026, 6, 2)))
    page = office.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="record-review"' in page and "2026-07-02" in page
    late = {"received_on": "2026-07-03", "request_text": "不服处理意见", "body": "省教育厅"}
    response = office.post(f"/cases/{case.pk}/reviews/review/new/", late)
    assert response.status_code == 400
    assert "已超过复查申请期限" in response.content.decode() and "不服处理意见" in response.content.decode()
    response = office.post(f"/cases/{case.pk}/reviews/review/new/", {**late, "received_on": "2026-07-01"})
    assert response.status_code == 302
    assert case.review_requests.get().received_on == dt.date(2026, 7, 1)


def test_the_workbench_shows_the_supervision_work_waiting(people, make_case, raise_notice, client_for):
    from cases import services as case_services

    notice = raise_notice(make_case("handling", unit="jwc"))
    head = client_for(people["head_jwc"]).get("/")
    assert ("待签收、待反馈的督办单", 1, "/supervision/inbox/") in head.context["supervision"]
    assert client_for(people["head_jsj"]).get("/").context["supervision"][0][1] == 0
    services.notice_answer(notice=notice, actor=people["head_jwc"], answer="已办结")
    archived = make_case("archived", unit="jwc")
    case_services.case_follow_up(case=archived, actor=people["office"], satisfaction="dissatisfied", method="phone")
    office = client_for(people["office"]).get("/")
    counts = {label: n for label, n, _ in office.context["supervision"]}
    assert counts["待审核的督办反馈"] == 1 and counts["不满意待研判"] == 1
    assert f"研判 {archived.number}" in office.content.decode()


def test_viewing_a_notice_on_a_report_is_logged(people, make_case, units, raise_notice, client_for):
    from cases.models import CaseAccessLog

    case = make_case("handling", unit="jwc", kind=Kind.REPORT)
    notice = raise_notice(case)
    assert client_for(people["head_jwc"]).get(notice.get_absolute_url()).status_code == 200
    log = CaseAccessLog.objects.get(case=case, action="查看督办单")
    assert log.user == people["head_jwc"]
    plain = raise_notice(make_case("handling", unit="jwc"))
    client_for(people["head_jwc"]).get(plain.get_absolute_url())
    assert not CaseAccessLog.objects.filter(case=plain.case).exists()  # only protected cases


def test_a_review_page_answers_403_to_others_whether_or_not_a_review_exists(people, make_case, client_for):
    case = make_case("handling", unit="jwc")
    head = client_for(people["head_jwc"])
    assert head.get(f"/cases/{case.pk}/dissatisfaction/").status_code == 403
    assert head.get(f"/cases/{case.pk}/reviews/999/opinion/").status_code == 403


def test_another_units_notice_papers_stay_with_that_unit(people, make_case, units, raise_notice, client_for):
    """On a case two units handle, the 督办通知书 and answer files of 计算机工程学院's notice
    are not listed or served to 教务处; the office sees them all."""
    from documents.services import document_issue

    case = make_case("handling", unit="jwc")
    case.co_units.add(units["jsj"])
    notice = raise_notice(case, unit=units["jsj"])
    pdf = SimpleUploadedFile("计算机学院说明.pdf", minimal_pdf(), content_type="application/pdf")
    services.notice_answer(notice=notice, actor=people["head_jsj"], answer="已整改", files=[pdf])
    doc = document_issue(case=case, kind="supervision", actor=people["office"], subject=notice)
    attachment = notice.attachments.get()
    jwc, jsj, office = (client_for(people[u]) for u in ("head_jwc", "head_jsj", "office"))
    page = jwc.get(case.get_absolute_url()).content.decode()
    assert 'data-document="supervision"' not in page and "计算机学院说明.pdf" not in page
    assert jwc.get(f"/cases/{case.pk}/documents/{doc.pk}/").status_code == 404
    assert jwc.get(f"/cases/{case.pk}/attachments/{attachment.uuid}/").status_code == 404
    for c in (jsj, office):
        assert c.get(f"/cases/{case.pk}/documents/{doc.pk}/").status_code == 200
        assert c.get(f"/cases/{case.pk}/attachments/{attachment.uuid}/").status_code == 200
