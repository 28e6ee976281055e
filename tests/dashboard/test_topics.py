"""What the petitions are about (issue 6 §3): hot topics that rise against the previous
period, clusters of similar open cases, and policy fixes (制度完善) recorded against the
cases that raised them; each respects the viewer's scope and the 举报 rule (条例 第30条)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import Kind, Topic
from dashboard import clusters, topics
from dashboard.models import PolicyFix
from dashboard.policy_fixes import policy_fix_record
from tests.conftest import accuse_after_routing
from tests.conftest import logged_in_client as _client

FOOD = [
    "反映食堂饭菜价格偏高",
    "二食堂价格又涨了，饭菜分量少",
    "食堂早餐价格太贵",
    "希望学校调整食堂价格",
    "食堂窗口价格不透明",
    "食堂套餐价格上调",
    "反映食堂价格问题",
    "食堂价格偏高，学生负担重",
    "一食堂价格每学期都涨",
    "食堂价格不合理",
]
EXAMS = ["对期末考试成绩有异议，要求复核", "期末考试成绩录入错误", "期末考试成绩公布太晚"]
HOT_WATER = ["宿舍热水供应不正常", "宿舍热水时有时无", "宿舍热水温度不够", "宿舍热水供应时间太短"]
LIBRARY = ["图书馆开放时间太短", "建议图书馆延长开放时间", "图书馆周末开放时间短"]
LABS = ["实验室设备老化", "实验室设备长期故障", "实验室设备数量不足"]
BRIBES = ["举报某领导收受红包", "举报领导收受红包礼金", "举报院领导收受家长红包"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # results are cached per (scope, period) in the process-wide cache
    cache.clear()
    yield
    cache.clear()


def _now_period() -> topics.Period:
    return topics.Period.last_days(30)


def _days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def rising(make_case):
    """10 petitions about 食堂 价格 this period against 2 in the last; exams steady (3 and 3)."""
    logistics = Topic.objects.get(name="后勤服务")
    teaching = Topic.objects.get(name="教育教学")
    for summary in FOOD:
        make_case(summary=summary, topic=logistics, received_on=_days_ago(3))
    for summary in FOOD[:2]:
        make_case(summary=summary, topic=logistics, received_on=_days_ago(40))
    for days in (5, 45):
        for summary in EXAMS:
            make_case(summary=summary, topic=teaching, received_on=_days_ago(days))


def _rows(result) -> dict[str, topics.Trend]:
    return {row.label: row for row in result.keywords}


# --- hot topics ---------------------------------------------------------------------------


def test_previous_period_has_the_same_length():
    period = topics.Period(timezone.localdate().replace(day=1), timezone.localdate().replace(day=1) + timedelta(9))
    assert period.previous.days == period.days == 10
    assert period.previous.end == period.start - timedelta(days=1)


def test_rising_keyword_and_topic_come_first_with_their_counts(rising, people):
    result = topics.hot_topics(user=people["office"], period=_now_period())

    assert {r.label for r in result.keywords[:2]} == {"食堂", "价格"}
    for word in ("食堂", "价格"):
        row = _rows(result)[word]
        assert (row.now, row.before, row.change) == (10, 2, 8)
    assert (_rows(result)["期末考试"].now, _rows(result)["期末考试"].before) == (3, 3)
    first = result.topics[0]
    assert (first.label, first.now, first.before, first.change) == ("后勤服务", 10, 2, 8)
    teaching = next(r for r in result.topics if r.label == "教育教学")
    assert (teaching.now, teaching.before, teaching.change) == (3, 3, 0)
    assert (result.cases_now, result.cases_before) == (13, 5)
    assert not result.capped


def test_stop_words_never_appear(rising, people):
    result = topics.hot_topics(user=people["office"], period=_now_period())
    labels = {r.label for r in result.keywords}
    assert labels
    assert not labels & topics.stopwords()
    assert not labels & {"反映", "问题", "学校", "希望", "详细", "内容", "测试"}
    assert all(len(label) >= 2 and not label.isdigit() for label in labels)


def test_keywords_count_each_case_once():
    counted = Counter()
    counted.update(set(topics.keywords("食堂价格高，食堂价格还在涨，希望学校解决食堂问题")))
    assert counted["食堂"] == 1
    assert "希望" not in counted and "学校" not in counted and "问题" not in counted


def test_the_cap_is_said_on_the_page(rising, people, settings):
    settings.DASHBOARD_TOPICS_MAX_TEXTS = 5
    result = topics.hot_topics(user=people["office"], period=_now_period())
    assert result.capped and result.texts_now == 5
    assert result.topics[0].now == 10  # topic counts are SQL aggregates, not capped
    response = _client(people["office"]).get("/dashboard/topics/")
    assert "只统计了每期最新的 5 件" in response.content.decode()


def test_result_is_cached_per_scope_and_period(rising, people, make_case, django_assert_max_num_queries):
    office, period = people["office"], _now_period()
    before = topics.hot_topics(user=office, period=period)
    make_case(summary="食堂价格太高", received_on=_days_ago(1))
    with django_assert_max_num_queries(2):  # the scope key's two small lookups only
        again = topics.hot_topics(user=office, period=period)
    assert again.computed_at == before.computed_at
    assert _rows(again)["食堂"].now == 10
    other = topics.hot_topics(user=office, period=topics.Period.last_days(7))
    assert _rows(other)["食堂"].now == 11


@pytest.fixture
def scoped(make_case, people):
    """Laboratories in dz (leader2's), hot water in jwc (leader's), and a 举报 in dz that
    names leader2 (朱分管)."""
    for summary in LABS:
        make_case(summary=summary, state="proposed", unit="dz", received_on=_days_ago(2))
    for summary in HOT_WATER:
        make_case(summary=summary, state="proposed", unit="jwc", received_on=_days_ago(2))
    for summary in BRIBES:
        report = make_case(summary=summary, kind=Kind.REPORT, state="proposed", unit="dz", received_on=_days_ago(2))
        accuse_after_routing(report, people["leader2"])


def test_a_unit_leader_sees_only_keywords_from_their_scope(scoped, people):
    period = _now_period()
    school = _rows(topics.hot_topics(user=people["president"], period=period))
    assert {"实验室", "热水", "红包"} <= set(school)

    mine = _rows(topics.hot_topics(user=people["leader2"], period=period))
    assert mine["实验室"].now == 3
    assert "热水" not in mine  # jwc is not in leader2's charge
    assert "红包" not in mine and "收受" not in mine  # the 举报 names leader2


def test_a_unit_leader_cannot_narrow_to_a_unit_outside_their_charge(scoped, people, units):
    client = _client(people["leader2"])
    response = client.get("/dashboard/topics/", {"unit": units["jwc"].pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "所选部门不在您的查看范围内。" in page
    assert 'data-keyword="热水"' not in page and 'data-keyword="红包"' not in page
    assert 'data-keyword="实验室"' in page


def test_narrowing_to_a_unit(scoped, people, units):
    narrowed = _rows(topics.hot_topics(user=people["office"], period=_now_period(), unit=units["jwc"]))
    assert narrowed["热水"].now == 4
    assert "实验室" not in narrowed and "红包" not in narrowed


def test_topics_page_renders(rising, people):
    response = _client(people["president"]).get("/dashboard/topics/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("热点问题与类案", "热点关键词", "问题类别", "类案线索", "制度完善", 'data-keyword="食堂"'):
        assert text in page
    assert "记录为制度完善" not in page  # only the office records fixes


def test_topics_page_refuses_a_clerk(people):
    assert _client(people["clerk"]).get("/dashboard/topics/").status_code == 403


def test_bad_dates_are_reported_in_chinese(people):
    response = _client(people["office"]).get("/dashboard/topics/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "结束日期不能早于开始日期。" in response.content.decode()


# --- clusters -------------------------------------------------------------------------------


@pytest.fixture
def similar(make_case):
    hot_water = [make_case(summary=s) for s in HOT_WATER]
    library = [make_case(summary=s, state="accepted") for s in LIBRARY]
    make_case(summary="咨询专升本报名条件")
    make_case(summary="校园夜间照明不足")
    # closed cases never cluster, however alike
    for summary in ("校门口交通秩序混乱", "校门口交通秩序差", "校门口交通秩序乱"):
        make_case(summary=summary, state="not_accepted")
    return hot_water, library


def test_clusters_of_similar_open_cases(similar, people):
    hot_water, library = similar
    found = clusters.open_case_clusters(user=people["office"]).clusters
    assert len(found) == 2
    by_size = sorted(found, key=lambda c: -len(c.cases))
    assert {c.pk for c in by_size[0].cases} == {c.pk for c in hot_water}
    assert {"宿舍", "热水"} <= set(by_size[0].keywords)
    assert {c.pk for c in by_size[1].cases} == {c.pk for c in library}
    assert {"图书馆", "开放"} <= set(by_size[1].keywords)


def test_clusters_respect_scope(scoped, people):
    school = clusters.open_case_clusters(user=people["president"]).clusters
    assert sorted(len(c.cases) for c in school) == [3, 3, 4]  # laboratories, the 举报, hot water
    # leader2: dz only (no hot water), and never the 举报 that names them
    mine = clusters.open_case_clusters(user=people["leader2"]).clusters
    assert [sorted(c.keywords)[:2] for c in mine] == [["实验室", "设备"]]


def test_cluster_button_prefills_the_fix_form(similar, people):
    hot_water, _library = similar
    page = _client(people["office"]).get("/dashboard/topics/").content.decode()
    assert "记录为制度完善" in page
    numbers = " ".join(sorted(c.number for c in hot_water))
    form = _client(people["office"]).get("/dashboard/topics/fixes/", {"cases": numbers}).content.decode()
    assert numbers in form


def test_group_needs_a_shared_pair_of_keywords():
    docs = [Counter(words) for words in (["甲", "乙", "丙"], ["甲", "乙"], ["甲", "乙", "丁"], ["甲", "戊"], ["己"])]
    df = Counter(w for doc in docs for w in doc)
    assert clusters.group(docs, df) == [(["乙", "甲"], {0, 1, 2})]


# --- policy fixes ---------------------------------------------------------------------------


def _fix_data(numbers: str, units, **extra) -> dict:
    return {
        "title": "修订《学生食堂价格管理办法》",
        "description": "食堂饭菜价格调整须经伙委会论证并提前公示。",
        "unit": units["hqc"].pk,
        "adopted_on": f"{timezone.localdate():%Y-%m-%d}",
        "reference": "西交院发〔2026〕12号",
        "case_numbers": numbers,
        **extra,
    }


def test_office_records_a_fix_and_each_case_notes_it(make_case, people, units):
    cases = [make_case(summary=s) for s in FOOD[:3]]
    office = _client(people["office"])
    response = office.post("/dashboard/topics/fixes/", _fix_data("，".join(c.number for c in cases), units))
    assert response.status_code == 302
    fix = PolicyFix.objects.get()
    assert (fix.created_by, fix.unit) == (people["office"], units["hqc"])
    assert set(fix.cases.all()) == set(cases)
    for case in cases:
        note = case.history.filter(transition="制度完善").get()
        assert note.history_user == people["office"]
        assert "修订《学生食堂价格管理办法》" in note.history_change_reason
        assert "西交院发〔2026〕12号" in note.history_change_reason
    page = office.get(response.url).content.decode()
    assert "已记录制度完善" in page and cases[0].number in page


@pytest.mark.parametrize("who", ["leader", "president", "head_jwc", "admin"])
def test_only_the_office_records_fixes(make_case, people, units, who):
    case = make_case()
    response = _client(people[who]).post("/dashboard/topics/fixes/", _fix_data(case.number, units))
    assert response.status_code == 403
    assert not PolicyFix.objects.exists()
    assert "policy-fix-form" not in _client(people[who]).get("/dashboard/topics/fixes/").content.decode()


def test_the_fix_pages_refuse_those_without_a_dashboard(people):
    for who in ("clerk", "recep_jwc", "discipline"):
        assert _client(people[who]).get("/dashboard/topics/fixes/").status_code == 403


def test_the_service_refuses_anyone_but_the_office(make_case, people, units):
    from django.core.exceptions import PermissionDenied

    case = make_case()
    with pytest.raises(PermissionDenied):
        policy_fix_record(
            actor=people["leader"],
            title="x",
            description="y",
            unit=units["hqc"],
            adopted_on=timezone.localdate(),
            reference="",
            cases=[case],
        )


def test_numbers_outside_the_office_scope_are_refused_in_place(make_case, people, units):
    # a 举报 naming the office clerk (成信访) is hidden from them (条例 第30条)
    hidden = make_case(summary="举报信访办工作人员态度恶劣", kind=Kind.REPORT, accused_people=["成信访"])
    seen = make_case()
    response = _client(people["office"]).post(
        "/dashboard/topics/fixes/", _fix_data(f"{seen.number} {hidden.number} 2099-9999", units)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"以下编号不存在或不在您的查看范围内：{hidden.number}、2099-9999" in page
    assert "修订《学生食堂价格管理办法》" in page  # the form keeps what was typed
    assert not PolicyFix.objects.exists()


def test_required_fields_and_future_dates_are_reported(people, units):
    response = _client(people["office"]).post(
        "/dashboard/topics/fixes/",
        _fix_data("", units, title="", adopted_on=f"{timezone.localdate() + timedelta(days=3):%Y-%m-%d}"),
    )
    page = response.content.decode()
    for text in ("请填写制度完善事项。", "请填写相关信访件编号。", "出台日期不能晚于今天。"):
        assert text in page


def test_the_list_shows_only_cases_in_scope(make_case, people, units):
    lab = make_case(summary=LABS[0], state="proposed", unit="dz")
    water = make_case(summary=HOT_WATER[0], state="proposed", unit="jwc")
    only_jwc = make_case(summary=HOT_WATER[1], state="proposed", unit="jwc")
    common = {"description": "d", "unit": units["hqc"], "adopted_on": timezone.localdate(), "reference": ""}
    policy_fix_record(actor=people["office"], title="实验室与宿舍设施巡检制度", cases=[lab, water], **common)
    policy_fix_record(actor=people["office"], title="宿舍热水保障办法", cases=[only_jwc], **common)

    page = _client(people["leader2"]).get("/dashboard/topics/fixes/").content.decode()
    assert "实验室与宿舍设施巡检制度" in page and lab.number in page
    assert water.number not in page
    assert "宿舍热水保障办法" not in page

    everything = _client(people["president"]).get("/dashboard/topics/fixes/").content.decode()
    assert all(c.number in everything for c in (lab, water, only_jwc))
    narrowed = _client(people["president"]).get("/dashboard/topics/fixes/", {"unit": units["dz"].pk})
    assert "宿舍热水保障办法" not in narrowed.content.decode()


def test_a_topics_count_links_to_the_same_count_in_the_case_list(rising, people, client):
    import re

    client.force_login(people["office"])
    period = _now_period()
    page = client.get("/dashboard/topics/", {"start": period.start, "end": period.end})
    assert page.status_code == 200
    rows = {row.label: (row, link) for row, link in page.context["topic_rows"]}
    row, link = rows["后勤服务"]
    listed = client.get(link).content.decode()
    total = re.search(r'data-testid="total">共 (\d+) 件', listed)
    assert total and int(total.group(1)) == row.now == 10
