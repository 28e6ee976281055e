"""Clusters of similar open cases: candidates for "one problem, many petitions" (seed 003:
办好一个信访、解决一类问题; issue 6 §3).

Each open case in scope gets its top keywords by TF-IDF over the open cases themselves
(a word most cases use weighs little; a word no other case shares cannot group). Cases
that share a pair of top keywords form a candidate group; the largest groups are taken
first, each case joins one cluster only, and a cluster needs DASHBOARD_CLUSTER_MIN_SIZE
cases. The common keywords are the ones every member shares, so the reason for a cluster
is always visible. This runs the same on SQLite and PostgreSQL: trigram similarity on
summaries would miss cases that say the same thing in other words.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from django.core.cache import cache
from django.utils import timezone

from cases.models import OPEN_STATES
from people.models import Unit, User

from .scope import dashboard_cases
from .topics import _setting, cache_seconds, case_text, current_stopwords, keywords, scope_key, with_text_head

TOP_KEYWORDS = 5
MAX_CLUSTERS = 30
# a cluster lists this many of its cases; the button to record a fix carries them all
SHOWN_CASES = 20


@dataclass
class ClusterCase:
    pk: int
    number: str
    summary: str


@dataclass
class Cluster:
    keywords: list[str]
    cases: list[ClusterCase]

    @property
    def numbers(self) -> str:
        return " ".join(c.number for c in self.cases)

    @property
    def shown(self) -> list[ClusterCase]:
        return self.cases[:SHOWN_CASES]

    @property
    def more(self) -> int:
        return max(0, len(self.cases) - SHOWN_CASES)


@dataclass
class Clusters:
    clusters: list[Cluster]
    scanned: int
    capped: bool
    cap: int
    computed_at: datetime


def max_cases() -> int:
    return _setting("DASHBOARD_CLUSTER_MAX_CASES", 5_000)


def min_size() -> int:
    return _setting("DASHBOARD_CLUSTER_MIN_SIZE", 3)


def open_case_clusters(*, user: User, unit: Unit | None = None) -> Clusters:
    """Clusters of similar open cases in the viewer's scope, largest first; cached for a
    few minutes per scope."""
    # v2: the words changed (issue 14, point 11)
    key = f"dashboard:clusters:v2:{scope_key(user=user, unit=unit)}"
    result = cache.get(key)
    if result is None:
        result = _compute(user=user, unit=unit)
        cache.set(key, result, cache_seconds())
    return result


def _compute(*, user: User, unit: Unit | None) -> Clusters:
    cap = max_cases()
    rows = (
        with_text_head(dashboard_cases(user=user, unit=unit).filter(state__in=OPEN_STATES))
        .order_by("-registered_at", "-id")
        .values_list("pk", "number", "summary", "text_head")[: cap + 1]
    )
    cases: list[ClusterCase] = []
    counts: list[Counter[str]] = []
    df: Counter[str] = Counter()
    capped = False
    stop = current_stopwords()
    for pk, number, summary, head in rows.iterator(chunk_size=2000):
        if len(cases) == cap:
            capped = True
            break
        tf = Counter(keywords(case_text(summary, head), stop))
        cases.append(ClusterCase(pk, number, summary))
        counts.append(tf)
        df.update(tf.keys())
    found = sorted(group(counts, df), key=lambda item: -len(item[1]))[:MAX_CLUSTERS]
    return Clusters(
        clusters=[
            Cluster(words, sorted((cases[i] for i in members), key=lambda c: c.number)) for words, members in found
        ],
        scanned=len(cases),
        capped=capped,
        cap=cap,
        computed_at=timezone.now(),
    )


def group(counts: list[Counter[str]], df: Counter[str]) -> list[tuple[list[str], set[int]]]:
    """Indexes of documents grouped by shared top keywords; pure, so it is tested alone."""
    n = len(counts)
    least = min_size()
    # smoothed, so that a small scope whose cases all share a word still clusters on it
    idf = {w: math.log((n + 1) / d) for w, d in df.items() if d >= 2}
    tops: list[frozenset[str]] = []
    for tf in counts:
        scored = sorted(((tf[w] * idf[w], w) for w in tf if w in idf), reverse=True)
        tops.append(frozenset(w for _score, w in scored[:TOP_KEYWORDS]))
    by_pair: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, top in enumerate(tops):
        for pair in combinations(sorted(top), 2):
            by_pair[pair].add(i)
    candidates = sorted(
        ((pair, members) for pair, members in by_pair.items() if len(members) >= least),
        key=lambda item: (-len(item[1]), -sum(idf[w] for w in item[0]), item[0]),
    )
    taken: set[int] = set()
    found = []
    for _pair, members in candidates:
        free = members - taken
        if len(free) < least:
            continue
        common = frozenset.intersection(*(tops[i] for i in free))
        # the rarest shared word says most about what the cluster is
        found.append((sorted(common, key=lambda w: (-idf[w], w)), free))
        taken |= free
    return found
