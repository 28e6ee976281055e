"""Issue 13, the first test: the matrix of roles, objects and actions, generated from the URLconf.

Every URL the resolver knows (but the admin, which has its own test) is asked for by an
anonymous visitor and by one person of each demo role, on an object in that person's
scope and on one outside it, by GET and by an empty POST, with every value of a slug the
URL takes (every action, event, document kind, queue, … and one that does not exist).
Each answer must be the one RULES gives for the URL:

- anonymous: a redirect to the log-in page; only the log-in and log-out pages (and the
  browser's /favicon.ico) are public;
- an object out of the person's scope: 404, never 403, 200 or 500 (a GET on a POST-only
  URL, or a POST on a GET-only one, answers 405 first: it reads nothing);
- in scope: what the rule works out from the project's own abilities and selectors
  (the case scope `cases_visible_to`, `documents_for`, `notices_visible_to`, the step
  tables of cases.actions, supervision.views and accountability.views, …);
- a request that is not allowed to write leaves the database as it was (every table of
  the project's apps but the access log 查阅记录 is fingerprinted around the request), and
  no answer names a case the person may not see: not its number, its petitioner or its
  summary, nor the number of a notice on it.

A URL that RULES does not classify fails `test_every_url_is_classified`, and so does a
rule whose URL has gone or whose kwargs no longer match it: a new URL is covered without
anyone adding it to a list of tests, and cannot slip past unclassified. The second factor
and the session limits have tests of their own and are out of the way here.

The objects are built once for the module, through the real services (cases.services,
cases.demo.walk, supervision, deadlines, documents, accountability, dashboard), inside a
transaction that is rolled back at the end; every request runs in a savepoint of its own
that is rolled back too, so a step one person is allowed to take changes nothing for the
next request.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accountability import abilities as accountability_abilities
from accountability import selectors as accountability_selectors
from accountability import services as accountability_services
from accountability import views as accountability_views
from accountability.models import AccountabilityCase, Ground
from cases import abilities as case_abilities
from cases import services as case_services
from cases import views as case_views
from cases.actions import ACTIONS as CASE_ACTIONS
from cases.demo import walk
from cases.models import (
    Case,
    CaseAccessLog,
    Channel,
    ContactMethod,
    Kind,
    Phrase,
    Satisfaction,
    SavedSearch,
    Source,
    State,
)
from cases.selectors import QUEUES, attachments_for, cases_visible_to, works_queue
from dashboard import abilities as dashboard_abilities
from dashboard.models import ReceptionDay
from dashboard.policy_fixes import policy_fix_record
from dashboard.reception import reception_day_save
from deadlines import abilities as deadline_abilities
from deadlines import services as deadline_services
from deadlines.clocks import Clock
from deadlines.views import MANUAL_EVENTS
from documents import abilities as document_abilities
from documents import services as document_services
from documents.demo import deliver_answer
from documents.ledger import LedgerQuery, ledger_export_run, ledger_export_start
from documents.models import DocumentKind
from documents.selectors import documents_for
from notifications.selectors import notifications_for
from notifications.services import notify
from people.abilities import is_unit_head
from people.demo import ensure_people
from people.models import User
from supervision import abilities as supervision_abilities
from supervision import services as supervision_services
from supervision import views as supervision_views
from supervision.models import ReviewRequest, Trigger
from supervision.selectors import notices_visible_to
from tests.conftest import _xf_today

# --- the URLs -------------------------------------------------------------------------------

# The admin has its own test; static files and media are not Django views here.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, as reverse() takes it
    route: str
    kwargs: frozenset[str]


def url_routes() -> list[Route]:
    """Every URL pattern of the project's URLconf, with its full name and its kwargs."""
    found: list[Route] = []

    def visit(resolver: URLResolver, prefix: str, namespace: str, kwargs: frozenset[str]) -> None:
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            names = kwargs | frozenset(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                inner = ":".join(n for n in (namespace, p.namespace) if n)
                visit(p, route, inner, names)
            elif isinstance(p, URLPattern):
                name = ":".join(n for n in (namespace, p.name) if n) if p.name else f"<unnamed {route}>"
                found.append(Route(name, route, names))

    visit(get_resolver(), "", "", frozenset())
    return found


# --- what a request should answer ------------------------------------------------------------


class Expect(Enum):
    """The answer a request should get. `writes`: whether it may change the database."""

    OK = ("200", frozenset({200}), False)
    MOVED = ("302 elsewhere, nothing written", frozenset({302}), False)
    FORM = ("200/400 with the form again", frozenset({200, 400}), False)
    RUNS = ("the step's form again (200/400), or run or refused (302)", frozenset({200, 302, 400}), True)
    DONE = ("302, done", frozenset({302}), True)
    BACK = ("302 back with an error message", frozenset({302}), False)
    DENIED = ("403", frozenset({403}), False)
    HIDDEN = ("404", frozenset({404}), False)
    METHOD = ("405", frozenset({405}), False)
    LOGIN = ("302 to the log-in page", frozenset({302}), False)

    def __init__(self, text: str, statuses: frozenset[int], writes: bool):
        self.text, self.statuses, self.writes = text, statuses, writes


@dataclass(frozen=True)
class Target:
    """The object a URL names, as its kwargs; `visible`: in the person's scope."""

    label: str
    kwargs: dict
    visible: bool = True
    obj: object = None
    case: Case | None = None  # the petition case it belongs to
    query: dict = field(default_factory=dict)  # what it is named by in the query string


@dataclass(frozen=True)
class Ask:
    """What a rule decides from: who asks, about what, with which slug."""

    user: User
    target: Target
    slug: str | None

    @property
    def obj(self):
        return self.target.obj


Decide = Callable[[Ask], Expect]
Gate = Callable[[Ask], Expect | None]


@dataclass(frozen=True)
class Rule:
    """How one URL answers.

    `kind`: what its object kwargs name (a key of KINDS; "page" for none). `slug`: the kwarg
    that is not an object, and where its values come from (the project's own tables, plus
    one that does not exist). `gate`: a check the view makes before it looks the object up.
    `get` and `post`: the answer in scope, or how to work it out. An object out of scope
    answers 404 (unless `get`/`post` is METHOD: the method is refused before anything is
    read)."""

    kind: str
    get: Expect | Decide
    post: Expect | Decide
    slug: tuple[str, Callable[[], list[str]]] | None = None
    gate: Gate | None = None
    public: bool = False


BOGUS = "no-such-thing"


def _with_bogus(values) -> Callable[[], list[str]]:
    return lambda: [*values, BOGUS]


def may(predicate, then: Expect, otherwise: Expect = Expect.DENIED) -> Decide:
    """`then` when the ability holds for the person, else `otherwise`."""
    return lambda ask: then if predicate(ask.user) else otherwise


def kind_phrase(world: World, user: User, scope: str) -> list[Target]:
    role = next(r for r, username in ROLES.items() if username == user.username)
    if scope == "in":
        own = world.phrases[role]
        return [Target("own phrase", {"pk": own.pk}, True, own)]
    other = world.phrases["clerk" if role != "clerk" else "office"]
    school = world.phrases["school"]
    return [
        Target("someone else's phrase", {"pk": other.pk}, False, other),
        Target("a school-wide phrase", {"pk": school.pk}, True, school),
    ]


def deletes_phrase(ask: Ask) -> Expect:
    """Their own only here (a unit's by its head; the school's in the admin)."""
    return Expect.DONE if ask.obj.owner_id == ask.user.pk else Expect.DENIED


def deletes_search(ask: Ask) -> Expect:
    """Their own, or a shared one by the office (cases.saved.saved_search_delete)."""
    search = ask.obj
    if search.owner_id == ask.user.pk or (search.shared and ask.user.role == "office"):
        return Expect.DONE
    return Expect.DENIED


def completes(then: Expect) -> Decide:
    """补全登记 (cases.services.may_complete_registration), else 403."""
    return lambda ask: then if case_services.may_complete_registration(case=ask.obj, user=ask.user) else Expect.DENIED


def page(get: Expect | Decide, post: Expect | Decide = Expect.METHOD, **kw) -> Rule:
    return Rule("page", get, post, **kw)


def get_only(kind: str, get: Expect | Decide = Expect.OK, **kw) -> Rule:
    return Rule(kind, get, Expect.METHOD, **kw)


def post_only(kind: str, post: Expect | Decide, **kw) -> Rule:
    return Rule(kind, Expect.METHOD, post, **kw)


def unless(predicate, otherwise: Expect) -> Gate:
    """A gate: without the ability the view answers `otherwise` before it reads the object."""
    return lambda ask: None if predicate(ask.user) else otherwise


def known_slug(decide: Decide) -> Decide:
    """The views look the slug up after the object: one they do not know is a 404."""
    return lambda ask: Expect.HIDDEN if ask.slug == BOGUS else decide(ask)


# -- the rules that need the object --


def case_step(then: Expect) -> Decide:
    """cases.actions.case_action: the button's transitions, by services.may_run; refused, a
    message and back to the case, by GET or POST."""

    def decide(ask: Ask) -> Expect:
        spec = CASE_ACTIONS[ask.slug]
        allowed = any(case_services.may_run(ask.obj, name, ask.user) for name in spec.transitions)
        return then if allowed else Expect.BACK

    return decide


def superior_page(ask: Ask) -> Expect:
    """异议/复函: a handed-down case only; the page shows what the person may do (GET)."""
    return Expect.OK if ask.obj.is_handed_down else Expect.HIDDEN


def superior_step_post(ask: Ask) -> Expect:
    if not ask.obj.is_handed_down or ask.slug not in case_views.SUPERIOR_STEPS:
        return Expect.HIDDEN
    return Expect.RUNS if ask.slug in case_views.superior_steps_for(ask.obj, ask.user) else Expect.BACK


def record_event(ask: Ask) -> Expect:
    """deadlines.views.record_event: the office; an empty POST names no place (summons) or
    day (hearing), so only the arrival can be recorded."""
    if not deadline_abilities.can_record_event(ask.user):
        return Expect.DENIED
    return Expect.DONE if ask.slug == "arrived" else Expect.BACK


def extension_request(then: Expect) -> Decide:
    return lambda ask: then if deadline_services.may_request_extension(ask.obj, ask.user) else Expect.DENIED


def extension_decide(then: Expect) -> Decide:
    """A pending request waits for the office (the leader decides once it is proposed)."""
    return lambda ask: then if deadline_services.may_propose_extension(ask.user) else Expect.DENIED


def notice_step(ask: Ask) -> Expect:
    return Expect.RUNS if ask.slug in supervision_views.available(ask.obj, ask.user) else Expect.BACK


def document_issue(ask: Ask) -> Expect:
    """documents.views.document_new: a kind the person may not issue is refused (403); one
    they may is drafted, or refused with a message when it does not fit the case now."""
    return Expect.DONE if document_services.may_issue(ask.user, ask.slug) else Expect.DENIED


def issuer(then: Expect) -> Decide:
    return lambda ask: then if document_services.may_issue(ask.user, ask.obj.kind) else Expect.DENIED


def delivery(then: Expect) -> Decide:
    def decide(ask: Ask) -> Expect:
        if not document_services.owes_delivery(ask.obj):
            return Expect.HIDDEN
        return issuer(then)(ask)

    return decide


def accountability_step(ask: Ask) -> Expect:
    return Expect.RUNS if ask.slug in accountability_views.available(ask.obj, ask.user) else Expect.BACK


can_view_dashboard = dashboard_abilities.can_view_dashboard
can_schedule = dashboard_abilities.can_view_dashboard & dashboard_abilities.can_schedule_reception
can_record_fix = dashboard_abilities.can_view_dashboard & dashboard_abilities.can_record_policy_fix
can_supervise = supervision_abilities.can_supervise


assessment_gate = unless(accountability_abilities.can_view_assessment, Expect.HIDDEN)


RULES: dict[str, Rule] = {
    # django.contrib.auth: the only public pages
    "login": page(Expect.OK, Expect.FORM, public=True),
    # the second factor: nobody here has a device yet, so the code page sends to enrolment
    "people:otp_verify": page(Expect.MOVED, Expect.MOVED),
    "people:otp_setup": page(Expect.OK, Expect.FORM),
    "logout": page(Expect.METHOD, Expect.DONE, public=True),
    # the browser's own request for an icon: to static/favicon.svg, for anyone
    "favicon": page(Expect.MOVED, public=True),
    # cases
    "cases:workbench": page(Expect.OK),
    "cases:list": page(Expect.OK),
    "cases:create": page(
        may(case_abilities.can_register_case, Expect.OK), may(case_abilities.can_register_case, Expect.FORM)
    ),
    "cases:similar": page(Expect.METHOD, Expect.OK),
    "cases:queue": page(
        lambda ask: Expect.OK if works_queue(ask.user, ask.slug) else Expect.HIDDEN,
        slug=("key", _with_bogus(QUEUES)),
    ),
    "cases:unit": page(may(case_abilities.can_view_unit_overview, Expect.OK, Expect.HIDDEN)),
    "cases:staff_directory": page(may(case_abilities.can_pick_staff, Expect.OK)),
    "cases:detail": get_only("case"),
    # 回避: an empty reason is refused on the form
    "cases:recuse": Rule(
        "case", may(case_abilities.can_recuse, Expect.OK), may(case_abilities.can_recuse, Expect.FORM)
    ),
    # 补全登记: the registrar or the office, before the case goes to a unit; an empty POST
    # is the form again with its message
    "cases:complete": Rule("case", completes(Expect.OK), completes(Expect.FORM)),
    # 常用查询: the menu's counts for anyone; an empty POST has no name (back with the message)
    "cases:saved_menu": page(Expect.OK),
    # 常用语: an empty POST is the page again with its message
    "cases:phrases": page(Expect.OK, Expect.FORM),
    "cases:phrase_delete": post_only("phrase", deletes_phrase),
    # 批量办理: no results to show sends the reader to the list; no step chosen, back with the message
    "cases:bulk": page(Expect.MOVED, Expect.BACK),
    "cases:saved_create": post_only("page", Expect.BACK),
    "cases:saved_delete": post_only("saved_search", deletes_search),
    "cases:recusal_order": Rule(
        "case", may(case_abilities.can_order_recusal, Expect.OK), may(case_abilities.can_order_recusal, Expect.FORM)
    ),
    "cases:accused_resolve": Rule(
        "accused_person",
        may(case_abilities.can_resolve_accused, Expect.OK),
        may(case_abilities.can_resolve_accused, Expect.FORM),
    ),
    "cases:action": Rule(
        "case",
        known_slug(case_step(Expect.OK)),
        known_slug(case_step(Expect.RUNS)),
        slug=("action", _with_bogus(CASE_ACTIONS)),
    ),
    "cases:superior": Rule("case", superior_page, Expect.HIDDEN),  # a POST names no step
    "cases:superior_step": Rule(
        "case", superior_page, superior_step_post, slug=("step", _with_bogus(case_views.SUPERIOR_STEPS))
    ),
    # an empty upload goes back to the case (saying "已上传 0 个附件"); the service refuses
    # whoever may not upload
    "cases:attachment_upload": post_only("case", may(case_abilities.can_add_attachments, Expect.MOVED)),
    "cases:attachment": get_only("attachment"),
    # deadlines
    "deadlines:overdue": page(Expect.OK),
    "deadlines:explain": get_only("clock"),
    "deadlines:extension_request": Rule("clock", extension_request(Expect.OK), extension_request(Expect.FORM)),
    "deadlines:record_event": post_only("case", known_slug(record_event), slug=("event", _with_bogus(MANUAL_EVENTS))),
    "deadlines:extension_decide": Rule("extension", extension_decide(Expect.OK), extension_decide(Expect.FORM)),
    # supervision
    "supervision:board": page(may(supervision_abilities.can_view_board, Expect.OK)),
    "supervision:inbox": page(may(supervision_abilities.can_view_inbox, Expect.OK)),
    "supervision:detail": get_only("notice"),
    "supervision:act": post_only(
        "notice", known_slug(notice_step), slug=("action", _with_bogus(supervision_views.ACTIONS))
    ),
    "supervision:notice_new": Rule("case", may(can_supervise, Expect.OK), may(can_supervise, Expect.FORM)),
    "supervision:dissatisfaction": Rule(
        "dissatisfied_case", may(can_supervise, Expect.OK), may(can_supervise, Expect.FORM)
    ),
    "supervision:review_new": Rule(
        "case",
        known_slug(may(can_supervise, Expect.OK)),
        known_slug(may(can_supervise, Expect.FORM)),
        slug=("stage", _with_bogus(ReviewRequest.Stage.values)),
    ),
    "supervision:review_opinion": Rule(
        "review_request", may(can_supervise, Expect.OK), may(can_supervise, Expect.FORM)
    ),
    # notifications: a person's own
    "notifications:list": page(Expect.OK),
    "notifications:read": page(Expect.METHOD, Expect.DONE),
    "notifications:open": post_only("notification", Expect.DONE),
    # an empty POST lacks the 发送方式: the form again, nothing saved
    "notifications:settings": page(Expect.OK, Expect.FORM),
    # documents
    "documents:issue": post_only("case", known_slug(document_issue), slug=("kind", _with_bogus(DocumentKind.values))),
    "documents:download": get_only("issued_document"),
    "documents:delivery": Rule("issued_document", delivery(Expect.OK), delivery(Expect.FORM)),
    # the draft is a 信访登记表: saved as it stands (no text to edit), so an empty POST is done
    "documents:draft": Rule("draft_document", issuer(Expect.OK), issuer(Expect.DONE)),
    "documents:preview": get_only("draft_document", issuer(Expect.OK)),
    "documents:discard": post_only("draft_document", issuer(Expect.DONE)),
    # ledgers: an empty form names no year (400); the archive's, a message
    "exports:ledger": page(
        may(document_abilities.can_export_ledger, Expect.OK), may(document_abilities.can_export_ledger, Expect.FORM)
    ),
    "exports:archive": page(Expect.METHOD, may(document_abilities.can_archive, Expect.BACK)),
    # 导出所选: nothing ticked is sent back with its message
    "exports:selected": page(Expect.METHOD, may(document_abilities.can_export_ledger, Expect.BACK)),
    "exports:job": get_only("export_job"),
    "exports:progress": get_only("export_job"),
    "exports:download": get_only("export_job"),
    # dashboard
    "dashboard:home": page(may(can_view_dashboard, Expect.OK)),
    "dashboard:topics": page(may(can_view_dashboard, Expect.OK)),
    "dashboard:policy_fixes": page(may(can_view_dashboard, Expect.OK), may(can_record_fix, Expect.FORM)),
    "dashboard:report": page(may(can_view_dashboard, Expect.OK)),
    "dashboard:report_pdf": page(may(can_view_dashboard, Expect.OK)),
    "dashboard:report_xlsx": page(may(can_view_dashboard, Expect.OK)),
    "dashboard:reception": page(may(can_view_dashboard, Expect.OK), may(can_schedule, Expect.FORM)),
    "dashboard:reception_edit": Rule("reception_day", Expect.OK, Expect.FORM, gate=unless(can_schedule, Expect.DENIED)),
    # the day is looked up before the service refuses who may not schedule
    "dashboard:reception_delete": post_only(
        "reception_day", may(can_schedule, Expect.DONE), gate=unless(can_view_dashboard, Expect.DENIED)
    ),
    # accountability
    "accountability:list": page(Expect.OK),
    # 立案 by hand, or from a case (?case=) or a notice (?notice=) named in the query
    "accountability:open": Rule(
        "source", Expect.OK, Expect.FORM, gate=unless(accountability_abilities.can_open, Expect.HIDDEN)
    ),
    "accountability:detail": get_only("acase"),
    "accountability:act": post_only(
        "acase", known_slug(accountability_step), slug=("action", _with_bogus(accountability_views.ACTIONS))
    ),
    "accountability:record": get_only("person"),
    "accountability:assessment": page(may(accountability_abilities.can_view_assessment, Expect.OK, Expect.HIDDEN)),
    "accountability:assessment_year": get_only("year", gate=assessment_gate),
    # an empty form is refused with a message; confirming needs no form: the office's alone
    "accountability:assessment_scheme": post_only("year", Expect.BACK, gate=assessment_gate),
    "accountability:assessment_veto": post_only("year", Expect.BACK, gate=assessment_gate),
    "accountability:assessment_note": post_only("year", Expect.BACK, gate=assessment_gate),
    "accountability:assessment_confirm": post_only(
        "year",
        may(accountability_abilities.can_keep_assessment, Expect.DONE),
        gate=assessment_gate,
    ),
    "accountability:assessment_xlsx": get_only("year", gate=assessment_gate),
    "accountability:assessment_pdf": get_only("year", gate=assessment_gate),
}

# Routed only with XINFANG_BENCH_VIEWS (the benchmarks' baseline: no log-in, no scope, by
# design); never in a deployment. Not requested here; test_every_url_is_classified checks
# that it is routed only then.
BENCH_ONLY = {"bench_minimal"}

# The kwargs each object kind fills in.
KIND_KWARGS: dict[str, frozenset[str]] = {
    "page": frozenset(),
    "source": frozenset(),
    "case": frozenset({"pk"}),
    "dissatisfied_case": frozenset({"pk"}),
    "attachment": frozenset({"pk", "uuid"}),
    "clock": frozenset({"pk", "clock_pk"}),
    "extension": frozenset({"pk", "extension_pk"}),
    "notice": frozenset({"pk"}),
    "review_request": frozenset({"pk", "review_pk"}),
    "issued_document": frozenset({"pk", "doc_pk"}),
    "draft_document": frozenset({"pk", "doc_pk"}),
    "accused_person": frozenset({"pk", "person_pk"}),
    "notification": frozenset({"pk"}),
    "saved_search": frozenset({"pk"}),
    "phrase": frozenset({"pk"}),
    "export_job": frozenset({"pk"}),
    "reception_day": frozenset({"pk"}),
    "acase": frozenset({"pk"}),
    "person": frozenset({"user_id"}),
    "year": frozenset({"year"}),
}

# --- who asks ------------------------------------------------------------------------------

# One person per role (people.demo.PEOPLE), and nobody.
ROLES = {
    "clerk": "clerk",
    "office": "office",
    "unit_head": "head_jwc",
    "receptionist": "recep_jwc",
    "leader": "leader",
    "main_leader": "president",
    "discipline": "discipline",
    "admin": "admin",
}
ANONYMOUS = "anonymous"

# Cells that fail because of a defect someone is fixing, as (url name, role, scope) ->
# reason: each is marked xfail(strict=True), so that it fails the run once it passes and
# the entry must go. None today: what the matrix found when it was written (an
# accountability case opened from a 举报 shown, with the 举报's number, to the office
# member and the main leader it names, and to its subject; 立案's ?case= and ?notice= read
# outside the scope; /accountability/assessment/9999/ and its exports raising) has been
# fixed (issue 13 points 3 and 10).
KNOWN_DEFECTS: dict[tuple[str, str, str], str] = {}


def matrix_cells() -> Iterator:
    for route in url_routes():
        rule = RULES.get(route.name)
        if rule is None or route.name in BENCH_ONLY:
            continue  # test_every_url_is_classified fails for it
        cells = [(route.name, ANONYMOUS, "-")]
        scopes = ("-",) if rule.kind == "page" else ("in", "out")
        cells += [(route.name, role, scope) for role in ROLES for scope in scopes]
        for cell in cells:
            reason = KNOWN_DEFECTS.get(cell)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(*cell, id="-".join(cell), marks=marks)


# --- the world ------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING = 10**9

# The cases, each under a key that marks its summary and its petitioner, so that a page
# naming it can be caught: (unit, registered by, approved by, office acting, kind, accused).
# A is a complaint handled by 教务处; C a 举报 handled by 电子工程学院 (no demo role works
# for both units), registered by the office rather than the clerk and approved by the
# other 分管 leader, naming the head of 后勤保卫处; R a 举报 handled by 教务处 that names
# the office member (and so his unit, the clerk's), the main leader and the administrator,
# who may therefore not see it (条例 第30条). The F cases are the same three filed and
# followed up as 不满意, with a 复查 request; FC was registered by the clerk, who thus has
# a 举报 in scope.
ACCUSED = ["成信访", "陈院长", "系统管理员"]
CASES = {
    "A": ("jwc", "clerk", "leader", "office", Kind.COMPLAINT, []),
    "C": ("dz", "office", "leader2", "office", Kind.REPORT, ["黄后勤"]),
    "R": ("jwc", "clerk", "leader", "office2", Kind.REPORT, ACCUSED),
    "FA": ("jwc", "clerk", "leader", "office", Kind.COMPLAINT, []),
    "FC": ("dz", "clerk", "leader2", "office", Kind.REPORT, ["黄后勤"]),
    "FR": ("jwc", "clerk", "leader", "office2", Kind.REPORT, ACCUSED),
}
BASE = ("A", "C", "R")
FOLLOWED_UP = ("FA", "FC", "FR")


def marker(key: str) -> str:
    return f"矩阵样本{key}号"


def petitioner_name(key: str) -> str:
    return f"矩阵人{key}号"


@dataclass
class World:
    people: dict[str, User]
    media_root: Path
    cases: dict[str, Case] = field(default_factory=dict)
    attachments: dict = field(default_factory=dict)
    clocks: dict = field(default_factory=dict)
    extensions: dict = field(default_factory=dict)
    notices: dict = field(default_factory=dict)
    issued: dict = field(default_factory=dict)
    drafts: dict = field(default_factory=dict)
    reviews: dict = field(default_factory=dict)
    acases: list[AccountabilityCase] = field(default_factory=list)
    reception_day: ReceptionDay | None = None
    jobs: dict = field(default_factory=dict)
    notifications: dict = field(default_factory=dict)
    saved: dict = field(default_factory=dict)
    phrases: dict = field(default_factory=dict)
    fix_titles: dict = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # role -> session key, logged in once
    _seen: dict[int, set[str]] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == ANONYMOUS else self.people[ROLES[role]]

    def keys_seen_by(self, user: User | None) -> set[str]:
        """The world's cases in the person's scope (requests are rolled back: it stays so)."""
        if user is None:
            return set()
        if user.pk not in self._seen:
            seen = set(cases_visible_to(user=user).values_list("pk", flat=True))
            self._seen[user.pk] = {k for k, c in self.cases.items() if c.pk in seen}
        return self._seen[user.pk]

    def pick(self, user: User, keys: tuple[str, ...], scope: str) -> str:
        """The first of `keys` in (scope "in") or out of the person's case scope."""
        seen = self.keys_seen_by(user)
        found = [k for k in keys if (k in seen) == (scope == "in")]
        assert found, f"the world has no case {scope} the scope of {user.username} among {keys}"
        return found[0]


def build_world(people: dict[str, User], media_root: Path) -> World:
    world = World(people=people, media_root=media_root)
    today = timezone.localdate()
    for n, (key, (unit, registrar, approver, office, kind, accused)) in enumerate(CASES.items(), start=1):
        crew = {**people, "leader": people[approver], "office": people[office]}
        case, _ = case_services.case_register(
            actor=people[registrar],
            petitioner=case_services.PetitionerData(name=petitioner_name(key), phone=f"1396666{n:04d}"),
            data=case_services.CaseData(
                channel=Channel.LETTER,
                kind=kind,
                received_on=today - timedelta(days=1),
                summary=f"反映{marker(key)}的问题",
                content="详细内容",
                # the base cases came down from the province, so that 异议/复函 apply
                source=Source.PROVINCE_SYSTEM if key in BASE else Source.SELF,
                superior_reference=f"SX-MATRIX-{key}" if key in BASE else "",
                accused_people=list(accused),
            ),
        )
        staff = people[f"recep_{unit}"] if f"recep_{unit}" in people else people[f"head_{unit}"]
        if key in BASE:
            walk(case, State.HANDLING, crew, unit_code=unit)
            world.attachments[key] = case_services.case_add_attachments(
                case=case, actor=staff, files=[SimpleUploadedFile("矩阵.pdf", PDF, content_type="application/pdf")]
            )[0]
            world.notices[key], _ = supervision_services.notice_raise(
                case=case,
                actor=crew["office"],
                data=supervision_services.NoticeData(
                    trigger=Trigger.objects.get(code="shirking"), requirements="请说明办理进度。"
                ),
            )
            clock = (
                Clock.objects.filter(case=case, rule__max_extension_days__gt=0)
                .exclude(status__in=("stopped", "not_applicable"))
                .order_by("pk")
                .first()
            )
            assert clock is not None, f"case {key} has no clock that can be extended"
            world.clocks[key] = clock
            world.extensions[key] = deadline_services.extension_request(
                clock=clock, actor=staff, days=5, reason="需要进一步调查核实。"
            )
            world.issued[key] = document_services.document_issue(
                case=case, kind=DocumentKind.ACCEPTANCE, actor=crew["office"]
            )
            world.drafts[key] = document_services.document_draft(
                case=case, kind=DocumentKind.REGISTRATION, actor=crew["office"]
            )
        else:
            walk(
                case,
                State.ARCHIVED,
                crew,
                unit_code=unit,
                before_archive=lambda c, o=crew["office"]: deliver_answer(c, o),
            )
            case_services.case_follow_up(
                case=case,
                actor=crew["office"],
                satisfaction=Satisfaction.DISSATISFIED,
                method=ContactMethod.PHONE,
                comment="信访人认为答复未解决实际问题。",
            )
            world.reviews[key] = supervision_services.review_request_record(
                case=case,
                actor=crew["office"],
                stage=ReviewRequest.Stage.values[0],
                received_on=today,
                request_text="信访人对处理意见不服，请求复查。",
                body="省教育厅",
            )
        case.refresh_from_db()
        world.cases[key] = case

    # accountability: a case of each subject the demo roles can be; the administrator's was
    # opened from R, which names them: they read it but never where it came from, and the
    # office and the main leader, also named in R, do not see it (issue 13 point 3)
    grounds = list(Ground.objects.filter(code="shirking"))
    subjects = [("clerk", None, None), ("recep_jwc", None, "A"), (None, "jwc", "A"), ("admin", None, "R")]
    for person, unit, source in subjects:
        world.acases.append(
            accountability_services.case_open(
                actor=people["office2"],
                data=accountability_services.CaseData(
                    facts="推诿扯皮，逾期未办。",
                    grounds=grounds,
                    subject_user=people[person] if person else None,
                    subject_unit=people["head_jwc"].unit if unit else None,
                    case=world.cases[source] if source else None,
                ),
            )
        )

    # the dashboard: a reception day and two policy fixes, each linked to the 举报
    world.reception_day = reception_day_save(
        actor=people["office2"],
        day=ReceptionDay(date=today, leader=people["leader"], place="行政楼信访接待室", time_slot="上午 8:30—11:30"),
        cases=[world.cases["A"], world.cases["R"]],
    )
    for title, keys in (("矩阵制度甲号", ("A", "R")), ("矩阵制度乙号", ("R",))):
        policy_fix_record(
            actor=people["office2"],
            title=title,
            description="据信访件完善制度。",
            unit=people["head_jwc"].unit,
            adopted_on=today,
            reference="",
            cases=[world.cases[k] for k in keys],
        )
        world.fix_titles[title] = keys

    # a finished ledger export for each person (the pages of a job check only whose it is,
    # so the clerk, who may not export, gets one too), and two notifications: about a case
    # in their scope, and about one out of it (a case that has since left it)
    for role in ROLES:
        user = world.user(role)
        job = ledger_export_start(user=user, query=LedgerQuery(year=today.year), description="台账.xlsx", total=0)
        world.jobs[role] = ledger_export_run(job.pk)
        own = {}
        for scope in ("in", "out"):
            case = world.cases[world.pick(user, BASE, scope)]
            (own[scope],) = notify(users=[user], text="矩阵测试通知", link=case.get_absolute_url(), case=case)
        world.notifications[role] = own
        world.saved[role] = SavedSearch.objects.create(owner=user, name="矩阵测试查询", query="state=handling")
    for role in ROLES:
        world.phrases[role] = Phrase.objects.create(use="reason", text="矩阵测试常用语", owner=world.user(role))
    world.phrases["school"] = Phrase.objects.create(use="reason", text="矩阵全校常用语")
    world.saved["shared"] = SavedSearch.objects.create(
        owner=world.people["office"], name="矩阵共享查询", query="state=registered", shared=True
    )
    for key in BASE:
        world.notices[key].refresh_from_db()
        world.extensions[key].refresh_from_db()
    for role in ROLES:
        client = Client()
        client.force_login(world.user(role))
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return world


@contextmanager
def _world_clock():
    """The world is built on the day the tests run on (XF_TODAY, see tests/conftest.py)."""
    moment = _xf_today()
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end: every test's own
    transaction (and each request's savepoint) nests inside it."""
    media_root = tmp_path_factory.mktemp("url-matrix-media")
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(
            override_settings(
                MEDIA_ROOT=media_root,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "m"}},
            )
        )
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with _world_clock():
                built = build_world(ensure_people(password="pw"), media_root)
            with django_db_blocker.block():
                yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


