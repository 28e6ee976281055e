"""The one way a transition runs on a model with a django-fsm-2 state field and
simple-history (cases, supervision notices, accountability cases): permission, values,
conditions with a message a user understands, the transition, then the history row
with the user, the reason and the step's label (its `custom["label"]`).

`connect_transition_label` fills the history table's `transition` column from what the
service set; every app whose history records steps calls it from `ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed


def transition_label(obj, name: str, field: str = "status") -> str:
    for t in getattr(obj, f"get_all_{field}_transitions")():
        if t.name == name:
            return t.custom.get("label", name)
    return name


def may_run(obj, name: str, user, field: str = "status") -> bool:
    """The state allows `name` and `user` may run it (conditions are the form's business)."""
    meta = getattr(obj, name)._django_fsm
    state = getattr(obj, field)
    return meta.has_transition(state) and meta.has_transition_perm(obj, state, user)


def save_with_history(obj, actor, label: str, reason: str = "") -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj._history_transition = label
    obj.save()


def run_transition(
    obj,
    *,
    actor,
    name: str,
    reason: str = "",
    values: dict[str, Any] | None = None,
    refused: type[Exception],
    messages: dict[Callable, str],
    noun: str,
    field: str = "status",
    guard: Callable[[Any, str], str | None] | None = None,
):
    """Run one transition on `obj` as `actor` (None: a system job, no permission check).
    `refused` is the app's exception for a step that cannot run now; `messages` says why a
    condition failed; `noun` names the object in messages (督办单, 该案). The caller holds
    the transaction. `guard(obj, name)` may refuse the step with a message once the
    values are set, before the conditions (rules added by the apps above)."""
    method = getattr(obj, name)
    meta = method._django_fsm
    state = getattr(obj, field)
    transition = meta.get_transition(state)
    label = transition_label(obj, name, field)
    if transition is None:
        display = getattr(obj, f"get_{field}_display")()
        raise refused(f"{noun}当前为“{display}”，不能执行“{label}”。请刷新页面查看最新情况。")
    if actor is not None and not meta.has_transition_perm(obj, state, actor):
        raise PermissionDenied(f"您无权对{noun}执行“{label}”。")
    for key, value in (values or {}).items():
        setattr(obj, key, value)
    obj.pending_reason = reason or ""
    refusal = guard(obj, name) if guard is not None else None
    if refusal:
        raise refused(refusal)
    if not can_proceed(method):
        failed = next((c for c in transition.conditions if not c(obj)), None)
        unmet = "条件不满足，不能执行该操作。"
        raise refused(messages.get(failed, unmet) if failed else unmet)
    method()
    save_with_history(obj, actor, label, reason)
    return obj


@dataclass(frozen=True)
class Steps:
    """How one app runs its model's transitions: its exception for a refused step, its
    messages for failed conditions, the noun its messages use, the state field, and what
    to announce after a step (`after(obj, name, actor)`, inside the caller's transaction).
    Each app makes one and calls `run` and `may_run` on it."""

    refused: type[Exception]
    messages: dict[Callable, str]
    noun: str
    field: str = "status"
    after: Callable[[Any, str, Any], None] | None = None
    guard: Callable[[Any, str], str | None] | None = None

    def run(self, obj, *, actor, name: str, reason: str = "", values: dict[str, Any] | None = None):
        run_transition(
            obj,
            actor=actor,
            name=name,
            reason=reason,
            values=values,
            refused=self.refused,
            messages=self.messages,
            noun=self.noun,
            field=self.field,
            guard=self.guard,
        )
        if self.after is not None:
            self.after(obj, name, actor)
        return obj

    def may_run(self, obj, name: str, user) -> bool:
        return may_run(obj, name, user, self.field)


def connect_transition_label(history_model, dispatch_uid: str) -> None:
    """Copy the label the service set (`_history_transition`) onto each history row."""
    from simple_history.signals import pre_create_historical_record

    def record_transition(sender, instance, history_instance, **kwargs):
        history_instance.transition = getattr(instance, "_history_transition", "")

    pre_create_historical_record.connect(record_transition, sender=history_model, weak=False, dispatch_uid=dispatch_uid)
