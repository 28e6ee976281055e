"""Rules that apps above cases add to a step without cases importing them: deadlines
refuses a due date beyond the legal limit at 交办, documents refuses 归档 before the
answer has been issued and delivered. Each app registers its checks in `ready()`.

A check is `check(case) -> str | None`: it runs inside the step's transaction, after the
step's values are set on the case and before its conditions, and returns the message a
user reads when the step must not run (the whole step is then refused)."""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[object], "str | None"]

_checks: dict[str, list[Check]] = {}


def register_guard(step: str, check: Check) -> None:
    """Check every `step` (a transition's method name, e.g. "assign") with `check`."""
    checks = _checks.setdefault(step, [])
    if check not in checks:
        checks.append(check)


def refusal(case, step: str) -> str | None:
    """The first registered check that refuses `step` on `case`, or None."""
    for check in _checks.get(step, ()):
        message = check(case)
        if message:
            return message
    return None