QUIET_LOGGERS = ("django.request", "xinfang.security")


@pytest.fixture(autouse=True)
def _matrix_settings(_test_settings, settings, request):
    """The files the world stored stay where it stored them (conftest gives each test its
    own MEDIA_ROOT). The second factor and the session limits have their own tests: here
    every person is past the one, and the sessions logged in once for the module stay
    within the other."""
    settings.XINFANG_REQUIRE_OTP = False
    settings.SESSION_IDLE_SECONDS = settings.SESSION_ABSOLUTE_SECONDS
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root
    # Every refused request logs a line or two (its own test checks them): thousands here,
    # each captured by pytest, cost seconds and say nothing a failure does not.
    quiet = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(quiet, levels, strict=True):
        logger.setLevel(level)


# --- the objects each URL names, in and out of a person's scope --------------------------------


def _case_target(world: World, user: User, keys: tuple[str, ...], scope: str) -> tuple[str, Case]:
    key = world.pick(user, keys, scope)
    return key, world.cases[key]


def sees_case(user: User, case: Case) -> bool:
    return cases_visible_to(user=user).filter(pk=case.pk).exists()


def kind_case(world: World, user: User, scope: str) -> list[Target]:
    key, case = _case_target(world, user, BASE, scope)
    return [Target(f"case {key}", {"pk": case.pk}, scope == "in", case, case)]


