"""One letter (来信) from registration to follow-up, through the real pages, by five
different people, each in a fresh browser (seed 000 §四: 登记、受理、拟办、交办、承办、答复、归档、回访).
Each person whose turn it is finds the case through the notification the hand-off sent
them (issue 14): the office its registration, the leader the proposal, the unit the
assignment, the office the reply.
While the unit handles it the case runs past its due date: the deadline scan sends a 催办
notice, the unit answers it in writing and the office closes it (seed 000 §四.7).

Every step is done the way the person would do it: log in through /login/, find the case
(by its URL or from the workbench queue it waits in), press the action button, fill the
form, submit. The end state is then checked in the database as well.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cases.models import Case
from deadlines.clocks import Clock
from notifications.models import Notification
from people.demo import ensure_people
from supervision.models import Notice
from supervision.scan import scan
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


PETITIONER = "李明华"
PHONE = "13812345678"
SUMMARY = "反映计算机应用技术专业期末考试成绩录入错误，申请复核并更正成绩"
PDF_NAME = "来信扫描件.pdf"
ANSWER_PDF_NAME = "督办反馈材料.pdf"
ANSWER = "已核查成绩录入记录，确认系教师录入错行所致，正在履行更正审批程序，预计三个工作日内答复信访人。"
CLOSE_NOTE = "反馈情况清楚，整改措施具体，予以办结。"


def minimal_pdf() -> bytes:
    """A small but well-formed one-page PDF (header, objects, xref with true offsets)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # content stream, filled below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 18 Tf 72 770 Td (Letter scan - e2e test) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_letter_from_registration_to_archive(reseeded, live_server, walk, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    ensure_people(password=PASSWORD)
    base = live_server.url
    today = timezone.localdate()
    due = today + timedelta(days=14)
    pdf = minimal_pdf()
    pdf_path = tmp_path / PDF_NAME
    pdf_path.write_bytes(pdf)
    answer_pdf_path = tmp_path / ANSWER_PDF_NAME
    answer_pdf_path.write_bytes(pdf)

    w = walk("")
    shot, logged_in, shots, page_errors = w.shot, w.logged_in, w.shots, w.page_errors

    def state_badge(page):
        return page.get_by_test_id("case-state")

    def expect_state(page, value: str, label: str) -> None:
        expect(state_badge(page)).to_have_attribute("data-state", value)
        expect(state_badge(page)).to_have_text(label)

    def run_action(page, key: str, case_url: str):
        """Press an action button on the case page; land on its form."""
        page.locator(f"[data-testid=actions] a[data-action={key}]").click()
        page.wait_for_url(f"{case_url}do/{key}/")

    def submit_action(page, case_url: str) -> None:
        page.get_by_test_id("submit-action").click()
        page.wait_for_url(case_url)

    def open_from_notification(page, words: str, number: str, case_url: str) -> None:
        """The hand-off told them: the unread badge, the notification, and one click to the case."""
        expect(page.get_by_test_id("notifications-link").locator(".badge")).to_be_visible()
        page.get_by_test_id("notifications-link").click()
        page.wait_for_url(f"{base}/notifications/")
        item = page.get_by_test_id("notifications").locator("li").filter(has_text=words).filter(has_text=number)
        expect(item).to_have_count(1)
        expect(item).to_contain_text("未读")
        shot(page, "notification")
        item.get_by_role("button").click()
        page.wait_for_url(case_url)

    def open_from_queue(page, queue: str, number: str, case_url: str) -> None:
        """The case waits in the user's workbench queue; open it from there."""
        card = page.locator(f"[data-queue={queue}]")
        expect(card.get_by_role("link", name=number)).to_be_visible()
        card.get_by_role("link", name=number).click()
        page.wait_for_url(case_url)

    # 1. 登记 — the clerk registers the letter with its scan attached.
    with logged_in("clerk") as page:
        expect(page.get_by_test_id("whoami")).to_contain_text("周登记")
        page.goto(f"{base}/cases/new/")
        page.fill("#id_name", PETITIONER)
        page.keyboard.press("Tab")  # the form is filled in the paper form's order
        expect(page.locator("#id_phone")).to_be_focused()
        page.keyboard.type(PHONE)
        page.select_option("#id_channel", "letter")
        expect(page.locator("#id_received_on")).to_have_value(today.isoformat())
        page.select_option("#id_kind", "complaint")
        page.fill("#id_summary", SUMMARY)
        page.set_input_files("#id_attachments", str(pdf_path))
        shot(page, "clerk-registration-form")
        # The page offers Ctrl+Enter to submit: use it, as a clerk at the keyboard would.
        page.locator("#id_summary").press("Control+Enter")
        page.wait_for_url(re.compile(rf"^{re.escape(base)}/cases/\d+/$"))
        case_url = page.url
        number = page.get_by_test_id("case-number").inner_text().strip()
        assert re.fullmatch(r"\d{4}-\d{4}", number), number
        assert number.startswith(f"{today.year}-"), number
        expect_state(page, "registered", "登记")
        expect(page.get_by_role("alert").filter(has_text=f"已登记信访件 {number}")).to_be_visible()
        expect(page.get_by_test_id("summary")).to_have_text(SUMMARY)
        expect(page.get_by_role("link", name=PDF_NAME)).to_be_visible()
        shot(page, "clerk-registered")

    # 2. 受理 and 拟办 — the office accepts and proposes 教务处, reporting to 王分管.
    with logged_in("office") as page:
        open_from_notification(page, "新登记信访件，待受理", number, case_url)
        # the scan is readable by the office, byte for byte
        with page.expect_download() as download:
            page.get_by_role("link", name=PDF_NAME).click()
        assert download.value.suggested_filename == PDF_NAME
        assert Path(download.value.path()).read_bytes() == pdf

        run_action(page, "accept", case_url)
        page.fill("#id_reason", "属于学院职责范围，予以受理。")
        shot(page, "office-accept-form")
        submit_action(page, case_url)
        expect_state(page, "accepted", "受理")

        run_action(page, "propose", case_url)
        page.select_option("#id_main_unit", label="教务处")
        page.select_option("#id_approving_leader", label="王分管")
        page.fill("#id_proposal", "拟请教务处牵头核查成绩录入情况，十五个工作日内答复信访人。")
        shot(page, "office-propose-form")
        submit_action(page, case_url)
        expect_state(page, "proposed", "拟办")
        expect(page.get_by_test_id("main-unit")).to_have_text("教务处")
        shot(page, "office-proposed")

    # 3. 批示交办 — the leader finds it in 待批示 and assigns it with a due date.
    with logged_in("leader") as page:
        count = page.get_by_test_id("count-to_approve")
        expect(count).to_be_visible()
        assert int(count.inner_text()) >= 1
        shot(page, "leader-workbench")
        open_from_notification(page, "拟办意见待您批示", number, case_url)
        run_action(page, "assign", case_url)
        page.fill("#id_instruction", "请教务处认真核实，依规更正，及时答复信访人。")
        page.fill("#id_due_date", due.isoformat())
        page.fill("#id_requirements", "两周内报送结案报告。")
        shot(page, "leader-assign-form")
        submit_action(page, case_url)
        expect_state(page, "assigned", "交办")
        expect(page.get_by_text(due.isoformat(), exact=True)).to_be_visible()
        # the unit's clock now runs to the leader's due date (seed 000 §四.5)
        unit_clock = page.get_by_test_id("clocks").locator("tr[data-clock='unit-result']")
        expect(unit_clock).to_contain_text(due.isoformat())
        expect(unit_clock).to_contain_text("剩余 14 天")
        shot(page, "leader-assigned")

    # 4. 承办 — the unit's receptionist takes the case for 教务处.
    with logged_in("recep_jwc") as page:
        open_from_notification(page, f"交办（主办），请签收办理，限 {due:%Y年%-m月%-d日} 前办结", number, case_url)
        run_action(page, "take", case_url)
        expect(page.get_by_text("确认由本部门承办此件？")).to_be_visible()
        submit_action(page, case_url)
        expect_state(page, "handling", "承办")
        shot(page, "recep-taken")

    # 5. 超期催办 — the unit's clock runs out: its due time is moved a minute into the
    #    past, as if the days had gone by, and the deadline scan (the function beat runs)
    #    finds it and sends the unit a 催办 notice.
    case = Case.objects.get(number=number)
    clock = (
        case.clocks.select_related("rule", "unit")
        .filter(rule__duty="unit", unit__isnull=False, status__in=("running", "due_soon"))
        .order_by("due_at")
        .first()
    )
    assert clock is not None and clock.rule.code == "unit-result", clock
    assert clock.unit.code == "jwc" and clock.due_date == due
    now = timezone.now()
    Clock.objects.filter(pk=clock.pk).update(
        due_at=now - timedelta(minutes=1), due_date=timezone.localdate(now) - timedelta(days=1)
    )
    result = scan(now=now)
    assert (result.overdue, result.notices) == (1, 1), str(result)
    clock.refresh_from_db()
    assert clock.status == "overdue"
    assert Notice.objects.filter(case=case).count() == 1
    notice = Notice.objects.select_related("trigger", "unit").get(case=case)
    assert notice.status == "sent" and notice.level == 1 and notice.get_level_display() == "催办"
    assert notice.trigger.code == "overdue" and notice.unit.code == "jwc" and notice.clock_id == clock.pk
    notice_number = notice.number
    notice_url = f"{base}/supervision/{notice.pk}/"
    head_unread = Notification.objects.filter(user__username="head_jwc", read_at=None).count()
    assert head_unread >= 1

    # 6. 书面反馈 — the unit head sees the reminder, finds the notice in the unit's inbox
    #    and answers it in writing with a supporting document (signing it in the same step).
    with logged_in("head_jwc") as page:
        badge = page.get_by_test_id("notifications-link").locator(".badge")
        expect(badge).to_have_text(str(head_unread))
        page.get_by_test_id("notifications-link").click()
        page.wait_for_url(f"{base}/notifications/")
        expect(page.get_by_test_id("notifications")).to_contain_text("时限提醒：新超期 1 项")
        shot(page, "head-notifications")

        page.get_by_test_id("inbox-link").click()
        page.wait_for_url(f"{base}/supervision/inbox/")
        row = page.get_by_test_id("inbox").locator("tbody tr").filter(has_text=notice_number)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(number)
        expect(row).to_contain_text("催办")
        expect(row.get_by_test_id("notice-status")).to_have_text("已发出")
        shot(page, "head-inbox")
        row.get_by_role("link", name=notice_number).click()
        page.wait_for_url(notice_url)

        expect(page.get_by_test_id("notice-number")).to_have_text(notice_number)
        expect(page.get_by_test_id("notice-status")).to_have_text("已发出")
        expect(page.get_by_test_id("notice-unit")).to_have_text("教务处")
        expect(page.get_by_test_id("notice-reason")).to_contain_text("超过办理时限")
        expect(page.get_by_test_id("form-sign")).to_be_visible()
        expect(page.get_by_test_id("form-close")).to_have_count(0)
        form = page.get_by_test_id("form-answer")
        form.get_by_label("书面反馈（办理情况）").fill(ANSWER)
        form.locator("input[name=answer-attachments]").set_input_files(str(answer_pdf_path))
        shot(page, "head-notice-answer-form")
        page.get_by_test_id("do-answer").click()
        page.wait_for_url(notice_url)
        expect(page.get_by_role("alert").filter(has_text=f"已书面反馈：{notice_number}")).to_be_visible()
        expect(page.get_by_test_id("notice-status")).to_have_text("已反馈")
        expect(page.get_by_test_id("answer")).to_have_text(ANSWER)
        expect(page.get_by_role("link", name=ANSWER_PDF_NAME)).to_be_visible()
        history = page.get_by_test_id("notice-history")
        expect(history).to_contain_text("签收督办单")
        expect(history).to_contain_text("书面反馈")
        # answered: nothing left for the unit to do until the office decides
        expect(page.locator("form[data-testid^=form-]")).to_have_count(0)
        shot(page, "head-notice-answered")

    # 7. 督办办结 — the office finds the answered notice on its board and closes it.
    with logged_in("office") as page:
        page.get_by_test_id("board-link").click()
        page.wait_for_url(f"{base}/supervision/")
        filters = page.get_by_test_id("board-filters")
        filters.locator("select[name=status]").select_option("answered")
        filters.get_by_role("button", name="筛选").click()
        page.wait_for_url(re.compile(r"/supervision/\?.*status=answered"))
        row = page.get_by_test_id("board").locator(f"tr[data-notice='{notice.pk}']")
        expect(row).to_be_visible()
        expect(row).to_contain_text(number)
        expect(row).to_contain_text("教务处")
        expect(row.get_by_test_id("notice-status")).to_have_text("已反馈")
        shot(page, "office-board")
        row.get_by_role("link", name=notice_number).click()
        page.wait_for_url(notice_url)
        expect(page.get_by_test_id("notice-status")).to_have_text("已反馈")
        expect(page.get_by_test_id("answer")).to_have_text(ANSWER)
        # the unit's document reaches the office byte for byte
        with page.expect_download() as download:
            page.get_by_role("link", name=ANSWER_PDF_NAME).click()
        assert download.value.suggested_filename == ANSWER_PDF_NAME
        assert Path(download.value.path()).read_bytes() == pdf
        expect(page.get_by_test_id("form-send_back")).to_be_visible()
        page.get_by_test_id("form-close").locator("textarea[name=close-reason]").fill(CLOSE_NOTE)
        shot(page, "office-notice-close-form")
        page.get_by_test_id("do-close").click()
        page.wait_for_url(notice_url)
        expect(page.get_by_role("alert").filter(has_text=f"已办结：{notice_number}")).to_be_visible()
        expect(page.get_by_test_id("notice-status")).to_have_text("已办结")
        expect(page.locator("form[data-testid^=form-]")).to_have_count(0)
        expect(page.get_by_test_id("notice-history")).to_contain_text("督办办结")
        shot(page, "office-notice-closed")

        # the case page lists the notice, and its timeline the notice's steps
        page.get_by_role("link", name=number, exact=True).click()
        page.wait_for_url(case_url)
        expect_state(page, "handling", "承办")
        notices = page.get_by_test_id("supervision-panel").get_by_test_id("case-notices")
        expect(notices.get_by_role("link", name=notice_number)).to_be_visible()
        expect(notices.get_by_test_id("notice-status")).to_have_text("已办结")
        items = page.get_by_test_id("timeline").locator(":scope > li")
        steps = [
            ("发出督办单", "系统（超期扫描）"),
            ("签收督办单", "李教务"),
            ("书面反馈", "李教务"),
            ("督办办结", "成信访"),
        ]
        for label, person in steps:
            expect(items.filter(has=page.locator("strong", has_text=label))).to_contain_text(person)
        shot(page, "office-case-supervised")

    # 8. 答复 — the unit head writes the closing report and replies (支持).
    with logged_in("head_jwc") as page:
        open_from_queue(page, "handling", number, case_url)
        run_action(page, "reply", case_url)
        page.fill("#id_facts", "经查，该生期末考试成绩因教师录入时错行，录入有误。")
        page.fill("#id_conclusion", "信访人反映的情况属实。")
        page.fill("#id_handling", "依据《学生成绩管理办法》第十二条，已更正成绩并通知本人。")
        page.fill("#id_petitioner_opinion", "信访人表示满意。")
        page.check("input[name=outcome][value=support]")
        shot(page, "head-reply-form")
        submit_action(page, case_url)
        expect_state(page, "replied", "答复")
        expect(page.get_by_test_id("outcome")).to_have_text("支持")
        shot(page, "head-replied")

    # 9. 归档 — the office issues the 信访处理意见书, records that the petitioner signed for it
    #    (a case is filed only once its answer has reached the petitioner), and files the
    #    case; the timeline shows who did what.
    with logged_in("office") as page:
        open_from_notification(page, "承办部门已答复，待送达归档", number, case_url)
        page.locator("[data-testid=document-actions] button[data-issue=opinion]").click()
        page.wait_for_url(re.compile(rf"^{re.escape(case_url)}documents/\d+/"))
        page.get_by_test_id("issue").click()
        page.wait_for_url(case_url)
        opinion = page.locator('[data-document="opinion"]')
        expect(opinion.get_by_test_id("delivery-status")).to_contain_text("未送达")
        form = opinion.get_by_test_id("delivery-form")
        form.get_by_label("送达方式").select_option(label="当面送达")
        form.get_by_label("送达日期").fill(timezone.localdate().isoformat())
        form.get_by_label("备注").fill("信访人本人签收")
        form.get_by_role("button", name="登记送达").click()
        page.wait_for_url(case_url)
        expect(page.locator('[data-document="opinion"]').get_by_test_id("delivery-status")).to_contain_text("已送达")
        shot(page, "office-opinion-delivered")
        run_action(page, "archive", case_url)
        submit_action(page, case_url)
        expect_state(page, "archived", "归档")
        expected = [
            ("登记", "周登记"),
            ("受理", "成信访"),
            ("拟办", "成信访"),
            ("批示交办", "王分管"),
            ("承办", "张接待"),
            ("发出督办单", "系统（超期扫描）"),
            ("签收督办单", "李教务"),
            ("书面反馈", "李教务"),
            ("督办办结", "成信访"),
            ("答复", "李教务"),
            ("制作文书", "成信访"),
            ("文书送达", "成信访"),
            ("归档", "成信访"),
        ]
        items = page.get_by_test_id("timeline").locator(":scope > li")
        expect(items).to_have_count(len(expected))
        for i, (label, person) in enumerate(expected):
            expect(items.nth(i).locator("strong")).to_have_text(label)
            expect(items.nth(i)).to_contain_text(person)
        shot(page, "office-archived")

        # 10. 回访 — the office calls the petitioner and records their rating.
        run_action(page, "follow-up", case_url)
        page.check("input[name=satisfaction][value=satisfied]")
        page.select_option("#id_method", "phone")
        page.fill("#id_comment", "信访人对处理结果表示满意。")
        submit_action(page, case_url)
        expect_state(page, "followed_up", "跟踪")
        shot(page, "office-followed-up")

    # The database agrees: archived, and every step is recorded with the person who took it.
    case = Case.objects.get(number=number)
    assert case.state == "followed_up" and case.satisfaction == "satisfied"
    assert case.channel == "letter" and case.kind == "complaint"
    assert case.petitioner.name == PETITIONER and case.petitioner.phone == PHONE
    assert case.main_unit.code == "jwc" and case.approving_leader.username == "leader"
    assert case.due_date == due and case.outcome == "support"
    assert [a.original_name for a in case.attachments.all()] == [PDF_NAME, ANSWER_PDF_NAME]
    history = list(case.history.select_related("history_user").order_by("history_date", "history_id"))
    assert all(h.history_user_id is not None for h in history), [(h.transition, h.history_user_id) for h in history]
    steps = [(h.transition, h.history_user.username) for h in history if h.transition]
    assert steps == [
        ("登记", "clerk"),
        ("受理", "office"),
        ("拟办", "office"),
        ("批示交办", "leader"),
        ("承办", "recep_jwc"),
        ("答复", "head_jwc"),
        ("制作文书", "office"),
        ("文书送达", "office"),
        ("归档", "office"),
        ("回访", "office"),
    ]
    # whose turn it was heard of it, and nobody of their own step
    told = set(Notification.objects.filter(case=case).values_list("user__username", "text"))
    for username, words in [
        ("office", "新登记信访件，待受理"),
        ("office2", "新登记信访件，待受理"),
        ("leader", "拟办意见待您批示"),
        ("head_jwc", "交办（主办）"),
        ("recep_jwc", "交办（主办）"),
        ("office", "承办部门已答复，待送达归档"),
        ("office2", "信访处理意见书已签发，待登记送达"),
    ]:
        assert any(u == username and words in text for u, text in told), (username, words, told)
    assert not any(u == "clerk" for u, _ in told)
    assert not any(u == "office" and "待登记送达" in text for u, text in told)
    # ... and the notice: answered by the unit with its document, closed by the office.
    notice.refresh_from_db()
    assert Notice.objects.filter(case=case).count() == 1
    assert notice.status == "closed"
    assert notice.signed_by.username == "head_jwc"
    assert notice.answered_by.username == "head_jwc" and notice.answer == ANSWER
    assert notice.closed_by.username == "office"
    assert notice.attachments.count() == 1
    assert notice.attachments.get().original_name == ANSWER_PDF_NAME
    notice_history = list(notice.history.select_related("history_user").order_by("history_id"))
    notice_steps = [(h.transition, h.history_user.username if h.history_user else None) for h in notice_history]
    assert notice_steps == [
        ("发出督办单", None),  # the scan, no person
        ("签收督办单", "head_jwc"),
        ("书面反馈", "head_jwc"),
        ("督办办结", "office"),
    ]
    assert notice_history[-1].history_change_reason == CLOSE_NOTE
    assert page_errors == [], page_errors
    print("\n".join(["screenshots:", *shots]))
