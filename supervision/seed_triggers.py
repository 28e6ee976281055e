"""The supervision triggers as data: the union of seed 000 §四.7(1), seed 002 第十一条 and
seed 004 第十一条 (DOMAIN.md "Supervision triggers"). Administrators may add or retire rows;
the codes below are what the code refers to."""

from __future__ import annotations

OVERDUE = "overdue"
DISSATISFIED = "dissatisfied"

TRIGGERS = [
    (OVERDUE, "无正当理由超过办理期限", "seed 000 §四.7(1)1；seed 002 第十一条(一)"),
    ("no_reply", "未答复信访人或未按规定反馈办理结果", "seed 000 §四.7(1)2；seed 004 第十一条(三)"),
    (
        "wrong_procedure",
        "未按规定程序办理（转送交办不及时、办理主体不适合等）",
        "seed 000 §四.7(1)3；seed 004 第十一条(二)",
    ),
    (
        "shirking",
        "推诿、敷衍、拖延或弄虚作假",
        "seed 000 §四.7(1)4；seed 002 第十一条(三)；seed 004 第十一条(六)；条例 第40条",
    ),
    ("not_executing", "不执行信访处理意见", "seed 000 §四.7(1)5；seed 002 第十一条(五)；seed 004 第十一条(五)"),
    ("first_not_accepted", "群众首次反映诉求而不受理", "seed 002 第十一条(二)；seed 004 第十一条(一)"),
    ("no_acceptance_notice", "未出具受理告知书", "seed 004 第十一条(一)"),
    ("evasive_opinion", "处理意见未正面回应诉求或避重就轻", "seed 002 第十一条(四)；seed 004 第十一条(三)"),
    ("extension_without_notice", "延期办理但未出具延期办理告知书", "seed 004 第十一条(二)"),
    ("not_delivered", "未履行送达责任", "seed 004 第十一条(四)"),
    (DISSATISFIED, "群众评价不满意且责任单位处理不到位", "seed 004 第十一条(七)"),
    ("handed_down", "上级部门转来的信访事项", "seed 002 第十一条(六)"),
    ("other", "其他需要督办的情形", "seed 000 §四.7(1)6；seed 002 第十一条(七)；seed 004 第十一条(八)"),
]


def seed_triggers(trigger_model) -> None:
    """Create or update every shipped trigger; `trigger_model` is a migration's historical
    model or supervision.models.Trigger."""
    for order, (code, name, citation) in enumerate(TRIGGERS, start=1):
        trigger_model.objects.update_or_create(code=code, defaults={"name": name, "citation": citation, "order": order})