def kind_dissatisfied_case(world: World, user: User, scope: str) -> list[Target]:
    key, case = _case_target(world, user, FOLLOWED_UP, scope)
    return [Target(f"不满意 case {key}", {"pk": case.pk}, scope == "in", case, case)]


def kind_review_request(world: World, user: User, scope: str) -> list[Target]:
    key, case = _case_target(world, user, FOLLOWED_UP, scope)
    review = world.reviews[key]
    return [Target(f"复查 request on {key}", {"pk": case.pk, "review_pk": review.pk}, scope == "in", review, case)]


def kind_attachment(world: World, user: User, scope: str) -> list[Target]:
    key, case = _case_target(world, user, BASE, scope)
    att = world.attachments[key]
    visible = scope == "in" and attachments_for(case=case, user=user).filter(pk=att.pk).exists()
    return [Target(f"attachment of {key}", {"pk": case.pk, "uuid": att.uuid}, visible, att, case)]


def kind_clock(world: World, user: User, scope: str) -> list[Target]:
    key, case = _case_target(world, user, BASE, scope)
    clock = world.clocks[key]
    return [Target(f"clock of {key}", {"pk": case.pk, "clock_pk": clock.pk}, scope == "in", clock, case)]


def kind_extension(world: World, user: User, scope: str) -> list[Target]:
    key, case = _case_target(world, user, BASE, scope)
    ext = world.extensions[key]
    return [Target(f"pending extension on {key}", {"pk": case.pk, "extension_pk": ext.pk}, scope == "in", ext, case)]


