"""The vocabularies of a case: its states and the groups the pages count, channels,
sources, kinds and the 条例's classes, outcomes (条例 第32条) and satisfaction."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    REGISTERED = "registered", "登记"
    ACCEPTED = "accepted", "受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    FORWARDED = "forwarded", "转送"
    PROPOSED = "proposed", "拟办"
    ASSIGNED = "assigned", "交办"
    HANDLING = "handling", "承办"
    UNIT_REVIEW = "unit_review", "待部门审定"
    LEADER_REVIEW = "leader_review", "待领导审定"
    REPLIED = "replied", "答复"
    ARCHIVED = "archived", "归档"
    FOLLOWED_UP = "followed_up", "跟踪"
    # 条例 第31条(一)–(四): a matter with a statutory procedure of its own is routed there.
    STATUTORY = "statutory", "已导入法定途径"
    # 条例 第23条: the superior agreed that a handed-down case is not the school's.
    RETURNED_UP = "returned_up", "已退回上级"


# States in which the case has been handed to a unit: the unit sees it from here on.
HANDED_TO_UNIT = (
    State.ASSIGNED,
    State.HANDLING,
    State.UNIT_REVIEW,
    State.LEADER_REVIEW,
    State.REPLIED,
    State.ARCHIVED,
    State.FOLLOWED_UP,
)
# A written reply (信访处理意见书) exists: the 复查 window runs from it (条例 第35条).
REPLIED_STATES = (State.REPLIED, State.ARCHIVED, State.FOLLOWED_UP)
CLOSED_STATES = (
    State.NOT_ACCEPTED,
    State.FORWARDED,
    State.ARCHIVED,
    State.FOLLOWED_UP,
    State.STATUTORY,
    State.RETURNED_UP,
)
OPEN_STATES = tuple(s for s in State if s not in CLOSED_STATES)


class Channel(models.TextChoices):
    """Seed 000 §四 and seed 003: how the petition reached the school."""

    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上信访"
    MAILBOX = "mailbox", "领导信箱"
    SMS = "sms", "短信"


class Source(models.TextChoices):
    """Seed 000 §四.1: petitions the school receives itself, or that a superior hands down."""

    SELF = "self", "直接来信来访"
    HOTLINE_12345 = "hotline_12345", "12345政务服务热线工单"
    PROVINCE_SYSTEM = "province_system", "省信访信息系统"
    CITY_EDUCATION = "city_education", "市教育局"
    SUNSHINE = "sunshine", "教育阳光服务中心"


class Kind(models.TextChoices):
    """Seed 001 (咨询、求助、建议、投诉、举报) and seed 003 (表扬)."""

    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    SUGGESTION = "suggestion", "建议"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    PRAISE = "praise", "表扬"


class RegulationClass(models.TextChoices):
    """条例 第29条 divides requests into three classes."""

    ADVICE = "advice", "建议意见类"
    ACCUSATION = "accusation", "检举控告类"
    CLAIM = "claim", "申诉求决类"


# How the seeds' kinds map onto the 条例 classes (条例 第29–31条).
KIND_TO_REGULATION_CLASS = {
    Kind.CONSULTATION: RegulationClass.CLAIM,
    Kind.HELP: RegulationClass.CLAIM,
    Kind.COMPLAINT: RegulationClass.CLAIM,
    Kind.SUGGESTION: RegulationClass.ADVICE,
    Kind.PRAISE: RegulationClass.ADVICE,
    Kind.REPORT: RegulationClass.ACCUSATION,
}


class Outcome(models.TextChoices):
    """条例 第32条: the three outcomes of a 信访处理意见书; a dispute may also end in a
    调解协议书 or 和解协议书 (条例 第33条)."""

    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释说明"
    NOT_SUPPORT = "not_support", "不予支持"
    MEDIATION = "mediation", "调解"
    SETTLEMENT = "settlement", "和解"


class Adoption(models.TextChoices):
    """条例 第29条: a 建议意见类 matter is studied; what is sound is adopted or partly adopted,
    and the petitioner answered."""

    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未予采纳"


class Gravity(models.TextChoices):
    """《湖南信息职业技术学院信访工作实施方案》四.3 and 四.6(1): 一般, 重大, 特别重大. A major
    proposal goes to the 分管 leader and is reported to the 主要领导; a 特别重大 reply is
    settled by the 主要领导."""

    ORDINARY = "ordinary", "一般"
    MAJOR = "major", "重大"
    GRAVE = "grave", "特别重大"


class SunshineClass(models.TextChoices):
    """The 教育阳光服务中心 platform's own classification of a case it hands down: its
    limits follow it, not the school's gravity."""

    ORDINARY = "ordinary", "一般事项"
    MAJOR = "major", "重大事项"
    CONSULTATION = "consultation", "咨询类事项"


class Procedure(models.TextChoices):
    """条例 第29–33条: which procedure a request follows."""

    PETITION = "petition", "申诉求决/检举控告（信访程序）"
    SUGGESTION = "suggestion", "建议意见类（研究采纳、答复）"
    STATUTORY = "statutory", "依法定途径处理"


class StatutoryRoute(models.TextChoices):
    """条例 第31条(一)–(四): the statutory procedures a matter may belong to."""

    LAWSUIT = "lawsuit", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    ADMIN_REVIEW = "admin_review", "行政复议"
    PERSONNEL_ARBITRATION = "personnel_arbitration", "人事争议仲裁"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "电话回访"
    VISIT = "visit", "当面回访"
    ONLINE = "online", "网上评价"
    SMS = "sms", "短信"


# The flags a case carries, in the order every page, ledger and document names them; each
# one's label is its field's verbose_name (flag_labels).
FLAG_FIELDS = ("is_major", "is_group", "is_over_level", "is_leader_case", "is_repeat")
