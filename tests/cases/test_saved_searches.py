"""常用查询 (issue 14, point 4): a person keeps their own, the office shares a few, and the
menu counts what each finds in the reader's own scope."""

from __future__ import annotations

import re

import pytest

from cases.models import Kind, SavedSearch

pytestmark = pytest.mark.django_db


def _menu(client) -> dict[str, str]:
    """name -> the count the menu shows."""
    html = client.get("/searches/menu/").content.decode()
    name = r'<span>([^<]+?)(?: <small class="text-muted">共享</small>)?</span>'
    found = re.findall(name + r'\s*<span class="badge[^"]*"[^>]*>([^<]+)</span>', html)
    return {name.strip(): count.strip() for name, count in found}


def test_a_person_saves_the_lists_query_without_its_page(people, make_case, client_for):
    make_case("registered")
    client = client_for(people["office"])
    response = client.post("/searches/", {"name": " 今日 待受理 ", "query": "state=registered&after=abc&bogus=1&q="})
    saved = SavedSearch.objects.get(owner=people["office"])
    assert (saved.name, saved.query, saved.shared) == ("今日 待受理", "state=registered", False)
    assert response.status_code == 302 and response["Location"] == "/cases/?state=registered"
    page = client.get("/cases/?state=registered").content.decode()
    assert "已保存常用查询“今日 待受理”。" in page and 'data-testid="save-search"' in page


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "state=registered", "请填写常用查询的名称。"),
        ("超" * 31, "state=registered", "常用查询的名称不能超过 30 字（现有 31 字）。"),
        ("全部", "after=abc", "请先设置筛选条件，再保存为常用查询。"),
        ("已有", "state=handling", "您已有名为“已有”的常用查询，请换一个名称。"),
    ],
)
def test_a_bad_name_or_query_is_said_in_chinese_and_saves_nothing(people, client_for, name, query, message):
    SavedSearch.objects.create(owner=people["clerk"], name="已有", query="state=registered")
    client = client_for(people["clerk"])
    page = client.post("/searches/", {"name": name, "query": query}, follow=True).content.decode()
    assert message in page
    assert SavedSearch.objects.filter(owner=people["clerk"]).count() == 1


def test_only_the_office_shares_and_a_shared_count_follows_each_readers_scope(people, make_case, client_for, units):
    make_case("handling", unit="jwc")
    report = make_case("handling", unit="jjjc", kind=Kind.REPORT, summary="举报某某")
    report.accused_units.add(units["jwc"])
    assert (
        client_for(people["head_jwc"])
        .post("/searches/", {"name": "x", "query": "state=handling", "shared": "on"})
        .status_code
        == 403
    )
    client_for(people["office"]).post("/searches/", {"name": "办理中的", "query": "state=handling", "shared": "on"})
    assert SavedSearch.objects.get(name="办理中的").shared
    # the office sees both; the accused unit's head one, and never the 举报 in the count
    assert _menu(client_for(people["office"]))["办理中的"] == "2"
    assert _menu(client_for(people["head_jwc"]))["办理中的"] == "1"
    # the migration's shared queries are there for everyone, counted in their scope
    menu = _menu(client_for(people["clerk"]))
    assert {"待受理", "当前超期", "3个工作日内到期", "重大、紧急事项"} <= set(menu)


def test_deleting_ones_own_and_the_office_the_shared(people, client_for):
    mine = SavedSearch.objects.create(owner=people["clerk"], name="我的", query="state=registered")
    shared = SavedSearch.objects.create(owner=people["office"], name="共享的", query="state=handling", shared=True)
    assert client_for(people["recep_jwc"]).post(f"/searches/{mine.pk}/delete/").status_code == 404
    assert client_for(people["clerk"]).post(f"/searches/{shared.pk}/delete/").status_code == 403
    assert client_for(people["clerk"]).post(f"/searches/{mine.pk}/delete/").status_code == 302
    assert client_for(people["office2"]).post(f"/searches/{shared.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.filter(pk__in=[mine.pk, shared.pk]).exists()
