"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live_server. Nothing is downloaded: the browser is /usr/bin/chromium, never
`playwright install`.

Run:  .venv/bin/python -m pytest tests/e2e -m e2e
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinfang \
          .venv/bin/python -m pytest tests/e2e -m e2e
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django would otherwise
# refuse ORM calls made from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        # CI installs it (./xf test does); a laptop without apt may skip, CI may not.
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: ./xf setup test installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


PASSWORD = "pw"  # the people fixture's password (tests/conftest.py)


class Walk:
    """One browser walk: fresh contexts logged in through the real login form, numbered
    screenshots under test-artifacts/e2e/, and the page errors seen along the way."""

    def __init__(self, browser, base: str, artifacts: Path, prefix: str) -> None:
        self.browser, self.base, self.artifacts, self.prefix = browser, base, artifacts, prefix
        self.shots: list[str] = []
        self.page_errors: list[str] = []
        self._step = iter(range(1, 1000))

    def _console(self, username: str, message) -> None:
        """Whatever the Content-Security-Policy refused (an inline handler, a style
        element, a script from elsewhere) counts as a page error."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self.page_errors.append(f"{username}: {message.text}")

    def shot(self, page, name: str) -> None:
        path = self.artifacts / f"{self.prefix}{next(self._step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.shots.append(str(path))
        print(f"screenshot: {path}")

    @contextmanager
    def logged_in(self, username: str, *, viewport: dict | None = None):
        """A fresh browser context (no cookies), logged in through the real login form."""
        from playwright.sync_api import expect

        context = self.browser.new_context(
            viewport=viewport or {"width": 1366, "height": 800}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.page_errors.append(f"{username}: {exc}"))
        page.on("console", lambda msg: self._console(username, msg))
        try:
            page.goto(f"{self.base}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.locator("form button[type=submit]").click()
            page.wait_for_url(f"{self.base}/")
            expect(page.get_by_test_id("whoami")).to_be_visible()
            yield page
        finally:
            context.close()


@pytest.fixture
def walk(chromium, live_server, artifacts_dir):
    """walk(prefix) -> Walk, for a browser test that logs in as several people."""
    return lambda prefix="": Walk(chromium, live_server.url, artifacts_dir, prefix)
