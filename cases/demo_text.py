"""Realistic words for demo and benchmark cases: names, summaries, bodies."""

import random

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
