"""./xf's own lines (issue 14 point 12): a calm cyan tag on a terminal, no colour when
piped or with NO_COLOR; on SQLite it says once per launch what Django's models.W040
would say on every migrate, and the processes it starts keep quiet about it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CYAN_TAG = "\033[36m[xf]\033[0m"


def xf(script: str, *, tty: bool = False, **env: str) -> str:
    """Run `script` in bash with ./xf's functions sourced; under a pseudo-terminal (util-linux
    `script`) when `tty`."""
    command = ["bash", "-c", f"source ./xf && {script}"]
    if tty:
        command = ["script", "-qec", f"bash -c 'source ./xf && {script}'", "/dev/null"]
    environment = {**os.environ, "TERM": "xterm", **env}
    for name in ("NO_COLOR", "DATABASE_URL", "XINFANG_SQLITE_NOTED"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=True).stdout


def test_its_lines_are_plain_when_piped():
    assert xf("say 安装前端资源") == "[xf] 安装前端资源\n"


@pytest.mark.skipif(subprocess.run(["which", "script"], capture_output=True).returncode, reason="needs script")
def test_on_a_terminal_the_tag_is_cyan_not_bold_red_and_no_color_turns_it_off():
    shown = xf("say 启动", tty=True)
    assert CYAN_TAG in shown and "\033[1;31m" not in shown
    assert "\033[" not in xf("say 启动", tty=True, NO_COLOR="1")


def test_sqlite_is_noted_once_and_its_children_keep_quiet():
    assert xf("sqlite_note; sqlite_note").count("[xf]") == 1
    assert xf("sqlite_note; echo $XINFANG_SQLITE_NOTED").endswith("1\n")
    assert xf("sqlite_note", DATABASE_URL="postgres://postgres@127.0.0.1/x") == ""


def _check(tmp_path, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XINFANG_SQLITE_NOTED")}
    environment.update(XINFANG_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    ).stderr


def test_what_xf_starts_on_sqlite_does_not_repeat_the_warning(tmp_path):
    assert "models.W040" in _check(tmp_path)  # manage.py by hand still says it
    assert "models.W040" not in _check(tmp_path, XINFANG_SQLITE_NOTED="1")
