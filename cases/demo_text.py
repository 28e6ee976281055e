"""Realistic words for demo and benchmark cases: names, summaries, bodies, and the demo's
matters (MATTERS)."""

import random
from dataclasses import dataclass, field

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯俊峰晨欣怡子涵梓轩雨婷思佳"

SUMMARIES = {
    "教育教学": [
        "反映{c}某课程教师上课经常迟到早退",
        "对{c}期末考试成绩评定有异议，要求复核",
        "反映{c}实训课安排不合理，实训设备不足",
        "建议{c}增加选修课程门类",
    ],
    "日常管理": ["反映{c}宿舍晚归管理过严", "对{c}评优评先结果有异议", "反映{c}辅导员对学生请假审批不及时"],
    "后勤服务": [
        "反映食堂饭菜价格偏高、分量不足",
        "反映宿舍热水供应不正常",
        "反映校园快递点排队时间过长",
        "反映宿舍楼空调维修不及时",
    ],
    "资源配置": ["反映{c}机房电脑老旧无法正常使用", "建议图书馆延长开放时间", "反映教室多媒体设备经常故障"],
    "校园安全": ["反映校门口交通秩序混乱存在安全隐患", "反映宿舍楼消防通道被杂物堵塞", "反映校园夜间照明不足"],
    "教师待遇": ["反映{c}教师课时费发放不及时", "对职称评审结果有异议", "反映绩效工资分配办法不公开"],
    "招生录取": ["咨询专升本报名条件和时间", "咨询单招录取结果查询方式", "反映招生宣传中承诺的奖学金未兑现"],
    "学籍管理": ["咨询休学复学办理流程", "反映学籍信息登记错误需更正", "咨询转专业的条件和程序"],
}
COLLEGES = ["计算机工程学院", "电子工程学院", "软件学院", "商贸学院", "机电工程学院"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone_number(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def summary_for(topic: str, rng: random.Random) -> str:
    return rng.choice(SUMMARIES[topic]).format(c=rng.choice(COLLEGES))


def content_for(summary: str, name: str) -> str:
    return (
        f"本人{name}，{summary}。此事已持续一段时间，多次向有关老师反映未果，希望学校高度重视，尽快调查核实并给予答复。"
    )


# --- the demo's matters (cases.demo, devtools.demo_year) ----------------------------------
#
# What a school's petitions are about, each with the topic (seed 001), the unit that handles
# it, the kinds it comes as with their words, how often it comes in each month of the school
# year, and what the unit finds and does. The demo's kinds, topics, units and texts agree
# because they come from one row here: a 食堂 complaint goes to 后勤保卫处 (hqc), a 成绩 matter
# to 教务处 (jwc), a 奖学金 matter to 学生工作处 (xgc), every 举报 to 纪检监察室 (jjjc:
# 《信访工作条例》第二十二条、第三十条), a teacher's lesson to the teacher's 二级学院.

# How busy each month of a school year is (January to December): exams in January and June,
# the winter break in February, graduation in June and July, the summer break in August and
# enrolment in September.
TERM = (1.0, 0.3, 1.1, 1.0, 1.0, 1.0, 0.6, 0.3, 1.2, 1.0, 1.0, 0.9)


def season(**factors: float) -> tuple[float, ...]:
    """TERM with some months stronger or weaker: season(jan=3, jul=2)."""
    names = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return tuple(TERM[i] * factors.get(name, 1.0) for i, name in enumerate(names))


COLLEGE = "college"  # Matter.unit: the petitioner's 二级学院

# Kinds (cases.choices.Kind values), spelled here so that this module needs no models.
CONSULTATION, HELP, SUGGESTION, COMPLAINT, REPORT, PRAISE = (
    "consultation",
    "help",
    "suggestion",
    "complaint",
    "report",
    "praise",
)


@dataclass(frozen=True)
class Matter:
    """One thing petitions are about. `kinds` maps a kind to (weight, summaries); a summary
    may name {college}, {course} (one of the college's own), {any_course}, {canteen},
    {building}, {year} and {school}, and is a plain template (the matter's findings fit
    it) or S(...) with its own. The findings may name those, {unit} (the handling unit)
    and {subject}. `details` add a sentence to a complaint in the matter's plain words."""

    key: str
    topic: str
    unit: str | None  # a unit code; COLLEGE: the petitioner's 二级学院; None: not the school's
    kinds: dict[str, tuple[int, tuple[str, ...]]]
    weight: float
    months: tuple[float, ...] = TERM
    relation: str = "student"
    subject: str = ""
    details: tuple[str, ...] = ()
    found: str = "经{unit}调查核实，信访人反映的{subject}基本属实。"
    fixed: str = "{unit}已责成相关人员限期整改，并将整改情况当面告知信访人。"
    not_found: str = "经{unit}调查核实，信访人反映的{subject}与事实不符。"
    explained: str = "{unit}已向信访人说明相关规定和办理程序。"
    # 转送 (条例 第二十二条(一)): to whom and why; 导入法定途径 (第三十一条): route, body, why
    forward: tuple[str, str] | None = None
    statutory: tuple[str, str, str] | None = None
    # shares of the ends other than the ordinary one, e.g. {"forwarded": 0.8}
    endings: dict[str, float] = field(default_factory=dict)
    # where it may come from (cases.choices.Source values); empty: any
    sources: tuple[str, ...] = ()
    accuse_college: bool = False
    accused_external: str = ""


M = Matter


def S(summary: str, found: str = "", fixed: str = "", not_found: str = "") -> tuple[str, str, str, str]:
    """A summary with its own findings, where the matter's do not fit it (Matter.kinds)."""
    return (summary, found, fixed, not_found)


MATTERS: tuple[Matter, ...] = (
    # 教育教学
    M(
        "grades",
        "教育教学",
        "jwc",
        {
            COMPLAINT: (
                5,
                (
                    "对{any_course}课程期末考试成绩有异议，要求查阅试卷并复核成绩",
                    S(
                        "反映{college}{any_course}课程平时成绩评定标准不公开",
                        "经{unit}核实，该课程开课时未按规定公布平时成绩的构成和评分标准。",
                        "{unit}已要求{college}补充公布评分标准，并在全校课程考核中推行平时成绩构成公示。",
                        "经{unit}核实，该课程已在开课时公布平时成绩的构成和评分标准。",
                    ),
                ),
            ),
            CONSULTATION: (4, ("咨询{any_course}课程成绩复核的申请程序和时限", "咨询期末考试成绩在教务系统公布的时间")),
        },
        weight=8,
        months=season(jan=3.2, feb=2.5, jun=1.2, jul=3.5, sep=1.3),
        subject="成绩评定问题",
        details=("本人平时出勤和作业都正常完成，期末成绩却明显偏低，与自己估分相差较大。",),
        found="经{unit}组织任课教师和教研室复核试卷，发现一道大题漏登分数，信访人反映的成绩问题属实。",
        fixed="{unit}已更正成绩并在教务系统重新发布，同时要求各二级学院在成绩录入后实行双人复核。",
        not_found="经{unit}组织复核试卷，评分和登分均无差错，成绩评定符合课程考核方案。",
        explained="{unit}已向信访人说明成绩复核须在成绩公布后两周内向开课学院提出，并告知复核流程。",
    ),
    M(
        "exams",
        "教育教学",
        "jwc",
        {
            CONSULTATION: (4, ("咨询补考和重修的报名时间及收费标准", "咨询缓考的申请条件和所需材料")),
            COMPLAINT: (
                3,
                (
                    "反映期末考试安排过于集中，一天连考三门",
                    S(
                        "反映补考通知发布过晚，部分学生错过考试",
                        "经{unit}核实，本次补考通知发布时距考试不足一周，确有部分学生未及时获知。",
                        "{unit}已为错过考试的学生单独安排补考，今后补考安排提前两周发布并短信通知。",
                    ),
                ),
            ),
            SUGGESTION: (
                1,
                (
                    S(
                        "建议期末考试周避开全国大学英语四六级考试",
                        "经{unit}研究，信访人所提建议合理可行。",
                        "{unit}已在下学期校历中将期末考试周与全国大学英语四六级考试错开。",
                    ),
                ),
            ),
        },
        weight=6,
        months=season(jan=2.5, mar=2.0, jun=2.5, jul=1.5, sep=1.8, dec=1.8),
        subject="考试安排问题",
        found="经{unit}核实，本学期期末考试部分班级的考试安排确实过于集中。",
        fixed="{unit}已调整相关班级的考试时间，并在今后排考时控制每天的考试科目数。",
        explained="{unit}已向信访人说明补考、重修和缓考的报名时间、条件和收费标准。",
    ),
    M(
        "teaching",
        "教育教学",
        COLLEGE,
        {
            COMPLAINT: (
                6,
                (
                    "反映{college}{course}课程任课教师经常迟到、随意调课",
                    S(
                        "反映{college}{course}课程教师上课照本宣科，学生意见较大",
                        "经{unit}组织督导听课和学生座谈，该教师教学方法单一、课堂互动不足的情况基本属实。",
                        "{unit}已安排教学督导跟踪指导该教师，并组织青年教师教学方法专题培训。",
                        "经{unit}组织督导听课和学生座谈，该课程教学组织正常，学生评教结果良好。",
                    ),
                ),
            ),
            SUGGESTION: (
                2,
                (
                    S(
                        "建议{college}{course}课程增加实训课时",
                        "经{unit}研究，该课程实训课时偏少的意见合理。",
                        "{unit}已在修订人才培养方案时将该课程实训课时增加四学时。",
                    ),
                ),
            ),
        },
        weight=6,
        subject="课堂教学问题",
        details=("本学期以来已有多次调课没有提前通知，影响了同学们的学习安排。",),
        found="经{unit}听课和座谈核实，该课程任课教师存在多次调课未按规定报批的情况。",
        fixed="{unit}已对该教师进行提醒谈话，要求严格执行调停课审批制度，并安排督导跟踪听课。",
        not_found="经{unit}查阅调停课记录和听课核实，该课程调课均按规定报批并提前通知。",
    ),
    M(
        "training",
        "教育教学",
        COLLEGE,
        {
            COMPLAINT: (
                4,
                (
                    "反映{college}顶岗实习单位与所学专业不对口，且经常要求加班",
                    S(
                        "反映{college}实训室设备不足，多人共用一台",
                        "经{unit}核查，该实训室设备数量不能满足大班实训的需要。",
                        "{unit}已改为小班分组实训，并将补充设备列入本年度采购计划。",
                    ),
                ),
            ),
            HELP: (2, ("请求{college}帮助协调更换顶岗实习单位",)),
        },
        weight=5,
        months=season(mar=1.6, apr=1.4, oct=1.3, nov=1.6),
        subject="实训实习安排问题",
        found="经{unit}与实习单位核实，该岗位与专业关联度不高，且存在延长工作时间的情况。",
        fixed="{unit}已协调为信访人更换对口实习岗位，并约谈实习单位，要求严格执行实习管理规定。",
    ),
    M(
        "thesis",
        "教育教学",
        COLLEGE,
        {
            COMPLAINT: (2, ("对{college}毕业设计答辩成绩有异议",)),
            CONSULTATION: (2, ("咨询{college}毕业设计选题和答辩时间安排",)),
        },
        weight=3,
        months=season(jan=0.3, feb=0, mar=0.5, apr=1.8, may=3.5, jun=3.0, jul=0.3, aug=0, sep=0, oct=0.2, nov=0.3),
        subject="毕业设计答辩问题",
        found="经{unit}组织答辩小组复议，信访人的答辩成绩评定存在评分标准不一致的问题。",
        fixed="{unit}已组织二次答辩并重新评定成绩，同时统一各答辩小组的评分细则。",
        explained="{unit}已向信访人说明毕业设计的选题、中期检查和答辩时间安排。",
    ),
    M(
        "courses",
        "教育教学",
        "jwc",
        {
            COMPLAINT: (
                3,
                (
                    "反映选课系统开放时拥堵，无法选上公共选修课",
                    S(
                        "反映本学期教材开课两周仍未发放",
                        "经{unit}核实，因部分教材出版社延迟供货，开课时未能按时发放。",
                        "{unit}已督促供货商补齐教材，补齐前为学生提供电子版教材。",
                    ),
                ),
            ),
            SUGGESTION: (
                2,
                (
                    S(
                        "建议增加公共选修课门类和开课班次",
                        "经{unit}研究，公共选修课门类偏少的意见合理。",
                        "{unit}已在下学期新开设八门公共选修课，并增加热门课程的开课班次。",
                    ),
                ),
            ),
        },
        weight=4,
        months=season(feb=3.0, mar=2.0, sep=2.2, dec=1.5),
        subject="选课和教材问题",
        found="经{unit}核实，选课系统在开放首日访问量过大，部分学生未能正常选课。",
        fixed="{unit}已增开补选时段并扩容选课服务器，分年级错峰开放选课。",
    ),
    # 学籍管理
    M(
        "status",
        "学籍管理",
        "jwc",
        {
            CONSULTATION: (4, ("咨询休学、复学的办理条件和流程", "咨询转专业的条件和申请时间")),
            HELP: (
                2,
                (
                    S(
                        "因病需要休学，请求尽快办理休学手续",
                        "经{unit}核实，信访人已提交医院诊断证明，符合休学条件。",
                        "{unit}已为信访人办理休学手续，并告知复学的办理时间。",
                    ),
                ),
            ),
        },
        weight=4,
        months=season(jan=1.5, mar=1.5, jun=1.6, jul=1.8, sep=1.6),
        subject="学籍异动问题",
        explained="{unit}已向信访人说明休学、复学和转专业的条件、申请时间和所需材料。",
    ),
    M(
        "records",
        "学籍管理",
        "jwc",
        {
            HELP: (3, ("学信网学籍信息中出生日期登记错误，请求更正",)),
            COMPLAINT: (2, ("反映新生学籍电子注册信息有误，多次反映未予更正",)),
        },
        weight=3,
        months=season(sep=1.5, oct=2.5, nov=2.0),
        subject="学籍信息登记问题",
        found="经{unit}核对新生入学材料，信访人的学籍信息确有录入错误。",
        fixed="{unit}已在学信网提交更正申请并审核通过，更正结果已告知信访人。",
    ),
    M(
        "diploma",
        "学籍管理",
        "jwc",
        {
            CONSULTATION: (4, ("咨询毕业证书领取时间和委托他人代领的手续", "咨询毕业证书遗失后补办毕业证明书的程序")),
            COMPLAINT: (
                1,
                (
                    S(
                        "反映因图书未归还被暂缓发放毕业证书",
                        "经{unit}核实，信访人所借图书已于离校前归还，系图书馆系统未及时更新。",
                        "{unit}已协调图书馆更正记录，并为信访人发放毕业证书。",
                        "经{unit}核实，信访人仍有两册图书未归还，按离校手续规定暂缓发放。",
                    ),
                ),
            ),
        },
        weight=4,
        months=season(jan=0.6, feb=0.4, may=1.5, jun=3.5, jul=3.5, aug=1.5, sep=0.6),
        subject="毕业证书发放问题",
        explained="{unit}已向信访人说明毕业证书的发放时间、代领手续和补办毕业证明书的程序。",
    ),
    # 招生录取
    M(
        "admission",
        "招生录取",
        "jwc",
        {
            CONSULTATION: (
                5,
                (
                    "咨询录取结果查询方式和录取通知书寄送时间",
                    "咨询高职单招考试的报名条件和考试科目",
                    "咨询专升本考试的报名条件和时间",
                ),
            ),
            COMPLAINT: (
                1,
                (
                    S(
                        "反映已被录取但一直未收到录取通知书",
                        "经{unit}核实，该录取通知书因地址填写不完整被退回。",
                        "{unit}已重新寄送录取通知书，并电话告知信访人快递单号。",
                    ),
                ),
            ),
        },
        weight=5,
        months=season(jan=0.5, mar=1.8, apr=1.5, jun=1.2, jul=4.5, aug=12.0, sep=0.8, oct=0.5, nov=0.5, dec=0.5),
        relation="parent",
        subject="录取和报考问题",
        explained="{unit}已向信访人说明录取结果查询方式、录取通知书寄送时间和报考条件。",
    ),
    M(
        "promise",
        "招生录取",
        "jwc",
        {
            COMPLAINT: (
                3,
                ("反映招生宣传中承诺的新生入学奖励入学后未兑现", "反映招生时介绍的专业方向与入学后实际课程不一致"),
            ),
        },
        weight=2,
        months=season(sep=2.5, oct=2.0),
        relation="parent",
        subject="招生宣传问题",
        found="经{unit}查阅当年招生宣传材料，个别宣传用语表述不够准确。",
        fixed="{unit}已向信访人作出说明，并建立招生宣传材料的审核制度。",
        not_found="经{unit}查阅当年招生简章和宣传材料，学校未作过信访人所述承诺。",
    ),
    # 日常管理
    M(
        "scholarship",
        "日常管理",
        "xgc",
        {
            COMPLAINT: (
                4,
                ("对{college}{year}年度国家励志奖学金评定结果有异议", "反映{college}助学金评定过程不公开、名单未公示"),
            ),
            CONSULTATION: (4, ("咨询国家助学金的申请条件和评定程序", "咨询奖学金评定中综合测评的计算办法")),
            HELP: (
                2,
                (
                    S(
                        "家庭突发变故，请求申请临时困难补助",
                        "经{unit}核实，信访人家庭确因突发变故生活困难。",
                        "{unit}已为信访人发放临时困难补助，并将其纳入家庭经济困难学生库。",
                    ),
                ),
            ),
        },
        weight=7,
        months=season(jan=0.5, feb=0.5, mar=4.0, apr=1.5, jun=0.6, jul=0.4, sep=3.5, oct=2.0, nov=0.8, dec=0.5),
        subject="奖助学金评定问题",
        details=("班级评议时没有公布综合测评成绩，评定名单也未在学院公示栏公示。",),
        found="经{unit}核查评定材料，{college}在评定时未按规定公示综合测评结果。",
        fixed="{unit}已责成{college}重新公示评定结果并受理异议，同时在全校重申奖助学金评定公示制度。",
        not_found="经{unit}核查评审材料和公示记录，评定程序符合《学生奖助学金评定办法》。",
        explained="{unit}已向信访人说明奖助学金的申请条件、评定程序和综合测评的计算办法。",
    ),
    M(
        "loan",
        "日常管理",
        "xgc",
        {
            CONSULTATION: (3, ("咨询生源地信用助学贷款回执的提交时间", "咨询家庭经济困难学生学费减免政策")),
            HELP: (2, ("家庭经济困难无法按时缴纳学费，请求缓缴",)),
        },
        weight=3,
        months=season(jul=2.0, aug=8.0, sep=3.0, oct=1.2),
        relation="parent",
        subject="助学贷款和学费减免问题",
        found="经{unit}核实，信访人家庭经济困难的情况属实。",
        fixed="{unit}已为信访人办理学费缓缴手续，并指导其申请国家助学金。",
        explained="{unit}已向信访人说明生源地信用助学贷款和学费减免的政策及办理时间。",
    ),
    M(
        "dorm_rules",
        "日常管理",
        COLLEGE,
        {
            COMPLAINT: (
                4,
                (
                    S(
                        "反映{college}学生宿舍晚归管理过严，门禁时间不合理",
                        "经{unit}核实，现行门禁时间为二十二点，晚自习结束后返回宿舍的时间较紧。",
                        "{unit}已会同宿舍管理部门将门禁时间调整为二十二点三十分，并简化晚归登记。",
                        "经{unit}核实，门禁时间和晚归登记符合学校学生公寓管理规定。",
                    ),
                    "反映{college}辅导员对学生请假审批不及时",
                ),
            ),
            SUGGESTION: (
                1,
                (
                    S(
                        "建议{college}周末适当延长宿舍门禁时间",
                        "经{unit}研究，周末适当延长门禁时间的建议可行。",
                        "{unit}已会同宿舍管理部门将周五、周六的门禁时间延长至二十三点。",
                    ),
                ),
            ),
        },
        weight=4,
        subject="学生日常管理问题",
        found="经{unit}核实，个别辅导员确有请假审批拖延的情况。",
        fixed="{unit}已启用线上请假审批并规定审批时限，对相关辅导员进行了提醒。",
    ),
    M(
        "awards",
        "日常管理",
        COLLEGE,
        {COMPLAINT: (3, ("对{college}优秀学生干部评选结果有异议", "对{college}三好学生评选结果有异议"))},
        weight=3,
        months=season(apr=1.8, may=2.0, nov=1.8, dec=1.6),
        subject="评优评先问题",
        found="经{unit}核查评选材料，部分评选对象的综合测评加分依据不足。",
        fixed="{unit}已重新核定加分、调整评选结果并重新公示。",
        not_found="经{unit}核查评选材料，评选程序和结果符合学校评优评先办法。",
    ),
    M(
        "sanction",
        "日常管理",
        "xgc",
        {COMPLAINT: (2, ("对学校给予的警告处分不服，提出申诉", "对考试作弊处分决定不服，请求重新认定"))},
        weight=2,
        months=season(jan=2.0, jul=1.6),
        subject="违纪处分问题",
        found="经{unit}复查，原处分认定的部分情节依据不足。",
        fixed="{unit}已按程序提请学生申诉处理委员会复议，变更处分决定并书面告知信访人。",
        not_found="经{unit}复查，处分所依据的事实清楚、证据确凿，程序符合《学生违纪处分规定》。",
    ),
    M(
        "freshmen",
        "日常管理",
        "xgc",
        {
            CONSULTATION: (3, ("咨询新生报到时间、需携带的材料和绿色通道的办理办法",)),
            COMPLAINT: (2, ("反映新生军训期间训练强度过大，中暑学生较多",)),
            HELP: (
                1,
                (
                    S(
                        "新生报到时行李丢失，请求学校帮助查找",
                        "经{unit}协调迎新车队并调看监控，找到了信访人的行李。",
                        "{unit}已将行李送还信访人，并在迎新点增设行李寄存和登记。",
                    ),
                ),
            ),
        },
        weight=4,
        months=season(jan=0, feb=0, mar=0.2, apr=0.2, may=0.2, jun=0.3, jul=1.5, aug=10.0, sep=8.0, oct=0.8, dec=0),
        relation="parent",
        subject="新生入学问题",
        found="经{unit}核实，军训首周部分连队训练时间超出计划安排。",
        fixed="{unit}已与承训部队协调调整训练强度，高温时段停止室外训练，并增派校医驻训。",
        explained="{unit}已向信访人说明新生报到时间、所需材料和绿色通道的办理办法。",
    ),
    M(
        "leaving",
        "日常管理",
        "xgc",
        {
            COMPLAINT: (2, ("反映毕业离校手续繁琐，需在多个部门之间往返",)),
            CONSULTATION: (2, ("咨询毕业生档案的转递地址和查询方式",)),
        },
        weight=3,
        months=season(
            jan=0.3, feb=0.2, mar=0.3, apr=0.5, may=1.5, jun=4.5, jul=3.5, aug=0.8, sep=0.3, oct=0.2, nov=0.2
        ),
        subject="毕业离校问题",
        found="经{unit}核实，毕业离校手续须到六个部门分别办理，确有不便。",
        fixed="{unit}已推行毕业离校“一站式”办理，各部门集中在学生服务中心现场办理。",
        explained="{unit}已向信访人说明毕业生档案的转递地址、转递时间和查询方式。",
    ),
    # 后勤服务
    M(
        "canteen",
        "后勤服务",
        "hqc",
        {
            COMPLAINT: (
                6,
                (
                    "反映{canteen}饭菜价格偏高、分量不足",
                    S(
                        "反映{canteen}卫生状况差，饭菜中发现异物",
                        "经{unit}会同膳食科检查，{canteen}后厨存在生熟食品混放等卫生问题。",
                        "{unit}已责令承包方停业整顿并全面清洁消毒，对当班人员作出处罚。",
                        "经{unit}检查{canteen}后厨和留样，未发现信访人所述卫生问题。",
                    ),
                ),
            ),
            SUGGESTION: (
                2,
                (
                    S(
                        "建议{canteen}延长晚餐供应时间并增加特色窗口",
                        "经{unit}研究，延长晚餐供应时间的建议可行。",
                        "{unit}已将{canteen}晚餐供应时间延长至十九点三十分，并新增两个特色窗口。",
                    ),
                ),
            ),
        },
        weight=8,
        months=season(mar=1.3, sep=1.5, oct=1.3),
        subject="食堂饭菜质量和价格问题",
        details=("{canteen}部分窗口一份青菜涨到五元，分量却比以前少，同学们意见很大。",),
        found="经{unit}会同膳食科现场检查，{canteen}部分窗口存在分量不足、价格公示不清的问题。",
        fixed="{unit}已约谈食堂承包方并责令整改，实行饭菜价格公示和每周抽查，抽查结果按月公布。",
        not_found="经{unit}现场检查和抽检留样，{canteen}饭菜价格执行备案标准，未发现信访人所述问题。",
    ),
    M(
        "dorm",
        "后勤服务",
        "hqc",
        {
            COMPLAINT: (
                6,
                (
                    S(
                        "反映{building}热水供应不正常，晚上经常没有热水",
                        "经{unit}现场查看，{building}热水系统循环泵故障，报修后维修不及时。",
                        "{unit}已更换循环泵、恢复热水供应，并要求物业公司对报修二十四小时内响应。",
                    ),
                    S(
                        "反映{building}空调报修一周仍未维修",
                        "经{unit}核实，{building}空调报修后因配件短缺未能及时维修。",
                        "{unit}已完成维修，并要求物业公司备足常用配件、报修限时办结。",
                    ),
                    S(
                        "反映{building}经常跳闸断电，影响学习和生活",
                        "经{unit}检查，{building}部分楼层线路老化，用电高峰时跳闸。",
                        "{unit}已更换老化线路、增加线路容量，并开展违规电器检查。",
                    ),
                ),
            ),
            HELP: (
                2,
                (
                    S(
                        "{building}宿舍门锁损坏，请求尽快维修",
                        "经{unit}核实，{building}该宿舍门锁损坏属实。",
                        "{unit}已于当日更换门锁。",
                    ),
                ),
            ),
        },
        weight=7,
        months=season(jan=1.4, jun=1.6, sep=1.4, dec=1.4),
        subject="学生宿舍设施问题",
        not_found="经{unit}现场查看和查阅报修记录，{building}相关设施运行正常，报修均已按时处理。",
    ),
    M(
        "services",
        "后勤服务",
        "hqc",
        {
            COMPLAINT: (
                3,
                (
                    "反映校园快递点排队时间过长、快递丢失无人处理",
                    S(
                        "反映校园网晚上网速慢、经常断线",
                        "经{unit}会同网络中心测试，晚间高峰时段学生公寓区出口带宽不足。",
                        "{unit}已协调运营商扩容学生公寓区带宽。",
                    ),
                ),
            ),
            SUGGESTION: (
                1,
                (
                    S(
                        "建议在学生公寓区增设快递自助柜",
                        "经{unit}研究，增设快递自助柜的建议可行。",
                        "{unit}已在学生公寓区增设两组快递自助柜。",
                    ),
                ),
            ),
        },
        weight=3,
        months=season(sep=1.3, nov=2.8, dec=1.2),
        subject="校园快递和网络服务问题",
        found="经{unit}核实，快递点高峰时段人手不足，丢件登记后处理不及时。",
        fixed="{unit}已督促快递服务商增加高峰时段的工作人员，并建立丢件赔付登记制度。",
    ),
    # 校园安全
    M(
        "safety",
        "校园安全",
        "hqc",
        {
            COMPLAINT: (
                4,
                (
                    S(
                        "反映校门口交通秩序混乱，电动车乱停乱放存在安全隐患",
                        fixed="{unit}已在校门口增设电动车停放区，并安排保安在上下学高峰疏导交通。",
                    ),
                    S(
                        "反映{building}消防通道被杂物堵塞",
                        fixed="{unit}已清理消防通道内的杂物，并纳入每周消防安全检查。",
                    ),
                    S(
                        "反映校园夜间照明不足，部分路段没有路灯",
                        fixed="{unit}已在相关路段增设路灯，并检修损坏的照明设施。",
                    ),
                ),
            ),
            HELP: (
                2,
                (
                    S(
                        "遭遇网络兼职刷单诈骗，请求学校协助报警和追回损失",
                        "经{unit}核实，信访人遭遇网络兼职刷单诈骗属实。",
                        "{unit}已协助信访人向属地派出所报案，并在全校开展防范电信网络诈骗宣传。",
                    ),
                ),
            ),
        },
        weight=4,
        months=season(sep=1.5, oct=1.3),
        subject="校园安全隐患",
        found="经{unit}现场排查，信访人反映的安全隐患属实。",
        fixed="{unit}已排除隐患，并安排保安定时巡查。",
    ),
    # 资源配置
    M(
        "labs",
        "资源配置",
        COLLEGE,
        {
            COMPLAINT: (3, ("反映{college}机房电脑老旧，无法正常运行专业软件",)),
            SUGGESTION: (
                1,
                (
                    S(
                        "建议{college}实训室课余时间向学生开放",
                        "经{unit}研究，实训室课余开放的建议可行。",
                        "{unit}已在工作日晚间和周六开放实训室，实行预约使用。",
                    ),
                ),
            ),
        },
        weight=3,
        subject="实训室和机房设备问题",
        found="经{unit}核查，该机房设备已使用八年，部分电脑不能满足专业软件的运行要求。",
        fixed="{unit}已将机房更新列入本年度设备采购计划，更新前先调配其他机房保障教学。",
    ),
    M(
        "library",
        "资源配置",
        "jwc",
        {
            SUGGESTION: (3, ("建议图书馆在考试周延长开放时间", "建议增加自习室座位并实行网上预约")),
            COMPLAINT: (
                2,
                (
                    S(
                        "反映教学楼多媒体设备经常故障，影响上课",
                        "经{unit}核实，部分教室多媒体设备使用年限较长，故障率较高。",
                        "{unit}已维修更换故障设备，并在教学楼设立设备报修专线。",
                    ),
                ),
            ),
        },
        weight=3,
        months=season(jan=1.8, jun=1.8, nov=1.3, dec=1.6),
        subject="图书馆和教室设施问题",
        found="经{unit}研究，考试周自习需求集中、座位不足的情况属实，所提建议可行。",
        fixed="{unit}已协调图书馆在考试周延长开放至二十二点，并开通自习座位网上预约。",
    ),
    # 教师待遇
    M(
        "title",
        "教师待遇",
        "rsc",
        {
            COMPLAINT: (2, ("对{year}年度职称评审结果有异议，要求说明评审依据",)),
            CONSULTATION: (2, ("咨询{year}年度专业技术职务评审的申报条件",)),
        },
        weight=2,
        months=season(
            jan=0.5, feb=0.2, mar=0.5, apr=0.5, may=0.5, jun=0.5, jul=0.3, aug=0.2, oct=2.5, nov=3.5, dec=3.0
        ),
        relation="staff",
        subject="职称评审问题",
        found="经{unit}复核，信访人的一项科研成果在量化评分中漏计。",
        fixed="{unit}已提请学校职称评审委员会复议，并将复议结果书面告知信访人。",
        not_found="经{unit}核查评审材料和评审记录，评审程序符合规定，评审结果已按程序公示。",
        explained="{unit}已向信访人说明本年度职称评审的申报条件、评审程序和评分办法。",
    ),
    M(
        "pay",
        "教师待遇",
        "rsc",
        {
            COMPLAINT: (
                3,
                (
                    "反映{college}外聘教师课时费发放不及时",
                    S(
                        "反映绩效工资分配办法未公开征求教职工意见",
                        "经{unit}核实，绩效工资分配办法修订时未按规定提交教职工代表大会审议。",
                        "{unit}已将分配办法提交教职工代表大会审议，并在校内公开。",
                    ),
                ),
            ),
        },
        weight=2,
        months=season(jan=2.5, jul=2.5),
        relation="staff",
        subject="课时费和绩效工资问题",
        found="经{unit}会同财务部门核实，上学期外聘教师课时费因结算材料报送滞后未按时发放。",
        fixed="{unit}已督促完成结算并发放课时费，今后课时费按月结算。",
    ),
    M(
        "contract",
        "教师待遇",
        "rsc",
        {COMPLAINT: (2, ("反映劳务派遣合同到期未续签，且未支付经济补偿",))},
        weight=1,
        months=season(jan=1.5, jul=1.5),
        relation="staff",
        subject="劳动合同问题",
        found="经{unit}核实，信访人的劳务派遣合同由派遣公司签订，合同到期未续签属实。",
        fixed="{unit}已督促派遣公司依法与信访人协商经济补偿事宜。",
        statutory=(
            "personnel_arbitration",
            "长沙市劳动人事争议仲裁委员会",
            "属劳动人事争议，依法应通过劳动人事争议仲裁解决，已告知信访人申请仲裁的途径。",
        ),
        endings={"statutory": 0.6},
    ),
    # 举报: all to 纪检监察室 (条例 第二十二条、第三十条)
    M(
        "report_gift",
        "日常管理",
        "jjjc",
        {REPORT: (1, ("举报{college}某教师收受学生家长礼品礼金",))},
        weight=1.2,
        subject="收受礼品礼金问题",
        accuse_college=True,
        found="经{unit}调查核实，举报反映的问题部分属实。",
        fixed="{unit}已对当事教师进行诫勉谈话并责令退还礼品，在{college}开展师德师风专题教育。",
        not_found="经{unit}调查核实，未发现举报反映的收受礼品礼金问题。",
    ),
    M(
        "report_scholarship",
        "日常管理",
        "jjjc",
        {REPORT: (1, ("举报{college}奖助学金评定中有学生虚报家庭经济困难情况",))},
        weight=1.2,
        months=season(jan=0.5, mar=3.0, apr=2.0, sep=2.5, oct=3.0, nov=1.5),
        subject="奖助学金评定弄虚作假问题",
        accuse_college=True,
        found="经{unit}会同学生工作处核查，有一名学生提交的家庭经济困难证明材料不实。",
        fixed="{unit}已督促{college}取消该生的评定资格并收回助学金，对审核把关不严的人员进行批评教育。",
        not_found="经{unit}核查评定材料和入户走访记录，未发现虚报家庭经济困难的情况。",
    ),
    M(
        "report_canteen",
        "后勤服务",
        "jjjc",
        {REPORT: (1, ("举报{canteen}承包商以次充好、使用过期食材",))},
        weight=1,
        subject="食堂承包商违规经营问题",
        accused_external="{canteen}承包商",
        found="经{unit}会同后勤保卫处突击检查，在{canteen}库房发现少量过期调味品。",
        fixed="{unit}已督促后勤保卫处按合同对承包商处以违约罚款，并建立食材进货查验台账。",
        not_found="经{unit}会同后勤保卫处突击检查和抽检，未发现举报反映的问题。",
    ),
    M(
        "report_exam",
        "教育教学",
        "jjjc",
        {REPORT: (1, ("举报{college}某教师期末考试前向部分学生泄露试题",))},
        weight=0.8,
        months=season(jan=3.0, jun=2.5, jul=2.0, dec=1.5),
        subject="考试泄题问题",
        accuse_college=True,
        not_found="经{unit}调查比对试卷和复习资料，未发现泄露试题的情况。",
    ),
    M(
        "report_admission",
        "招生录取",
        "jjjc",
        {REPORT: (1, ("举报有人以“内部指标”为名收取专升本“好处费”",))},
        weight=0.6,
        months=season(mar=2.0, apr=2.0, may=1.5, jul=2.0, aug=4.0),
        relation="parent",
        subject="以招生为名收费问题",
        found="经{unit}调查，收费人员系校外人员冒用学校名义，学校不存在所谓“内部指标”。",
        fixed="{unit}已将线索移送公安机关，并在学校官网发布招生防骗提示。",
    ),
    M(
        "report_title",
        "教师待遇",
        "jjjc",
        {REPORT: (1, ("举报{year}年度职称评审中有人申报材料造假",))},
        weight=0.5,
        months=season(oct=2.5, nov=3.5, dec=3.0),
        relation="staff",
        subject="职称申报材料造假问题",
        not_found="经{unit}会同组织人事处核查申报材料原件，未发现造假情况。",
    ),
    # 表扬 (seed 003): answered as 建议意见类 (条例 第二十九条)
    M(
        "praise_teacher",
        "教育教学",
        COLLEGE,
        {PRAISE: (1, ("表扬{college}{course}课程任课教师教学认真负责、耐心辅导学生",))},
        weight=1.2,
        subject="表扬信所述事迹",
        found="经{unit}核实，表扬信所述事迹属实。",
        fixed="{unit}已将表扬信转达本人，并在学院教职工大会上通报表扬。",
    ),
    M(
        "praise_dorm",
        "后勤服务",
        "hqc",
        {PRAISE: (1, ("表扬{building}宿管员拾金不昧，归还学生遗失的钱包",))},
        weight=0.6,
        subject="表扬信所述事迹",
        found="经{unit}核实，表扬信所述事迹属实。",
        fixed="{unit}已在物业服务人员中通报表扬，并给予当事宿管员奖励。",
    ),
    M(
        "praise_counsellor",
        "日常管理",
        COLLEGE,
        {PRAISE: (1, ("感谢{college}辅导员在学生生病住院期间悉心照顾",))},
        weight=0.6,
        relation="parent",
        subject="感谢信所述事迹",
        found="经{unit}核实，感谢信所述事迹属实。",
        fixed="{unit}已将感谢信转达本人，并在学院内通报表扬。",
    ),
    # not the school's (条例 第二十二条(一)): 转送 to the competent body, or, handed down by
    # mistake, objected to and returned to the superior (第二十三条)
    M(
        "outside_pay",
        "教育教学",
        None,
        {COMPLAINT: (3, ("反映顶岗实习单位拖欠实习报酬并扣押身份证",))},
        weight=0.8,
        months=season(mar=1.3, jul=1.5, nov=1.3),
        relation="parent",
        subject="实习单位拖欠报酬问题",
        forward=("长沙市人力资源和社会保障局", "涉及用人单位劳动报酬和劳动保障监察事项，依职责转送。"),
        endings={"forwarded": 0.85, "not_accepted": 0.15},
    ),
    M(
        "outside_training",
        "招生录取",
        None,
        {COMPLAINT: (3, ("反映校外培训机构以专升本“包过”为名收费后拒不退款",))},
        weight=0.6,
        months=season(mar=2.0, apr=1.5, jul=1.5),
        relation="parent",
        subject="校外培训机构收费问题",
        forward=("长沙市市场监督管理局", "涉及校外培训机构的经营和收费行为，依职责转送。"),
        endings={"forwarded": 0.85, "not_accepted": 0.15},
    ),
    M(
        "district",
        "日常管理",
        None,
        {COMPLAINT: (3, ("反映某区属中学违规组织有偿补课", "反映某区属小学课后服务收费不规范"))},
        weight=0.5,
        relation="parent",
        subject="区属中小学收费问题",
        sources=("hotline_12345", "city_education"),
        endings={"returned_up": 1.0},
    ),
)

# Lists of words the summaries name, by 二级学院 code; a college a school adds
# (settings.XINFANG_DEMO_UNITS) takes the general ones.
COMMON_COURSES = ("高等数学", "大学英语", "思想道德与法治", "体育与健康")
GENERAL_COURSES = ("专业基础课", "专业核心课")
COURSES = {
    "jsj": ("计算机网络技术", "数据库应用", "Python程序设计", "Linux系统管理"),
    "dz": ("电工电子技术", "单片机应用", "电路分析", "PLC控制技术"),
    "rj": ("Java程序设计", "Web前端开发", "软件测试", "移动应用开发"),
}
MAJORS_BY_COLLEGE = {
    "jsj": ("计算机网络技术", "大数据技术", "人工智能技术应用"),
    "dz": ("电子信息工程技术", "应用电子技术", "物联网应用技术"),
    "rj": ("软件技术", "移动应用开发", "云计算技术应用"),
}
CANTEENS = ("第一食堂", "第二食堂", "第三食堂", "清真食堂")
BUILDINGS = tuple(f"学生公寓{n}栋" for n in range(1, 13))

CONTENT = {
    CONSULTATION: "{who}{summary}，请相关部门予以解答。",
    HELP: "{who}{summary}。{detail}恳请学校给予帮助。",
    SUGGESTION: "{who}{summary}。{detail}以上建议供学校参考。",
    COMPLAINT: "{who}{summary}。{detail}此前已向有关老师反映，至今未解决，希望学校尽快调查核实并给予答复。",
    REPORT: "{summary}。{detail}请学校纪检监察部门调查核实，依规依纪处理。",
    PRAISE: "{who}{summary}，特此致信表扬，希望学校予以表彰。",
}

# What the unit concludes (条例 第三十二条), and what the petitioner says of it.
CONCLUSIONS = {
    "support": "信访人反映的问题基本属实，诉求合理，予以支持。",
    "explain": "信访人的诉求可以理解，但缺乏政策依据，已作解释说明。",
    "not_support": "信访人反映的问题与事实不符，诉求不予支持。",
}
ADVICE_CONCLUSIONS = {
    "support": "所提意见建议合理可行，予以采纳。",
    "explain": "所提意见建议部分可行，予以部分采纳。",
    "not_support": "所提意见建议暂不具备实施条件，未予采纳，已说明理由。",
}
OPINIONS = {"support": "信访人表示认可。", "explain": "信访人表示理解。", "not_support": "信访人保留意见。"}
FOLLOW_UP_COMMENTS = {
    "satisfied": "电话回访，信访人对处理结果表示满意。",
    "basically": "电话回访，信访人表示基本满意，希望后续持续改进。",
    "dissatisfied": "电话回访，信访人对处理结果不满意，认为问题没有得到根本解决。",
}


def fill(template: str, words: dict) -> str:
    """A template with its words; a word it does not name is left out."""
    return template.format_map(_Words(words))


class _Words(dict):
    def __missing__(self, key: str) -> str:
        return ""
