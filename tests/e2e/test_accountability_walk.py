"""From an overdue case to a decided 责任追究, through the real pages, each person in a
fresh browser (seed 002 第十三–十四条; seed 004 第十九条).

The case is built through the services (it is handled by 教务处); its unit clock runs out
and the deadline scan raises a 催办 notice. The petition office's 马督办 sees the notice on
the 督办台账 and on the case page, opens an accountability case from that notice against
the unit's head 李教务, and proposes two measures that belong to two deciders: 通报批评
(the school office decides: 党政办公室's 成信访, never the proposer, seed 002 第十四条) and
纪律处分 (discipline/HR decides). Each decider sees only their own measure to decide; when
both are decided the case is 已决定. The person concerned then reads the
decided case and his record. The end state is checked in the database as well.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.models import AccountabilityCase, Ground, Measure, MeasureKind, PersonRecordEntry
from deadlines.clocks import Clock
from supervision.models import Notice
from supervision.scan import scan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FACTS_EXTRA = "经督办台账核实：教务处收到催办单后仍未在办理时限内办结，李教务作为部门负责人督促不力。"
PROPOSAL = "建议对李教务予以通报批评；其失职情节另移送纪检监察部门给予纪律处分。"
OFFICE_NOTE = "情况属实，予以全校通报批评。"
DISCIPLINE_NOTE = "经研究，给予警告处分。"


def test_overdue_notice_to_decided_accountability(reseeded, live_server, walk, make_case, people):
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    base = live_server.url
    ground = Ground.objects.get(code="not_handled")  # seeded by migration; `reseeded` restores it

    w = walk("acc-")
    shot, logged_in, shots, page_errors = w.shot, w.logged_in, w.shots, w.page_errors

    def measure_row(page, label: str):
        return (
            page.get_by_test_id("measures")
            .locator("tbody tr")
            .filter(has=page.locator("td:first-child", has_text=re.compile(rf"^{re.escape(label)}$")))
        )

    # 0. A case handled by 教务处 (built through the services), whose unit clock runs out:
    #    the due time is moved a minute into the past and the real deadline scan runs.
    case = make_case("handling", unit="jwc")
    number = case.number
    case_url = f"{base}{case.get_absolute_url()}"
    clock = (
        case.clocks.select_related("rule", "unit")
        .filter(rule__duty="unit", unit__code="jwc", status__in=("running", "due_soon"))
        .order_by("due_at")
        .first()
    )
    assert clock is not None, list(case.clocks.values("rule__code", "status"))
    now = timezone.now()
    Clock.objects.filter(pk=clock.pk).update(
        due_at=now - timedelta(minutes=1), due_date=timezone.localdate(now) - timedelta(days=1)
    )
    result = scan(now=now)
    assert (result.overdue, result.notices) == (1, 1), str(result)
    notice = Notice.objects.select_related("trigger", "unit").get(case=case)
    assert notice.status == "sent" and notice.get_level_display() == "催办"
    assert notice.trigger.code == "overdue" and notice.unit.code == "jwc"
    notice_number = notice.number
    notice_url = f"{base}/supervision/{notice.pk}/"

    # 1. The petition office (马督办) sees the notice the scan raised: on its board and on
    #    the case page.
    with logged_in("office2") as page:
        page.get_by_test_id("board-link").click()
        page.wait_for_url(f"{base}/supervision/")
        row = page.get_by_test_id("board").locator(f"tr[data-notice='{notice.pk}']")
        expect(row).to_be_visible()
        expect(row).to_contain_text(number)
        expect(row).to_contain_text("教务处")
        expect(row.get_by_test_id("notice-status")).to_have_text("已发出")
        shot(page, "office-board")

        page.goto(case_url)
        panel = page.get_by_test_id("supervision-panel").get_by_test_id("case-notices")
        expect(panel.get_by_role("link", name=notice_number)).to_be_visible()
        expect(panel.get_by_test_id("notice-status")).to_have_text("已发出")
        shot(page, "office-case-panel")

        panel.get_by_role("link", name=notice_number).click()
        page.wait_for_url(notice_url)
        expect(page.get_by_test_id("notice-unit")).to_have_text("教务处")
        expect(page.get_by_test_id("notice-reason")).to_contain_text("超过办理时限")
        shot(page, "office-notice")

        # 2. 立案 from the notice: its 据此追责 button opens the form with the notice as source.
        page.get_by_test_id("open-accountability").click()
        page.wait_for_url(f"{base}/accountability/new/?notice={notice.pk}")
        expect(page.get_by_role("link", name=notice_number)).to_be_visible()
        form = page.get_by_test_id("open-form")
        # prefilled from the notice: the unit it was sent to, and its reason as the facts
        expect(form.locator("input[name=subject_type][value=unit]")).to_be_checked()
        expect(form.locator("select[name=subject_unit] option:checked")).to_have_text("教务处")
        expect(form.locator("textarea[name=facts]")).to_have_value(notice.reason)
        # the office holds the unit's head to account
        form.locator("input[name=subject_type][value=person]").check()
        form.locator("select[name=subject_user]").select_option(label="李教务")
        form.locator(f"input[name=grounds][value='{ground.pk}']").check()
        facts = form.locator("textarea[name=facts]")
        facts.fill(f"{notice.reason}\n{FACTS_EXTRA}")
        shot(page, "office-open-form")
        page.get_by_test_id("do-open").click()
        page.wait_for_url(re.compile(rf"^{re.escape(base)}/accountability/\d+/$"))
        acc_url = page.url
        acc_number = page.get_by_test_id("acc-number").inner_text().strip()
        assert re.fullmatch(r"责\d{4}-\d{5}", acc_number), acc_number
        expect(page.get_by_role("alert").filter(has_text=f"已立案：{acc_number}")).to_be_visible()
        expect(page.get_by_test_id("status")).to_have_text("立案")
        expect(page.get_by_test_id("subject")).to_contain_text("李教务")
        expect(page.get_by_role("link", name=notice_number)).to_be_visible()
        expect(page.get_by_role("link", name=number, exact=True)).to_be_visible()
        expect(page.get_by_test_id("measures")).to_contain_text("尚未提出处理建议。")
        expect(page.get_by_test_id("form-decide")).to_have_count(0)
        shot(page, "office-opened")

        # 3. 提出处理建议: two measures, for two deciders.
        propose = page.get_by_test_id("form-propose")
        # a person's case offers the person measures only
        expect(propose.locator("input[name=kinds][value=unit_check]")).to_have_count(0)
        propose.locator(f"input[name=kinds][value={MeasureKind.CRITICIZE}]").check()
        propose.locator(f"input[name=kinds][value={MeasureKind.DISCIPLINE}]").check()
        propose.locator("textarea[name=reason]").fill(PROPOSAL)
        shot(page, "office-propose-form")
        page.get_by_test_id("do-propose").click()
        page.wait_for_url(acc_url)
        expect(page.get_by_test_id("status")).to_have_text("拟处理")
        expect(measure_row(page, "通报批评")).to_contain_text("待学校办公室决定")
        expect(measure_row(page, "纪律处分")).to_contain_text("待纪检监察/组织人事决定")
        # the proposer decides neither: 通报批评 is the school office's, never the proposer's
        # (seed 002 第十四条), and 纪律处分 discipline's
        expect(page.get_by_test_id("form-decide")).to_have_count(0)

    # 4. The school office (党政办公室's 成信访) decides 通报批评 — and only that: 纪律处分 is
    #    not its to decide.
    with logged_in("office") as page:
        page.goto(acc_url)
        decide = page.get_by_test_id("form-decide")
        options = decide.locator("select[name=measure] option")
        expect(options.filter(has_text="通报批评")).to_have_count(1)
        expect(options.filter(has_text="纪律处分")).to_have_count(0)
        criticize = Measure.objects.get(acase__pk=int(acc_url.rstrip("/").rsplit("/", 1)[1]), kind="criticize")
        decide.locator("select[name=measure]").select_option(str(criticize.pk))
        decide.locator("input[name=approve][value='1']").check()
        decide.locator("textarea[name=note]").fill(OFFICE_NOTE)
        shot(page, "office-decide-form")
        page.get_by_test_id("do-decide").click()
        page.wait_for_url(acc_url)
        # one measure still waits for discipline: the case stays 拟处理
        expect(page.get_by_test_id("status")).to_have_text("拟处理")
        expect(measure_row(page, "通报批评")).to_contain_text("已决定")
        expect(measure_row(page, "通报批评")).to_contain_text(f"成信访：{OFFICE_NOTE}")
        expect(measure_row(page, "纪律处分")).to_contain_text("待纪检监察/组织人事决定")
        expect(page.get_by_test_id("form-decide")).to_have_count(0)
        shot(page, "office-decided-criticize")

    # 5. Discipline finds the case in the list and decides 纪律处分; the case is 已决定.
    with logged_in("discipline") as page:
        page.get_by_test_id("accountability-link").click()
        page.wait_for_url(f"{base}/accountability/")
        expect(page.get_by_test_id("open-link")).to_have_count(0)  # only the office opens cases
        row = page.get_by_test_id("acc-list").locator("tbody tr").filter(has_text=acc_number)
        expect(row.get_by_test_id("status")).to_have_text("拟处理")
        shot(page, "discipline-list")
        row.get_by_role("link", name=acc_number).click()
        page.wait_for_url(acc_url)
        expect(page.get_by_test_id("form-propose")).to_have_count(0)
        decide = page.get_by_test_id("form-decide")
        options = decide.locator("select[name=measure] option")
        expect(options.filter(has_text="纪律处分")).to_have_count(1)
        expect(options.filter(has_text="通报批评")).to_have_count(0)
        discipline_measure = Measure.objects.get(acase_id=criticize.acase_id, kind="discipline")
        decide.locator("select[name=measure]").select_option(str(discipline_measure.pk))
        decide.locator("input[name=approve][value='1']").check()
        decide.locator("textarea[name=note]").fill(DISCIPLINE_NOTE)
        shot(page, "discipline-decide-form")
        page.get_by_test_id("do-decide").click()
        page.wait_for_url(acc_url)
        expect(page.get_by_role("alert").filter(has_text=f"已决定措施：{acc_number}，当前状态“已决定”")).to_be_visible()
        expect(page.get_by_test_id("status")).to_have_text("已决定")
        expect(measure_row(page, "纪律处分")).to_contain_text("已决定")
        expect(measure_row(page, "纪律处分")).to_contain_text(f"姚纪检：{DISCIPLINE_NOTE}")
        expect(measure_row(page, "通报批评")).to_contain_text(f"成信访：{OFFICE_NOTE}")
        expect(page.get_by_test_id("form-decide")).to_have_count(0)
        items = page.get_by_test_id("acc-history").locator(":scope > li")
        expected = [("立案", "马督办"), ("提出处理建议", "马督办"), ("作出决定", "姚纪检")]
        expect(items).to_have_count(len(expected))
        for i, (label, person) in enumerate(expected):
            expect(items.nth(i).locator("strong")).to_have_text(label)
            expect(items.nth(i)).to_contain_text(person)
        # discipline reads the person's record: both decided measures are on it
        page.get_by_test_id("record-link").click()
        page.wait_for_url(re.compile(r"/accountability/people/\d+/record/$"))
        expect(page.locator("body")).to_contain_text("通报批评")
        expect(page.locator("body")).to_contain_text("纪律处分")
        shot(page, "discipline-record")
        page.goto(acc_url)
        shot(page, "discipline-decided")

    # 6. The person concerned reads his case: decided, nothing for him to act on but 申诉.
    with logged_in("head_jwc") as page:
        page.goto(acc_url)
        expect(page.get_by_test_id("status")).to_have_text("已决定")
        expect(measure_row(page, "通报批评")).to_contain_text("已决定")
        expect(measure_row(page, "纪律处分")).to_contain_text("已决定")
        forms = page.locator("form[data-testid^=form-]")
        expect(forms).to_have_count(1)
        expect(page.get_by_test_id("form-appeal")).to_be_visible()
        expect(page.get_by_test_id("record-link")).to_be_visible()
        shot(page, "head-decided")

    # The database agrees.
    acase = AccountabilityCase.objects.select_related("notice", "case", "subject_user", "opened_by").get(
        pk=criticize.acase_id
    )
    assert acase.number == acc_number
    assert acase.status == AccountabilityCase.Status.DECIDED
    assert acase.notice_id == notice.pk and acase.case_id == case.pk
    assert acase.subject_unit_id is None and acase.subject_user.username == "head_jwc"
    assert acase.opened_by.username == "office2"
    assert acase.facts.endswith(FACTS_EXTRA)
    assert list(acase.grounds.values_list("code", flat=True)) == ["not_handled"]
    measures = {mm.kind: mm for mm in acase.measures.select_related("proposed_by", "decided_by")}
    assert set(measures) == {"criticize", "discipline"}
    for kind, decider, note in (("criticize", "office", OFFICE_NOTE), ("discipline", "discipline", DISCIPLINE_NOTE)):
        mm = measures[kind]
        assert mm.status == Measure.Status.DECIDED, (kind, mm.status)
        assert mm.proposed_by.username == "office2" and mm.proposal == PROPOSAL
        assert mm.decided_by.username == decider and mm.decision_note == note
        assert mm.decided_at is not None
        steps = [
            (h.history_type, h.status, h.history_user.username if h.history_user else None)
            for h in mm.history.select_related("history_user").order_by("history_id")
        ]
        assert steps == [("+", "proposed", "office2"), ("~", "decided", decider)], (kind, steps)
    history = list(acase.history.select_related("history_user").order_by("history_date", "history_id"))
    assert all(h.history_user_id is not None for h in history), [(h.transition, h.history_user_id) for h in history]
    assert [(h.transition, h.status, h.history_user.username) for h in history] == [
        ("立案", "opened", "office2"),
        ("提出处理建议", "proposed", "office2"),
        ("作出决定", "decided", "discipline"),
    ]
    assert history[1].history_change_reason == PROPOSAL
    assert history[2].history_change_reason == DISCIPLINE_NOTE
    entries = list(PersonRecordEntry.objects.filter(acase=acase).select_related("created_by", "measure"))
    assert sorted((e.measure.kind, e.created_by.username) for e in entries) == [
        ("criticize", "office"),
        ("discipline", "discipline"),
    ]
    assert all(e.person_id == people["head_jwc"].pk for e in entries)
    # the notice itself is untouched by the accountability case
    notice.refresh_from_db()
    assert notice.status == "sent"
    assert page_errors == [], page_errors
    print("\n".join(["screenshots:", *shots]))
