"""What the petitions are about: the keywords and topics that rise against the previous
period (issue 6 §3; seed 001 五(二): "充分利用信访大数据，定期梳理……师生群众反映比较集中的
共性问题").

Words come from jieba (precise mode) over each case's summary and the head of its content,
less the stop words in `stopwords.txt`. A word counts once per case, so "count" means "cases
that mention it". Only the period's cases in the viewer's scope are read, streamed and
capped (DASHBOARD_TOPICS_MAX_TEXTS, the newest first); topic counts are SQL aggregates.
Segmenting twenty thousand texts takes seconds, so each result is cached per scope and
period for DASHBOARD_TOPICS_CACHE_SECONDS and the page says when it was computed.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from cases.models import Case, Topic
from people.models import Unit, User

from .scope import dashboard_cases, hides_cases, is_whole_school

STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")

# A token is kept only if it carries a Chinese character or a Latin letter (drops numbers,
# punctuation and the case numbers that summaries sometimes quote).
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffa-z]")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_texts() -> int:
    return _setting("DASHBOARD_TOPICS_MAX_TEXTS", 20_000)


def content_chars() -> int:
    # The opening of a letter says what it is about; the rest is mostly narrative, and
    # reading it would multiply the bytes fetched and segmented.
    return _setting("DASHBOARD_TOPICS_CONTENT_CHARS", 600)


def cache_seconds() -> int:
    return _setting("DASHBOARD_TOPICS_CACHE_SECONDS", 300)


# --- segmentation -----------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_ready = False


def tokenizer() -> jieba.Tokenizer:
    """jieba's default tokenizer, its dictionary loaded once per process (about half a
    second), quietly: jieba logs the load at DEBUG on stderr otherwise. jieba itself
    (about 20 MB) is imported here, when a page first segments text, not with the URLconf."""
    import jieba

    global _jieba_ready
    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                _jieba_ready = True
    return jieba.dt


@functools.cache
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in STOPWORDS_FILE.read_text(encoding="utf-8").splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


def keywords(text: str) -> list[str]:
    """The words of `text` worth counting, in order, repeats kept."""
    stop = stopwords()
    out = []
    for token in tokenizer().cut(text or ""):
        token = token.strip().lower()
        if len(token) >= 2 and token not in stop and _MEANINGFUL.search(token):
            out.append(token)
    return out


def case_text(summary: str, head: str | None) -> str:
    return f"{summary}\n{head or ''}"


def with_text_head(qs: QuerySet[Case]) -> QuerySet[Case]:
    """The case's summary and the opening of its content, cut in SQL."""
    return qs.annotate(text_head=Substr("content", 1, content_chars()))


# --- periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both included, by the date the petition was received."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


# --- results ----------------------------------------------------------------------------


@dataclass
class Trend:
    """One keyword or topic: cases now, cases in the previous period, and the change."""

    label: str
    now: int
    before: int
    topic_id: int | None = None

    @property
    def change(self) -> int:
        return self.now - self.before

    @property
    def drop(self) -> int:
        return self.before - self.now

    @property
    def is_new(self) -> bool:
        return self.before == 0 and self.now > 0


@dataclass
class HotTopics:
    period: Period
    keywords: list[Trend]
    topics: list[Trend]
    cases_now: int
    cases_before: int
    texts_now: int
    texts_before: int
    capped: bool
    cap: int
    computed_at: datetime

    @property
    def previous(self) -> Period:
        return self.period.previous


def rising_first(rows: list[Trend]) -> list[Trend]:
    return sorted(rows, key=lambda r: (-r.change, -r.now, r.label))


# --- the analysis -----------------------------------------------------------------------


def scope_key(*, user: User, unit: Unit | None) -> str:
    """What the result depends on besides the period. A whole-school viewer who misses no
    case shares the school's result; anyone else gets their own (their scope, or the
    cases hidden from them under 条例 第30条, differ: scope.hides_cases)."""
    who = f"user{user.pk}"
    if is_whole_school(user) and not hides_cases(user):
        who = "school"
    return f"{who}:unit{unit.pk if unit else '-'}"


def hot_topics(*, user: User, period: Period, unit: Unit | None = None) -> HotTopics:
    """The period's keywords and topics in the viewer's scope, against the period before,
    rising ones first; cached for a few minutes per (scope, period)."""
    key = f"dashboard:topics:v1:{scope_key(user=user, unit=unit)}:{period.start}:{period.end}"
    result = cache.get(key)
    if result is None:
        result = _compute(qs=dashboard_cases(user=user, unit=unit), period=period)
        cache.set(key, result, cache_seconds())
    return result


def _compute(*, qs: QuerySet[Case], period: Period) -> HotTopics:
    previous = period.previous
    words_now, texts_now, capped_now = segment_period(qs, period)
    words_before, texts_before, capped_before = segment_period(qs, previous)
    least = _setting("DASHBOARD_TOPICS_MIN_COUNT", 2)
    top = _setting("DASHBOARD_TOPICS_TOP", 30)
    keyword_rows = [Trend(w, n, words_before.get(w, 0)) for w, n in words_now.items() if n >= least]

    topics_now = topic_counts(qs, period)
    topics_before = topic_counts(qs, previous)
    names = dict(Topic.objects.filter(pk__in=[*topics_now, *topics_before]).values_list("pk", "name"))
    topic_rows = [
        Trend(names.get(pk, "未分类") if pk else "未分类", topics_now.get(pk, 0), topics_before.get(pk, 0), pk)
        for pk in {*topics_now, *topics_before}
    ]
    return HotTopics(
        period=period,
        keywords=rising_first(keyword_rows)[:top],
        topics=rising_first(topic_rows),
        cases_now=sum(topics_now.values()),
        cases_before=sum(topics_before.values()),
        texts_now=texts_now,
        texts_before=texts_before,
        capped=capped_now or capped_before,
        cap=max_texts(),
        computed_at=timezone.now(),
    )


def in_period(qs: QuerySet[Case], period: Period) -> QuerySet[Case]:
    return qs.filter(received_on__gte=period.start, received_on__lte=period.end)


def segment_period(qs: QuerySet[Case], period: Period) -> tuple[Counter[str], int, bool]:
    """Cases per keyword in the period, the number of texts read and whether the cap cut
    them short. Rows are streamed, newest first, never loaded as model instances."""
    cap = max_texts()
    rows = (
        with_text_head(in_period(qs, period))
        .order_by("-received_on", "-id")
        .values_list("summary", "text_head")[: cap + 1]
    )
    counts: Counter[str] = Counter()
    read = 0
    for summary, head in rows.iterator(chunk_size=2000):
        if read == cap:
            return counts, read, True
        counts.update(set(keywords(case_text(summary, head))))
        read += 1
    return counts, read, False


def topic_counts(qs: QuerySet[Case], period: Period) -> dict[int | None, int]:
    """Cases per topic in the period, counted in SQL (None: no topic chosen)."""
    return dict(in_period(qs, period).order_by().values_list("topic").annotate(n=Count("id")))