def kind_notice(world: World, user: User, scope: str) -> list[Target]:
    """The notice on the person's case (in) or on a case out of their scope; unit staff see
    their own unit's only, and the clerk none (supervision.selectors.notices_visible_to)."""
    key, case = _case_target(world, user, BASE, scope)
    notice = world.notices[key]
    visible = notices_visible_to(user=user).filter(pk=notice.pk).exists()
    return [Target(f"notice on {key}", {"pk": notice.pk}, visible, notice, case)]


def _document(world: World, user: User, scope: str, docs: dict, label: str) -> list[Target]:
    key, case = _case_target(world, user, BASE, scope)
    doc = docs[key]
    visible = scope == "in" and documents_for(case=case, user=user).filter(pk=doc.pk).exists()
    return [Target(f"{label} of {key}", {"pk": case.pk, "doc_pk": doc.pk}, visible, doc, case)]


def kind_issued_document(world: World, user: User, scope: str) -> list[Target]:
    return _document(world, user, scope, world.issued, "issued 受理告知书")


def kind_draft_document(world: World, user: User, scope: str) -> list[Target]:
    """A 信访登记表 draft: drafts are shown only to who may issue them (documents_for)."""
    return _document(world, user, scope, world.drafts, "draft 信访登记表")


def kind_accused_person(world: World, user: User, scope: str) -> list[Target]:
    """A person a 举报 names: on a 举报 in the person's scope, or (out) under the number of a
    case out of it."""
    if scope == "in":
        seen = world.keys_seen_by(user)
        key = next((k for k in CASES if k in seen and world.cases[k].kind == Kind.REPORT), None)
        if key is None:
            pytest.skip(f"no 举报 is in the scope of {user.username}")
        case = world.cases[key]
        person = case.accused_people.order_by("pk").first()
        return [Target(f"accused person of {key}", {"pk": case.pk, "person_pk": person.pk}, True, person, case)]
    key, case = _case_target(world, user, BASE, scope)
    person = world.cases["R"].accused_people.order_by("pk").first()
    label = f"accused person of R, under case {key}"
    return [Target(label, {"pk": case.pk, "person_pk": person.pk}, False, person, case)]


