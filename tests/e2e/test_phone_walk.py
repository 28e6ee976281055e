"""A leader gives the 批示 on a phone (issue 14.7): 390 by 844 px, touch, the way an iPhone
shows the site. The navbar folds behind its toggler, the case list turns into cards, the
case page stacks its panels, and no page is wider than the screen: on every page visited
`document.documentElement.scrollWidth` stays within 390 (a mobile browser would otherwise
zoom out, or scroll the whole page sideways).

The case reaches 待批示 through the services (make_case); the leader then does what they
would do on the phone: log in through /login/, open the menu, find the case, give the
批示 through the real form. A few more pages, for other people, are checked for width.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import State
from deadlines.clocks import Clock
from supervision.scan import scan
from tests.e2e.conftest import PASSWORD, Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 390
PHONE = {
    "viewport": {"width": WIDTH, "height": 844},
    "screen": {"width": WIDTH, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# an address pasted into the summary: one unbroken string, far wider than the phone
LONG_URL = "https://jwc.example.edu.cn/cjcx/" + "0123456789abcdef" * 5
SUMMARY = f"反映期末考试成绩录入错误，详见 {LONG_URL}"
INSTRUCTION = "请教务处认真核实，依规更正，及时答复信访人。"

# What sticks out past the screen's right edge and is not inside a box that scrolls or
# clips it: named in the failure message, so that a regression says where it is.
WIDE_ELEMENTS = """(width) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.right > width + 0.5)) continue;
    let p = el.parentElement, clipped = false;
    for (; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    const cls = typeof el.className === 'string' ? el.className.trim().replace(/\\s+/g, '.') : '';
    const text = (el.textContent || '').trim().slice(0, 40);
    wide.push(`${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} (right edge ${Math.round(r.right)}): ${text}`);
  }
  return wide.slice(0, 8);
}"""


class PhoneWalk(Walk):
    """Walk's screenshots and page errors, on a phone. Logged in through the real form like
    Walk.logged_in, but the check that the login worked differs: on a phone who is logged
    in sits in the folded menu, out of sight until the toggler opens it."""

    @contextmanager
    def logged_in(self, username: str, *, viewport: dict | None = None):
        from playwright.sync_api import expect

        context = self.browser.new_context(**PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.page_errors.append(f"{username}: {exc}"))
        page.on("console", lambda msg: self._console(username, msg))
        try:
            page.goto(f"{self.base}/login/")
            assert_fits(page, "/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.locator("form button[type=submit]").click()
            page.wait_for_url(f"{self.base}/")
            expect(page.get_by_test_id("menu-toggler")).to_be_visible()
            expect(page.get_by_test_id("whoami")).to_be_hidden()
            yield page
        finally:
            context.close()


def assert_fits(page, where: str) -> None:
    """The page is no wider than the phone: nothing makes it scroll sideways."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    wide = [] if scroll_width <= WIDTH else page.evaluate(WIDE_ELEMENTS, WIDTH)
    assert scroll_width <= WIDTH, f"{where} is {scroll_width} px wide on a {WIDTH} px phone: {wide}"


def open_menu(page) -> None:
    """Tap the toggler: the folded menu opens with 通知, who is logged in and 退出."""
    from playwright.sync_api import expect

    menu = page.locator("#main-menu")
    toggler = page.get_by_test_id("menu-toggler")
    expect(page.get_by_test_id("notifications-link")).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.tap()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_test_id("notifications-link")).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_be_visible()
    expect(menu.get_by_role("button", name="退出")).to_be_visible()
    assert_fits(page, f"{page.url} with its menu open")


def go_by_menu(page, link, url: str) -> None:
    """Open the menu and follow one of its links, as a thumb would."""
    open_menu(page)
    link.tap()
    page.wait_for_url(url)
    assert_fits(page, url)


