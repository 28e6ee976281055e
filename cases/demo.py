"""Demo cases in every state, built through the same services the pages use."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from people.models import Unit

from . import services
from .demo_text import content_for, person_name, phone_number, summary_for
from .models import (
    Adoption,
    Case,
    Channel,
    ContactMethod,
    Kind,
    Outcome,
    Procedure,
    Satisfaction,
    Source,
    State,
    StatutoryRoute,
    Topic,
)

# how far along the lifecycle each demo case is walked
PATHS = [
    State.REGISTERED,
    State.REGISTERED,
    State.ACCEPTED,
    State.NOT_ACCEPTED,
    State.FORWARDED,
    State.PROPOSED,
    State.ASSIGNED,
    State.HANDLING,
    State.HANDLING,
    State.UNIT_REVIEW,
    State.LEADER_REVIEW,
    State.REPLIED,
    State.ARCHIVED,
    State.FOLLOWED_UP,
    State.FOLLOWED_UP,
    State.ACCEPTED,
    State.ASSIGNED,
    State.REPLIED,
]


def walk(
    case: Case,
    target: str,
    users: dict,
    rng: random.Random | None = None,
    unit_code: str | None = None,
    before_archive: Callable[[Case], None] | None = None,
) -> Case:
    """Move a registered case to `target` by the ordinary steps, each by the right person.
    Tests use it too, so their data is built by the same services as the pages.
    `before_archive(case)` runs before 归档: an app above cases gives the case what filing
    asks there (the answer issued and delivered: documents.demo.deliver_answer)."""
    rng = rng or random.Random(0)
    office, leader, president = users["office"], users["leader"], users["president"]
    if target == State.REGISTERED:
        return case
    if target == State.NOT_ACCEPTED:
        return services.case_decline(
            case=case, actor=office, reason="所反映事项不属于学院职责范围，已告知信访人向有权机关提出。"
        )
    if target == State.FORWARDED:
        return services.case_forward(
            case=case, actor=office, forwarded_to="长沙市人力资源和社会保障局", reason="劳动争议事项，依职责转送。"
        )
    if target == State.RETURNED_UP:
        services.case_file_objection(case=case, actor=office, reasons="该事项属区教育局管辖的中学，不属本校职责。")
        services.case_record_objection_answer(
            case=case, actor=office, agreed=True, answered_on=timezone.localdate(), note="上级同意退回"
        )
        case.refresh_from_db()
        return case
    if target == State.STATUTORY:
        return services.case_route_statutory(
            case=case,
            actor=office,
            route=StatutoryRoute.PERSONNEL_ARBITRATION,
            body="长沙市劳动人事争议仲裁委员会",
            reason="属人事争议，依法应通过人事争议仲裁解决。",
        )
    services.case_accept(case=case, actor=office)
    if target == State.ACCEPTED:
        return case
    unit_code = unit_code or rng.choice(["jwc", "jsj"])
    unit = Unit.objects.get(code=unit_code)
    approver = leader
    if case.is_major:
        # a major proposal goes to the unit's 分管 leader, reported to the 主要领导 (四.3)
        in_charge = [u for u in users.values() if u.role == "leader" and not u.is_main_leader]
        approver = next((u for u in in_charge if u.charge_units.filter(pk=unit.pk).exists()), president)
    services.case_propose(
        case=case,
        actor=office,
        main_unit=unit,
        co_units=[],
        approving_leader=approver,
        proposal=f"拟请{unit.name}牵头调查处理，{timezone.localdate().year}年内答复信访人。",
    )
    if target == State.PROPOSED:
        return case
    services.case_assign(
        case=case,
        actor=approver,
        instruction="请认真核实，依规处理，及时答复。",
        due_date=_assignment_due(case),
        requirements="两周内报送结案报告。",
    )
    if target == State.ASSIGNED:
        return case
    # the unit's receptionist and head; the discipline unit's own officer does both
    head = users.get(f"head_{unit_code}") or unit.head
    staff = users.get(f"recep_{unit_code}") or head
    services.case_take(case=case, actor=staff)
    if target == State.HANDLING:
        return case
    services.case_reply(
        case=case,
        actor=staff,
        facts="经调查核实，信访人反映的情况基本属实。",
        conclusion="相关部门工作存在不足。",
        handling="已责成整改，并向信访人说明情况。",
        petitioner_opinion="信访人表示认可。",
        **_outcome(case, rng),
    )
    case.refresh_from_db()
    if target == State.UNIT_REVIEW:
        return case
    if case.is_major:
        services.case_review(case=case, actor=head, approve=True, reason="同意")
        if target == State.LEADER_REVIEW:
            return case
        services.case_review(case=case, actor=president, approve=True, reason="同意答复")
    if target == State.REPLIED:
        return case
    if before_archive is not None:
        before_archive(case)
    services.case_archive(case=case, actor=office)
    if target == State.ARCHIVED:
        return case
    services.case_follow_up(
        case=case,
        actor=office,
        satisfaction=rng.choice(list(Satisfaction)),
        method=ContactMethod.PHONE,
        comment="电话回访，信访人对处理结果作出评价。",
    )
    return case


def _assignment_due(case: Case):
    """Two weeks, but never beyond the legal limit, which deadlines' 交办 guard enforces:
    the superior's deadline, and the sunshine platform's short limits (seed 000 五（三）4)."""
    due = timezone.localdate() + timedelta(days=14)
    if case.superior_deadline:
        due = min(due, case.superior_deadline)
    if case.source == "sunshine":
        due = min(due, timezone.localdate() + timedelta(days=2))
    # the open completion clock (a 校长信箱 letter has 7 days): read through the reverse
    # relation, so that cases needs no import of deadlines
    completion = (
        case.clocks.filter(rule__slot="completion")
        .exclude(status__in=("stopped", "not_applicable"))
        .order_by("-round")
        .values_list("due_date", flat=True)
        .first()
    )
    if completion:
        due = min(due, completion)
    return due


def _outcome(case: Case, rng: random.Random) -> dict:
    """One of 条例 第32条's outcomes; a 建议意见类 answer says what was adopted instead
    (条例 第29条)."""
    outcome = rng.choice([Outcome.SUPPORT, Outcome.EXPLAIN, Outcome.NOT_SUPPORT])
    if case.procedure == Procedure.SUGGESTION:
        adoption = {Outcome.SUPPORT: Adoption.ADOPTED, Outcome.EXPLAIN: Adoption.PARTLY}.get(
            outcome, Adoption.NOT_ADOPTED
        )
        return {"adoption": adoption}
    return {"outcome": outcome}


def load_cases(users: dict, *, seed: int = 2026, before_archive: Callable[[Case], None] | None = None) -> int:
    """Demo cases in every state and a 举报 against 计算机工程学院 and its head; returns how
    many were made (devtools.demo loads the rest of the demo)."""
    rng = random.Random(seed)
    topics = list(Topic.objects.all())
    created = 0
    for i, target in enumerate(PATHS):
        topic = rng.choice(topics)
        name = person_name(rng)
        summary = summary_for(topic.name, rng)
        major = target in (State.UNIT_REVIEW, State.LEADER_REVIEW) or i == 11
        case, _ = services.case_register(
            actor=users["clerk"],
            petitioner=services.PetitionerData(name=name, phone=phone_number(rng), organisation="2024级软件技术3班"),
            data=services.CaseData(
                channel=rng.choice(list(Channel)),
                kind=rng.choice([Kind.COMPLAINT, Kind.CONSULTATION, Kind.HELP, Kind.SUGGESTION]),
                received_on=timezone.localdate() - timedelta(days=rng.randint(0, 20)),
                summary=summary,
                content=content_for(summary, name),
                topic=topic,
                is_major=major,
                source=Source.HOTLINE_12345 if i % 5 == 0 else Source.SELF,
                superior_reference=f"GD{timezone.localdate():%Y%m%d}{i:04d}" if i % 5 == 0 else "",
            ),
        )
        walk(case, target, users, rng, before_archive=before_archive)
        created += 1
    # A 举报 against the computer college and its head: invisible to both.
    report, _ = services.case_register(
        actor=users["clerk"],
        petitioner=services.PetitionerData(name="匿名", relation="student"),
        data=services.CaseData(
            channel=Channel.MAILBOX,
            kind=Kind.REPORT,
            received_on=timezone.localdate(),
            summary="举报计算机工程学院在奖学金评定中弄虚作假",
            content="举报人称奖学金评定名单与公示不一致。",
            topic=Topic.objects.get(name="日常管理"),
            accused_units=[Unit.objects.get(code="jsj")],
            accused_people=["刘院长"],
        ),
    )
    services.case_accept(case=report, actor=users["office"])
    return created + 1 + load_issue_12_cases(users)


def load_issue_12_cases(users: dict) -> int:
    """A group visit with its representatives (a major one: 紧急信访信息报告), a petition a
    unit registered itself (二级信访), a handed-down case the office objects to, and one
    whose 复函 waits for the 分管 leader."""
    today = timezone.localdate()
    topic = Topic.objects.order_by("order").first()
    group, _ = services.case_register(
        actor=users["clerk"],
        petitioner=services.PetitionerData(name="孙家长", phone="13907310001", relation="parent"),
        data=services.CaseData(
            channel=Channel.VISIT,
            kind=Kind.COMPLAINT,
            received_on=today,
            summary="三十余名家长集体来访反映学生公寓消防通道堵塞",
            content="家长推选三名代表，要求学校立即整改公寓消防隐患。",
            topic=topic,
            gravity="major",
            is_group=True,
            group_size=32,
            representatives=[("孙家长", "13907310001"), ("钱家长", "13907310002"), ("李家长", "13907310003")],
            complained_unit=Unit.objects.get(code="hqc"),
        ),
    )
    services.case_accept(case=group, actor=users["office"])
    services.case_register(
        actor=users["recep_jsj"],
        petitioner=services.PetitionerData(name="周同学", phone="13907310004", organisation="2023级网络技术1班"),
        data=services.CaseData(
            channel=Channel.VISIT,
            kind=Kind.HELP,
            received_on=today,
            summary="到学院办公室反映实训室电脑长期故障，请求维修",
            topic=topic,
            complained_unit=Unit.objects.get(code="jsj"),
        ),
    )
    objected, _ = services.case_register(
        actor=users["clerk"],
        petitioner=services.PetitionerData(name="吴先生", phone="13907310005", relation="other"),
        data=services.CaseData(
            channel=Channel.PHONE,
            kind=Kind.COMPLAINT,
            received_on=today,
            summary="反映某区属中学收取补课费",
            source=Source.HOTLINE_12345,
            superior_reference=f"GD{today:%Y%m%d}9001",
        ),
    )
    services.case_file_objection(
        case=objected, actor=users["office"], reasons="所反映学校为区属中学，不属本校管理，建议改派区教育局。"
    )
    answered, _ = services.case_register(
        actor=users["clerk"],
        petitioner=services.PetitionerData(name="郑女士", phone="13907310006", relation="parent"),
        data=services.CaseData(
            channel=Channel.ONLINE,
            kind=Kind.CONSULTATION,
            received_on=today,
            summary="咨询新生奖助学金申请条件",
            source=Source.PROVINCE_SYSTEM,
            superior_reference=f"SX{today:%Y%m%d}0002",
        ),
    )
    walk(answered, State.HANDLING, users, unit_code="jwc")
    services.superior_reply_draft(
        case=answered, actor=users["recep_jwc"], text="经核查，已向信访人说明新生奖助学金的申请条件和办理流程。"
    )
    services.superior_reply_check(case=answered, actor=users["office"], approve=True, reason="")
    return 4
