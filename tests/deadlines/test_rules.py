"""Every seeded rule, started by its event on a case that matches it, against dates worked
out by hand on the official 2026 calendar (National Day off 10-01..10-07; Sunday 09-20
and Saturday 10-10 are working days)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from deadlines.clocks import Clock, DeadlineRule, Event
from deadlines.seed_rules import RULES
from deadlines.services import on_case_event

AT = timezone.make_aware(dt.datetime(2026, 9, 25, 10, 0))  # a Friday, Asia/Shanghai
D = dt.date

# code, case fields, event, event details, expected due (date, or minutes after AT)
TABLE = [
    ("accept-decision", {}, Event.REGISTERED, None, D(2026, 10, 10)),  # 15 days, lands on the 调休 Saturday
    ("not-accepted-notice", {}, Event.NOT_ACCEPTED, None, D(2026, 9, 28)),
    ("proposal", {}, Event.ACCEPTED, None, D(2026, 9, 29)),  # 2 workdays
    ("unit-result", {}, Event.ASSIGNED, None, D(2026, 10, 9)),  # 14 days
    ("completion", {}, Event.ACCEPTED, None, D(2026, 11, 24)),  # 60 days
    (
        "completion-12345",
        {"source": "hotline_12345", "superior_reference": "GD1"},
        Event.ACCEPTED,
        None,
        D(2026, 11, 24),
    ),
    (
        "sunshine-ordinary",
        {"source": "sunshine", "superior_reference": "YG1", "kind": "complaint"},
        Event.REGISTERED,
        None,
        D(2026, 10, 12),
    ),  # 7 workdays across National Day
    (
        "sunshine-major",
        # the platform's own class, not the school's is_major (which stays False here)
        {"source": "sunshine", "superior_reference": "YG2", "kind": "report", "sunshine_class": "major"},
        Event.REGISTERED,
        None,
        D(2026, 10, 22),
    ),  # 15 workdays
    (
        "sunshine-consultation",
        {"source": "sunshine", "superior_reference": "YG3", "kind": "consultation"},
        Event.REGISTERED,
        None,
        D(2026, 9, 28),
    ),
    ("mailbox", {"channel": "mailbox"}, Event.REGISTERED, None, D(2026, 10, 8)),  # 10-02 is off: next workday
    ("summons-city", {}, Event.SUMMONS, {"area": "city"}, 60),
    ("summons-county", {}, Event.SUMMONS, {"area": "county"}, 90),
    (
        "objection",
        {"source": "province_system", "superior_reference": "SX1"},
        Event.REGISTERED,
        None,
        D(2026, 10, 9),
    ),  # 5 workdays from receipt
    ("review-request", {}, Event.REPLY_DELIVERED, None, D(2026, 10, 26)),  # from delivery (条例 第35条)
    ("review-opinion", {}, Event.REVIEW_REQUESTED, None, D(2026, 10, 26)),
    ("rereview-request", {}, Event.REVIEW_OPINION_DELIVERED, None, D(2026, 10, 26)),
    ("rereview-opinion", {}, Event.REREVIEW_REQUESTED, None, D(2026, 10, 26)),
    ("reply-delivery", {}, Event.REPLIED, None, D(2026, 10, 8)),  # 7 days; 10-02 is off: next workday
]

# Case fields other apps add (cases: sunshine_class, procedure): set on the object, which
# deadlines reads with getattr, so the table holds before and after those fields exist.
LATER_FIELDS = ("sunshine_class", "procedure")


def test_every_seeded_rule_is_in_the_table(db):
    # unit-feedback: see its own test; notice-feedback: tests/supervision/test_notices.py
    tested = {row[0] for row in TABLE} | {"unit-feedback", "notice-feedback"}
    assert {r["code"] for r in RULES} == tested
    assert set(DeadlineRule.objects.values_list("code", flat=True)) == tested


def _fresh(make_case, **fields):
    later = {k: fields.pop(k) for k in LATER_FIELDS if k in fields}
    case = make_case(received_on=D(2026, 9, 25), **fields)
    Clock.objects.filter(case=case).delete()  # registration (today) started its own clocks
    for name, value in later.items():
        setattr(case, name, value)
    return case


@pytest.mark.parametrize("code,fields,event,details,expected", TABLE, ids=[row[0] for row in TABLE])
def test_seeded_rule(make_case, code, fields, event, details, expected):
    case = _fresh(make_case, **fields)
    clocks = on_case_event(case, event, at=AT, details=details)
    clock = next(c for c in clocks if c.rule.code == code)
    if isinstance(expected, int):
        assert clock.due_at == AT + dt.timedelta(minutes=expected)
    else:
        assert clock.due_date == expected
        assert timezone.localtime(clock.due_at) == timezone.make_aware(
            dt.datetime.combine(expected + dt.timedelta(days=1), dt.time.min)
        )
    assert clock.status == Clock.Status.RUNNING
    # the source in the form users read, and the start and stop as the source states them
    assert clock.rule.citation.startswith("《") and "seed" not in clock.rule.citation
    assert clock.rule.starts_when and clock.rule.stops_when


def test_every_source_is_cited_by_its_name(db):
    for rule in DeadlineRule.objects.all():
        assert "seed" not in rule.citation and "条例 第" not in rule.citation, rule.code
        assert rule.citation.startswith("《"), rule.code
    assert DeadlineRule.objects.get(code="accept-decision").citation == (
        "《信访工作条例》第二十三条；《湖南信息职业技术学院信访工作实施方案》四、2"
    )


def test_superior_deadline_wins(make_case):
    case = _fresh(make_case, source="city_education", superior_reference="JY-7", superior_deadline=D(2026, 10, 30))
    clock = next(c for c in on_case_event(case, Event.ACCEPTED, at=AT) if c.rule.slot == "completion")
    assert (clock.due_date, clock.due_source) == (D(2026, 10, 30), "superior")


def test_assignment_due_date_wins(make_case):
    case = _fresh(make_case, state="assigned")
    Clock.objects.filter(case=case).delete()
    clock = next(c for c in on_case_event(case, Event.ASSIGNED, at=AT) if c.rule.code == "unit-result")
    assert (clock.due_date, clock.due_source) == (case.due_date, "assignment")


def test_seeds_that_disagree_share_a_slot_and_an_administrator_switches(make_case):
    case = _fresh(make_case)
    started = {c.rule.code for c in on_case_event(case, Event.ASSIGNED, at=AT)}
    assert "unit-result" in started and "unit-feedback" not in started
    DeadlineRule.objects.filter(code="unit-result").update(is_active=False)
    case2 = _fresh(make_case)
    clock = next(c for c in on_case_event(case2, Event.ASSIGNED, at=AT) if c.rule.slot == "unit_result")
    assert (clock.rule.code, clock.due_date) == ("unit-feedback", D(2026, 10, 12))


def test_a_more_specific_rule_keeps_the_generic_one_from_starting(make_case):
    case = _fresh(make_case, source="sunshine", superior_reference="YG9", kind="complaint")
    on_case_event(case, Event.REGISTERED, at=AT)
    on_case_event(case, Event.ACCEPTED, at=AT)
    assert list(case.clocks.filter(rule__slot="completion").values_list("rule__code", flat=True)) == [
        "sunshine-ordinary"
    ]


def test_events_stop_clocks_and_record_whether_on_time(make_case):
    case = _fresh(make_case)
    on_case_event(case, Event.REGISTERED, at=AT)
    on_case_event(case, Event.ACCEPTED, at=AT + dt.timedelta(days=1))
    assert case.clocks.get(rule__code="accept-decision").status == Clock.Status.RUNNING  # 受理 is internal
    on_case_event(case, Event.ACCEPTANCE_NOTICE_DELIVERED, at=AT + dt.timedelta(days=3))
    accept = case.clocks.get(rule__code="accept-decision")
    assert (accept.status, accept.on_time) == (Clock.Status.STOPPED, True)
    on_case_event(case, Event.PROPOSED, at=AT + dt.timedelta(days=10))  # 2 workdays were 09-29
    proposal = case.clocks.get(rule__code="proposal")
    assert (proposal.status, proposal.on_time) == (Clock.Status.STOPPED, False)


def test_the_lifecycle_starts_and_stops_its_clocks(people, make_case):
    case = make_case(state="archived")
    codes = dict(case.clocks.values_list("rule__code", "status"))
    # the walk delivered the answer before filing (documents.demo.deliver_answer): the
    # 送达 clock stopped there and the petitioner's 30 days to ask for 复查 began; the
    # acceptance notice was never delivered, so it is still owed (受理 alone stops nothing)
    assert codes["reply-delivery"] == "stopped"
    assert codes["review-request"] == "running"
    assert codes["accept-decision"] == "running"
    assert codes["proposal"] == "stopped"
    assert codes["unit-result"] == "stopped"
    assert codes["completion"] == "stopped"
    assert case.clocks.get(rule__code="completion").on_time is True
    on_case_event(case, Event.ACCEPTANCE_NOTICE_DELIVERED)
    assert case.clocks.get(rule__code="accept-decision").status == "stopped"


def test_return_restarts_the_unit_clock_in_a_new_round(people, units, make_case):
    from cases import services as case_services

    case = make_case(state="assigned")
    case_services.case_return(case=case, actor=people["head_jwc"], reason="非本部门职责")
    case_services.case_propose(
        case=case,
        actor=people["office"],
        main_unit=units["jsj"],
        co_units=[],
        approving_leader=people["leader"],
        proposal="改由计算机工程学院办理",
    )
    case_services.case_assign(
        case=case, actor=people["leader"], instruction="请办理", due_date=timezone.localdate() + dt.timedelta(days=10)
    )
    rounds = list(case.clocks.filter(rule__code="unit-result").order_by("round").values_list("round", "status"))
    assert rounds == [(1, "stopped"), (2, "running")]
    assert case.clocks.get(rule__code="completion").unit == units["jsj"]


def test_the_readme_shows_each_rules_start_and_stop_as_the_law_states_them():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deadlines", 1)[1].split("\n## ", 1)[0]
    for rule in RULES:
        assert f"| {rule['name']} |" in section, rule["code"]
        row = next(line for line in section.splitlines() if line.startswith(f"| {rule['name']} |"))
        assert rule["starts_when"] in row and rule["stops_when"] in row and rule["citation"] in row, rule["code"]


def test_the_rules_table_in_the_admin_shows_start_and_stop(people, client_for):
    from people.models import User

    admin = User.objects.create_superuser("root", password="pw", role=User.Role.ADMIN)
    page = client_for(admin).get("/admin/deadlines/deadlinerule/").content.decode()
    assert "自收到信访事项之日起" in page and "受理、不予受理或转送的书面告知送达信访人" in page
    assert "《信访工作条例》第二十三条" in page
