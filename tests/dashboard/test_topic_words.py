"""Hot topics that read well (issue 14, point 11): the keywords name what petitions are
about, never the units, the people or the boilerplate around it, and a subject of several
words is counted whole. Checked against a labelled set (topics_labelled.py)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import Topic
from dashboard import topic_words, topics
from people.models import Unit
from tests.dashboard.topics_labelled import LABELLED, SUBJECTS, WHOLE_TERMS, labelled_count

# What the page showed at the top before (units, people, verbs, a numeral).
FORMER_TOP = {
    "计算机工程学院", "计算机学院", "计算机", "工程学院", "电子", "软件学院", "教务处", "教务", "学工处",
    "后勤处", "后勤保卫处", "家长", "孩子", "辅导员", "任课老师", "学生", "反映", "公示", "发放", "评定",
    "办理", "安排", "国家", "毕业", "晚上", "三个", "录入", "推荐",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def labelled(make_case, settings):
    settings.DASHBOARD_TOPICS_MIN_COUNT = 2
    settings.DASHBOARD_TOPICS_TOP = 30
    received = timezone.localdate() - timedelta(days=2)
    for summary, content, _subjects in LABELLED:
        make_case(summary=summary, content=content, received_on=received)


def test_the_top_ten_are_the_real_subjects(labelled, people):
    result = topics.hot_topics(user=people["office"], period=topics.Period.last_days(30))
    top = [row.label for row in result.keywords[:10]]

    assert len(top) == 10
    assert set(top) <= SUBJECTS, f"not a subject: {sorted(set(top) - SUBJECTS)}"
    assert not set(top) & topics.current_stopwords()
    everything = {row.label for row in result.keywords}
    assert not everything & FORMER_TOP
    assert not everything & topics.current_stopwords()


def test_each_subject_counts_the_cases_about_it(labelled, people):
    """A subject named by two petitions or more is a keyword counted once for each of
    them: it came out whole every time, and was not cut from some other word."""
    result = topics.hot_topics(user=people["office"], period=topics.Period.last_days(30))
    rows = {row.label: row for row in result.keywords}
    counted = {subject: rows[subject].now if subject in rows else 0 for subject in SUBJECTS}
    expected = {subject: labelled_count(subject) for subject in SUBJECTS if labelled_count(subject) >= 2}
    assert {subject: counted[subject] for subject in expected} == expected
    for term in WHOLE_TERMS:
        assert rows[term].now == labelled_count(term) >= 2


@pytest.mark.parametrize(
    ("text", "whole", "pieces"),
    [
        ("期末成绩录入错误", "成绩录入", ["录入"]),
        ("毕业证书遗失申请补办", "毕业证书", ["证书"]),
        ("学位证书上的专业名称有误", "学位证书", ["证书"]),
        ("学院不给出具就业推荐意见", "就业推荐", ["推荐"]),
        ("学院强制安排顶岗实习", "顶岗实习", ["顶岗"]),
        ("助学贷款至今未到账", "助学贷款", ["贷款"]),
        ("评优评先结果不公", "评优评先", ["评先"]),
        ("职称评审程序不规范", "职称评审", ["评审"]),
        ("绩效工资分配办法不公开", "绩效工资", ["工资"]),
    ],
)
def test_terms_of_several_words_come_out_whole(text, whole, pieces):
    words = topics.keywords(text)
    assert whole in words
    assert not set(pieces) & set(words)


def test_a_compound_of_a_role_and_a_subject_counts_as_the_subject():
    assert topics.keywords("学生宿舍热水不正常") == ["宿舍", "热水"]


def test_unit_names_and_their_short_forms_are_read_when_counting(people):
    stop = topics.current_stopwords()
    assert {"计算机工程学院", "计算机学院", "计算机", "学生工作处", "学工处", "学工", "后勤处", "后勤"} <= stop
    assert "财务处" not in stop  # no such unit yet

    Unit.objects.create(code="cwc", name="财务处", kind=Unit.Kind.FUNCTIONAL)
    stop = topics.current_stopwords()
    assert {"财务处", "财务"} <= stop
    assert topics.keywords("计算机工程学院学生向财务处反映学费退费问题", stop) == ["学费", "退费"]


def test_a_subject_is_never_a_stop_word_even_when_a_unit_bears_its_name(people):
    Unit.objects.create(code="tsg", name="图书馆", kind=Unit.Kind.FUNCTIONAL)
    Unit.objects.create(code="zjc", name="招生就业处", kind=Unit.Kind.FUNCTIONAL)
    Topic.objects.create(name="宿舍调换", order=99)
    stop = topics.current_stopwords()
    assert not {"图书馆", "招生", "就业", "后勤服务", "宿舍调换"} & stop
    assert {"招生就业处", "就业处", "招就处"} <= stop
    # the topics' names are taught to jieba: 后勤 is a unit's stem, 后勤服务 a topic
    assert topics.keywords("后勤服务态度差，申请宿舍调换", stop) == ["后勤服务", "态度", "宿舍调换"]


def test_unit_forms_and_stems():
    assert topics.unit_forms("计算机工程学院") == {"计算机工程学院", "计算机学院"}
    assert topics.unit_forms("党政办公室") == {"党政办公室", "党政办", "党办", "校办"}
    assert topics.unit_forms("学生工作处") == {"学生工作处", "学工处", "学生处"}
    assert [topics.unit_stem(f) for f in ("教务处", "计算机学院", "软件学院", "党政办", "党办", "纪委")] == [
        "教务",
        "计算机",
        "软件",
        "党政",
        None,
        None,
    ]


def test_the_word_lists_do_not_contradict_each_other():
    assert not topic_words.STOP_WORDS & topic_words.TOPIC_TERMS
    assert not topic_words.SPLIT_WORDS & topic_words.TOPIC_TERMS
    assert topics.stopwords() == topic_words.STOP_WORDS


def test_a_word_is_taught_to_jieba_once_however_many_threads_ask(monkeypatch):
    dt = topics.tokenizer()
    added: list[str] = []
    real_add = dt.add_word
    monkeypatch.setattr(dt, "add_word", lambda word, *a, **kw: (added.append(word), real_add(word, *a, **kw)))
    word = "甲乙丙丁处"
    start = threading.Barrier(8)

    def teach() -> None:
        start.wait()
        topics.teach({word})

    threads = [threading.Thread(target=teach) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    topics.teach({word, "食堂"})  # 食堂 jieba knew already
    assert added == [word]
    assert topics.tokenizer() is dt
