"""Fill the database fast with realistic cases, for benchmarks.

    python manage.py generate_cases --count 1000000 [--seed 7] [--years 6]

PostgreSQL: one transaction; the rows are streamed with COPY (psycopg 3) while the big
tables' secondary indexes and foreign keys are set aside and rebuilt afterwards (the
PostgreSQL manual, "Populating a Database"). SQLite and others: bulk_create in batches.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from cases.demo_text import COLLEGES, GIVEN, SUMMARIES, SURNAMES, content_for
from cases.models import (
    HANDED_TO_UNIT,
    AccusedPerson,
    Case,
    CaseNumberSequence,
    Channel,
    ContactMethod,
    Kind,
    Outcome,
    Petitioner,
    Satisfaction,
    Source,
    State,
    Topic,
)
from people.demo import PEOPLE, demo_units, ensure_people
from people.models import Unit, User

US = 1_000_000  # microseconds per second
HOUR = 3600 * US
DAY = 24 * HOUR
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# --- how the cases spread ----------------------------------------------------------------

CHANNELS = [  # (value, weight)
    (Channel.ONLINE, 30),
    (Channel.PHONE, 24),
    (Channel.VISIT, 12),
    (Channel.LETTER, 9),
    (Channel.MAILBOX, 11),
    (Channel.EMAIL, 8),
    (Channel.SMS, 6),
]
# days from receipt to registration, by channel (min, max)
RECEIPT_LAG = {
    Channel.ONLINE: (0, 2),
    Channel.PHONE: (0, 0),
    Channel.VISIT: (0, 0),
    Channel.LETTER: (1, 6),
    Channel.MAILBOX: (0, 3),
    Channel.EMAIL: (0, 2),
    Channel.SMS: (0, 1),
}
SOURCES = [
    (Source.SELF, 68),
    (Source.HOTLINE_12345, 16),
    (Source.PROVINCE_SYSTEM, 5),
    (Source.CITY_EDUCATION, 7),
    (Source.SUNSHINE, 4),
]
SUPERIOR_PREFIX = {
    Source.HOTLINE_12345: "GD",
    Source.PROVINCE_SYSTEM: "XF",
    Source.CITY_EDUCATION: "JYJ",
    Source.SUNSHINE: "YG",
}
KINDS = [
    (Kind.COMPLAINT, 34),
    (Kind.CONSULTATION, 25),
    (Kind.HELP, 14),
    (Kind.SUGGESTION, 12),
    (Kind.REPORT, 9),
    (Kind.PRAISE, 6),
]
TOPIC_WEIGHTS = [
    ("教育教学", 22),
    ("日常管理", 18),
    ("后勤服务", 20),
    ("资源配置", 8),
    ("校园安全", 6),
    ("教师待遇", 7),
    ("招生录取", 10),
    ("学籍管理", 9),
]
# which demo unit handles a topic (weights by repetition)
TOPIC_UNITS = {
    "教育教学": ["jwc"] * 5 + ["jsj", "jsj", "dz", "dz", "rj", "rj"],
    "日常管理": ["xgc"] * 5 + ["jsj", "jsj", "dz", "rj"],
    "后勤服务": ["hqc"],
    "资源配置": ["jwc", "hqc"],
    "校园安全": ["hqc", "hqc", "hqc", "xgc"],
    "教师待遇": ["rsc"],
    "招生录取": ["jwc", "jwc", "jwc", "xgc"],
    "学籍管理": ["jwc", "jwc", "jwc", "xgc"],
}
ACCUSABLE_UNITS = ["jwc", "xgc", "hqc", "rsc", "jsj", "dz", "rj"]
REPORT_SUMMARIES = [
    "举报{c}某教师收受学生家长礼品",
    "举报{c}奖学金评定弄虚作假",
    "举报{c}某辅导员向学生推销教辅资料",
    "举报食堂承包商以次充好",
    "举报{c}实习单位安排违规收费",
    "举报{c}某教师考试泄题",
]
PRAISE_SUMMARIES = [
    "表扬{c}某老师教学认真负责",
    "表扬宿管阿姨拾金不昧",
    "表扬保卫处及时处置校园突发事件",
    "感谢{c}辅导员帮助困难学生",
]
MAJOR_RATE, GROUP_RATE, OVER_LEVEL_RATE, LEADER_CASE_RATE = 0.03, 0.02, 0.02, 0.015
REPEAT_RATE = 0.25  # of the cases whose petitioner has petitioned before
REPORT_ACCUSED_UNIT_RATE, REPORT_ACCUSED_PERSON_RATE, CO_UNIT_RATE = 0.3, 0.4, 0.05

# Where a case ends up if left alone long enough; a few old cases are stuck (overdue).
ENDINGS = [
    (State.NOT_ACCEPTED, 6),
    (State.FORWARDED, 5),
    (State.ARCHIVED, 34),
    (State.FOLLOWED_UP, 55),
]
STUCK_RATE = 0.004
STUCK_STATES = [State.ACCEPTED, State.ASSIGNED, State.HANDLING, State.HANDLING, State.REPLIED]
STEPS = [
    State.REGISTERED,
    State.ACCEPTED,
    State.PROPOSED,
    State.ASSIGNED,
    State.HANDLING,
    State.UNIT_REVIEW,
    State.LEADER_REVIEW,
    State.REPLIED,
    State.ARCHIVED,
    State.FOLLOWED_UP,
]
STEP = {s: i for i, s in enumerate(STEPS)}

# Fewer petitions in the holidays (Feb, Jul, Aug), at weekends and at night; more each year.
MONTH_WEIGHT = [0, 0.8, 0.45, 1.15, 1.1, 1.1, 1.15, 0.55, 0.5, 1.3, 1.1, 1.05, 1.0]
WEEKDAY_WEIGHT = [1.1, 1.05, 1.0, 1.0, 0.95, 0.3, 0.25]
HOUR_WEIGHT = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 8, 12, 12, 10, 4, 3, 10, 11, 10, 8, 4, 3, 3, 3, 2, 1.5]
GROWTH = 0.6  # the last year has 1.6x the petitions of the first

NOT_ACCEPTED_REASONS = [
    "所反映事项已经依法处理完毕，信访人无新的事实和理由。",
    "所反映事项不属于学院职责范围，已告知信访人向有权机关提出。",
    "所反映事项已进入诉讼程序，依法不予受理。",
]
FORWARD_TARGETS = [
    ("长沙市人力资源和社会保障局", "劳动争议事项，依职责转送。"),
    ("长沙市教育局", "涉及中小学教育事项，依职责转送。"),
    ("长沙市市场监督管理局", "涉及校外商户经营问题，依职责转送。"),
]
INSTRUCTIONS = ["请认真核实，依规处理，及时答复。", "请尽快调查核实，妥善处理。", "请高度重视，限期办结并报结果。"]
REQUIREMENTS = ["两周内报送结案报告。", "按期答复信访人并报送结案报告。", "一个月内办结。"]
FACTS = [
    "经调查核实，信访人反映的情况基本属实。",
    "经调查核实，信访人反映的情况部分属实。",
    "经调查核实，信访人反映的情况不属实。",
]
CONCLUSIONS = ["相关部门工作存在不足。", "相关工作符合规定。", "信访人诉求部分合理。"]
HANDLINGS = ["已责成整改，并向信访人说明情况。", "已向信访人解释相关政策规定。", "已协调相关部门予以解决。"]
OPINIONS = ["信访人表示认可。", "信访人表示理解。", "信访人保留意见。"]
OUTCOMES = [Outcome.SUPPORT, Outcome.EXPLAIN, Outcome.EXPLAIN, Outcome.NOT_SUPPORT]
SATISFACTIONS = [Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED]
METHODS = [ContactMethod.PHONE, ContactMethod.PHONE, ContactMethod.SMS, ContactMethod.ONLINE, ContactMethod.VISIT]
COMMENTS = ["电话回访，信访人对处理结果作出评价。", "信访人当面表示满意。", "网上评价。"]
MAJORS = ["软件技术", "计算机网络技术", "电子信息工程技术", "电子商务", "机电一体化技术", "大数据技术"]
DISTRICTS = ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县"]
REGIONS = ["430102", "430103", "430104", "430105", "430111", "430121", "430181", "431102"]
RELATIONS = (
    [Petitioner.Relation.STUDENT] * 62
    + [Petitioner.Relation.PARENT] * 14
    + [Petitioner.Relation.STAFF] * 14
    + [Petitioner.Relation.OTHER] * 10
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# The columns written, in order. Kinds: i int, s str, b bool, t timestamp (µs since the
# epoch), d date (days since the epoch); None is NULL. Other columns must be nullable.
CASE_COLUMNS = [
    ("id", "i"),
    ("number", "s"),
    ("year", "i"),
    ("channel", "s"),
    ("source", "s"),
    ("superior_reference", "s"),
    ("superior_deadline", "d"),
    ("received_on", "d"),
    ("registered_at", "t"),
    ("registered_by_id", "i"),
    ("kind", "s"),
    ("topic_id", "i"),
    ("summary", "s"),
    ("content", "s"),
    ("petitioner_id", "i"),
    ("is_major", "b"),
    ("gravity", "s"),
    ("is_group", "b"),
    ("group_size", "i"),
    ("is_over_level", "b"),
    ("is_leader_case", "b"),
    ("leader_in_charge_id", "i"),
    ("is_repeat", "b"),
    ("repeat_of_id", "i"),
    ("state", "s"),
    ("not_accepted_reason", "s"),
    ("forwarded_to", "s"),
    ("forward_reason", "s"),
    ("return_reason", "s"),
    ("accepted_at", "t"),
    ("main_unit_id", "i"),
    ("proposal", "s"),
    ("approving_leader_id", "i"),
    ("proposed_at", "t"),
    ("instruction", "s"),
    ("requirements", "s"),
    ("due_date", "d"),
    ("assigned_at", "t"),
    ("taken_at", "t"),
    ("report_facts", "s"),
    ("report_conclusion", "s"),
    ("report_handling", "s"),
    ("petitioner_opinion", "s"),
    ("outcome", "s"),
    ("unit_approved_by_id", "i"),
    ("leader_approved_by_id", "i"),
    ("replied_at", "t"),
    ("archived_at", "t"),
    ("satisfaction", "s"),
    ("satisfaction_method", "s"),
    ("satisfaction_comment", "s"),
    ("followed_up_at", "t"),
    ("updated_at", "t"),
]
PETITIONER_COLUMNS = [
    ("id", "i"),
    ("name", "s"),
    ("phone", "s"),
    ("id_number", "s"),
    ("address", "s"),
    ("organisation", "s"),
    ("relation", "s"),
    ("created_at", "t"),
]
ACCUSED_UNIT_COLUMNS = [("case_id", "i"), ("unit_id", "i")]
CO_UNIT_COLUMNS = [("case_id", "i"), ("unit_id", "i")]
# status: linked exactly when there is a user (the table's check constraint); a made-up
# name is taken as resolved by the office (非本校工作人员), so the data can be proposed
ACCUSED_PERSON_COLUMNS = [("case_id", "i"), ("name", "s"), ("user_id", "i"), ("status", "s")]


def _weighted(pairs) -> tuple[list, list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


def _pick(rng: random.Random, pairs, k: int) -> list:
    values, cum = _weighted(pairs)
    return rng.choices(values, cum_weights=cum, k=k)


def _day_iso(day: int) -> str:
    return date.fromordinal(EPOCH_ORDINAL + day).isoformat()


class Generator:
    """Rows as plain tuples, in registration order, so that ids, numbers and times rise
    together. Random picks are `seq[int(rand() * len(seq))]`: a tenth of random.choice's
    cost, which matters at a million rows."""

    def __init__(
        self,
        *,
        count: int,
        seed: int,
        years: float,
        first_case_id: int,
        first_petitioner_id: int,
        number_base: dict[int, int],
        users: dict[str, User],
        units: dict[str, int],
        unit_names: dict[str, str],
        topics: dict[str, int],
        now: datetime,
    ):
        self.rng = random.Random(seed)
        self.count = count
        self.petitioner_count = max(1, count // 3)
        self.first_case_id = first_case_id
        self.first_petitioner_id = first_petitioner_id
        self.numbers = dict(number_base)
        self.user = {name: u.pk for name, u in users.items()}
        self.units = units
        self.unit_names = unit_names
        self.topics = topics
        self.now_us = int(now.timestamp() * US)
        # China has no daylight saving time: one offset serves the whole span.
        self.offset_us = int(timezone.localtime(now).utcoffset().total_seconds() * US)
        self.start_us = self.now_us - int(years * 365.25 * DAY)
        self.charge = {}  # unit code -> the 分管 leader's id
        for name in ("leader", "leader2"):
            for code in users[name].charge_units.values_list("code", flat=True):
                self.charge[code] = self.user[name]
        self.names: list[str] = []  # petitioner names, by index
        self.accused_units: list[tuple] = []
        self.accused_people: list[tuple] = []
        self.co_units: list[tuple] = []

    def local_day(self, us: int) -> int:
        return (us + self.offset_us) // DAY

    def registration_times(self) -> list[int]:
        """`count` registration instants over the span, sorted."""
        rng = self.rng
        first_day, last_day = self.local_day(self.start_us), self.local_day(self.now_us)
        span = last_day - first_day + 1
        days, cum, total = [], [], 0.0
        for k in range(span):
            d = date.fromordinal(EPOCH_ORDINAL + first_day + k)
            total += MONTH_WEIGHT[d.month] * WEEKDAY_WEIGHT[d.weekday()] * (1.0 + GROWTH * k / span)
            days.append(first_day + k)
            cum.append(total)
        picked_days = rng.choices(days, cum_weights=cum, k=self.count)
        hours, hour_cum = _weighted(enumerate(HOUR_WEIGHT))
        picked_hours = rng.choices(hours, cum_weights=hour_cum, k=self.count)
        rand, off, now = rng.random, self.offset_us, self.now_us
        out = []
        for day, hour in zip(picked_days, picked_hours, strict=True):
            t = day * DAY - off + hour * HOUR + int(rand() * HOUR)
            out.append(t if t <= now else now - int(rand() * 6 * HOUR))
        out.sort()
        return out

    def petitioner_of_case(self) -> list[int]:
        """Each petitioner has at least one case; a twentieth of them petition again and
        again."""
        rng = self.rng
        rand = rng.random
        p, n = self.petitioner_count, self.count
        frequent = max(1, p // 20)
        order = list(range(p))
        order += [int(rand() * (frequent if rand() < 0.35 else p)) for _ in range(n - p)]
        rng.shuffle(order)
        return order

    def petitioner_rows(self, first_seen: list[int]):
        """Names and phones as cases.demo_text makes them (its surnames and given names,
        1 + [3-9] + nine digits), inlined for speed."""
        rand = self.rng.random
        ns, ng = len(SURNAMES), len(GIVEN)
        for k in range(self.petitioner_count):
            relation = RELATIONS[int(rand() * 100)]
            anonymous = rand() < 0.01
            if anonymous:
                name, phone = "匿名", ""
            else:
                name = SURNAMES[int(rand() * ns)] + GIVEN[int(rand() * ng)]
                if rand() < 0.5:
                    name += GIVEN[int(rand() * ng)]
                phone = "" if rand() < 0.04 else f"1{'3456789'[int(rand() * 7)]}{int(rand() * 1e9):09d}"
            id_number = self._id_number(relation) if not anonymous and rand() < 0.4 else ""
            if relation == Petitioner.Relation.STUDENT:
                organisation = f"{2019 + int(rand() * 7)}级{MAJORS[int(rand() * 6)]}{1 + int(rand() * 6)}班"
                address = f"学生公寓{1 + int(rand() * 12)}栋{1 + int(rand() * 6)}{1 + int(rand() * 30):02d}室"
            elif relation == Petitioner.Relation.STAFF:
                organisation = COLLEGES[int(rand() * len(COLLEGES))]
                address = f"长沙市{DISTRICTS[int(rand() * 7)]}教师公寓{1 + int(rand() * 8)}栋"
            else:
                organisation = "学生家长" if relation == Petitioner.Relation.PARENT else ""
                address = f"长沙市{DISTRICTS[int(rand() * 7)]}{1 + int(rand() * 300)}号" if rand() < 0.6 else ""
            self.names.append(name)
            yield (self.first_petitioner_id + k, name, phone, id_number, address, organisation, relation, first_seen[k])

    def _id_number(self, relation: str) -> str:
        """A well-formed 18-digit 居民身份证号 (GB 11643 check digit)."""
        rand = self.rng.random
        year = 2000 + int(rand() * 8) if relation == Petitioner.Relation.STUDENT else 1960 + int(rand() * 40)
        born = f"{year}{1 + int(rand() * 12):02d}{1 + int(rand() * 28):02d}"
        body = f"{REGIONS[int(rand() * 8)]}{born}{int(rand() * 1000):03d}"
        return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]

    def case_rows(self, times: list[int], owner: list[int]):
        rng = self.rng
        rand = rng.random
        n = self.count
        channels = _pick(rng, CHANNELS, n)
        sources = _pick(rng, SOURCES, n)
        kinds = _pick(rng, KINDS, n)
        topics = _pick(rng, TOPIC_WEIGHTS, n)
        endings = _pick(rng, ENDINGS, n)
        # summary_for's choices, all of them: a template, then a college
        summaries = {t: [s.format(c=c) for s in SUMMARIES[t] for c in COLLEGES] for t in SUMMARIES}
        summaries[Kind.REPORT] = [s.format(c=c) for s in REPORT_SUMMARIES for c in COLLEGES]
        summaries[Kind.PRAISE] = [s.format(c=c) for s in PRAISE_SUMMARIES for c in COLLEGES]
        u = self.user
        clerk, office, leader, president = u["clerk"], u["office"], u["leader"], u["president"]
        unit_ids, unit_names, charge = self.units, self.unit_names, self.charge
        topic_ids = self.topics
        heads = {code: u[f"head_{code}"] for code in unit_ids if f"head_{code}" in u}
        accusable = [c for c in ACCUSABLE_UNITS if c in unit_ids]
        accused_users = list(heads.values())
        names = self.names
        numbers = self.numbers
        day_year: dict[int, int] = {}
        day_compact: dict[int, str] = {}
        last_case_of: dict[int, int] = {}
        now, off = self.now_us, self.offset_us
        first_pid = self.first_petitioner_id
        case_id = self.first_case_id - 1
        SELF, REPORT, PRAISE = Source.SELF, Kind.REPORT, Kind.PRAISE
        NOT_ACCEPTED, FORWARDED = State.NOT_ACCEPTED, State.FORWARDED
        handed = set(HANDED_TO_UNIT)
        sink_au, sink_ap, sink_co = self.accused_units.append, self.accused_people.append, self.co_units.append

        for i in range(n):
            case_id += 1
            reg = times[i]
            reg_day = (reg + off) // DAY
            year = day_year.get(reg_day)
            if year is None:
                year = day_year[reg_day] = date.fromordinal(EPOCH_ORDINAL + reg_day).year
            numbers[year] = last = numbers.get(year, 0) + 1
            channel, source, kind, topic = channels[i], sources[i], kinds[i], topics[i]
            lo, hi = RECEIPT_LAG[channel]
            if source != SELF:  # handed down: the superior received it first
                lo, hi = lo + 1, hi + 4
            received = reg_day - lo - int(rand() * (hi - lo + 1))
            if source == SELF:
                reference, deadline = "", None
            else:
                compact = day_compact.get(received)
                if compact is None:
                    compact = day_compact[received] = _day_iso(received).replace("-", "")
                reference = f"{SUPERIOR_PREFIX[source]}{compact}{int(rand() * 10000):04d}"
                deadline = received + (15 if rand() < 0.7 else 30)
            pool = summaries[kind] if kind in (REPORT, PRAISE) else summaries[topic]
            summary = pool[int(rand() * len(pool))]
            pidx = owner[i]
            is_major = rand() < MAJOR_RATE
            is_group = rand() < GROUP_RATE
            is_leader_case = (is_major and rand() < 0.5) or rand() < LEADER_CASE_RATE
            previous = last_case_of.get(pidx)
            is_repeat = previous is not None and rand() < REPEAT_RATE
            last_case_of[pidx] = case_id

            # The lifecycle: each step some time after the one before; stop at now.
            state = State.REGISTERED
            t = updated = reg
            accepted_at = proposed_at = assigned_at = taken_at = replied_at = archived_at = None
            followed_up_at = due_date = main_unit = approving_leader = None
            unit_approved_by = leader_approved_by = None
            not_accepted_reason = forwarded_to = forward_reason = proposal = instruction = ""
            requirements = facts = conclusion = handling = opinion = outcome = ""
            satisfaction = method = comment = ""
            ending = endings[i]
            code = None
            if ending is NOT_ACCEPTED or ending is FORWARDED:
                t += int((0.2 + rand() * 2.8) * DAY)
                if t <= now:
                    state, updated = ending, t
                    if ending is NOT_ACCEPTED:
                        not_accepted_reason = NOT_ACCEPTED_REASONS[int(rand() * 3)]
                    else:
                        forwarded_to, forward_reason = FORWARD_TARGETS[int(rand() * 3)]
            else:
                stop = STEP[STUCK_STATES[int(rand() * 5)] if rand() < STUCK_RATE else ending]
                for step in range(1, stop + 1):  # bounded: one pass over the steps
                    if step == 1:
                        t += int((0.1 + rand() * 4) * DAY)
                    elif step in (2, 4):
                        t += int(rand() * 2 * DAY)
                    elif step == 3:
                        t += int(rand() * 3 * DAY)
                    elif step == 5:  # the reply (or, major, the report for review)
                        t += int((2 + rand() * 22) * DAY)
                    elif step in (6, 7):
                        if not is_major:
                            continue
                        t += int((0.2 + rand() * 3) * DAY)
                    elif step == 8:
                        t += int((1 + rand() * 12) * DAY)
                    else:
                        t += int((1 + rand() * 20) * DAY)
                    if t > now:
                        break
                    updated = t
                    if step == 1:
                        state, accepted_at = State.ACCEPTED, t
                    elif step == 2:
                        state, proposed_at = State.PROPOSED, t
                        if kind == REPORT and rand() < 0.6:
                            code = "jjjc"
                        else:
                            codes = TOPIC_UNITS[topic]
                            code = codes[int(rand() * len(codes))]
                        main_unit = unit_ids[code]
                        approving_leader = president if is_major else charge.get(code, leader)
                        proposal = f"拟请{unit_names[code]}牵头调查处理，按期答复信访人。"
                    elif step == 3:
                        state, assigned_at = State.ASSIGNED, t
                        instruction = INSTRUCTIONS[int(rand() * 3)]
                        requirements = REQUIREMENTS[int(rand() * 3)]
                        due_date = deadline or (t + off) // DAY + (15 if rand() < 0.75 else 30)
                    elif step == 4:
                        state, taken_at = State.HANDLING, t
                    elif step == 5:
                        facts, conclusion = FACTS[int(rand() * 3)], CONCLUSIONS[int(rand() * 3)]
                        handling, opinion = HANDLINGS[int(rand() * 3)], OPINIONS[int(rand() * 3)]
                        outcome = OUTCOMES[int(rand() * 4)]
                        if is_major:
                            state = State.UNIT_REVIEW
                        else:
                            state, replied_at = State.REPLIED, t
                    elif step == 6:
                        state, unit_approved_by = State.LEADER_REVIEW, heads.get(code)
                    elif step == 7:
                        state, replied_at, leader_approved_by = State.REPLIED, t, approving_leader
                    elif step == 8:
                        state, archived_at = State.ARCHIVED, t
                    else:
                        state, followed_up_at = State.FOLLOWED_UP, t
                        satisfaction = SATISFACTIONS[int(rand() * 4)]
                        method, comment = METHODS[int(rand() * 5)], COMMENTS[int(rand() * 3)]
            if kind == REPORT:
                if rand() < REPORT_ACCUSED_UNIT_RATE:
                    choices = [c for c in accusable if unit_ids[c] != main_unit]
                    sink_au((case_id, unit_ids[choices[int(rand() * len(choices))]]))
                if rand() < REPORT_ACCUSED_PERSON_RATE:
                    user = accused_users[int(rand() * len(accused_users))] if rand() < 0.05 else None
                    sink_ap((case_id, SURNAMES[int(rand() * 20)] + "老师", user, "linked" if user else "external"))
            if main_unit is not None and state in handed and rand() < CO_UNIT_RATE:
                co = unit_ids[accusable[int(rand() * len(accusable))]]
                if co != main_unit:
                    sink_co((case_id, co))
            yield (
                case_id,
                f"{year}-{last:04d}",
                year,
                channel,
                source,
                reference,
                deadline,
                received,
                reg,
                clerk if rand() < 0.8 else office,
                kind,
                topic_ids[topic],
                summary,
                content_for(summary, names[pidx]),
                first_pid + pidx,
                is_major,
                "major" if is_major else "ordinary",
                is_group,
                2 + int(rand() * 38) if is_group else None,
                rand() < OVER_LEVEL_RATE,
                is_leader_case,
                (president if is_major else leader) if is_leader_case else None,
                is_repeat,
                previous if is_repeat else None,
                state,
                not_accepted_reason,
                forwarded_to,
                forward_reason,
                "",
                accepted_at,
                main_unit,
                proposal,
                approving_leader,
                proposed_at,
                instruction,
                requirements,
                due_date,
                assigned_at,
                taken_at,
                facts,
                conclusion,
                handling,
                opinion,
                outcome,
                unit_approved_by,
                leader_approved_by,
                replied_at,
                archived_at,
                satisfaction,
                method,
                comment,
                followed_up_at,
                updated,
            )


# --- PostgreSQL: COPY text format ------------------------------------------------------------


class LineEncoder:
    """Turns a row tuple into one COPY text line. The line is a single f-string compiled for
    the column kinds; timestamps go out in UTC from cached day and time-of-day strings."""

    def __init__(self, columns):
        self._days: dict[int, str] = {}
        self._hms = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
        parts = []
        for k, (_name, kind) in enumerate(columns):
            v = f"r[{k}]"
            parts.append(
                {
                    "s": f"{{{v}}}",
                    "i": f"{{N if {v} is None else {v}}}",
                    "b": f"{{B[{v}]}}",
                    "t": f"{{T({v})}}",
                    "d": f"{{D({v})}}",
                }[kind]
            )
        source = "lambda r: f'" + "\\t".join(parts) + "\\n'"
        # the source is built above from the column kinds alone: no data reaches it
        self.line = eval(source, {"T": self.timestamp, "D": self.day, "N": "\\N", "B": ("f", "t")})

    def day(self, d: int | None) -> str:
        if d is None:
            return "\\N"
        s = self._days.get(d)
        if s is None:
            s = self._days[d] = _day_iso(d)
        return s

    def timestamp(self, us: int | None) -> str:
        if us is None:
            return "\\N"
        sec, frac = divmod(us, US)
        d, sod = divmod(sec, 86400)
        s = self._days.get(d)
        if s is None:
            s = self._days[d] = _day_iso(d)
        return f"{s} {self._hms[sod]}.{frac:06d}+00"


def _check_plain(values) -> None:
    """Generated text goes into COPY unescaped: it must hold no tab, newline or backslash."""
    for v in values:
        if any(c in v for c in "\t\n\r\\"):
            raise CommandError(f"text would need COPY escaping: {v!r}")


def _to_python(kind: str, v):
    if v is None:
        return None
    if kind == "t":
        return datetime.fromtimestamp(v / US, tz=UTC)
    if kind == "d":
        return date.fromordinal(EPOCH_ORDINAL + v)
    return v


class Command(BaseCommand):
    help = (
        "Add COUNT realistic cases for benchmarks, fast: petitioners (about COUNT/3), cases "
        "spread over the last YEARS years in every state with consistent dates and units, "
        "numbers continuing each year's cases_casenumbersequence (which is moved on), accused "
        "units and people on some 举报 and a few co-units. PostgreSQL: one transaction of COPY, "
        "with the secondary indexes and foreign keys of cases_case and cases_petitioner rebuilt "
        "after the load when it is large (--keep-indexes to keep them); then ANALYZE. Other "
        "databases: bulk_create. NO HISTORY ROWS are written (django-simple-history is "
        "bypassed): generated cases have no timeline. Benchmark data only, never production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many cases to add")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
        parser.add_argument("--years", type=float, default=6.0, help="spread over this many years (default 6)")
        parser.add_argument("--batch", type=int, default=5000, help="rows per write (default 5000)")
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="PostgreSQL: keep indexes and foreign keys in place during the load",
        )

    def handle(self, *args, count: int, seed: int, years: float, batch: int, keep_indexes: bool, **options):
        if count <= 0:
            raise CommandError("--count must be positive")
        if years <= 0:
            raise CommandError("--years must be positive")
        self.verbosity = options.get("verbosity", 1)
        self._check_columns()
        started = time.monotonic()
        users = self._demo_people()
        units = dict(Unit.objects.values_list("code", "pk"))
        unit_names = dict(Unit.objects.values_list("code", "name"))
        topics = dict(Topic.objects.values_list("name", "pk"))
        missing = sorted(set(SUMMARIES) - set(topics))
        if missing:
            raise CommandError(f"topics missing (run migrate): {', '.join(missing)}")
        _check_plain(
            [s for v in SUMMARIES.values() for s in v]
            + list(unit_names.values())
            + [
                *NOT_ACCEPTED_REASONS,
                *INSTRUCTIONS,
                *REQUIREMENTS,
                *FACTS,
                *CONCLUSIONS,
                *HANDLINGS,
                *OPINIONS,
                *COMMENTS,
                *REPORT_SUMMARIES,
                *PRAISE_SUMMARIES,
                *COLLEGES,
                SURNAMES,
                GIVEN,
                *(t for pair in FORWARD_TARGETS for t in pair),
                content_for("", ""),
            ]
        )
        postgres = connection.vendor == "postgresql"
        self.timings: list[tuple[str, float]] = []
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL synchronous_commit = off")
                    cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    # no other writer while the ids and numbers are taken
                    cur.execute("LOCK TABLE cases_case, cases_petitioner, cases_casenumbersequence IN EXCLUSIVE MODE")
            number_base = self._number_base()
            existing = Case.objects.count()
            first_case = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            first_pet = (Petitioner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            gen = Generator(
                count=count,
                seed=seed,
                years=years,
                first_case_id=first_case,
                first_petitioner_id=first_pet,
                number_base=number_base,
                users=users,
                units=units,
                unit_names=unit_names,
                topics=topics,
                now=timezone.now(),
            )
            times = gen.registration_times()
            owner = gen.petitioner_of_case()
            first_seen: list = [None] * gen.petitioner_count
            for t, p in zip(times, owner, strict=True):
                if first_seen[p] is None:
                    first_seen[p] = t
            self.stdout.write(
                f"生成 {count:,} 件信访件、{gen.petitioner_count:,} 名信访人（已有 {existing:,} 件；"
                f"编号 {first_case} 起；seed {seed}）"
            )
            load_started = time.monotonic()
            self._mark("准备", started)
            if postgres:
                rebuild = not keep_indexes and count >= max(20_000, existing // 2)
                restore = []
                if rebuild:
                    restore = self._set_aside(["cases_case", "cases_petitioner"])
                self._copy(
                    "cases_petitioner",
                    PETITIONER_COLUMNS,
                    gen.petitioner_rows(first_seen),
                    gen.petitioner_count,
                    batch,
                    "信访人",
                )
                self._copy("cases_case", CASE_COLUMNS, gen.case_rows(times, owner), count, batch, "信访件")
                self._copy("cases_case_accused_units", ACCUSED_UNIT_COLUMNS, gen.accused_units, 0, batch, None)
                self._copy("cases_case_co_units", CO_UNIT_COLUMNS, gen.co_units, 0, batch, None)
                self._copy("cases_accusedperson", ACCUSED_PERSON_COLUMNS, gen.accused_people, 0, batch, None)
                self._mark("COPY", load_started)
                if restore:
                    self._restore(restore)
            else:
                self._bulk(
                    Petitioner,
                    PETITIONER_COLUMNS,
                    gen.petitioner_rows(first_seen),
                    gen.petitioner_count,
                    batch,
                    "信访人",
                )
                self._bulk(Case, CASE_COLUMNS, gen.case_rows(times, owner), count, batch, "信访件")
                through = Case.accused_units.through
                through.objects.bulk_create(
                    [through(case_id=c, unit_id=u) for c, u in gen.accused_units], batch_size=batch
                )
                co = Case.co_units.through
                co.objects.bulk_create([co(case_id=c, unit_id=u) for c, u in gen.co_units], batch_size=batch)
                AccusedPerson.objects.bulk_create(
                    [AccusedPerson(case_id=c, name=n, user_id=u, status=st) for c, n, u, st in gen.accused_people],
                    batch_size=batch,
                )
                self._mark("bulk_create", load_started)
            for year, last in sorted(gen.numbers.items()):
                if last != number_base.get(year):
                    CaseNumberSequence.objects.update_or_create(year=year, defaults={"last": last})
            if postgres:
                with connection.cursor() as cur:
                    for table in ("cases_case", "cases_petitioner"):
                        cur.execute(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                        )
            commit_started = time.monotonic()
        self._mark("COMMIT", commit_started)
        analyze_started = time.monotonic()
        if postgres:
            with connection.cursor() as cur:
                for table in (
                    "cases_case",
                    "cases_petitioner",
                    "cases_case_accused_units",
                    "cases_case_co_units",
                    "cases_accusedperson",
                    "cases_casenumbersequence",
                ):
                    cur.execute(f"ANALYZE {table}")
            self._mark("ANALYZE", analyze_started)
        total = time.monotonic() - started
        loaded = time.monotonic() - load_started
        self.stdout.write(
            f"完成：信访件 {count:,}，信访人 {gen.petitioner_count:,}，被举报部门 {len(gen.accused_units):,}，"
            f"被举报人 {len(gen.accused_people):,}，协办 {len(gen.co_units):,}。"
        )
        self.stdout.write("  " + "，".join(f"{label} {sec:.1f} 秒" for label, sec in self.timings))
        self.stdout.write(f"  共 {total:.1f} 秒，{count / total:,.0f} 件/秒（自写入起：{count / loaded:,.0f} 件/秒）")

    # ---- helpers -----------------------------------------------------------------------

    def _mark(self, label: str, since: float) -> None:
        self.timings.append((label, time.monotonic() - since))

    def _demo_people(self) -> dict[str, User]:
        """The demo units and users; ensure_people() (which also resets their passwords)
        only when one is missing."""
        names = [p[0] for p in PEOPLE]
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        codes = [code for code, *_ in demo_units()]
        if len(users) < len(names) or Unit.objects.filter(code__in=codes).count() < len(codes):
            users = ensure_people()
        return users

    def _check_columns(self) -> None:
        known = {c for c, _ in CASE_COLUMNS} | {"submission_token"}
        for f in Case._meta.concrete_fields:
            if f.column not in known and not f.null and not f.has_db_default():
                raise CommandError(f"generate_cases does not fill cases_case.{f.column}; teach it to.")
        known = {c for c, _ in PETITIONER_COLUMNS}
        for f in Petitioner._meta.concrete_fields:
            if f.column not in known and not f.null and not f.has_db_default():
                raise CommandError(f"generate_cases does not fill cases_petitioner.{f.column}; teach it to.")

    def _number_base(self) -> dict[int, int]:
        """The last number used per year: the sequence table's, or a higher one already in
        cases_case, so that nothing can collide."""
        base = dict(CaseNumberSequence.objects.values_list("year", "last"))
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT split_part(number, '-', 1)::int, max(split_part(number, '-', 2)::int) "
                    "FROM cases_case WHERE number ~ '^[0-9]{4}-[0-9]{1,9}$' GROUP BY 1"
                )
                found = cur.fetchall()
        else:
            found = []
            for number in Case.objects.values_list("number", flat=True).iterator():
                year, _, n = number.partition("-")
                if len(year) == 4 and year.isdigit() and n.isdigit():
                    found.append((int(year), int(n)))
        for year, last in found:
            base[year] = max(base.get(year, 0), last)
        return base

    def _set_aside(self, tables: list[str]) -> list[str]:
        """Drop the secondary indexes, unique constraints and outgoing foreign keys of
        `tables`; return the statements that put them back exactly. All inside the load's
        transaction: if anything fails, nothing was dropped."""
        restore_indexes, restore_unique, restore_fks, drops = [], [], [], []
        with connection.cursor() as cur:
            for table in tables:
                cur.execute(
                    """
                    SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
                    FROM pg_constraint c
                    WHERE c.conrelid = %s::regclass AND (
                        c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
                            SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid)))
                    """,
                    [table],
                )
                for name, kind, definition in cur.fetchall():
                    statement = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                    (restore_fks if kind == "f" else restore_unique).append(statement)
                    drops.append((0 if kind == "f" else 1, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
                cur.execute(
                    """
                    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                    FROM pg_index i
                    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS (
                        SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
                    """,
                    [table],
                )
                for name, definition in cur.fetchall():
                    restore_indexes.append(definition)
                    drops.append((2, f"DROP INDEX {name}"))
            for _order, statement in sorted(drops, key=lambda d: d[0]):
                cur.execute(statement)
        kept_aside = len(restore_indexes) + len(restore_unique)
        self.stdout.write(f"  暂时移除索引 {kept_aside} 个、外键 {len(restore_fks)} 个，装载后重建")
        return restore_indexes + restore_unique + restore_fks

    def _restore(self, statements: list[str]) -> None:
        started = time.monotonic()
        with connection.cursor() as cur:
            for k, statement in enumerate(statements, 1):
                t0 = time.monotonic()
                cur.execute(statement)
                if self.verbosity >= 2:
                    self.stdout.write(f"  [{k}/{len(statements)}] {time.monotonic() - t0:5.2f}s {statement}")
        self._mark("重建索引与外键", started)

    def _progress(self, label: str | None, done: int, total: int, t0: float) -> None:
        if label is None:
            return
        dt = max(time.monotonic() - t0, 1e-9)
        self.stdout.write(f"  {label} {done:>10,} / {total:,}  {dt:6.1f} 秒  {done / dt:>9,.0f} 行/秒")
        self.stdout.flush()

    def _copy(self, table: str, columns, rows, total: int, batch: int, label: str | None) -> None:
        line = LineEncoder(columns).line
        t0 = time.monotonic()
        step = max(total // 10, batch)
        next_report = step
        done = 0
        with connection.cursor() as cur:
            pg = cur.connection.cursor()
            sql = f"COPY {table} ({', '.join(c for c, _ in columns)}) FROM STDIN"
            # A writer thread sends while this one formats: Python and the server overlap.
            with pg.copy(sql, writer=QueuedLibpqWriter(pg)) as copy:
                buf = []
                for row in rows:
                    buf.append(line(row))
                    done += 1
                    if len(buf) >= batch:
                        copy.write("".join(buf).encode())
                        buf.clear()
                        if done >= next_report:
                            self._progress(label, done, total, t0)
                            next_report += step
                if buf:
                    copy.write("".join(buf).encode())
        if label and done != next_report - step:
            self._progress(label, done, total, t0)

    def _bulk(self, model, columns, rows, total: int, batch: int, label: str) -> None:
        names = [
            model._meta.get_field(c).attname
            if c == "id" or not c.endswith("_id")
            else model._meta.get_field(c[:-3]).attname
            for c, _ in columns
        ]
        kinds = [k for _, k in columns]
        t0 = time.monotonic()
        objs = []
        done = 0
        step = max(total // 10, batch)
        next_report = step
        for row in rows:
            objs.append(model(**{n: _to_python(k, v) for n, k, v in zip(names, kinds, row, strict=True)}))
            done += 1
            if len(objs) >= batch:
                model.objects.bulk_create(objs)
                objs.clear()
                if done >= next_report:
                    self._progress(label, done, total, t0)
                    next_report += step
        if objs:
            model.objects.bulk_create(objs)
        self._progress(label, done, total, t0)
