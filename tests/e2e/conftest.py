"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live_server. Nothing is downloaded: the browser is /usr/bin/chromium, never
`playwright install`.

Run:  .venv/bin/python -m pytest tests/e2e -m e2e
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinfang \
          .venv/bin/python -m pytest tests/e2e -m e2e
"""

from __future__ import annotations

import os
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
