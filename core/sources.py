"""Sources by their names (issue 12 point 14): users read 《信访工作条例》第二十三条 or the
school regulation's own title and article, never the internal code a citation was first
written with ("seed 004 第十一条(四)", "seed 000 §四.2", "条例 第23条").

The sources are rows (core.models.Source, seeded from SOURCES by migration, corrected in
the admin). `render(text, names)` is pure: it rewrites every code-form citation in `text`
with the names given, and leaves everything else, including citations already in the
readable form, as it was, so running it twice changes nothing. `cite(text)` is the same
with the stored names; the template filter `{% load sources %}{{ x|cite }}` calls it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.cache import cache
from django.db import DatabaseError

from core.models import Source

# code, short name, title, issuing body, year, number, how it is cited (blank: 《title》)
SOURCES = [
    ("条例", "条例", "信访工作条例", "中共中央 国务院", 2022, "", ""),
    (
        "seed 000",
        "湖南信院实施方案",
        "湖南信息职业技术学院信访工作实施方案",
        "湖南信息职业技术学院",
        2022,
        "湘信院发〔2022〕68号",
        "",
    ),
    (
        "seed 001",
        "西安交通工程学院源头治理通知",
        "关于开展信访问题源头治理专项行动的通知",
        "中共西安交通工程学院委员会 西安交通工程学院",
        2024,
        "西交院校发〔2024〕66号",
        "西安交通工程学院《关于开展信访问题源头治理专项行动的通知》（西交院校发〔2024〕66号）",
    ),
    ("seed 002", "兰州大学实施细则", "兰州大学信访工作责任制实施细则", "兰州大学", None, "", ""),
    (
        "seed 003",
        "安徽教育信息",
        "安徽教育信息",
        "中共安徽省委教育工委 安徽省教育厅办公室",
        2023,
        "〔2023〕第2期",
        "《安徽教育信息》〔2023〕第2期",
    ),
    (
        "seed 004",
        "河南省教育系统实施细则",
        "河南省教育系统信访工作责任制实施细则",
        "中共河南省委高校工委 河南省教育厅",
        2017,
        "教办〔2017〕1080号",
        "",
    ),
]

CACHE_KEY = "core.sources.names"

_CN = "零一二三四五六七八九"
_NUM = "0-9零一二三四五六七八九十百"
# One code-form citation: the code, then (optionally) the article, section or annex.
_REF = (
    rf"(?:第[{_NUM}]+(?:[–\-~至][{_NUM}]+)?(?:[,，]\s*[{_NUM}]+)*[条款项]"
    rf"|§[{_NUM}.]+|附件[0-9]+|\([{_NUM}]+\)|[{_NUM}]+)"
)
_CITATION = re.compile(rf"(?P<code>seed \d{{3}}|条例(?=[ \u00a0]+第))[ \u00a0]*(?P<ref>(?:{_REF}|、(?=第))*)")


def chinese_number(n: int) -> str:
    """23 → 二十三, 10 → 十, 105 → 一百零五 (article numbers, 1–999)."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + chinese_number(rest) if rest < 10 else chinese_number(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return _CN[n // 100] + "百" + tail


def _articles(ref: str) -> str:
    """条例 第23条 → 第二十三条; 第35–36条 → 第三十五条至第三十六条; 第22, 30条 → 第二十二条、第三十条."""

    def one(m: re.Match) -> str:
        body = m.group(1)
        if re.fullmatch(r"\d+\s*[–\-~至]\s*\d+", body):
            a, b = re.split(r"\s*[–\-~至]\s*", body)
            return f"第{chinese_number(int(a))}条至第{chinese_number(int(b))}条"
        parts = [p for p in re.split(r"[,，、]\s*", body) if p]
        if all(p.isdigit() for p in parts):
            return "、".join(f"第{chinese_number(int(p))}条" for p in parts)
        return m.group(0)

    return re.sub(r"第([0-9][0-9,，、–\-~至\s]*)条", one, ref)


def _section(ref: str) -> str:
    """A school document's own numbering: §四.2 → 四、2; §五(三)2 → 五、(三)2; §三.三 → 三、三."""

    def one(m: re.Match) -> str:
        body = m.group(1)
        return re.sub(r"^([一二三四五六七八九十]+)(?:\.|(?=\())", r"\1、", body)

    return re.sub(r"§([^§、；]*)", one, ref)


def render(text: str, names: Mapping[str, str]) -> str:
    """Rewrite every code-form citation in `text`; `names` maps a code ("seed 004", "条例")
    to the way the source is cited (《河南省教育系统信访工作责任制实施细则》). A code with
    no name is left as it was."""
    if not text:
        return text

    def one(m: re.Match) -> str:
        code = m.group("code")
        name = names.get(code)
        if name is None:
            return m.group(0)
        ref = m.group("ref")
        ref = _articles(ref) if code == "条例" else _section(ref)
        return name + ref

    return _CITATION.sub(one, str(text))


def default_names() -> dict[str, str]:
    return {code: cited_as or f"《{title}》" for code, _short, title, _i, _y, _n, cited_as in SOURCES}


def names() -> dict[str, str]:
    """The stored sources' names (cached; Source's save and delete clear it). Without the
    table or its rows (a database being built), the shipped names."""
    found = cache.get(CACHE_KEY)
    if found is None:
        try:
            found = {s.code: s.cited for s in Source.objects.all()}
        except DatabaseError:
            return default_names()
        if not found:
            return default_names()
        cache.set(CACHE_KEY, found, 3600)
    return found


def forget_names(**_kwargs) -> None:
    cache.delete(CACHE_KEY)


def cite(text: str) -> str:
    """A stored citation, or any text containing one, in the form users read."""
    return render(text, names())


def seed_sources(source_model) -> None:
    """Create or update every shipped source; `source_model` is a migration's historical
    model or core.models.Source."""
    for order, (code, short, title, issuer, year, number, cited_as) in enumerate(SOURCES, start=1):
        source_model.objects.update_or_create(
            code=code,
            defaults={
                "short_name": short,
                "title": title,
                "issuer": issuer,
                "year": year,
                "number": number,
                "cited_as": cited_as,
                "order": order,
            },
        )
