"""Sources by their names (issue 12 point 14): the 条例 and the school documents are rows,
and any stored citation in the old code form reads as the document's title and article."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from accountability.models import Ground
from core.models import Source
from core.sources import chinese_number, cite, default_names, render


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("seed 004 第十一条(四)", "《河南省教育系统信访工作责任制实施细则》第十一条(四)"),
        ("seed 000 §四.2", "《湖南信息职业技术学院信访工作实施方案》四、2"),
        ("条例 第23条", "《信访工作条例》第二十三条"),
        (
            "seed 000 §四.2；条例 第23条",
            "《湖南信息职业技术学院信访工作实施方案》四、2；《信访工作条例》第二十三条",
        ),
        ("seed 000 §五(三)2–3", "《湖南信息职业技术学院信访工作实施方案》五、(三)2–3"),
        (
            "seed 002 第十七条；seed 004 第十五条(三)、第十六条(二)",
            "《兰州大学信访工作责任制实施细则》第十七条；《河南省教育系统信访工作责任制实施细则》第十五条(三)、第十六条(二)",
        ),
        ("条例 第36条（听证时间不计入）", "《信访工作条例》第三十六条（听证时间不计入）"),
        ("条例 第35–36条", "《信访工作条例》第三十五条至第三十六条"),
        ("条例 第22, 30条", "《信访工作条例》第二十二条、第三十条"),
        ("依据 seed 004 第十九条。", "依据 《河南省教育系统信访工作责任制实施细则》第十九条。"),
        ("seed 003 §三.三", "《安徽教育信息》〔2023〕第2期三、三"),
        ("seed 001 (三)", "西安交通工程学院《关于开展信访问题源头治理专项行动的通知》（西交院校发〔2024〕66号）(三)"),
    ],
)
def test_code_form_reads_as_title_and_article(stored, shown):
    assert render(stored, default_names()) == shown
    # already readable: a second pass changes nothing
    assert render(shown, default_names()) == shown


def test_readable_text_and_unknown_codes_are_left_alone():
    names = default_names()
    for text in ("《信访工作条例》第二十三条", "根据《信访条例》第十条", "条例规定", "seed 009 第一条", ""):
        assert render(text, names) == text


@pytest.mark.parametrize(
    ("n", "cn"),
    [(1, "一"), (10, "十"), (15, "十五"), (23, "二十三"), (40, "四十"), (105, "一百零五"), (110, "一百一十")],
)
def test_article_numbers_in_chinese(n, cn):
    assert chinese_number(n) == cn


def test_the_sources_are_seeded_with_title_body_year_and_number(db):
    tiaoli = Source.objects.get(code="条例")
    assert (tiaoli.title, tiaoli.issuer, tiaoli.year) == ("信访工作条例", "中共中央 国务院", 2022)
    hunan = Source.objects.get(code="seed 000")
    assert hunan.number == "湘信院发〔2022〕68号"
    assert (
        hunan.full == "《湖南信息职业技术学院信访工作实施方案》（湖南信息职业技术学院，2022年，湘信院发〔2022〕68号）"
    )
    assert Source.objects.get(code="seed 004").number == "教办〔2017〕1080号"
    assert Source.objects.get(code="seed 001").number == "西交院校发〔2024〕66号"
    assert Source.objects.get(code="seed 003").issuer.startswith("中共安徽省委教育工委")
    assert Source.objects.count() == 6


def test_a_title_corrected_in_the_admin_is_what_pages_cite(people, client_for):
    source = Source.objects.get(code="seed 002")
    assert cite("seed 002 第十四条") == "《兰州大学信访工作责任制实施细则》第十四条"
    admin = client_for(people["admin"])
    url = f"/admin/core/source/{source.pk}/change/"
    assert admin.get(url).status_code == 200
    data = {
        "code": "seed 002",
        "short_name": "兰大细则",
        "title": "兰州大学信访工作责任制实施细则（试行）",
        "issuer": "兰州大学",
        "year": "",
        "number": "",
        "cited_as": "",
        "order": 4,
    }
    r = admin.post(url, data)
    assert r.status_code == 302, r.content.decode()
    assert cite("seed 002 第十四条") == "《兰州大学信访工作责任制实施细则（试行）》第十四条"


def test_the_template_filter(db):
    html = Template("{% load sources %}{{ c|cite }}").render(Context({"c": "条例 第34条"}))
    assert html == "《信访工作条例》第三十四条"


def test_grounds_are_stored_in_the_readable_form(db):
    citations = list(Ground.objects.values_list("citation", flat=True))
    assert citations and not any("seed" in c for c in citations)
    assert Ground.objects.filter(citation__contains="《河南省教育系统信访工作责任制实施细则》第十四条(四)").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_grounds_stored_in_the_code_form(reseeded):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from core.sources import seed_sources

    seed_sources(Source)
    Ground.objects.filter(code="shirking").update(citation="seed 002 第十三条(三)；seed 004 第十四条(四)")
    executor = MigrationExecutor(connection)
    executor.migrate([("accountability", "0004_history_rows_name_their_step")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Ground.objects.get(code="shirking").citation == (
        "《兰州大学信访工作责任制实施细则》第十三条(三)；《河南省教育系统信访工作责任制实施细则》第十四条(四)"
    )
