"""Demo cases built through the same services the pages use: `walk` takes a case along the
lifecycle step by step (tests use it too), and `walk_steps` does the same one step at a
time, so that the demo's two years (devtools.demo_year) can set the clock to each step's
moment; `load_showcase` adds the cases the README points at."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.utils import timezone

from people.models import Unit, User

from . import services
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

# What each step says, unless the caller gives its own words (walk_steps' `texts`).
TEXTS = {
    "decline": "所反映事项不属于学院职责范围，已告知信访人向有权机关提出。",
    "forwarded_to": "长沙市人力资源和社会保障局",
    "forward": "劳动争议事项，依职责转送。",
    "objection": "该事项属区教育局管辖的中学，不属本校职责。",
    "objection_answer": "上级同意退回",
    "statutory_route": StatutoryRoute.PERSONNEL_ARBITRATION,
    "statutory_body": "长沙市劳动人事争议仲裁委员会",
    "statutory": "属人事争议，依法应通过人事争议仲裁解决。",
    "instruction": "请认真核实，依规处理，及时答复。",
    "requirements": "两周内报送结案报告。",
    "facts": "经调查核实，信访人反映的情况基本属实。",
    "conclusion": "相关部门工作存在不足。",
    "handling": "已责成整改，并向信访人说明情况。",
    "petitioner_opinion": "信访人表示认可。",
    "unit_review": "同意",
    "leader_review": "同意答复",
    "follow_up": "电话回访，信访人对处理结果作出评价。",
}


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
    for _ in walk_steps(case, target, users, rng, unit_code, before_archive):
        pass
    return case


def walk_steps(
    case: Case,
    target: str,
    users: dict,
    rng: random.Random | None = None,
    unit_code: str | None = None,
    before_archive: Callable[[Case], None] | None = None,
    *,
    texts: dict | None = None,
    approver: User | None = None,
    outcome: str | None = None,
    satisfaction: str | None = None,
) -> Iterator[str]:
    """`walk`, a step at a time: yields the name of each step before taking it, and takes
    it when asked for the next one, so that the caller may set the clock in between.

    `texts` replaces the words of TEXTS (and "proposal"); `approver` is the leader an
    ordinary proposal goes to (a major one goes to the unit's 分管 leader, 四.3);
    `outcome` and `satisfaction` are chosen by `rng` when not given."""
    rng = rng or random.Random(0)
    say = {**TEXTS, **(texts or {})}
    office, leader, president = users["office"], users["leader"], users["president"]
    if target == State.REGISTERED:
        return
    if target == State.NOT_ACCEPTED:
        yield "decline"
        services.case_decline(case=case, actor=office, reason=say["decline"])
        return
    if target == State.FORWARDED:
        yield "forward"
        services.case_forward(case=case, actor=office, forwarded_to=say["forwarded_to"], reason=say["forward"])
        return
    if target == State.RETURNED_UP:
        yield "objection"
        services.case_file_objection(case=case, actor=office, reasons=say["objection"])
        yield "objection_answer"
        services.case_record_objection_answer(
            case=case, actor=office, agreed=True, answered_on=timezone.localdate(), note=say["objection_answer"]
        )
        case.refresh_from_db()
        return
    if target == State.STATUTORY:
        yield "route_statutory"
        services.case_route_statutory(
            case=case, actor=office, route=say["statutory_route"], body=say["statutory_body"], reason=say["statutory"]
        )
        return
    yield "accept"
    services.case_accept(case=case, actor=office)
    if target == State.ACCEPTED:
        return
    unit_code = unit_code or rng.choice(["jwc", "jsj"])
    unit = Unit.objects.get(code=unit_code)
    approver = approver or leader
    if case.is_major:
        # a major proposal goes to the unit's 分管 leader, reported to the 主要领导 (四.3)
        in_charge = [u for u in users.values() if u.role == "leader" and not u.is_main_leader]
        approver = next((u for u in in_charge if u.charge_units.filter(pk=unit.pk).exists()), president)
    yield "propose"
    services.case_propose(
        case=case,
        actor=office,
        main_unit=unit,
        co_units=[],
        approving_leader=approver,
        proposal=say.get("proposal") or f"拟请{unit.name}牵头调查处理，{timezone.localdate().year}年内答复信访人。",
    )
    if target == State.PROPOSED:
        return
    yield "assign"
    services.case_assign(
        case=case,
        actor=approver,
        instruction=say["instruction"],
        due_date=_assignment_due(case),
        requirements=say["requirements"],
    )
    if target == State.ASSIGNED:
        return
    # the unit's receptionist and head; the discipline unit's own officer does both
    head = users.get(f"head_{unit_code}") or unit.head
    staff = users.get(f"recep_{unit_code}") or head
    yield "take"
    services.case_take(case=case, actor=staff)
    if target == State.HANDLING:
        return
    yield "reply"
    services.case_reply(
        case=case,
        actor=staff,
        facts=say["facts"],
        conclusion=say["conclusion"],
        handling=say["handling"],
        petitioner_opinion=say["petitioner_opinion"],
        **_outcome(case, rng, outcome),
    )
    case.refresh_from_db()
    if target == State.UNIT_REVIEW:
        return
    if case.is_major:
        yield "unit_review"
        services.case_review(case=case, actor=head, approve=True, reason=say["unit_review"])
        if target == State.LEADER_REVIEW:
            return
        yield "leader_review"
        services.case_review(case=case, actor=president, approve=True, reason=say["leader_review"])
    if target == State.REPLIED:
        return
    yield "archive"
    if before_archive is not None:
        before_archive(case)
    services.case_archive(case=case, actor=office)
    if target == State.ARCHIVED:
        return
    yield "follow_up"
    services.case_follow_up(
        case=case,
        actor=office,
        satisfaction=satisfaction or rng.choice(list(Satisfaction)),
        method=ContactMethod.PHONE,
        comment=say["follow_up"],
    )


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


def _outcome(case: Case, rng: random.Random, outcome: str | None = None) -> dict:
    """One of 条例 第32条's outcomes (`outcome`, or one `rng` picks); a 建议意见类 answer
    says what was adopted instead (条例 第29条)."""
    outcome = outcome or rng.choice([Outcome.SUPPORT, Outcome.EXPLAIN, Outcome.NOT_SUPPORT])
    if case.procedure == Procedure.SUGGESTION:
        adoption = {Outcome.SUPPORT: Adoption.ADOPTED, Outcome.EXPLAIN: Adoption.PARTLY}.get(
            outcome, Adoption.NOT_ADOPTED
        )
        return {"adoption": adoption}
    return {"outcome": outcome}


def load_showcase(users: dict) -> int:
    """The cases the README points at, received today: a 举报 against 计算机工程学院 and
    its head, invisible to both, and those of load_issue_12_cases. Returns how many."""
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
    return 1 + load_issue_12_cases(users)


def load_issue_12_cases(users: dict) -> int:
    """A group visit with its representatives (a major one: 紧急信访信息报告), a petition a
    unit registered itself (二级信访), a handed-down case the office objects to, and one
    whose 复函 waits for the 分管 leader."""
    today = timezone.localdate()
    topic = {t.name: t for t in Topic.objects.all()}
    group, _ = services.case_register(
        actor=users["clerk"],
        petitioner=services.PetitionerData(name="孙家长", phone="13907310001", relation="parent"),
        data=services.CaseData(
            channel=Channel.VISIT,
            kind=Kind.COMPLAINT,
            received_on=today,
            summary="三十余名家长集体来访反映学生公寓消防通道堵塞",
            content="家长推选三名代表，要求学校立即整改公寓消防隐患。",
            topic=topic.get("校园安全"),
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
            topic=topic.get("资源配置"),
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
            topic=topic.get("日常管理"),
            source=Source.PROVINCE_SYSTEM,
            superior_reference=f"SX{today:%Y%m%d}0002",
        ),
    )
    # 奖助学金 are 学生工作处's (cases.demo_text.MATTERS)
    walk(answered, State.HANDLING, users, unit_code="xgc")
    services.superior_reply_draft(
        case=answered, actor=users["head_xgc"], text="经核查，已向信访人说明新生奖助学金的申请条件和办理流程。"
    )
    services.superior_reply_check(case=answered, actor=users["office"], approve=True, reason="")
    return 4
