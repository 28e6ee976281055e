"""Content-Security-Policy with nonces, no inline handlers, HSTS and secure cookies over
HTTPS, and `check --deploy` clean with the production settings (issue 13, point 7)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
# PDFs are drawn by WeasyPrint, not a browser: no CSP applies to them.
BROWSER_TEMPLATES = [p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.parts]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_has_a_strict_policy_with_a_fresh_nonce(people, client_for):
    client = client_for(people["office"])
    first, second = client.get("/"), client.get("/cases/")
    a, b = _policy(first), _policy(second)
    assert a["default-src"] == ["'self'"]
    assert a["object-src"] == ["'none'"] and a["base-uri"] == ["'none'"] and a["frame-ancestors"] == ["'none'"]
    nonce_a = [s for s in a["script-src"] if s.startswith("'nonce-")]
    nonce_b = [s for s in b["script-src"] if s.startswith("'nonce-")]
    assert len(nonce_a) == 1 and nonce_a != nonce_b
    # nothing that would let an injected script run
    for directive in ("script-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(a[directive])
    assert "'unsafe-inline'" not in a["style-src-elem"]


def test_the_login_page_is_covered_too(db, client):
    assert "script-src 'self' 'nonce-" in client.get("/login/")["Content-Security-Policy"]


@pytest.mark.parametrize("path", BROWSER_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_an_inline_handler_or_script(path):
    text = path.read_text(encoding="utf-8")
    handlers = re.findall(r"\son[a-z]+\s*=\s*[\"']", text)
    assert not handlers, f"inline event handler in {path.name}: move it to static/js with a data- attribute"
    assert "javascript:" not in text
    for tag in re.findall(r"<script\b[^>]*>", text):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert "nonce=" in tag, f"inline <script> without the request's nonce in {path.name}: {tag}"


def test_over_https_browsers_are_told_to_stay_and_cookies_are_secure(people, client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = client.post("/login/", {"username": "clerk", "password": "pw"}, secure=True)
    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert client.cookies[settings.SESSION_COOKIE_NAME]["secure"]
    assert client.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert "Strict-Transport-Security" not in client.get("/login/")  # never over plain HTTP


def _production_env() -> dict[str, str]:
    """The environment of .env.example, with its placeholders given real values."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "XF_"))}
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "sqlite:///:memory:")
    env["MEDIA_ROOT"] = "/tmp/xinfang-check-media"
    return env


def test_check_deploy_is_clean_with_the_production_settings():
    env = _production_env()
    assert env["DEBUG"] == "false" and env["XINFANG_REQUIRE_OTP"] == "true"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_placeholder_secret_key_is_refused_in_production():
    env = _production_env()
    env["SECRET_KEY"] = "change-me-to-a-long-random-string"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "placeholder" in result.stderr
