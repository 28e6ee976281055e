"""Running one lifecycle step from a page, the same way in every app: the step either
goes through, or lost a race with someone else (a polite message and back to the
record), or is refused for a reason the person can fix (the reason, in Chinese, on the
form they filled in, or as a message when the step has no form)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_fsm import ConcurrentTransition, TransitionNotAllowed

# The record changed under the person (django-fsm-2's optimistic lock, or a state that
# moved on): the step did not happen.
STALE = (ConcurrentTransition, TransitionNotAllowed)


@dataclass
class Outcome:
    """What run_step did: the step's result, or the response to send instead."""

    result: Any = None
    response: HttpResponse | None = None


def run_step(
    request: HttpRequest,
    perform: Callable[[], Any],
    *,
    back: Any,
    refused: type[Exception] | tuple[type[Exception], ...],
    stale_message: str,
    form: forms.Form | None = None,
    show_form: Callable[[forms.Form], HttpResponse] | None = None,
) -> Outcome:
    """Call `perform()` (one service call). `back` is what to redirect to (a model with
    get_absolute_url); `refused` the app's exception for a step refused now; `show_form`
    renders the bound form again with the refusal on it."""
    try:
        return Outcome(result=perform())
    except STALE:
        messages.warning(request, stale_message)
        return Outcome(response=redirect(back))
    except refused as e:
        if form is None or show_form is None:
            messages.error(request, str(e))
            return Outcome(response=redirect(back))
        form.add_error(None, str(e))
        return Outcome(response=show_form(form))