def kind_notification(world: World, user: User, scope: str) -> list[Target]:
    role = next(r for r, username in ROLES.items() if username == user.username)
    own = world.notifications[role][scope]
    visible = notifications_for(user=user).filter(pk=own.pk).exists()
    targets = [Target(f"own notification about a case {scope} scope", {"pk": own.pk}, visible, own)]
    if scope == "out":
        other = world.notifications["clerk" if role != "clerk" else "office"]["in"]
        targets.append(Target("someone else's notification", {"pk": other.pk}, False, other))
    return targets


def kind_saved_search(world: World, user: User, scope: str) -> list[Target]:
    role = next(r for r, username in ROLES.items() if username == user.username)
    if scope == "in":
        own = world.saved[role]
        return [Target("own saved search", {"pk": own.pk}, True, own)]
    other = world.saved["clerk" if role != "clerk" else "office"]
    shared = world.saved["shared"]
    return [
        Target("someone else's saved search", {"pk": other.pk}, False, other),
        Target("a search the office shares", {"pk": shared.pk}, True, shared),
    ]


def kind_export_job(world: World, user: User, scope: str) -> list[Target]:
    role = next(r for r, username in ROLES.items() if username == user.username)
    if scope == "in":
        job = world.jobs[role]
        return [Target("own ledger export", {"pk": job.pk}, True, job)]
    job = world.jobs["clerk" if role != "clerk" else "office"]
    return [Target("someone else's ledger export", {"pk": job.pk}, False, job)]


