"""Settings refuse to start without SECRET_KEY when DEBUG is off (the image, compose), and
fall back to a development key only with DEBUG on (a checkout: the demo and the tests).

Each case imports the settings in a fresh interpreter with a controlled environment, the
way gunicorn, Celery or `manage.py` would start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = "import django; from django.conf import settings; print(settings.SECRET_KEY)"


def start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT"}
    environ = {name: value for name, value in os.environ.items() if name in keep}
    environ.update(
        DJANGO_SETTINGS_MODULE="xinfang.settings",
        # the embedded default, in a folder of its own
        XINFANG_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(ROOT),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("secret_key", [None, ""])
def test_debug_off_without_secret_key_refuses_to_start(tmp_path, secret_key):
    env = {"DEBUG": "false"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = start(tmp_path, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr
    assert ".env.example" in result.stderr


def test_debug_off_with_secret_key_starts(tmp_path):
    result = start(tmp_path, DEBUG="false", SECRET_KEY="a-long-random-production-key")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-long-random-production-key"


@pytest.mark.parametrize("debug", [None, "true"])
def test_debug_on_falls_back_to_a_development_key(tmp_path, debug):
    # DEBUG unset is a checkout: ./xf run and the test suite set nothing.
    result = start(tmp_path, **({} if debug is None else {"DEBUG": debug}))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "insecure-demo-key-for-debug-only"
