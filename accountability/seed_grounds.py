"""The grounds for accountability (追责情形) as data: the circumstances of seed 002
第十三–十八条 and seed 004 第十四–十八条, each citing its article. Seeded by migration
0002; administrators may add or retire rows in the admin."""

from __future__ import annotations

AFTER_NOTICE = "unfinished_after_notice"
AFTER_ADMONISH = "unfinished_after_admonish"

GROUNDS = [
    (
        "decision_failure",
        "决策失误、工作失职（含未落实社会稳定风险评估），损害群众利益，导致信访问题产生并造成严重后果",
        "《兰州大学信访工作责任制实施细则》第十三条(一)；《河南省教育系统信访工作责任制实施细则》第十四条(一)",
    ),
    (
        "not_handled",
        "未按规定登记、受理、交办、转送、督办、回复信访事项，或不执行信访事项处理意见",
        "《兰州大学信访工作责任制实施细则》第十三条(二)；《河南省教育系统信访工作责任制实施细则》第十四条(二)",
    ),
    (
        "not_executing_opinion",
        "对处理、复查复核意见未按规定落实或拒不执行，或编报虚假材料欺骗上级机关",
        "《河南省教育系统信访工作责任制实施细则》第十四条(三)",
    ),
    (
        "shirking",
        "对应当解决的合理合法诉求消极应付、推诿扯皮、故意拖延，或态度恶劣、简单粗暴",
        "《兰州大学信访工作责任制实施细则》第十三条(三)；《河南省教育系统信访工作责任制实施细则》第十四条(四)",
    ),
    (
        "collective_visit",
        "对集体访未按规定到场处置或处置不力，导致事态扩大，造成不良影响",
        "《兰州大学信访工作责任制实施细则》第十三条(四)；《河南省教育系统信访工作责任制实施细则》第十四条(六)",
    ),
    (
        "public_opinion",
        "对信访负面舆情处置不力、应对不当，导致舆情发酵扩散",
        "《兰州大学信访工作责任制实施细则》第十三条(四)；《河南省教育系统信访工作责任制实施细则》第十四条(八)",
    ),
    (
        "suggestions_ignored",
        "对改进工作、完善政策等建议重视不够、落实不力、不按要求反馈，导致问题长期得不到解决",
        "《兰州大学信访工作责任制实施细则》第十三条(五)；《河南省教育系统信访工作责任制实施细则》第十四条(九)",
    ),
    (
        "wrong_law_or_procedure",
        "处理信访事项适用法规错误或违反法定程序，处理决定违反法律法规或政策",
        "《兰州大学信访工作责任制实施细则》第十三条(六)",
    ),
    (
        "concealment",
        "对重大、紧急信访事项和信访信息隐瞒、谎报、缓报，或授意他人隐瞒、谎报、缓报",
        "《兰州大学信访工作责任制实施细则》第十三条(七)；《河南省教育系统信访工作责任制实施细则》第十四条(五)",
    ),
    (
        "disclosure",
        "违规将控告、检举材料或有关情况透露、转给被控告检举人或单位，致信访人被打击报复",
        "《兰州大学信访工作责任制实施细则》第十三条(八)；《河南省教育系统信访工作责任制实施细则》第十四条(七)",
    ),
    (
        "mass_or_skip_level",
        "发生较大规模集体上访、越级上访或重复集体上访，造成严重不良影响",
        "《兰州大学信访工作责任制实施细则》第十五条",
    ),
    (
        "responsibility_lax",
        "单位信访工作责任制落实不力、被动落后",
        "《河南省教育系统信访工作责任制实施细则》第十五条",
    ),
    (
        AFTER_NOTICE,
        "受到通报后仍未按期完成整改目标",
        "《兰州大学信访工作责任制实施细则》第十七条；《河南省教育系统信访工作责任制实施细则》第十五条(三)、第十六条(二)",
    ),
    (
        AFTER_ADMONISH,
        "受到诫勉谈话后仍未按期完成整改目标",
        "《兰州大学信访工作责任制实施细则》第十八条；《河南省教育系统信访工作责任制实施细则》第十六条(三)",
    ),
    (
        "party_discipline",
        "失职失责，应当给予党纪政纪处分",
        "《河南省教育系统信访工作责任制实施细则》第十七条",
    ),
    (
        "other",
        "其他应当追究责任的失职失责情形",
        "《兰州大学信访工作责任制实施细则》第十三条(九)；《河南省教育系统信访工作责任制实施细则》第十四条(十)",
    ),
]


def seed_grounds(ground_model) -> None:
    """Create or update every shipped ground; `ground_model` is a migration's historical
    model or accountability.models.Ground."""
    for order, (code, name, citation) in enumerate(GROUNDS, start=1):
        ground_model.objects.update_or_create(code=code, defaults={"name": name, "citation": citation, "order": order})