def test_a_leader_gives_the_instruction_on_a_phone(reseeded, make_case, live_server, chromium, artifacts_dir):
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    base = live_server.url
    case = make_case(State.PROPOSED, unit="jwc", summary=SUMMARY)
    make_case(State.HANDLING, unit="jwc")
    assert case.approving_leader.username == "leader"
    case_url = f"{base}/cases/{case.pk}/"
    due = timezone.localdate() + timedelta(days=14)

    w = PhoneWalk(chromium, base, artifacts_dir, "phone-")
    with w.logged_in("leader") as page:
        # 工作台: the case waits in 待批示
        assert_fits(page, "/")
        queue = page.locator("[data-queue=to_approve]")
        expect(queue.get_by_role("link", name=case.number)).to_be_visible()
        w.shot(page, "leader-workbench")
        open_menu(page)
        expect(page.get_by_test_id("whoami")).to_contain_text("王分管")
        w.shot(page, "leader-menu-open")
        page.get_by_test_id("menu-toggler").tap()
        expect(page.get_by_test_id("notifications-link")).to_be_hidden()

        # 信访件: one card a case, each line a label and its value
        go_by_menu(page, page.locator("#main-menu").get_by_role("link", name="信访件", exact=True), f"{base}/cases/")
        table = page.locator("table.cases")
        expect(table.locator("thead th").filter(has_text="信访人")).to_be_hidden()
        expect(table.get_by_role("link", name="编号")).to_be_visible()  # the sort links stay
        row = table.locator("tbody tr").filter(has=page.get_by_role("link", name=case.number, exact=True))
        expect(row).to_be_visible()
        assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
        state = row.locator("td[data-label=状态]")
        assert state.evaluate("td => getComputedStyle(td, '::before').content") == '"状态"'
        # the cards stack: the state sits below the summary, not beside it
        summary_box = row.locator("td[data-label=主要问题]").bounding_box()
        state_box = state.bounding_box()
        assert state_box["y"] >= summary_box["y"] + summary_box["height"] - 1, (summary_box, state_box)
        w.shot(page, "leader-case-list")

        # the case page, opened from the workbench queue: its panels one above the other
        go_by_menu(page, page.locator("#main-menu").get_by_role("link", name="工作台"), f"{base}/")
        queue.get_by_role("link", name=case.number).tap()
        page.wait_for_url(case_url)
        assert_fits(page, case_url)
        details = page.locator(".card").filter(has_text="登记信息").first.bounding_box()
        clocks = page.get_by_test_id("clocks").bounding_box()
        assert clocks["y"] >= details["y"] + details["height"], (details, clocks)
        assert abs(clocks["x"] - details["x"]) < 20, (details, clocks)
        # the pasted address wraps inside the screen
        summary = page.get_by_test_id("summary")
        expect(summary).to_contain_text(LONG_URL)
        box = summary.bounding_box()
        assert box["x"] + box["width"] <= WIDTH, box
        w.shot(page, "leader-case")

        # 批示交办 through the real form
        page.locator("[data-testid=actions] a[data-action=assign]").tap()
        page.wait_for_url(f"{case_url}do/assign/")
        assert_fits(page, "the 批示 form")
        # 常用语: one tap puts 同意拟办意见。 in the field; the leader then writes their own
        page.get_by_test_id("phrases-instruction").get_by_role("button").filter(has_text="同意拟办意见。").first.tap()
        expect(page.locator("#id_instruction")).to_have_value("同意拟办意见。")
        page.fill("#id_instruction", INSTRUCTION)
        page.fill("#id_due_date", due.isoformat())
        page.fill("#id_requirements", "两周内报送结案报告。")
        for field in ("#id_instruction", "#id_due_date", "#id_requirements"):
            box = page.locator(field).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (field, box)
        submit = page.get_by_test_id("submit-action")
        submit.scroll_into_view_if_needed()
        w.shot(page, "leader-instruction-form")
        submit.tap()
        page.wait_for_url(case_url)
        expect(page.get_by_test_id("case-state")).to_have_attribute("data-state", "assigned")
        expect(page.get_by_test_id("case-state")).to_have_text("交办")
        expect(page.get_by_text(INSTRUCTION, exact=True).first).to_be_visible()
        assert_fits(page, "the case after the 批示")
        w.shot(page, "leader-instruction-given")

        # 通知, 超期预警 and 领导看板 from the menu
        go_by_menu(page, page.get_by_test_id("notifications-link"), f"{base}/notifications/")
        expect(page.get_by_test_id("notifications")).to_be_visible()
        w.shot(page, "leader-notifications")
        go_by_menu(page, page.get_by_role("link", name="超期预警"), f"{base}/deadlines/")
        expect(page.get_by_test_id("overdue-list")).to_be_visible()
        go_by_menu(page, page.get_by_test_id("dashboard-link"), f"{base}/dashboard/")
        page.wait_for_selector("#chart-units canvas")
        assert_fits(page, "/dashboard/ with its charts drawn")
        w.shot(page, "leader-dashboard")

    case.refresh_from_db()
    assert case.state == State.ASSIGNED
    assert (case.instruction, case.due_date) == (INSTRUCTION, due)
    last = case.history.order_by("-history_id").first()
    assert (last.history_user.username, last.history_change_reason) == ("leader", INSTRUCTION)
    assert not w.page_errors, w.page_errors


def test_other_pages_fit_a_phone(reseeded, make_case, live_server, chromium, artifacts_dir):
    """Registration, the lists and the boards, each with a row in it, for the people who
    use them: none is wider than the phone, and each one's menu opens."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    base = live_server.url
    handling = make_case(State.HANDLING, unit="jwc", summary=SUMMARY)
    make_case(State.PROPOSED, unit="jsj")
    make_case(State.REPLIED, unit="jsj")
    # the unit's clock runs out: the scan marks it overdue, sends a 催办 notice and notifies
    clock = handling.clocks.filter(rule__duty="unit", unit__isnull=False).order_by("due_at").first()
    now = timezone.now()
    Clock.objects.filter(pk=clock.pk).update(
        due_at=now - timedelta(minutes=1), due_date=timezone.localdate(now) - timedelta(days=1)
    )
    assert scan(now=now).overdue == 1

    pages = {
        "clerk": ["/cases/new/", "/cases/"],
        "leader": ["/queues/to_approve/", "/deadlines/", f"/cases/{handling.pk}/"],
        "office": ["/", "/cases/", "/deadlines/", "/supervision/", "/accountability/", "/ledger/", "/dashboard/"],
        "head_jwc": [
            "/",
            "/unit/",
            "/supervision/inbox/",
            "/notifications/",
            "/notifications/settings/",
            f"/cases/{handling.pk}/",
        ],
    }
    w = PhoneWalk(chromium, base, artifacts_dir, "phone-other-")
    for username, urls in pages.items():
        with w.logged_in(username) as page:
            assert_fits(page, f"{username} /")
            if username == "clerk":
                # the folded menu's links keep their access keys (app.js)
                page.keyboard.press("Alt+KeyN")
                page.wait_for_url(f"{base}/cases/new/")
            for url in urls:
                response = page.goto(base + url)
                assert response.status == 200, (username, url, response.status)
                assert_fits(page, f"{username} {url}")
                w.shot(page, f"{username}-{url.strip('/').replace('/', '-') or 'workbench'}")
            open_menu(page)
    assert not w.page_errors, w.page_errors
