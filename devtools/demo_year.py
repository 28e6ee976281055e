"""Two years of a school's petitions for the demo (devtools.demo.load_demo).

`plan_cases` decides, from a seed, what the school received over the two years before
today: each petition is drawn from one of cases.demo_text.MATTERS, so its kind, topic,
handling unit and words agree (a 食堂 complaint goes to 后勤保卫处, a 成绩 matter to 教务处,
a 奖学金 matter to 学生工作处, every 举报 to 纪检监察室), in the months that matter comes
(September's enrolment, January's and June's exams, June's and July's graduation, 奖助学金 in
March and September; fewer at weekends and in the breaks), and what became of it and how
long each step took: most answered, delivered, filed and followed up, a few declined,
forwarded, routed to arbitration or returned to the superior, some late, one or two stuck.

`replay` then does all of it through the services the pages use, in time order, with
the process's clock at each step's moment (time-machine's `travel`, from the test extra
that ./xf installs): a step's history row, its clocks and due dates over the real
calendar, the case's and the documents' yearly numbers, the notifications, all carry
the time the step happened, and nothing is back-dated afterwards. Each day at 07:00 the
deadline scan and the supervision sweep run as beat would, the units answer the 催办
notices the scan raises, the office decides the 不满意 reviews, and in the evening everyone
has read the day's notifications (the last three days are left unread). What falls after
now is left undone, so the recent cases stand where a real office would have them; the
few planned to show a state (SHOWCASE) take their remaining steps now.

The past sends no mail: the notifications of two years are written, but not handed to
the worker (notifications.services.queue_mail), which would otherwise mail them all at
the first start.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.demo import walk_steps
from cases.demo_text import (
    ADVICE_CONCLUSIONS,
    BUILDINGS,
    CANTEENS,
    COLLEGE,
    COMMON_COURSES,
    CONCLUSIONS,
    CONTENT,
    COURSES,
    FOLLOW_UP_COMMENTS,
    GENERAL_COURSES,
    MAJORS_BY_COLLEGE,
    MATTERS,
    OPINIONS,
    Matter,
    fill,
    person_name,
    phone_number,
)
from cases.models import AccusedPerson, Case, Channel, Gravity, Kind, Source, State, SunshineClass, Topic
from deadlines import calendar as cal
from deadlines.clocks import Clock, DeadlineRule
from deadlines.services import OPEN_COUNTING
from documents.demo import deliver, first_notice_kind, issue
from documents.guards import answer_kind
from documents.models import DeliveryWay
from documents.services import DocumentRefused
from notifications import services as notification_services
from notifications.models import Notification
from people.models import Unit, User
from supervision import services as supervision_services
from supervision.models import AWAITING_UNIT, Notice, SatisfactionReview
from supervision.scan import scan

DAYS = 730  # the two years before today
GROWTH = 0.2  # the second year has a fifth more petitions than the first
WEEKDAY = (1.1, 1.05, 1.0, 1.0, 0.95, 0.35, 0.3)
HOUR = (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 5, 8, 8, 6, 3, 3, 7, 8, 7, 5, 3, 3, 3, 2, 1.5, 0.6)
OFFICE_HOURS = ((time(8, 30), time(12, 0)), (time(14, 30), time(17, 30)))

SOURCES = (
    (Source.SELF, 82),
    (Source.HOTLINE_12345, 9),
    (Source.CITY_EDUCATION, 4),
    (Source.PROVINCE_SYSTEM, 3),
    (Source.SUNSHINE, 2),
)
# a case handed down: its reference prefix, how its channel reads, the superior's deadline (days)
HANDED_DOWN = {
    Source.HOTLINE_12345: ("GD", Channel.PHONE, 15),
    Source.CITY_EDUCATION: ("JYJ", Channel.LETTER, 30),
    Source.PROVINCE_SYSTEM: ("XF", Channel.ONLINE, 30),
    Source.SUNSHINE: ("YG", Channel.ONLINE, None),
}
CHANNELS = {
    Kind.CONSULTATION: ((Channel.PHONE, 40), (Channel.ONLINE, 35), (Channel.VISIT, 10), (Channel.SMS, 5),
                        (Channel.EMAIL, 5), (Channel.MAILBOX, 5)),
    Kind.REPORT: ((Channel.MAILBOX, 35), (Channel.LETTER, 25), (Channel.ONLINE, 25), (Channel.EMAIL, 10),
                  (Channel.VISIT, 5)),
    Kind.PRAISE: ((Channel.LETTER, 40), (Channel.ONLINE, 30), (Channel.MAILBOX, 20), (Channel.EMAIL, 10)),
    None: ((Channel.ONLINE, 30), (Channel.PHONE, 20), (Channel.MAILBOX, 15), (Channel.VISIT, 12),
           (Channel.LETTER, 10), (Channel.EMAIL, 8), (Channel.SMS, 5)),
}  # fmt: skip
OUTCOMES = {
    Kind.COMPLAINT: (("support", 40), ("explain", 35), ("not_support", 25)),
    Kind.CONSULTATION: (("explain", 85), ("support", 15)),
    Kind.HELP: (("support", 65), ("explain", 35)),
    Kind.SUGGESTION: (("support", 45), ("explain", 40), ("not_support", 15)),
    Kind.REPORT: (("support", 35), ("not_support", 65)),
    Kind.PRAISE: (("support", 1),),
}
SATISFACTION = {
    "support": (("satisfied", 82), ("basically", 15), ("dissatisfied", 3)),
    "explain": (("satisfied", 55), ("basically", 35), ("dissatisfied", 10)),
    "not_support": (("satisfied", 25), ("basically", 45), ("dissatisfied", 30)),
}
DECLINE = {
    "repeat": "所反映事项已经依法处理完毕，信访人无新的事实和理由，不再受理。",
    "court": "所反映事项已进入诉讼程序，依法不予受理，已告知信访人通过诉讼途径解决。",
    "outside": "所反映事项不属于学院职责范围，已告知信访人向有权机关提出。",
}
INSTRUCTIONS = (
    "请{unit}认真核实，依规处理，及时答复信访人。",
    "请{unit}尽快调查核实，妥善处理并按期答复。",
    "请高度重视，限期办结并报结果。",
)
# shares: of complaints that are major, of those about a 食堂, a dormitory, enrolment or
# safety that come as a group visit, of cases whose unit reports late, of complaints that
# repeat an earlier one, of visits to a 二级学院 that it registers itself (二级信访)
MAJOR_RATE, GROUP_RATE, LATE_RATE, REPEAT_RATE, UNIT_REGISTERS_RATE = 0.025, 0.05, 0.04, 0.04, 0.35
FOLLOW_UP_RATE = 0.65
# of every STUCK_PER cases, one old one a unit never finished (积案): its notices go
# unanswered and escalate
STUCK_PER = 120

# The states a demo of any size shows, each by a recent case planned to stop there:
# (target, matter, kind, days ago, major).
SHOWCASE = (
    (State.REGISTERED, "canteen", Kind.COMPLAINT, 0, False),
    (State.ACCEPTED, "dorm", Kind.COMPLAINT, 1, False),
    (State.PROPOSED, "grades", Kind.COMPLAINT, 1, False),
    (State.ASSIGNED, "scholarship", Kind.COMPLAINT, 2, False),
    (State.HANDLING, "teaching", Kind.COMPLAINT, 5, False),
    (State.UNIT_REVIEW, "canteen", Kind.COMPLAINT, 9, True),
    (State.LEADER_REVIEW, "safety", Kind.COMPLAINT, 11, True),
    (State.REPLIED, "exams", Kind.COMPLAINT, 9, False),
    (State.ARCHIVED, "records", Kind.HELP, 24, False),
    (State.FOLLOWED_UP, "diploma", Kind.CONSULTATION, 40, False),
    (State.NOT_ACCEPTED, "grades", Kind.COMPLAINT, 4, False),
    (State.FORWARDED, "outside_pay", Kind.COMPLAINT, 4, False),
    (State.STATUTORY, "contract", Kind.COMPLAINT, 5, False),
    (State.RETURNED_UP, "district", Kind.COMPLAINT, 6, False),
)


@dataclass
class Plan:
    """One petition as planned: what it is, who sent it, where it ends and how fast."""

    index: int
    matter: Matter
    kind: str
    received_at: datetime
    registered_at: datetime
    words: dict
    summary: str
    content: str
    petitioner: case_services.PetitionerData
    registrant: str
    unit: str | None
    channel: str
    source: str
    target: str
    pace: str  # normal, fast (a short limit), late (the unit's report comes after its due date), stuck
    outcome: str
    satisfaction: str | None
    seed: int
    superior_reference: str = ""
    superior_deadline: date | None = None
    sunshine_class: str = ""
    gravity: str = Gravity.ORDINARY
    is_group: bool = False
    group_size: int | None = None
    representatives: list[tuple[str, str]] = field(default_factory=list)
    is_over_level: bool = False
    is_leader_case: bool = False
    repeat_of: int | None = None
    decline: str = "outside"
    showcase: bool = False
    # the summary's own (found, fixed, not found), where it has them (cases.demo_text.S)
    findings: tuple[str, ...] = ("", "", "")

    @property
    def received_on(self) -> date:
        return timezone.localdate(self.received_at)


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class Clockwork:
    """When people at the school act: on working days (the school's calendar), in office
    hours."""

    def __init__(self, calendar: cal.Calendar):
        self.calendar = calendar

    def is_workday(self, day: date) -> bool:
        return self.calendar.is_workday(day)

    def at_work(self, t: datetime, rng: random.Random, *, days: float = 0, hours: float = 0) -> datetime:
        """`days` and `hours` after `t`, or the next moment the offices are open after that."""
        t = timezone.localtime(t + timedelta(days=days, hours=hours))
        day = t.date()
        while True:
            if self.is_workday(day):
                for start, end in OFFICE_HOURS:
                    opens, closes = _aware(day, start), _aware(day, end)
                    if t < opens:
                        return opens + timedelta(minutes=rng.randint(0, 50))
                    if t < closes:
                        return t
            day += timedelta(days=1)
            t = _aware(day, time.min)


# --- planning -------------------------------------------------------------------------


def plan_cases(count: int, *, now: datetime, seed: int, colleges: dict[str, str], clockwork: Clockwork) -> list[Plan]:
    """`count` petitions over the DAYS before `now` (SHOWCASE's among them), in the order
    they reached the school. `colleges` maps the 二级学院 codes to their names."""
    rng = random.Random(seed)
    today = timezone.localdate(now)
    first = today - timedelta(days=DAYS)
    showcase = SHOWCASE[: max(0, min(count, len(SHOWCASE)))]
    drawn = max(0, count - len(showcase))
    by_key = {m.key: m for m in MATTERS}
    # (day, matter) pairs by month, each weighed by how busy its day is and how often its
    # matter comes in that month
    months: dict[tuple[int, int], tuple[list, list]] = {}
    for offset in range(DAYS + 1):
        day = first + timedelta(days=offset)
        busy = WEEKDAY[day.weekday()] * (1 + GROWTH * offset / DAYS)
        if day.weekday() < 5 and not clockwork.is_workday(day):
            busy *= 0.4  # a public holiday
        pairs, weights = months.setdefault((day.year, day.month), ([], []))
        for matter in MATTERS:
            pairs.append((day, matter))
            weights.append(matter.weight * matter.months[day.month - 1] * busy)
    # each month gets its share of the cases (largest remainders), so that even a small demo
    # shows the school year's peaks; within a month they fall by weight
    totals = {key: sum(weights) for key, (_, weights) in months.items()}
    whole = sum(totals.values())
    shares = {key: drawn * total / whole for key, total in totals.items()}
    quota = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(shares, key=lambda key: (shares[key] - quota[key], rng.random()), reverse=True)
    for key in by_remainder[: drawn - sum(quota.values())]:
        quota[key] += 1
    wanted = []
    for key, (pairs, weights) in months.items():
        if quota[key]:
            wanted += [(day, matter, None, None, False) for day, matter in rng.choices(pairs, weights, k=quota[key])]
    wanted += [
        (today - timedelta(days=ago), by_key[key], target, kind, major) for target, key, kind, ago, major in showcase
    ]
    hours, hour_weights = zip(*enumerate(HOUR), strict=True)
    stamped = []
    for day, *rest in wanted:
        at = _aware(day, time(rng.choices(hours, hour_weights)[0], rng.randint(0, 59)))
        if at > now - timedelta(hours=1):
            at = now - timedelta(minutes=rng.randint(60, 240))  # today's, before now
        stamped.append((at, *rest))
    stamped.sort(key=lambda row: row[0])
    plans: list[Plan] = []
    for at, matter, target, kind, major in stamped:
        plans.append(_plan_one(len(plans), at, matter, target, kind, major, rng, now, colleges, clockwork, plans))
    _mark_stuck(plans, rng, today)
    return plans


def _plan_one(index, received_at, matter, target, kind, major, rng, now, colleges, clockwork, earlier) -> Plan:
    today = timezone.localdate(now)
    showcase = target is not None
    kind = kind or _pick(rng, [(kind, weight) for kind, (weight, _) in matter.kinds.items()])
    college = rng.choice(sorted(colleges))
    unit = college if matter.unit == COLLEGE else matter.unit
    received_on = timezone.localdate(received_at)
    words = {
        "college": colleges[college],
        "course": rng.choice(COURSES.get(college, GENERAL_COURSES)),
        "any_course": rng.choice(COURSES.get(college, GENERAL_COURSES) + COMMON_COURSES),
        "canteen": rng.choice(CANTEENS),
        "building": rng.choice(BUILDINGS),
        "year": received_on.year,
        "school": settings.XINFANG_ORGANISATION,
        "subject": matter.subject,
    }
    words["college_code"] = college
    entry = rng.choice(matter.kinds[kind][1])
    template, *findings = (entry,) if isinstance(entry, str) else entry
    summary = fill(template, words)
    # who writes: a student, a parent or a member of staff; a 举报 often without a name
    relation = matter.relation
    if relation == "student" and rng.random() < 0.15:
        relation = "parent"
    anonymous = (kind == Kind.REPORT and rng.random() < 0.4) or rng.random() < 0.02
    name = "匿名" if anonymous else person_name(rng)
    phone = "" if anonymous else phone_number(rng)
    grade = received_on.year - rng.choice((0, 1, 2)) - (0 if received_on.month >= 9 else 1)
    if relation == "student":
        majors = MAJORS_BY_COLLEGE.get(college)
        major_name = rng.choice(majors) if majors else colleges[college]
        organisation = f"{grade}级{major_name}{rng.randint(1, 4)}班"
        address = f"{rng.choice(BUILDINGS)}{rng.randint(1, 6)}{rng.randint(1, 30):02d}室"
    elif relation == "staff":
        organisation = colleges[college]
        address = ""
    else:
        organisation = ""
        address = f"长沙市{rng.choice(('芙蓉区', '天心区', '岳麓区', '开福区', '雨花区', '望城区'))}"
    petitioner = case_services.PetitionerData(
        name=name, phone=phone, organisation="" if anonymous else organisation, relation=relation,
        address="" if anonymous else address,
    )  # fmt: skip
    who = "" if anonymous else f"本人{name}{'，' + organisation if organisation else ''}，"
    plain_complaint = kind == Kind.COMPLAINT and not findings
    detail = (
        fill(rng.choice(matter.details), words) if plain_complaint and matter.details and rng.random() < 0.7 else ""
    )
    content = fill(CONTENT[kind], {"who": who, "summary": summary, "detail": detail})
    # where it came from
    source = _pick(rng, SOURCES)
    if matter.sources:
        source = rng.choice(matter.sources)
    elif kind in (Kind.PRAISE, Kind.REPORT) and source != Source.PROVINCE_SYSTEM:
        source = Source.SELF
    channel = _pick(rng, CHANNELS.get(kind, CHANNELS[None]))
    superior_reference, superior_deadline, sunshine_class = "", None, ""
    if source != Source.SELF:
        prefix, channel, days = HANDED_DOWN[source]
        superior_reference = f"{prefix}{received_on:%Y%m%d}{rng.randint(1, 9999):04d}"
        superior_deadline = received_on + timedelta(days=days) if days else None
        if source == Source.SUNSHINE:
            sunshine_class = SunshineClass.CONSULTATION if kind == Kind.CONSULTATION else SunshineClass.ORDINARY
    if not clockwork.is_workday(received_on) and channel in (Channel.VISIT, Channel.PHONE, Channel.LETTER):
        channel = Channel.ONLINE  # nobody is at the office to take a visit, a call or the post
    if anonymous and channel in (Channel.VISIT, Channel.PHONE):
        channel = Channel.MAILBOX

    def in_office_hours(t: datetime) -> datetime | None:
        """When a visit or a call comes: office hours, on or after `t`, before now."""
        at = clockwork.at_work(t, rng)
        return at if at <= now - timedelta(minutes=30) and timezone.localdate(at) == timezone.localdate(t) else None

    if channel in (Channel.VISIT, Channel.PHONE):
        if (at := in_office_hours(received_at)) is not None:
            received_at = at
        else:
            channel = Channel.ONLINE
    # flags
    gravity = Gravity.MAJOR if major else Gravity.ORDINARY
    is_group = False
    group_size, representatives = None, []
    if target is None and kind in (Kind.COMPLAINT, Kind.REPORT, Kind.HELP) and rng.random() < MAJOR_RATE:
        gravity = Gravity.MAJOR
    if (
        target is None
        and kind == Kind.COMPLAINT
        and matter.key in ("canteen", "dorm", "freshmen", "safety", "promise")
        and not anonymous
        and rng.random() < GROUP_RATE
        and (visit_at := in_office_hours(received_at)) is not None
    ):
        is_group, gravity, channel, received_at = True, Gravity.MAJOR, Channel.VISIT, visit_at
        group_size = rng.randint(8, 40)
        representatives = [(name, phone)] + [(person_name(rng), phone_number(rng)) for _ in range(rng.randint(2, 4))]
    is_over_level = source == Source.PROVINCE_SYSTEM and rng.random() < 0.3
    # 领导包案: a major matter a leader takes in charge of
    is_leader_case = gravity != Gravity.ORDINARY and unit not in (None, "jjjc") and (major or rng.random() < 0.5)
    # a repeat: the same person about the same matter, at least three weeks on
    repeat_of = None
    decline = "outside"
    if target is None and kind == Kind.COMPLAINT and not anonymous and rng.random() < REPEAT_RATE:
        before = [
            p for p in earlier
            if p.matter.key == matter.key and p.petitioner.phone and p.received_at < received_at - timedelta(days=21)
        ]  # fmt: skip
        if before:
            first_time = rng.choice(before)
            repeat_of, petitioner = first_time.index, first_time.petitioner
            content = fill(
                CONTENT[kind], {"who": f"本人{petitioner.name}，", "summary": summary, "detail": "此前已反映过，"}
            )
            decline = "repeat"
    # how it ends
    if target is None:
        target = _ending(matter, kind, rng, anonymous, repeat_of is not None)
        if target == State.NOT_ACCEPTED and decline != "repeat":
            decline = "court" if matter.unit and rng.random() < 0.4 else "outside"
    outcome = _pick(rng, OUTCOMES[kind])
    satisfaction = _pick(rng, SATISFACTION[outcome]) if target == State.FOLLOWED_UP else None
    fast = (
        channel == Channel.MAILBOX or source != Source.SELF or target in (State.RETURNED_UP,)
    )  # a limit of days, not weeks
    # late: the unit reports after its due date, and answers the 催办 (the discipline unit
    # is not one the supervision notices go to for answer, so its 举报 are not late)
    late = unit not in (None, "jjjc") and rng.random() < LATE_RATE
    pace = "fast" if fast else ("late" if late else "normal")
    # who registers: the office's clerk, or the 二级学院 itself for what reached it there (二级信访)
    registrant = "clerk"
    if matter.unit == COLLEGE and channel == Channel.VISIT and source == Source.SELF and kind != Kind.REPORT:
        own = {"jsj": "recep_jsj", "dz": "head_dz", "rj": "head_rj"}.get(college)
        if own and rng.random() < UNIT_REGISTERS_RATE:
            registrant = own
    registered_at = _registration(received_at, channel, rng, clockwork)
    if registered_at > now:
        registered_at = max(received_at, now - timedelta(minutes=rng.randint(5, 90)))
    if timezone.localdate(registered_at) > today:
        registered_at = now
    return Plan(
        index=index,
        matter=matter,
        kind=kind,
        received_at=received_at,
        registered_at=registered_at,
        words=words,
        summary=summary,
        content=content,
        petitioner=petitioner,
        registrant=registrant,
        unit=unit,
        channel=channel,
        source=source,
        target=target,
        pace=pace,
        outcome=outcome,
        satisfaction=satisfaction,
        seed=rng.randrange(2**31),
        superior_reference=superior_reference,
        superior_deadline=superior_deadline,
        sunshine_class=sunshine_class,
        gravity=gravity,
        is_group=is_group,
        group_size=group_size,
        representatives=representatives[:5],
        is_over_level=is_over_level,
        is_leader_case=is_leader_case,
        repeat_of=repeat_of,
        decline=decline,
        showcase=showcase,
        findings=tuple(findings) or ("", "", ""),
    )


def _ending(matter: Matter, kind: str, rng: random.Random, anonymous: bool, repeat: bool) -> str:
    r = rng.random()
    for ending, share in matter.endings.items():
        if r < share:
            return State(ending)
        r -= share
    if repeat and rng.random() < 0.5:
        return State.NOT_ACCEPTED
    if rng.random() < 0.02:
        return State.NOT_ACCEPTED
    if anonymous or kind in (Kind.PRAISE, Kind.REPORT):
        return State.ARCHIVED  # nobody to call back, or nothing to ask
    return State.FOLLOWED_UP if rng.random() < FOLLOW_UP_RATE else State.ARCHIVED


def _registration(received_at: datetime, channel: str, rng: random.Random, clockwork: Clockwork) -> datetime:
    """The clerk registers a call or a visit at once, what came in writing within hours,
    a letter within a couple of working days."""
    if channel in (Channel.PHONE, Channel.VISIT):
        return received_at + timedelta(minutes=rng.randint(5, 40))
    if channel == Channel.LETTER:
        return clockwork.at_work(received_at, rng, days=rng.choice((0, 0, 1, 1, 2)))
    return clockwork.at_work(received_at, rng, hours=rng.uniform(0.2, 3))


def _mark_stuck(plans: list[Plan], rng: random.Random, today: date) -> None:
    old = [
        p for p in plans
        if p.target in (State.ARCHIVED, State.FOLLOWED_UP) and p.kind == Kind.COMPLAINT and p.source == Source.SELF
        and 90 <= (today - p.received_on).days <= 400 and p.unit not in (None, "jjjc")
    ]  # fmt: skip
    for plan in rng.sample(old, min(max(1, round(len(plans) / STUCK_PER)), len(old))):
        plan.target, plan.pace, plan.satisfaction = State.HANDLING, "stuck", None


# --- replay ---------------------------------------------------------------------------


@dataclass
class Replay:
    users: dict[str, User]
    clockwork: Clockwork
    now: datetime
    heap: list = field(default_factory=list)
    seq: Iterator[int] = field(default_factory=itertools.count)
    cases: dict[int, Case] = field(default_factory=dict)
    stuck: set[int] = field(default_factory=set)
    last_notice: int = 0  # the notices up to this id have been taken up
    skipped: list[str] = field(default_factory=list)
    showcase_scripts: set[int] = field(default_factory=set)

    def spawn(self, at: datetime, script: Iterator[datetime], *, showcase: bool = False) -> None:
        key = next(self.seq)
        if showcase:
            self.showcase_scripts.add(key)
        heapq.heappush(self.heap, (at, key, script))


def replay(plans: list[Plan], users: dict[str, User], *, now: datetime, log: Callable[[str], None]) -> dict:
    """Do what `plans` say, step by step, in time order, up to `now`; returns counts."""
    import time_machine  # the test extra (./xf installs it); devtools is not in production

    clockwork = Clockwork(cal.current_calendar())
    run = Replay(users=users, clockwork=clockwork, now=now)
    for plan in plans:
        run.spawn(plan.registered_at, _case_script(run, plan), showcase=plan.showcase)
    if not plans:
        return {"cases": 0, "skipped": []}
    first_day = timezone.localdate(plans[0].registered_at)
    today = timezone.localdate(now)
    with ExitStack() as stack:
        # the past is not mailed again at the first start (module docstring)
        stack.enter_context(mock.patch.object(notification_services, "queue_mail", lambda ids: None))
        stack.enter_context(mock.patch.object(notification_services, "queue_deliveries", lambda ids: None))
        traveller = stack.enter_context(time_machine.travel(_aware(first_day, time(7, 0)), tick=True))
        day = first_day
        while day <= today:
            # a month a transaction: a commit a day would cost more than the steps on SQLite
            with transaction.atomic():
                month = day.month
                while day <= today and day.month == month:
                    _one_day(run, traveller, day, first_day, today)
                    day += timedelta(days=1)
            if month % 3 == 0:
                log(f"  {day - timedelta(days=1):%Y-%m}：已登记 {len(run.cases)} 件")
        # what SHOWCASE planned is done by now, however long its steps were meant to take;
        # the rest of what was planned is still to come
        _move(traveller, now)
        run.heap = [entry for entry in run.heap if entry[1] in run.showcase_scripts]
        heapq.heapify(run.heap)
        with transaction.atomic():
            while run.heap:
                _, key, script = heapq.heappop(run.heap)
                _step(run, key, script)
    return {"cases": len(run.cases), "skipped": run.skipped}


def _one_day(run: Replay, traveller, day: date, first_day: date, today: date) -> None:
    """07:00: the scan and the sweep (beat's jobs, on working days), and the units take up
    the new notices; then the day's steps in order; at 17:50 everyone has read what they
    were told that day, except in the last three days."""
    workday = run.clockwork.is_workday(day)
    if day > first_day and workday:
        _move(traveller, _aware(day, time(7, 0)))
        scan()
        supervision_services.escalate_late()
        _pick_up_notices(run)
    next_day = _aware(day + timedelta(days=1), time.min)
    busy = False
    while run.heap and run.heap[0][0] < next_day and run.heap[0][0] <= run.now:
        at, key, script = heapq.heappop(run.heap)
        _move(traveller, at)
        _step(run, key, script)
        busy = True
    if busy:
        _pick_up_notices(run)
    if workday and day <= today - timedelta(days=3):
        _move(traveller, _aware(day, time(17, 50)))
        _read_notifications()


def _move(traveller, at: datetime) -> None:
    """Set the clock to `at`, never back."""
    if at > timezone.now():
        traveller.move_to(at)


_DONE = object()


def _step(run: Replay, key: int, script: Iterator[datetime]) -> None:
    """Run one step of a script in a savepoint and schedule its next one. A step the
    services refuse is left out, its case where it stands (listed in `skipped`)."""
    try:
        with transaction.atomic():
            # a default, not StopIteration: an exception leaving the block would undo the step
            at = next(script, _DONE)
    except (case_services.TransitionRefused, DocumentRefused, PermissionDenied,
            supervision_services.SupervisionRefused) as e:  # fmt: skip
        run.skipped.append(str(e))
        return
    if at is not _DONE:
        heapq.heappush(run.heap, (at, key, script))


def _read_notifications() -> None:
    """Everyone has read what they were told (the service behind the bell's 全部已读)."""
    for user in User.objects.filter(pk__in=Notification.objects.filter(read_at=None).values("user_id")):
        notification_services.notifications_mark_read(user=user)


def _pick_up_notices(run: Replay) -> None:
    """The unit answers each new 催办 notice within a few working days, and the office
    closes it; a stuck case's notices go unanswered, and the sweep escalates them."""
    fresh = Notice.objects.filter(pk__gt=run.last_notice, status=Notice.Status.SENT).select_related("unit")
    for notice in fresh.order_by("pk"):
        run.last_notice = notice.pk
        if notice.case_id in run.stuck or notice.unit is None:
            continue
        rng = random.Random(notice.pk)
        run.spawn(
            run.clockwork.at_work(timezone.now(), rng, days=rng.uniform(0.5, 3)), _notice_script(run, notice, rng)
        )


def _notice_script(run: Replay, notice: Notice, rng: random.Random) -> Iterator[datetime]:
    """The unit's head answers the notice in writing (书面反馈); the office closes it."""
    unit = notice.unit
    head = run.users.get(f"head_{unit.code}") or (User.objects.get(pk=unit.head_id) if unit.head_id else None)
    if head is None:
        return
    notice.refresh_from_db()
    if notice.status not in AWAITING_UNIT:
        return
    supervision_services.notice_answer(
        notice=notice,
        actor=head,
        answer=rng.choice(
            (
                "已收到督办通知，正抓紧调查核实，将于三个工作日内报送办理结果。",
                "已召开专题会研究，明确专人负责，近期答复信访人并报送结案报告。",
                "前期因需协调多个部门耽误了办理进度，现已加快办理，按期报送结果。",
            )
        ),
    )
    yield run.clockwork.at_work(timezone.now(), rng, days=rng.uniform(0.5, 2))
    notice.refresh_from_db()
    if notice.status == Notice.Status.ANSWERED:
        supervision_services.notice_close(notice=notice, actor=run.users["office"], note="反馈情况属实，同意办结。")


# --- one case ---------------------------------------------------------------------------

DECISIONS = ("accept", "decline", "forward", "route_statutory")


def _case_script(run: Replay, plan: Plan) -> Iterator[datetime]:
    """Register the petition, then take it along its path: each `yield` says when the next
    step happens."""
    users, clockwork = run.users, run.clockwork
    rng = random.Random(plan.seed)
    case = _register(run, plan)
    if plan.pace == "stuck":
        run.stuck.add(case.pk)
    unit = Unit.objects.get(code=plan.unit) if plan.unit else None
    texts = _texts(plan, unit)
    approver = _approver(users, plan.unit)
    steps = walk_steps(
        case,
        plan.target,
        users,
        rng,
        unit_code=plan.unit,
        texts=texts,
        approver=approver,
        outcome=plan.outcome,
        satisfaction=plan.satisfaction,
    )
    done = None
    for name in steps:  # `name` is the next step: it is taken when the loop comes round
        if done in DECISIONS:
            _tell_decision(run, case, plan, rng)
        if name == "propose":
            yield from _resolve_accused(run, case, rng)
        if name == "archive":
            yield from _answer(run, case, plan, rng)
        at = _when(name, timezone.now(), plan, rng, clockwork)
        if name == "reply" and plan.pace != "late":
            at = _before_due(case, at)
        yield at
        done = name
    if done in DECISIONS:
        _tell_decision(run, case, plan, rng)
    if done == "follow_up" and plan.satisfaction == "dissatisfied":
        at = clockwork.at_work(timezone.now(), rng, days=rng.uniform(1, 5))
        run.spawn(at, _review_script(run, case, rng), showcase=plan.showcase)


def _before_due(case: Case, at: datetime) -> datetime:
    """A unit that is not late reports before its due time, holidays or not: at the latest
    a few hours before the nearest due time of the unit's open clocks (承办, 办结)."""
    due = (
        Clock.objects.filter(case=case, rule__duty=DeadlineRule.Duty.UNIT, status__in=OPEN_COUNTING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None:
        return at
    return max(min(at, due - timedelta(hours=3)), timezone.now() + timedelta(minutes=20))


def _tell_decision(run: Replay, case: Case, plan: Plan, rng: random.Random) -> None:
    """The decision reaches the petitioner in writing (条例 第二十三条), in a few hours."""
    at = run.clockwork.at_work(timezone.now(), rng, hours=rng.uniform(0.3, 5))
    run.spawn(at, _notice_script_for(run, case, plan, rng), showcase=plan.showcase)


def _register(run: Replay, plan: Plan) -> Case:
    topic, _ = Topic.objects.get_or_create(name=plan.matter.topic, defaults={"order": 99})
    unit = Unit.objects.get(code=plan.unit) if plan.unit else None
    accused_units, accused_people = [], []
    if plan.kind == Kind.REPORT:
        if plan.matter.accuse_college:
            accused_units = [Unit.objects.get(code=plan.words["college_code"])]
        if plan.matter.accused_external:
            accused_people = [fill(plan.matter.accused_external, plan.words)]
    repeat_of = run.cases.get(plan.repeat_of) if plan.repeat_of is not None else None
    case, _ = case_services.case_register(
        actor=run.users[plan.registrant],
        petitioner=plan.petitioner,
        data=case_services.CaseData(
            channel=plan.channel,
            kind=plan.kind,
            received_on=plan.received_on,
            summary=plan.summary,
            content=plan.content,
            source=plan.source,
            superior_reference=plan.superior_reference,
            superior_deadline=plan.superior_deadline,
            topic=topic,
            gravity=plan.gravity,
            sunshine_class=plan.sunshine_class,
            complained_unit=unit if plan.kind == Kind.COMPLAINT and unit is not None else None,
            is_group=plan.is_group,
            group_size=plan.group_size,
            representatives=plan.representatives,
            is_over_level=plan.is_over_level,
            is_leader_case=plan.is_leader_case,
            leader_in_charge=_approver(run.users, plan.unit) if plan.is_leader_case else None,
            is_repeat=repeat_of is not None,
            repeat_of=repeat_of,
            accused_units=accused_units,
            accused_people=accused_people,
        ),
    )
    run.cases[plan.index] = case
    return case


def _approver(users: dict[str, User], unit_code: str | None) -> User:
    """The leader a proposal goes to: the unit's 分管 leader; the 主要领导 for the discipline
    unit's 举报 and for a unit nobody is in charge of."""
    for name in ("leader", "leader2"):
        user = users.get(name)
        if user is not None and unit_code and user.charge_units.filter(code=unit_code).exists():
            return user
    return users["president"]


def _texts(plan: Plan, unit: Unit | None) -> dict:
    matter, words = plan.matter, {**plan.words, "unit": unit.name if unit else ""}
    rng = random.Random(plan.seed + 1)
    outcome = plan.outcome
    advice = plan.kind in (Kind.SUGGESTION, Kind.PRAISE)
    own_found, own_fixed, own_not_found = plan.findings
    found, fixed, not_found = own_found or matter.found, own_fixed or matter.fixed, own_not_found or matter.not_found
    if plan.kind == Kind.CONSULTATION:
        facts, handling = "信访人咨询的{subject}，学校已有明确规定。", matter.explained
    elif outcome == "not_support":
        facts, handling = not_found, "{unit}已向信访人说明核查情况和相关规定。"
    elif outcome == "explain":
        facts, handling = found, matter.explained
    else:
        facts, handling = found, fixed
    texts = {
        "decline": DECLINE[plan.decline],
        "facts": fill(facts, words),
        "conclusion": (ADVICE_CONCLUSIONS if advice else CONCLUSIONS)[outcome],
        "handling": fill(handling, words),
        "petitioner_opinion": OPINIONS[outcome],
        "instruction": fill(rng.choice(INSTRUCTIONS), words),
        "requirements": "按上级交办时限办结，及时报送复函。" if plan.source != Source.SELF else "两周内报送结案报告。",
        "follow_up": FOLLOW_UP_COMMENTS.get(plan.satisfaction or "", "电话回访，信访人对处理结果作出评价。"),
        "objection": "所反映学校为区属中小学，不属本校管理，建议改派区教育局办理。",
        "objection_answer": "上级同意退回，改派区教育局办理。",
    }
    if unit is not None:
        texts["proposal"] = f"拟请{unit.name}牵头调查处理，按期答复信访人。"
    if plan.kind == Kind.REPORT:
        texts["proposal"] = f"拟请{unit.name if unit else '纪检监察室'}依规依纪调查核实，注意保护举报人。"
        texts["instruction"] = "请纪检监察室依规依纪调查核实，严格保密，注意保护举报人。"
    if matter.forward:
        texts["forwarded_to"], texts["forward"] = matter.forward
    if matter.statutory:
        texts["statutory_route"], texts["statutory_body"], texts["statutory"] = matter.statutory
    return texts


def _when(name: str, t: datetime, plan: Plan, rng: random.Random, clockwork: Clockwork) -> datetime:
    """When step `name` happens, `t` being when the one before it did."""
    at = clockwork.at_work
    fast = plan.pace == "fast"
    if name in DECISIONS or name == "objection":
        return at(t, rng, hours=rng.uniform(0.3, 4)) if fast else at(t, rng, days=rng.choice((0, 0.5, 1, 1, 2)))
    if name == "objection_answer":
        return at(t, rng, days=rng.uniform(1, 4))
    if name == "propose":
        return at(t, rng, hours=rng.uniform(0.3, 3) if fast else rng.uniform(1, 12))
    if name == "assign":
        return at(t, rng, hours=rng.uniform(0.3, 4) if fast else rng.uniform(2, 30))
    if name == "take":
        return at(t, rng, hours=rng.uniform(0.3, 3) if fast else rng.uniform(0.5, 10))
    if name == "reply":
        if fast:
            short = plan.sunshine_class == SunshineClass.CONSULTATION or plan.source == Source.SUNSHINE
            return at(t, rng, days=rng.uniform(0.1, 0.8) if short else rng.uniform(0.5, 2.5))
        if plan.pace == "late":
            return at(t, rng, days=rng.uniform(16, 26))
        return at(t, rng, days=rng.uniform(2, 11))
    if name in ("unit_review", "leader_review"):
        return at(t, rng, hours=rng.uniform(1, 20))
    if name == "archive":
        return at(t, rng, days=rng.uniform(1, 5))
    if name == "follow_up":
        return at(t, rng, days=rng.uniform(3, 20))
    return at(t, rng, hours=1)


def _resolve_accused(run: Replay, case: Case, rng: random.Random) -> Iterator[datetime]:
    """Before 拟办 the office says who each accused person is (《信访工作条例》第三十条)."""
    unresolved = list(case.accused_people.filter(status=AccusedPerson.Status.UNRESOLVED))
    if not unresolved:
        return
    yield run.clockwork.at_work(timezone.now(), rng, hours=rng.uniform(0.5, 3))
    for person in unresolved:
        case_services.accused_person_resolve(
            person=person,
            actor=run.users["office"],
            user=None,
            reason="经核实，被举报人为校外承包经营方，非本校工作人员。",
        )


def _delivery(plan: Plan, rng: random.Random, answer: bool) -> tuple[str, str, float]:
    """How a document reaches this petitioner: the way, a note, and how many days it takes."""
    if plan.channel in (Channel.ONLINE, Channel.MAILBOX):
        return DeliveryWay.ONLINE, "通过网上信访平台送达，信访人已查看。", 0
    if plan.channel == Channel.EMAIL:
        return DeliveryWay.EMAIL, "以电子邮件送达，信访人已回复确认。", 0
    if plan.channel == Channel.SMS:
        return DeliveryWay.SMS, "以短信送达，信访人已回复确认。", 0
    if answer and plan.petitioner.relation == "student":
        return DeliveryWay.IN_PERSON, "信访人当面签收。", rng.uniform(0.1, 1.5)
    return DeliveryWay.POST, "挂号信寄送，已签收。", rng.uniform(2, 3)


def _deliver_script(run: Replay, case: Case, plan: Plan, kind: str | None, rng: random.Random, *, answer: bool):
    """Issue `kind` now, and record it delivered when it has arrived."""
    if kind is None:
        return
    office = run.users["office"]
    document = issue(case, office, kind)
    if document is None:
        return
    way, note, days = _delivery(plan, rng, answer)
    issued = timezone.now()
    yield run.clockwork.at_work(issued, rng, days=days, hours=0.2)
    arrived = timezone.localdate(issued + timedelta(days=max(0.0, days - 0.5)))
    deliver(
        document,
        office,
        way=way,
        note=note,
        delivered_on=min(max(arrived, timezone.localdate(issued)), timezone.localdate()),
        tracking_number=f"XA{timezone.localdate(issued):%Y%m%d}{document.pk:06d}" if way == DeliveryWay.POST else "",
    )


def _notice_script_for(run: Replay, case: Case, plan: Plan, rng: random.Random) -> Iterator[datetime]:
    """The 受理/不予受理/转送/法定途径 notice (条例 第二十三条), issued and then delivered."""
    case.refresh_from_db()
    yield from _deliver_script(run, case, plan, first_notice_kind(case), rng, answer=False)


def _answer(run: Replay, case: Case, plan: Plan, rng: random.Random) -> Iterator[datetime]:
    """Before 归档: the answer issued and delivered, and for a case from above the 复函,
    drafted by the unit, checked by the office, settled by the leader and sent."""
    clockwork, users = run.clockwork, run.users
    yield clockwork.at_work(timezone.now(), rng, hours=rng.uniform(0.5, 8 if plan.pace != "fast" else 2))
    case.refresh_from_db()
    yield from _deliver_script(run, case, plan, answer_kind(case), rng, answer=True)
    if case.is_handed_down:
        unit = case.main_unit
        staff = users.get(f"recep_{unit.code}") or users.get(f"head_{unit.code}") or unit.head
        case_services.superior_reply_draft(
            case=case, actor=staff, text=f"关于“{case.summary}”的办理情况：{case.report_facts}{case.report_handling}"
        )
        yield clockwork.at_work(timezone.now(), rng, hours=rng.uniform(0.5, 4))
        case_services.superior_reply_check(case=case, actor=users["office"], approve=True)
        yield clockwork.at_work(timezone.now(), rng, hours=rng.uniform(0.5, 6))
        settler = users["president"] if case.is_major else (case.approving_leader or users["president"])
        case_services.superior_reply_settle(case=case, actor=settler, approve=True, reason="同意报送。")
        yield clockwork.at_work(timezone.now(), rng, hours=rng.uniform(0.5, 4))
        case_services.superior_reply_send(case=case, actor=users["office"], sent_on=timezone.localdate())


def _review_script(run: Replay, case: Case, rng: random.Random) -> Iterator[datetime]:
    """The office decides on a 不满意 (seed 004 第十一条(七)): mostly the handling was
    adequate; otherwise it supervises the unit (the notice is picked up like the scan's)."""
    review = SatisfactionReview.objects.filter(case=case, status=SatisfactionReview.Status.PENDING).first()
    if review is None:
        return
    inadequate = rng.random() < 0.25
    supervision_services.dissatisfaction_decide(
        review=review,
        actor=run.users["office"],
        inadequate=inadequate,
        note="承办部门答复未回应信访人的主要诉求，须补充核实后重新答复。"
        if inadequate
        else "经回看办理材料，承办部门处理程序规范、答复依据充分，已向信访人做好解释工作。",
    )
    yield from ()
