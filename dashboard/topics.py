"""What the petitions are about: the keywords and topics that rise against the previous
period (issue 6 §3; seed 001 五(二): "充分利用信访大数据，定期梳理……师生群众反映比较集中的
共性问题").

Words come from jieba (precise mode) over each case's summary and the head of its content,
less the stop words: the fixed lists of `topic_words` and the units' names, read when
counting (current_stopwords). jieba learns the topic vocabulary first, so that a subject of
several words (成绩录入, 就业推荐) is counted whole. A word counts once per case, so "count"
means "cases that mention it". Only the period's cases in the viewer's scope are read,
streamed and capped (DASHBOARD_TOPICS_MAX_TEXTS, the newest first); topic counts are SQL
aggregates.
Segmenting twenty thousand texts takes seconds, so each result is cached per scope and
period for DASHBOARD_TOPICS_CACHE_SECONDS and the page says when it was computed.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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

from . import topic_words
from .scope import dashboard_cases, hides_cases, is_whole_school

# A token is kept only if it carries a Chinese character or a Latin letter (drops numbers,
# punctuation and the case numbers that summaries sometimes quote).
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffa-z]")
# ... and is not a numeral, counted or not (三个, 两次, 十几): it says how many, not what.
_NUMERAL = re.compile(r"[〇一二三四五六七八九十百千万两几半多]+[个次年月日天周号份名门件位届期批些种节遍]?")


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

# The lock guards jieba's dictionary: its first load, and every word added to it (jieba's
# add_word updates a running total, which two writers at once would get wrong). Readers
# need no lock: a cut reads the word table one lookup at a time, and a word added while it
# runs is either seen or not.
_jieba_lock = threading.Lock()
_jieba_ready = False
_taught: set[str] = set()


def tokenizer() -> jieba.Tokenizer:
    """jieba's default tokenizer, its dictionary loaded once per process (about half a
    second) with the words of topic_words added and its SPLIT_WORDS cut (a few
    milliseconds), quietly: jieba logs the load at DEBUG on stderr otherwise. jieba itself
    (about 20 MB) is imported here, when a page first segments text, not with the URLconf.
    The dictionary is jieba's process-wide one; nothing else here cuts text."""
    import jieba

    global _jieba_ready
    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                _add_words(jieba.dt, topic_words.TOPIC_TERMS | topic_words.STOP_WORDS)
                for word in topic_words.SPLIT_WORDS:
                    jieba.dt.del_word(word)
                _jieba_ready = True
    return jieba.dt


def _add_words(dt: jieba.Tokenizer, words: set[str] | frozenset[str]) -> None:
    """Teach jieba those of `words` it does not know (under the lock). Without a
    frequency, jieba gives each word just enough to beat its own pieces, so a new word
    keeps itself whole without pulling in its neighbours (学生处 is taught, 学生处理 still
    reads 学生 / 处理). A word jieba knows is left alone: adding it again would add its
    frequency to the total a second time and shift every other cut."""
    for word in sorted(words - _taught):
        if len(word) > 1 and not dt.FREQ.get(word):
            dt.add_word(word)
        _taught.add(word)


def teach(words: set[str]) -> None:
    """Make sure jieba knows `words` as words: once per process each, cheap after that."""
    dt = tokenizer()
    if not _taught.issuperset(words):
        with _jieba_lock:
            _add_words(dt, words)


def stopwords() -> frozenset[str]:
    """The fixed stop words; the units' are added when counting (current_stopwords)."""
    return topic_words.STOP_WORDS


def unit_forms(name: str) -> set[str]:
    """What people call a unit: its name, the forms made by rule (计算机工程学院 →
    计算机学院, 党政办公室 → 党政办) and the usual short forms (学生工作处 → 学工处)."""
    forms = {name, *topic_words.UNIT_SHORT_FORMS.get(name, ())}
    suffix = _unit_suffix(name)
    if suffix:
        stem = name.removesuffix(suffix)
        if suffix == "办公室":
            forms.add(f"{stem}办")
        if stem.endswith("工程") and len(stem) >= 4:
            forms.add(stem.removesuffix("工程") + suffix)
    return forms


def unit_stem(form: str) -> str | None:
    """The form without its suffix (教务处 → 教务, 计算机学院 → 计算机), when two
    characters or more are left: mentioned alone, it still names the unit."""
    suffix = _unit_suffix(form)
    stem = form.removesuffix(suffix) if suffix else ""
    return stem if len(stem) >= 2 else None


def _unit_suffix(name: str) -> str:
    return next((s for s in topic_words.UNIT_SUFFIXES if name.endswith(s) and len(name) > len(s)), "")


def current_stopwords() -> frozenset[str]:
    """The stop words for one count: the fixed ones and every unit's forms and their stems,
    read now (units are added and renamed in the admin; a retired unit is still named in
    old letters). jieba learns the unit forms and the topics' names first, so that
    计算机工程学院 comes out as one word to drop and 学籍管理 as one to count. A topic term or
    a topic's name is never a stop word, even when a unit is named after it."""
    topic_names = set(Topic.objects.values_list("name", flat=True))
    forms: set[str] = set()
    for name in Unit.objects.values_list("name", flat=True):
        forms |= unit_forms(name)
    stems = {stem for form in forms if (stem := unit_stem(form))}
    teach(forms | topic_names)
    return (stopwords() | forms | stems) - topic_words.TOPIC_TERMS - topic_names


def keywords(text: str, stop: frozenset[str] | None = None) -> list[str]:
    """The words of `text` worth counting, in order, repeats kept; `stop` defaults to the
    fixed stop words (a count passes current_stopwords(), read once)."""
    if stop is None:
        stop = stopwords()
    out = []
    for token in tokenizer().cut(text or ""):
        token = token.strip().lower()
        if len(token) < 2 or token in stop or _NUMERAL.fullmatch(token):
            continue
        if _MEANINGFUL.search(token):
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
    # v2: the words changed (issue 14, point 11); results cached by v1 must not be shown
    key = f"dashboard:topics:v2:{scope_key(user=user, unit=unit)}:{period.start}:{period.end}"
    result = cache.get(key)
    if result is None:
        result = _compute(qs=dashboard_cases(user=user, unit=unit), period=period)
        cache.set(key, result, cache_seconds())
    return result


def _compute(*, qs: QuerySet[Case], period: Period) -> HotTopics:
    previous = period.previous
    stop = current_stopwords()
    words_now, texts_now, capped_now = segment_period(qs, period, stop=stop)
    words_before, texts_before, capped_before = segment_period(qs, previous, stop=stop)
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


def segment_period(
    qs: QuerySet[Case], period: Period, *, stop: frozenset[str] | None = None
) -> tuple[Counter[str], int, bool]:
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
        counts.update(set(keywords(case_text(summary, head), stop)))
        read += 1
    return counts, read, False


def topic_counts(qs: QuerySet[Case], period: Period) -> dict[int | None, int]:
    """Cases per topic in the period, counted in SQL (None: no topic chosen)."""
    return dict(in_period(qs, period).order_by().values_list("topic").annotate(n=Count("id")))
