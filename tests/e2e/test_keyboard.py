"""The keyboard (issue 14, point 6): the first field of a form has the cursor, `?` shows
the shortcuts, `/` goes to the search, `j`/`k` move through a list and Enter opens the
row, and Alt+N lands in the registration form's 姓名."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_office_worker_gets_around_by_keyboard(reseeded, live_server, walk, people, make_case):
    from playwright.sync_api import expect

    first, second = make_case("registered"), make_case("registered")
    assert PASSWORD
    w = walk("keyboard-")
    with w.logged_in("office") as page:
        # the menu's 常用查询 open with their counts: two cases wait for 受理
        page.get_by_test_id("saved-menu").get_by_role("button", name="常用查询").click()
        waiting = page.locator("#saved-searches a").filter(has_text="待受理")
        expect(waiting.get_by_test_id("saved-count")).to_have_text("2")
        page.keyboard.press("Escape")

        # ? opens the shortcuts, Esc closes them
        page.keyboard.press("?")
        dialog = page.get_by_test_id("shortcuts")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("键盘快捷键")
        w.shot(page, "shortcuts")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()

        # / from the workbench: the case list, its search field focused
        page.keyboard.press("/")
        page.wait_for_url(f"{live_server.url}/cases/#search")
        expect(page.locator("input[name=q]")).to_be_focused()
        # / again on the list focuses the field; typing there is not a shortcut
        page.keyboard.type("j")
        expect(page.locator("input[name=q]")).to_have_value("j")
        page.locator("input[name=q]").fill("")
        page.locator("h1").first.click()

        # j, j, k: the first row (newest first: the second case), down, back up; Enter opens it
        rows = page.locator("main table tbody tr")
        page.keyboard.press("j")
        expect(rows.nth(0)).to_have_class("kbd-current")
        page.keyboard.press("j")
        expect(rows.nth(1)).to_have_class("kbd-current")
        expect(rows.nth(0)).not_to_have_class("kbd-current")
        page.keyboard.press("k")
        expect(rows.nth(0)).to_have_attribute("aria-current", "true")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}{second.get_absolute_url()}")

        # an action form: its first field has the cursor
        page.goto(f"{live_server.url}/cases/{first.pk}/do/accept/")
        expect(page.locator("#id_reason")).to_be_focused()
        # Alt+1 puts the first 常用语 in at the cursor
        page.keyboard.press("Alt+1")
        expect(page.locator("#id_reason")).to_have_value("属于学院职责范围，予以受理。")

        # Alt+N: the registration form, the cursor in 姓名
        page.keyboard.press("Alt+n")
        page.wait_for_url(f"{live_server.url}/cases/new/")
        expect(page.locator("#id_name")).to_be_focused()
        page.keyboard.type("王同学")
        expect(page.locator("#id_name")).to_have_value("王同学")

        # 批量办理: x ticks the row the keyboard is on; both are accepted in one go
        page.goto(f"{live_server.url}/cases/")
        page.locator("h1").first.click()
        for _ in range(2):
            page.keyboard.press("j")
            page.keyboard.press("x")
        expect(page.locator("input[name=ids]:checked")).to_have_count(2)
        page.select_option("#id_bulk_action", "accept")
        page.get_by_test_id("bulk-go").click()
        page.wait_for_url(f"{live_server.url}/cases/bulk/")
        expect(page.get_by_test_id("bulk-cases").locator("li")).to_have_count(2)
        page.get_by_test_id("submit-bulk").click()
        page.wait_for_url(f"{live_server.url}/cases/bulk/")
        expect(page.get_by_test_id("bulk-results").locator("tr[data-ok='1']")).to_have_count(2)
        w.shot(page, "bulk-results")
    assert w.page_errors == [], w.page_errors