def kind_reception_day(world: World, user: User, scope: str) -> list[Target]:
    """Reception days have no scope (everyone on the dashboard sees the schedule): out is one
    that does not exist."""
    if scope == "in":
        return [Target("reception day", {"pk": world.reception_day.pk}, True, world.reception_day)]
    return [Target("missing reception day", {"pk": MISSING}, False)]


def acase_visible(user: User, acase: AccountabilityCase) -> bool:
    """Its subject reads it (a person their case, a unit's head the unit's: they must be
    able to appeal); the office, discipline and leaders read every one, but (issue 13
    point 3) one opened from a 举报 only if they may open the 举报."""
    if acase.subject_user_id == user.pk:
        return True
    if is_unit_head(user) and acase.subject_unit_id is not None and acase.subject_unit_id == user.unit_id:
        return True
    if not accountability_abilities.sees_all_cases(user):
        return False
    source = acase.case or (acase.notice.case if acase.notice_id else None)
    return source is None or not source.is_protected or sees_case(user, source)


def kind_acase(world: World, user: User, scope: str) -> list[Target]:
    for acase in world.acases:
        if acase_visible(user, acase) == (scope == "in"):
            label = f"accountability case of {acase.subject}" + (f" from {acase.case.number}" if acase.case else "")
            return [Target(label, {"pk": acase.pk}, scope == "in", acase)]
    assert scope == "out", f"no accountability case in the scope of {user.username}"
    return [Target("missing accountability case", {"pk": MISSING}, False)]


