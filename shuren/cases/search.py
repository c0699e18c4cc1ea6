"""Chinese full-text search over cases: jieba tokens of title and description in Case.search_text.

The index is the `cut_for_search` tokens of title and description, lower-cased, deduplicated,
space-separated and wrapped in spaces (" 楼上 漏水 到 我家 "). A query is segmented the same
way and every token must appear as a whole token (`search_text__contains=" 漏水 "`), which
means the same on SQLite and PostgreSQL. On PostgreSQL a pg_trgm GIN index (migration 0003)
serves those LIKE patterns; on SQLite they scan the rows the other filters left.

jieba loads its dictionary (about a second) on first use: once per process, lazily, quietly.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, QuerySet

from shuren.cases.models import Case

# A query never turns into more than this many LIKE conditions.
MAX_QUERY_TOKENS = 8
MAX_QUERY_LENGTH = 100
# GC-2026-000123: a query that is a case number finds that case by its number.
NUMBER_RE = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{1,9}$")

_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """jieba's default tokenizer, its dictionary loaded once per process."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba  # its dictionary takes a second to load: only when first needed

                # jieba logs "Building prefix dict…" at DEBUG to its own stderr handler.
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _tokenizer = jieba.dt
    return _tokenizer


def tokenizer() -> Any:
    """The tokenizer search uses, for every capability that matches words (early warning)."""
    return _jieba()


def _is_word(token: str) -> bool:
    """True unless the token is only spaces, punctuation or symbols."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokens(text: str) -> list[str]:
    """The distinct search tokens of a text, in order of first appearance."""
    text = (text or "").strip()
    if not text:
        return []
    seen: dict[str, None] = {}
    for token in _jieba().cut_for_search(text):
        token = token.strip().lower()
        if token and _is_word(token) and " " not in token:
            seen.setdefault(token, None)
    return list(seen)


def search_text_for(title: str, description: str = "") -> str:
    """The value of Case.search_text for a title and description."""
    found = tokens(f"{title}\n{description}")
    return f" {' '.join(found)} " if found else ""


def index_case(case: Case) -> None:
    """Set case.search_text from its title and description (the caller saves the case)."""
    case.search_text = search_text_for(case.title, case.description)


def search_q(query: str) -> Q:
    """A filter for cases matching the query: a case number, or every token of the text."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if NUMBER_RE.match(query):
        return Q(number=query.upper())
    words = tokens(query)[:MAX_QUERY_TOKENS]
    if not words:
        return Q()
    q = Q()
    for word in words:
        q &= Q(search_text__contains=f" {word} ")
    return q


def search(queryset: QuerySet[Case], query: str) -> QuerySet[Case]:
    """The queryset narrowed to cases matching the query (unchanged for an empty query)."""
    return queryset.filter(search_q(query))


def _batches(queryset: QuerySet[Any], size: int) -> Iterator[list[Any]]:
    """Rows in primary-key order, `size` at a time, without one long-running cursor."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def reindex(model: Any = None, *, batch_size: int = 2000, only_missing: bool = False) -> int:
    """Recompute search_text for every case (or those without one); returns how many changed.

    `model` lets a migration pass its historical Case model. Versions and updated_at stay as
    they are: the index is derived data, not a change to the case.
    """
    if model is None:
        model = Case
    queryset = model.objects.only("pk", "title", "description", "search_text")
    if only_missing:
        queryset = queryset.filter(search_text="")
    changed = 0
    for batch in _batches(queryset, batch_size):
        stale = []
        for case in batch:
            value = search_text_for(case.title, case.description)
            if value != case.search_text:
                case.search_text = value
                stale.append(case)
        if stale:
            model.objects.bulk_update(stale, ["search_text"])
            changed += len(stale)
    return changed


def indexed(texts: Iterable[tuple[str, str]]) -> list[str]:
    """search_text values for (title, description) pairs: for bulk loaders (demo, benchmarks)."""
    return [search_text_for(title, description) for title, description in texts]
