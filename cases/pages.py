"""What the case page, the workbench, the timeline and the case list show of the apps
above cases.

cases renders the case itself and never imports those apps; each one adds its part in
its `AppConfig.ready()`, as healthchecks' front gathers what its api offers:
- a case-page part: (request, case) -> context for the card the app's own template draws
  (the clocks, the documents, the supervision card), included by cases/detail.html;
- a workbench part: (request) -> context (the supervision work waiting for the user);
- a timeline source: (case, user) -> entries merged into the case's own steps (the
  notices' history);
- a list filter: (queryset, cleaned filter data, user) -> queryset (the dashboard's
  drill-down conditions, so that a figure and its list count the same cases).
Parts run in the order the apps are installed, which is the order of the floors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from people.models import User

from .models import Case


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    result: str
    at: Any
    who: str
    reason: str
    link: str = ""


CasePagePart = Callable[[HttpRequest, Case], dict]
WorkbenchPart = Callable[[HttpRequest], dict]
TimelineSource = Callable[[Case, User], list[TimelineEntry]]
ListFilter = Callable[[QuerySet[Case], dict, User], QuerySet[Case]]

_case_page: list[CasePagePart] = []
_workbench: list[WorkbenchPart] = []
_timeline: list[TimelineSource] = []
_list_filters: list[ListFilter] = []


def _add(registry: list, fn) -> None:
    if fn not in registry:  # ready() may run twice (tests, reloaders): register once
        registry.append(fn)


def add_case_page_part(fn: CasePagePart) -> None:
    _add(_case_page, fn)


def add_workbench_part(fn: WorkbenchPart) -> None:
    _add(_workbench, fn)


def add_timeline_source(fn: TimelineSource) -> None:
    _add(_timeline, fn)


def add_list_filter(fn: ListFilter) -> None:
    _add(_list_filters, fn)


def case_page_context(request: HttpRequest, case: Case) -> dict:
    context: dict = {}
    for part in _case_page:
        context.update(part(request, case))
    return context


def workbench_context(request: HttpRequest) -> dict:
    context: dict = {}
    for part in _workbench:
        context.update(part(request))
    return context


def timeline_entries(case: Case, user: User) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for source in _timeline:
        entries.extend(source(case, user))
    return entries


def apply_list_filters(qs: QuerySet[Case], data: dict, user: User) -> QuerySet[Case]:
    for f in _list_filters:
        qs = f(qs, data, user)
    return qs