def kind_person(world: World, user: User, scope: str) -> list[Target]:
    """个人档案记录: discipline reads everyone's, others only their own."""
    if scope == "in":
        return [Target("own record", {"user_id": user.pk}, True, user)]
    for other in world.people.values():
        if not accountability_selectors.may_read_record(user=user, person=other):
            return [Target(f"record of {other.username}", {"user_id": other.pk}, False, other)]
    return [Target("missing person's record", {"user_id": MISSING}, False)]


def kind_year(world: World, user: User, scope: str) -> list[Target]:
    if scope == "in":
        return [Target("this year", {"year": timezone.localdate().year}, True)]
    return [Target("year 9999", {"year": 9999}, False)]


def kind_page(world: World, user: User, scope: str) -> list[Target]:
    return [Target("-", {})]


def kind_source(world: World, user: User, scope: str) -> list[Target]:
    """The page by itself (in scope), and a case and a notice named in its query string."""
    key, case = _case_target(world, user, BASE, scope)
    notice = world.notices[key]
    noticed = notices_visible_to(user=user).filter(pk=notice.pk).exists()
    targets = [Target("-", {})] if scope == "in" else []
    targets.append(Target(f"?case= {key}", {}, scope == "in", case, case, {"case": case.pk}))
    targets.append(Target(f"?notice= on {key}", {}, noticed, notice, case, {"notice": notice.pk}))
    return targets


KINDS: dict[str, Callable[[World, User, str], list[Target]]] = {
    "page": kind_page,
    "source": kind_source,
    "case": kind_case,
    "dissatisfied_case": kind_dissatisfied_case,
    "attachment": kind_attachment,
    "clock": kind_clock,
    "extension": kind_extension,
    "notice": kind_notice,
    "review_request": kind_review_request,
    "issued_document": kind_issued_document,
    "draft_document": kind_draft_document,
    "accused_person": kind_accused_person,
    "notification": kind_notification,
    "saved_search": kind_saved_search,
    "phrase": kind_phrase,
    "export_job": kind_export_job,
    "reception_day": kind_reception_day,
    "acase": kind_acase,
    "person": kind_person,
    "year": kind_year,
}


# --- asking and checking --------------------------------------------------------------------

# Views are logged (seed 004 第九条): the access log is the one table a read may write.
NOT_FINGERPRINTED = {CaseAccessLog._meta.db_table}
PROJECT_APPS = (
    "people",
    "cases",
    "deadlines",
    "supervision",
    "notifications",
    "documents",
    "dashboard",
    "accountability",
)


@functools.cache
def _tables() -> list[str]:
    tables = set()
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                tables.add(model._meta.db_table)
    # a person's last log-in moves with force_login, before the request
    return sorted(tables - NOT_FINGERPRINTED)


def fingerprint() -> dict[str, object]:
    """What the project's tables hold, to compare before and after a request.

    On PostgreSQL, the rows the current transaction has inserted, updated and deleted in
    each table (the counters of pg_stat_xact_user_tables, which keep what a savepoint did
    even once it is rolled back): one cheap query. Elsewhere, a digest of every row."""
    tables = _tables()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t, pg_stat_get_xact_tuples_inserted(t::regclass), pg_stat_get_xact_tuples_updated(t::regclass),"
                " pg_stat_get_xact_tuples_deleted(t::regclass) FROM unnest(%s::text[]) t",
                [[q(t) for t in tables]],
            )
            return {name.strip('"'): counts for name, *counts in cursor.fetchall()}
        digests: dict[str, object] = {}
        for t in tables:
            cursor.execute(f"SELECT * FROM {q(t)}")
            digests[t] = hashlib.md5(repr(sorted(map(repr, cursor.fetchall()))).encode()).hexdigest()
        return digests


@dataclass
class Answer:
    status: int
    location: str
    body: str
    changed: list[str]
    messages: list[tuple[int, str]]
    error: str


