"""The early-warning rules of issue 11 as pure functions (no database, no clock of their own):
the Poisson surge test, hotspots, repeat parties and risky words. The capability that raises
alerts from them (levels, who is told, acknowledging) is built on these; their proofs are in
tests/test_early_warning.py (hypothesis for the surge test)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from shuren.cases.search import tokenizer

SURGE_ALPHA = 0.01
# Fewer matters than this in the last 7 days is never a surge, whatever the baseline: with a
# baseline near nothing, one or two matters would otherwise "surprise" the test every week.
SURGE_MIN_COUNT = 3
BASELINE_WEEKS = 8
HOTSPOT_DAYS, HOTSPOT_DISPUTES = 30, 3
REPEAT_DAYS, REPEAT_DISPUTES = 90, 3


def poisson_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam), in log space (no underflow at city-scale rates). Below
    the mean, 1 minus the terms under k; above it, the terms from k upwards (exact to double
    precision where the tail is tiny and 1 - cdf would round to 0)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_lam = math.log(lam)

    def log_pmf(i: int) -> float:
        return -lam + i * log_lam - math.lgamma(i + 1)

    if k <= lam:
        logs = [log_pmf(i) for i in range(k)]
        top = max(logs)
        below = math.exp(top) * math.fsum(math.exp(value - top) for value in logs)
        return max(0.0, 1.0 - below)
    # Above the mean the terms only fall: sum from the first (the largest) until they vanish.
    first = log_pmf(k)
    ratio, total, i = 1.0, 0.0, k
    while ratio > 1e-18 * total or i == k:
        total += ratio
        i += 1
        ratio *= lam / i
    return min(1.0, math.exp(first) * total)


@dataclass(frozen=True)
class Surge:
    recent: int  # matters in the last 7 days
    expected: float  # the weekly mean of the baseline weeks
    p_value: float  # P(at least `recent` | expected)
    is_surge: bool


def surge(
    recent: int,
    baseline: Sequence[int],
    *,
    alpha: float = SURGE_ALPHA,
    min_count: int = SURGE_MIN_COUNT,
) -> Surge:
    """Whether the last week's count exceeds what the baseline weeks (8, before it) lead one to
    expect, by a one-sided Poisson test at `alpha`. A baseline of no weeks expects nothing."""
    if recent < 0 or any(week < 0 for week in baseline):
        raise ValueError("counts are never negative")
    expected = sum(baseline) / len(baseline) if baseline else 0.0
    p_value = poisson_tail(recent, expected)
    return Surge(recent, expected, p_value, recent >= min_count and p_value < alpha)


def hotspots(
    disputes: Iterable[tuple[Hashable, dt.datetime]],
    *,
    now: dt.datetime,
    days: int = HOTSPOT_DAYS,
    threshold: int = HOTSPOT_DISPUTES,
) -> dict[Hashable, int]:
    """The buildings with `threshold` or more disputes reported in the `days` before `now`
    (each dispute as (building, reported at)), with their counts."""
    since = now - dt.timedelta(days=days)
    counts: dict[Hashable, int] = defaultdict(int)
    for building, at in disputes:
        if since < at <= now:
            counts[building] += 1
    return {building: n for building, n in counts.items() if n >= threshold}


def repeat_parties(
    disputes: Iterable[tuple[Hashable, dt.datetime, Iterable[Hashable]]],
    *,
    now: dt.datetime,
    days: int = REPEAT_DAYS,
    threshold: int = REPEAT_DISPUTES,
) -> dict[Hashable, list[Hashable]]:
    """The persons named in `threshold` or more disputes within the `days` before `now` (each
    dispute as (case, reported at, its persons: reporter and parties)), with those cases."""
    since = now - dt.timedelta(days=days)
    cases: dict[Hashable, list[Hashable]] = defaultdict(list)
    for case, at, persons in disputes:
        if since < at <= now:
            for person in set(persons):
                cases[person].append(case)
    return {person: found for person, found in cases.items() if len(found) >= threshold}


def risky_words(tokens: Iterable[str], lexicon: Iterable[str]) -> list[str]:
    """The lexicon's words among the tokens, each once, in the order they first appear."""
    wanted = {word.strip() for word in lexicon if word.strip()}
    found: list[str] = []
    for token in tokens:
        if token in wanted and token not in found:
            found.append(token)
    return found


def risky_words_in(text: str, lexicon: Iterable[str]) -> list[str]:
    """The lexicon's words in a text, matched on jieba's words: the tokens of its segmentation
    and every other dictionary word it saw there (its DAG), so a word that lost the
    segmentation still counts (煤气味很重 cuts as 煤 / 气味, yet 煤气 is there). Recall first:
    a false alert is closed with a note, a missed gas leak is not. jieba's dictionary is the
    search's own and is left unchanged (changing it would tokenize search differently)."""
    jieba = tokenizer()
    seen: list[str] = []
    for sentence in _SENTENCES.split(text):
        if not sentence:
            continue
        dag = jieba.get_DAG(sentence)
        for start, ends in sorted(dag.items()):
            seen += [sentence[start : end + 1] for end in ends]
        seen += list(jieba.cut(sentence))
    return risky_words(_in_text_order(seen, text), lexicon)


def _in_text_order(words: list[str], text: str) -> list[str]:
    return sorted(set(words), key=lambda word: (text.find(word), -len(word)))


# jieba's DAG is built per sentence; punctuation and spaces end one.
_SENTENCES = re.compile(r"[\s，。！？；：、,.!?;:]+")
