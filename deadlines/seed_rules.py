"""The rows of the DOMAIN.md deadline table, shipped as the default rule set.

Each row cites its source in the form users read, and says when it starts and stops as
the source states it (`starts_when`, `stops_when`). Where seeds disagree the rule is
data: 承办 within 14 days (《湖南信息职业技术学院信访工作实施方案》四、5) and written
feedback within 7 workdays (《兰州大学信访工作责任制实施细则》第十一条（一）) share the slot
`unit_result`, and the first active one wins unless an administrator switches.
"""

TIAOLI = "《信访工作条例》"
HUNAN = "《湖南信息职业技术学院信访工作实施方案》"
LANZHOU = "《兰州大学信访工作责任制实施细则》"
HENAN = "《河南省教育系统信访工作责任制实施细则》"
ANHUI = "《安徽教育信息》"

# A handed-down case's 5 workdays to object end when it is accepted, declined, forwarded
# or the objection is filed (《信访工作条例》第二十三条).
HANDED_DOWN_STOPS = ["accepted", "not_accepted", "forwarded", "objection_filed"]
# A matter routed to its statutory procedure after acceptance (《信访工作条例》第三十一条) is
# not accepted as a 信访 after all: its handling clocks end there, as a declined one's do.
RECEIPT_COMPLETION_STOPS = ["replied", "not_accepted", "forwarded"]
# When the superior's deadline governs, the case is answered to the superior: the 复函
# (《湖南信息职业技术学院信访工作实施方案》四、6（2）) stops it, not the reply to the petitioner.
SUPERIOR_STOPS = ["superior_reply_sent", "not_accepted", "forwarded"]
# 条例 第23条: the written notice of acceptance, refusal or forwarding, once delivered.
NOTICE_DELIVERED_STOPS = ["acceptance_delivered", "not_accepted_notice", "forward_delivered"]
RULES = [
    dict(
        code="accept-decision",
        name="受理告知",
        slot="acceptance",
        start_event="registered",
        from_received=True,
        stop_events=NOTICE_DELIVERED_STOPS,
        length=15,
        unit="days",
        needs_known_petitioner=True,
        starts_when="自收到信访事项之日起",
        stops_when="受理、不予受理或转送的书面告知送达信访人（信访人的姓名、住址不清的除外）",
        citation=f"{TIAOLI}第二十三条；{HUNAN}四、2",
    ),
    dict(
        code="not-accepted-notice",
        name="不予受理告知",
        slot="not_accepted_notice",
        start_event="not_accepted",
        stop_events=["not_accepted_notice"],
        length=3,
        unit="days",
        warn_before=1,
        needs_known_petitioner=True,
        starts_when="自明确不予受理之日起",
        stops_when="不予受理告知书送达信访人，说明其原因",
        citation=f"{HUNAN}四、2",
    ),
    dict(
        code="proposal",
        name="拟办呈报",
        slot="proposal",
        start_event="accepted",
        stop_events=["proposed", "not_accepted", "forwarded"],
        length=2,
        unit="workdays",
        warn_before=1,
        warn_unit="workdays",
        starts_when="自受理之日起",
        stops_when="提出拟办意见呈报院领导（受理后导入法定途径的，即止）",
        citation=f"{HUNAN}四、3",
    ),
    dict(
        code="unit-result",
        name="承办答复",
        slot="unit_result",
        start_event="assigned",
        stop_events=["reported", "returned"],
        length=14,
        unit="days",
        duty="unit",
        assignment_due_wins=True,
        starts_when="自交办之日起",
        stops_when="承办部门报送办理结果",
        citation=f"{HUNAN}四、5",
    ),
    dict(
        code="unit-feedback",
        name="书面反馈办理情况",
        slot="unit_result",
        start_event="assigned",
        stop_events=["reported", "returned"],
        length=7,
        unit="workdays",
        warn_before=1,
        warn_unit="workdays",
        duty="unit",
        starts_when="自交办之日起",
        stops_when="涉及单位以书面形式反馈处理情况",
        citation=f"{LANZHOU}第十一条（一）",
    ),
    dict(
        code="completion",
        name="办结",
        slot="completion",
        start_event="accepted",
        stop_events=RECEIPT_COMPLETION_STOPS,
        superior_stop_events=SUPERIOR_STOPS,
        length=60,
        unit="days",
        duty="unit",
        superior_deadline_wins=True,
        max_extension_days=30,
        starts_when="自受理之日起",
        stops_when="出具信访处理意见书答复信访人；上级交办的，复函上级；受理后导入法定途径的，即止",
        citation=f"{TIAOLI}第三十四条；{HUNAN}五（三）2",
    ),
    dict(
        code="completion-12345",
        name="12345工单办结",
        slot="completion",
        start_event="accepted",
        stop_events=RECEIPT_COMPLETION_STOPS,
        superior_stop_events=SUPERIOR_STOPS,
        length=60,
        unit="days",
        duty="unit",
        superior_deadline_wins=True,
        max_extension_days=30,
        extension_request_lead_days=3,
        applies_to={"source": "hotline_12345"},
        starts_when="自受理之日起",
        stops_when="答复信访人；有上级办理期限的，复函上级；受理后导入法定途径的，即止",
        citation=f"{HUNAN}五（三）2、3",
    ),
    dict(
        code="sunshine-ordinary",
        name="阳光平台投诉举报办结（一般）",
        slot="completion",
        start_event="registered",
        from_received=True,
        stop_events=RECEIPT_COMPLETION_STOPS,
        superior_stop_events=SUPERIOR_STOPS,
        length=7,
        unit="workdays",
        warn_before=1,
        warn_unit="workdays",
        duty="unit",
        superior_deadline_wins=True,
        applies_to={"source": "sunshine", "sunshine_class": "ordinary"},
        starts_when="自教育阳光服务中心受理之日起",
        stops_when="办结（平台分类为一般问题）",
        citation=f"{HUNAN}五（三）4",
    ),
    dict(
        code="sunshine-major",
        name="阳光平台投诉举报办结（重大）",
        slot="completion",
        start_event="registered",
        from_received=True,
        stop_events=RECEIPT_COMPLETION_STOPS,
        superior_stop_events=SUPERIOR_STOPS,
        length=15,
        unit="workdays",
        warn_before=2,
        warn_unit="workdays",
        duty="unit",
        superior_deadline_wins=True,
        applies_to={"source": "sunshine", "sunshine_class": "major"},
        starts_when="自教育阳光服务中心受理之日起",
        stops_when="办结（平台分类为重大问题）",
        citation=f"{HUNAN}五（三）4",
    ),
    dict(
        code="sunshine-consultation",
        name="阳光平台咨询答复",
        slot="completion",
        start_event="registered",
        from_received=True,
        stop_events=RECEIPT_COMPLETION_STOPS,
        superior_stop_events=SUPERIOR_STOPS,
        length=3,
        unit="days",
        warn_before=1,
        duty="unit",
        superior_deadline_wins=True,
        applies_to={"source": "sunshine", "sunshine_class": "consultation"},
        starts_when="不能当场答复的，自受理之日起",
        stops_when="答复（平台分类为咨询类）",
        citation=f"{HUNAN}五（三）4",
    ),
    dict(
        code="mailbox",
        name="校长信箱办结",
        slot="completion",
        start_event="registered",
        from_received=True,
        stop_events=RECEIPT_COMPLETION_STOPS,
        length=7,
        unit="days",
        warn_before=2,
        duty="unit",
        applies_to={"channel": "mailbox"},
        starts_when="自收到信件之日起",
        stops_when="承办部门按照督办意见办结并反馈",
        citation=f"{ANHUI}三、“二是落实校长信箱信访”",
    ),
    dict(
        code="summons-city",
        name="现场接访（市内六区）",
        slot="summons",
        start_event="summons",
        stop_events=["arrived"],
        length=60,
        unit="minutes",
        warn_before=15,
        warn_unit="minutes",
        applies_to={"area": "city"},
        starts_when="自接到现场接访通知时起",
        stops_when="到达接访现场",
        citation=f"{HUNAN}五（三）1",
    ),
    dict(
        code="summons-county",
        name="现场接访（县/市）",
        slot="summons",
        start_event="summons",
        stop_events=["arrived"],
        length=90,
        unit="minutes",
        warn_before=15,
        warn_unit="minutes",
        applies_to={"area": "county"},
        starts_when="自接到现场接访通知时起",
        stops_when="到达接访现场",
        citation=f"{HUNAN}五（三）1",
    ),
    dict(
        code="objection",
        name="对交办事项提出异议",
        slot="objection",
        start_event="registered",
        from_received=True,
        stop_events=HANDED_DOWN_STOPS,
        length=5,
        unit="workdays",
        warn_before=1,
        warn_unit="workdays",
        applies_to={"handed_down": True},
        raises_notice=False,
        starts_when="自收到交办的信访事项之日起",
        stops_when="提出异议并详细说明理由（或受理、不予受理、转送）",
        citation=f"{TIAOLI}第二十三条",
    ),
    dict(
        code="review-request",
        name="申请复查",
        slot="review_request",
        start_event="reply_delivered",
        stop_events=["review_requested"],
        length=30,
        unit="days",
        duty="petitioner",
        raises_notice=False,
        # 建议意见类 matters are answered without a 复查 clause (条例 第二十九条).
        applies_to={"procedure": "petition"},
        starts_when="自收到书面答复之日起",
        stops_when="信访人请求复查",
        citation=f"{TIAOLI}第三十五条",
    ),
    dict(
        code="review-opinion",
        name="复查意见",
        slot="review_opinion",
        start_event="review_requested",
        stop_events=["review_opinion"],
        length=30,
        unit="days",
        starts_when="自收到复查请求之日起",
        stops_when="提出复查意见",
        citation=f"{TIAOLI}第三十五条",
    ),
    dict(
        code="rereview-request",
        name="申请复核",
        slot="rereview_request",
        start_event="review_opinion_delivered",
        stop_events=["rereview_requested"],
        length=30,
        unit="days",
        duty="petitioner",
        raises_notice=False,
        starts_when="自收到复查意见之日起",
        stops_when="信访人请求复核",
        citation=f"{TIAOLI}第三十六条",
    ),
    dict(
        code="rereview-opinion",
        name="复核意见",
        slot="rereview_opinion",
        start_event="rereview_requested",
        stop_events=["rereview_opinion"],
        length=30,
        unit="days",
        pauses_for_hearing=True,
        starts_when="自收到复核请求之日起",
        stops_when="提出复核意见（听证所需时间不计算在内）",
        citation=f"{TIAOLI}第三十六条",
    ),
    # 未履行送达责任 (《河南省教育系统信访工作责任制实施细则》第十一条（四）): a reply not
    # delivered within this time raises a 督办 under that trigger. The length is the
    # school's choice, not the law's; an administrator may change it.
    dict(
        code="reply-delivery",
        name="送达",
        slot="reply_delivery",
        start_event="replied",
        stop_events=["reply_delivered"],
        length=7,
        unit="days",
        warn_before=2,
        duty="unit",
        notice_trigger="not_delivered",
        # nothing is delivered to a petitioner whose name or address is unknown
        # (《信访工作条例》第二十三条's exception, as documents.guards.delivery_owed reads it)
        needs_known_petitioner=True,
        starts_when="自作出书面答复之日起",
        stops_when="书面答复（信访处理意见书、建议意见答复函或调解、和解协议书）送达信访人（信访人姓名、住址不清的不适用）",
        citation=f"{HENAN}第十一条（四）",
    ),
    # The feedback period a 督办单 gives the unit by default; the office may set another
    # on the notice. It starts no clock: supervision.services reads its length.
    dict(
        code="notice-feedback",
        name="督办反馈",
        slot="notice_feedback",
        start_event="notice_sent",
        length=7,
        unit="workdays",
        warn_before=1,
        warn_unit="workdays",
        duty="unit",
        raises_notice=False,
        starts_when="自发出督办单之日起",
        stops_when="承办单位书面反馈办理情况",
        citation=f"{LANZHOU}第十一条（一）；{HUNAN}四、7（3）",
    ),
]


def seed_rules(rule_model, *, only_missing: bool = False, fields: list[str] | None = None) -> None:
    """Create or update every shipped rule; `rule_model` is the migration's historical
    model or deadlines.clocks.DeadlineRule. A later migration adding rules passes
    `only_missing`, so an administrator's edits to the existing rows stay; one that
    corrects what the law says passes `fields`, and only those change on existing rows
    (a length an administrator set stays)."""
    # An earlier migration's model lacks the fields added since: it seeds what it has.
    known = {f.name for f in rule_model._meta.get_fields()}
    for row in RULES:
        row = {k: v for k, v in row.items() if k in known}
        code = row.pop("code")
        if only_missing:
            rule_model.objects.get_or_create(code=code, defaults=row)
        elif fields is not None:
            rule, created = rule_model.objects.get_or_create(code=code, defaults=row)
            if not created:
                for name in fields:
                    setattr(rule, name, row.get(name, rule_model._meta.get_field(name).get_default()))
                rule.save(update_fields=fields)
        else:
            rule_model.objects.update_or_create(code=code, defaults=row)