def _text(response) -> str:
    """What a person reads of the answer: the page, or the cells of a spreadsheet. A PDF is
    compressed: its text is not checked here."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as zf:
                return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            return ""
    if content[:4] == b"%PDF":
        return ""
    return content.decode("utf-8", "replace")


class Asker:
    """One person's requests, each with the session the person started with (a log-out, or
    a session ended, does not carry over), and each that may reach a view in a savepoint
    that is rolled back. One that the method check or the log-in check turns away does not
    need one (it is still fingerprinted): a query or two less, a thousand times over."""

    # One client for the module: a new one loads the middleware again (WhiteNoise scans the
    # static files), a tenth of a second each time.
    client = Client(raise_request_exception=False)

    def __init__(self, session: str | None):
        self.session = session
        # what the tables held before the next request: the counters only grow, and a
        # rolled-back request leaves the rows as they were
        self.before = fingerprint()

    def send(self, method: str, url: str, *, isolated: bool = True) -> Answer:
        self.client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: self.session} if self.session else {})
        with ExitStack() as stack:
            if isolated:
                stack.enter_context(transaction.atomic())
            before = self.before
            response = getattr(self.client, method)(url, {} if method == "post" else None)
            after = fingerprint()
            text = _text(response)
            if isolated:
                transaction.set_rollback(True)
        if connection.vendor == "postgresql" or not isolated:
            self.before = after
        return answer(response, text, before, after)


def answer(response, text: str, before: dict, after: dict) -> Answer:
    try:
        notes = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    except Exception:  # a 405 never reaches the messages middleware's storage
        notes = []
    exc = getattr(response, "exc_info", None)
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        body=text,
        changed=sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t)),
        messages=notes,
        error=f"{exc[0].__name__}: {exc[1]}" if exc else "",
    )


def expected(rule: Rule, method: str, user: User | None, target: Target, slug: str | None) -> Expect:
    decide = rule.get if method == "get" else rule.post
    if user is None:
        if not rule.public:
            return Expect.LOGIN
        return decide if isinstance(decide, Expect) else decide(Ask(user, target, slug))
    if decide is Expect.METHOD:
        return Expect.METHOD
    question = Ask(user, target, slug)
    if rule.gate is not None and (gated := rule.gate(question)) is not None:
        return gated
    if not target.visible:
        return Expect.HIDDEN
    return decide if isinstance(decide, Expect) else decide(question)


def leak_tokens(world: World, user: User | None) -> dict[str, str]:
    """What names a case the person may not see: its number, its petitioner, its summary,
    the number of a notice on it, and the title of a policy fix recorded only from such
    cases (what is derived from a case shows its source only to who may open it)."""
    seen = world.keys_seen_by(user)
    tokens = {}
    for key, case in world.cases.items():
        if key in seen:
            continue
        what = "举报" if case.is_protected else "case"
        tokens[case.number] = f"the number of {what} {key}"
        tokens[petitioner_name(key)] = f"the petitioner of {what} {key}"
        tokens[marker(key)] = f"the summary of {what} {key}"
        if key in world.notices:
            tokens[world.notices[key].number] = f"the number of the notice on {what} {key}"
    for title, keys in world.fix_titles.items():
        if not set(keys) & seen:
            tokens[title] = f"the title of a policy fix recorded from case(s) {', '.join(keys)} only"
    return tokens


def _names(text: str, token: str) -> bool:
    """The token as a word of its own: 2026-0002 is not in the accountability number
    责2026-00020."""
    return token in text and re.search(rf"(?<![0-9A-Za-z]){re.escape(token)}(?![0-9])", text) is not None


def _around(text: str, token: str, width: int = 50) -> str:
    at = text.index(token)
    return " ".join(text[max(0, at - width) : at + len(token) + width].split())


def check(want: Expect, got: Answer, tokens: dict[str, str]) -> list[str]:
    to_login = f"{resolve_url(settings.LOGIN_URL)}?next="
    problems = []
    if got.status == 500 or got.error:
        problems.append(f"500 {got.error}".strip())
    elif got.status not in want.statuses:
        problems.append(f"expected {want.text}, got {got.status} {got.location}".rstrip())
    elif want is Expect.LOGIN and not got.location.startswith(to_login):
        problems.append(f"expected a redirect to the log-in page, got one to {got.location}")
    elif want is not Expect.LOGIN and got.location.startswith(to_login):
        problems.append(f"expected {want.text}, got a redirect to the log-in page")
    elif (
        got.status == 302
        and want is Expect.BACK
        and not any(level >= message_levels.WARNING for level, _ in got.messages)
    ):
        problems.append(f"expected {want.text}, got a redirect with no error message")
    if got.changed and not want.writes:
        problems.append(f"changed {', '.join(got.changed)}")
    leaked = [f"{what} («{_around(got.body, token)}»)" for token, what in tokens.items() if _names(got.body, token)]
    if leaked:
        problems.append(f"names {'; '.join(leaked)}")
    return problems


# --- the tests ------------------------------------------------------------------------------


def test_every_url_is_classified():
    """A new URL fails here until RULES says how it answers; a rule for a URL that has gone,
    or whose kwargs no longer match what it fills in, fails too."""
    routes = {r.name: r for r in url_routes()}
    problems = []
    for name, route in sorted(routes.items()):
        rule = RULES.get(name)
        if name in BENCH_ONLY:
            if not settings.BENCH_VIEWS:
                problems.append(f"{name} ({route.route}) is routed without XINFANG_BENCH_VIEWS")
            continue
        if rule is None:
            problems.append(f"{name} ({route.route}): classify this URL in tests/security/test_url_matrix.py")
            continue
        fills = KIND_KWARGS[rule.kind] | ({rule.slug[0]} if rule.slug else set())
        if fills != route.kwargs:
            problems.append(
                f"{name} ({route.route}) takes {sorted(route.kwargs)}, its rule fills {sorted(fills)}: "
                "classify this URL in tests/security/test_url_matrix.py"
            )
    for name in sorted(set(RULES) - set(routes)):
        problems.append(f"{name}: no such URL any more; remove it from RULES in tests/security/test_url_matrix.py")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_world_holds_an_object_in_and_out_of_every_scope(world):
    """Without this, a matrix cell could pass on an object that is not what it says."""
    for role in ROLES:
        user = world.user(role)
        seen = world.keys_seen_by(user)
        assert seen & set(BASE) and set(BASE) - seen, (role, seen)
        assert seen & set(FOLLOWED_UP) and set(FOLLOWED_UP) - seen, (role, seen)
    # the 举报 is hidden from the people it names, whatever their role (条例 第30条)
    for username in ("office", "president", "admin"):
        assert "R" not in world.keys_seen_by(world.people[username])


@pytest.mark.django_db
def test_the_checks_catch_what_they_look_for(world):
    """The matrix passing means something only if its checks can fail: a write is seen, and
    so is a hidden 举报's number, but not inside a longer number."""
    office = Asker(world.sessions["office"])
    got = office.send("post", reverse("notifications:read"))  # marks the office's notifications read
    assert got.status == 302 and "notifications_notification" in got.changed, got
    assert not office.send("get", reverse("notifications:list")).changed  # the write was rolled back
    number = world.cases["R"].number
    tokens = leak_tokens(world, world.people["office"])
    quiet = Answer(200, "", f"<td>责{number}0</td>", [], [], "")
    assert check(Expect.OK, quiet, tokens) == []
    loud = Answer(200, "", f"<td>{number}</td>", ["cases_case"], [], "")
    assert check(Expect.OK, loud, tokens) == [
        "changed cases_case",
        f"names the number of 举报 R («<td>{number}</td>»)",
    ]
    assert check(Expect.BACK, Answer(302, "/cases/1/", "", [], [], ""), {}) == [
        "expected 302 back with an error message, got a redirect with no error message"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "scope"), list(matrix_cells()))
def test_matrix(world, name, role, scope):
    rule = RULES[name]
    user = world.user(role)
    targets = KINDS[rule.kind](world, user or world.people["office"], "in" if scope == "-" else scope)
    slugs = rule.slug[1]() if rule.slug else [None]
    if scope == "out" or user is None:
        # out of scope the object is looked up before the slug is read, and anonymous is
        # turned away before either: a real slug and one that does not exist stand for the rest
        slugs = list(dict.fromkeys([slugs[0], slugs[-1]]))
    tokens = leak_tokens(world, user)
    asker = Asker(world.sessions.get(role))
    problems = []
    for target in targets:
        for slug in slugs:
            kwargs = {**target.kwargs, **({rule.slug[0]: slug} if rule.slug else {})}
            url = reverse(name, kwargs=kwargs, query=target.query or None)
            for method in ("get", "post"):
                want = expected(rule, method, user, target, slug)
                got = asker.send(method, url, isolated=want not in (Expect.METHOD, Expect.LOGIN))
                for problem in check(want, got, tokens):
                    problems.append(f"{method.upper()} {url} [{target.label}]: {problem}")
    assert not problems, f"{name} as {role} ({user.username if user else '-'}), scope {scope}:\n" + "\n".join(problems)
