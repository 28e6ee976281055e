"""The words of the hot-topic analysis (dashboard/topics.py), kept as data in one place.

Why: jieba cuts every word of a petition, and most of them say who wrote, to whom and in
what form, not what about. A leader who opens 热点 wants 食堂, 奖学金, 成绩录入; without
these lists the top of the page read 宿舍, 家长, 工程学院, 公示, 发放, 孩子 (issue 14,
point 11). So:

- STOP_WORDS are never counted: function words; the boilerplate and common verbs every
  letter uses (反映, 要求, 发放, 办理); the people and bodies a letter names (学生, 家长,
  辅导员, 学院, 部门); and time words. jieba learns those of several words it does not
  know, so that 上学年 is dropped whole rather than leaving 上学.
- Unit names are not listed here: units are added and renamed in the admin, so
  topics.current_stopwords() reads people.Unit each time it counts, and adds what people
  call each unit: the full name, the forms made by rule (计算机工程学院 → 计算机学院,
  党政办公室 → 党政办), the usual short forms of UNIT_SHORT_FORMS (学生工作处 → 学工处) and
  each form's stem without its UNIT_SUFFIXES (学工, 后勤, 计算机).
- TOPIC_TERMS are the subjects petitions are about. jieba learns them once per process,
  with the case topics (cases.Topic), so that a term of several words comes out whole
  (成绩录入, 就业推荐, 顶岗实习, not 成绩 / 录入). A term here, or a topic's name, is never a
  stop word, even when a unit is named after it (a 图书馆 is a unit and a subject).
  SPLIT_WORDS go the other way: compounds jieba keeps whole that should count as their
  subject (学生宿舍 is 宿舍).

A word of one character, a number or a counted numeral (三个, 两次) is dropped anyway.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS = _words(
    """
    一个 一些 一下 一直 一定 一样 一般 一起 一切 一旦 一点 一次 一种
    上述 下面 不但 不过 不会 不能 不是 不要 不再 不仅 不管 不论 不同 不少 不断 不然 不用 不得 不对 不好
    与其 之后 之前 之间 之类 之一 也是 也许 也就是说 了解 于是 什么 仍然 从而 从此 他们 她们 它们
    以及 以上 以下 以后 以前 以便 以免 以来
    任何 但是 何时 何况 作为 你们 您好 例如 依照 便于 值得 假如 关于 其中 其他 其它 其实 再说 况且 几乎
    出来 分别 则是 别的 别人 到底 到了
    即使 却是 又是 只是 只要 只有 可以 可能 可是 各种 各位 各个 同时 后来 否则 哪里 哪些 因为 因此 因而 固然
    在于 大家 如果 如何 如此 如下 如今 始终 宁可 它的 对于 将会 尚且 就是 就算 尽管 已经 并且 并非 并不
    应该 当然 当时 彼此 往往 很多 很少
    总之 总是 恰恰 您的 我们 我的 或者 或是 所以 所有 所谓 才能 所在 据说 接着 无论 既然 是否 是的 有些
    有的 有关 有时 有点 本身 此外 此时
    比如 比较 没有 然后 然而 特别 甚至 由于 由此 的话 目前 直到 相对 看到 看看 真是 确实 等等 而且 而是
    自己 至于 若是 虽然 这个 这些 这样 这种 这里 这是
    那个 那些 那么 那样 那里 还是 还有 还要 进而 通过 遇到 那就 除了 随着 非常 顺便 首先 其次 最后 另外
    就要 要是 怎么 怎样 为什么 为了 为此 什么样
    现在 当前 已于 之所以 不仅仅 一方面 另一方面 越来越 多么 很大 较为 十分 尤其 特此 敬请 谢谢 感谢
    你好 请问 麻烦 只能 只让 总是 互相 仍未 尚未 还在 已经 没人 无人 某某 经常 常常 时常 部分 全部
    """
)

# What every petition says about itself, whatever it is about: how it is asked, what
# should happen, how long it has gone on, how bad it is (不合理, 过高, 不足). The verbs are
# the common ones of a case's course (评定, 公示, 发放, 办理), whose object is the subject.
PETITION_WORDS = _words(
    """
    反映 问题 希望 要求 请求 恳请 申请 情况 事情 事项 此事 相关 信访 来信 来访 来电 投诉 举报 建议
    咨询 求助 意见 诉求 答复 回复 处理 解决 落实 核实 调查 调查核实 复查 核查 尽快 及时 不及时 给予
    予以 进行 多次 多年 持续 一段时间 未果 无果 至今 迟迟 高度重视 重视 关注 严肃 认真 正常 存在 出现
    导致 造成 影响 发生 认为 觉得 感觉 表示 告知 得知 发现 询问 联系 沟通 协调 推诿 回应 解释
    无法 使用 不够 详细 内容 测试 具体 情况说明 说明 问一下 是不是 能不能 可不可以 能否 怎么办 为何
    原因 目的 结果 方面 工作 管理 时间 期间 规定 按规定 政策 国家 有异议 异议 不公 不公平 公平
    不合理 合理 不透明 透明 不规范 不到位 到位 承诺 提出 提供 收到 拿到 需要 必须 不予 未获 批准
    评定 评选 评审 评议 公示 公开 审核 审批 发放 办理 安排 组织 推荐 更正 调整 延长 降低
    提高 增加 减少 恢复 完成 获得 参加 领取 出具 走流程 流程 手续 下文 标准 办法 过程 进度 结束
    过高 偏高 太高 过低 偏低 太贵 不足 太少 过少 太多 过多 太短 过短 太长 过长 太慢 太晚
    """
)

# The people and bodies a petition names: who writes, about whom, to whom; and where the
# writer belongs (工程学院 is what jieba leaves of any X工程学院). 毕业 is the writer's status
# too (毕业于, 即将毕业, 影响毕业): the subjects are 毕业证书, 毕业论文 and the like, whole
# words of their own.
ROLE_WORDS = _words(
    """
    学生 学生们 同学 同学们 老师 老师们 教师 教职工 职工 员工 家长 家长们 孩子 子女 儿子 女儿 本人
    信访人 群众 师生 毕业生 新生 在校生 班干部 室友 舍友 宿管 阿姨 师傅 辅导员 班主任 任课老师 任课教师
    领导 校领导 院领导 学校领导 校长 副校长 院长 处长 科长 主任 书记 负责人 工作人员 相关人员 人员
    学校 学院 我校 贵校 本校 该校 校方 院方 我院 本院 该院 二级学院 工程学院 部门 有关部门 相关部门 职能部门
    单位 企业 对方 该生 专业 班级 年级 毕业
    """
)

# When, as every letter dates what happened; 周末 or 夜间 may be a subject, so stay out.
TIME_WORDS = _words(
    """
    今天 昨天 明天 今年 去年 明年 前年 当天 当时 每天 每周 每月 每年 晚上 早上 上午 下午 中午 近期 最近
    本学期 上学期 下学期 本学年 上学年 学年 学期 月初 月底 年初 年底 之前 之后 期间
    """
)

STOP_WORDS: frozenset[str] = FUNCTION_WORDS | PETITION_WORDS | ROLE_WORDS | TIME_WORDS

# What a unit's name ends with, longest first; a stem is the name without it (教务处 → 教务).
# 办公室 is also called 办 (党政办公室 → 党政办), and X工程学院 X学院.
UNIT_SUFFIXES: tuple[str, ...] = ("办公室", "学院", "中心", "处", "室", "部", "办", "系", "科")

# The short forms people use for the usual units of a school, which no rule makes.
UNIT_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "党政办公室": ("党办", "校办"),
    "党委办公室": ("党办", "党委办"),
    "校长办公室": ("校办", "校长办"),
    "学生工作处": ("学工处", "学生处"),
    "学生工作部": ("学工部", "学生部"),
    "后勤保卫处": ("后勤处", "保卫处"),
    "后勤管理处": ("后勤处",),
    "组织人事处": ("组织部", "人事处"),
    "纪检监察室": ("纪检室", "纪委", "纪检"),
    "招生就业处": ("招就处", "招生办", "就业处"),
    "国有资产管理处": ("国资处", "资产处"),
    "科学研究处": ("科研处",),
    "共青团委员会": ("团委", "校团委"),
}

# The subjects petitions at a school are about: welfare, teaching, records, life on
# campus, money, employment. Add a term when the page shows it cut in two; not one whose
# head already counts it (国家奖学金 is counted as 奖学金, 国家 being a stop word).
TOPIC_TERMS = _words(
    """
    奖学金 助学金 助学贷款 勤工助学 困难补助 困难认定 贫困生 资助 评优评先 评奖评优
    食堂 饭菜 价格 宿舍 热水 热水器 空调 停水 停电 漏水 维修 报修 物业 卫生 噪音 蚊虫 饮用水 外卖 快递
    网络 校园网 网速 断网 校园卡 充值 门禁 校车 停车 电动车 充电桩 照明 消防通道 安全隐患 图书馆 实验室
    教室 多媒体 机房
    补考 重修 成绩 成绩录入 成绩复核 成绩单 期末考试 绩点 学分 选修课 课表 调课 停课 考勤 网课 教材
    教材费 课时费 教学质量 上课 迟到 请假 晚归 军训 体测 体质测试 四六级 专升本 单招 保研 推免
    学籍 休学 复学 退学 转专业 毕业证 毕业证书 学位证 学位证书 学历证明 学生证 补办 毕业论文 毕业设计
    毕业答辩
    收费 退费 学费 住宿费 工本费
    招生 就业 就业推荐 就业推荐表 实习 顶岗实习 实习补贴 实习单位 三方协议
    绩效工资 职称评审 心理咨询 校医院 医保 入党 社团
    """
)

# Words jieba keeps whole whose subject is their last word: cut, so that 宿舍 counts every
# letter about a dormitory, and 学生 (a stop word) falls away.
SPLIT_WORDS = _words(
    """
    学生宿舍 男生宿舍 女生宿舍 宿舍楼 宿舍区 学生公寓 学校食堂 学生家长 补考时间
    """
)
