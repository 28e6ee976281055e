"""The supervision triggers as data: the union of 《湖南信息职业技术学院信访工作实施方案》四、7（1）,
《兰州大学信访工作责任制实施细则》第十一条 and 《河南省教育系统信访工作责任制实施细则》第十一条
(DOMAIN.md "Supervision triggers"); citations in the form users read. Administrators may add or retire rows;
the codes below are what the code refers to."""

from __future__ import annotations

OVERDUE = "overdue"
DISSATISFIED = "dissatisfied"
NOT_DELIVERED = "not_delivered"

HUNAN = "《湖南信息职业技术学院信访工作实施方案》"
LANZHOU = "《兰州大学信访工作责任制实施细则》"
HENAN = "《河南省教育系统信访工作责任制实施细则》"
TIAOLI = "《信访工作条例》"

TRIGGERS = [
    (OVERDUE, "无正当理由超过办理期限", f"{HUNAN}四、7（1）1；{LANZHOU}第十一条（一）"),
    ("no_reply", "未答复信访人或未按规定反馈办理结果", f"{HUNAN}四、7（1）2；{HENAN}第十一条（三）"),
    (
        "wrong_procedure",
        "未按规定程序办理（转送交办不及时、办理主体不适合等）",
        f"{HUNAN}四、7（1）3；{HENAN}第十一条（二）",
    ),
    (
        "shirking",
        "推诿、敷衍、拖延或弄虚作假",
        f"{HUNAN}四、7（1）4；{LANZHOU}第十一条（三）；{HENAN}第十一条（六）；{TIAOLI}第四十条",
    ),
    ("not_executing", "不执行信访处理意见", f"{HUNAN}四、7（1）5；{LANZHOU}第十一条（五）；{HENAN}第十一条（五）"),
    ("first_not_accepted", "群众首次反映诉求而不受理", f"{LANZHOU}第十一条（二）；{HENAN}第十一条（一）"),
    ("no_acceptance_notice", "未出具受理告知书", f"{HENAN}第十一条（一）"),
    ("evasive_opinion", "处理意见未正面回应诉求或避重就轻", f"{LANZHOU}第十一条（四）；{HENAN}第十一条（三）"),
    ("extension_without_notice", "延期办理但未出具延期办理告知书", f"{HENAN}第十一条（二）"),
    (NOT_DELIVERED, "未履行送达责任", f"{HENAN}第十一条（四）"),
    (DISSATISFIED, "群众评价不满意且责任单位处理不到位", f"{HENAN}第十一条（七）"),
    ("handed_down", "上级部门转来的信访事项", f"{LANZHOU}第十一条（六）"),
    ("other", "其他需要督办的情形", f"{HUNAN}四、7（1）6；{LANZHOU}第十一条（七）；{HENAN}第十一条（八）"),
]


def seed_triggers(trigger_model) -> None:
    """Create or update every shipped trigger; `trigger_model` is a migration's historical
    model or supervision.models.Trigger."""
    for order, (code, name, citation) in enumerate(TRIGGERS, start=1):
        trigger_model.objects.update_or_create(code=code, defaults={"name": name, "citation": citation, "order": order})
