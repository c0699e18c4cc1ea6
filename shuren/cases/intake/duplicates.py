"""Likely duplicates at intake: the same matter in the same estate, same category, last 30 days.

Two texts are compared by the overlap (Jaccard) of their content words: jieba cuts the Chinese
into words, function words and politeness are dropped, and a few everyday synonyms are folded
together (臭 and 异味 are the same smell). duplicate_score() is pure; similar_cases() reads
only the cases the user may see, so nobody learns of a case through this door.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import jieba
from django.utils import timezone

from shuren.cases.models import Case, Status
from shuren.places.models import Place, PlaceKind

WINDOW = dt.timedelta(days=30)
THRESHOLD = 0.3
LIMIT = 5
# The most recent cases of one category in one estate are read; older ones are past the window.
CANDIDATES = 200
# Where "the same place" ends: the estate (or lane, or street) the chosen place belongs to.
AREA_KINDS = (PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET)

# Words that say nothing about which matter it is: particles, pronouns, politeness, filler.
_STOPWORDS = """
    的 了 地 得 着 过 吗 呢 吧 啊 呀 哦 嘛 哈 啦 么 之 而 和 与 及 或 也 都 就 还 又 再 才 只
    很 太 好 挺 真 最 更 非常 特别 十分 一直 总是 经常 老是 每天 天天 几天 好几天 最近 现在
    已经 一下 一个 一些 有点 有些 我 我们 我家 咱们 你 你们 您 他 她 它 他们 她们 大家 自己
    这 那 这个 那个 这里 那里 这边 那边 这些 那些 这样 那样 有 没有 没 不 是 在 到 被 把 给
    让 叫 对 从 向 跟 为 用 请 麻烦 谢谢 感谢 希望 能 能否 能不能 可以 可否 要 想 会 应该
    帮忙 帮 处理 解决 号楼 号 栋 座 单元 小区 一下子 怎么 怎么办 什么 为什么 如何 问题 情况
    反映 投诉 事情 事 上 下 去 来 说 看 后 前 里 中 时 时候
    然后 但是 但 可是 因为 所以 如果 还是 已 该 等 啥
    the a an of to and or is are was were be it its this that on in at for with please
"""
STOPWORDS = frozenset(_STOPWORDS.split())

# Everyday words for the same thing, folded to one word before comparing.
SYNONYMS: dict[str, str] = {
    # smell
    "臭": "异味",
    "臭味": "异味",
    "很臭": "异味",
    "好臭": "异味",
    "气味": "异味",
    "味道": "异味",
    "难闻": "异味",
    "臭气": "异味",
    # noise
    "吵": "噪音",
    "太吵": "噪音",
    "好吵": "噪音",
    "很吵": "噪音",
    "吵闹": "噪音",
    "噪声": "噪音",
    "扰民": "噪音",
    # water
    "渗水": "漏水",
    "滴水": "漏水",
    "渗漏": "漏水",
    "漏": "漏水",
    "水渍": "漏水",
    # lamps: a street lamp, a corridor lamp, "the lamp" all said the same way
    "路灯": "灯",
    "灯泡": "灯",
    "照明": "灯",
    # broken
    "坏": "损坏",
    "坏掉": "损坏",
    "坏了": "损坏",
    "不亮": "损坏",
    "失灵": "损坏",
    # blocked
    "堵": "堵塞",
    "堵住": "堵塞",
    "占用": "堵塞",
    "占道": "堵塞",
    # rubbish
    "垃圾堆": "垃圾",
    "杂物": "堆放",
    "乱堆": "堆放",
    "堆满": "堆放",
    "楼梯间": "楼道",
    "楼梯": "楼道",
    "乱放": "堆放",
    # cars and bikes
    "电瓶车": "电动车",
    "电单车": "电动车",
    "车位": "停车",
    "乱停": "停车",
    "停车位": "停车",
    # dogs
    "狗": "宠物",
    "狗狗": "宠物",
    "猫": "宠物",
}

# Words jieba's general dictionary cuts across ("路灯不亮" → 路 / 灯不亮), taken apart again.
# jieba's dictionary itself is left alone: the search index (search.py) shares it, and a second
# dictionary would cost every web process another 70 MB.
MISCUTS: dict[str, tuple[str, ...]] = {
    "灯不亮": ("灯", "不亮"),
    "灯坏": ("灯", "坏"),
    "不亮了": ("不亮",),
    "禁坏": ("门禁", "坏"),
    "楼门": ("门",),
}

_WORD = re.compile(r"\w", re.UNICODE)


def _cut(text: str) -> list[str]:
    """jieba's search-mode words (the long word and the words inside it), miscuts mended."""
    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on stderr at first use
    words: list[str] = []
    for token in jieba.lcut_for_search(text):
        words.extend(MISCUTS.get(token, (token,)))
    return words


@lru_cache(maxsize=1024)
def content_words(text: str) -> frozenset[str]:
    """The words of a text that say what the matter is, normalised for comparison."""
    words: set[str] = set()
    for token in _cut((text or "").lower()):
        token = token.strip()
        if not token or not _WORD.search(token) or token in STOPWORDS:
            continue
        if token.isdigit() and len(token) == 1:
            continue  # "1栋" and "3号" cut into lone digits that match everything
        words.add(SYNONYMS.get(token, token))
    return frozenset(words)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def duplicate_score(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1: the Jaccard overlap of their content words."""
    return jaccard(content_words(a), content_words(b))


def case_score(title: str, description: str, other_title: str, other_description: str) -> float:
    """Two reports compared by their titles, and by title plus description; the higher counts.

    A one-line report and a case with a long description are alike when their titles are.
    """
    return max(
        duplicate_score(title, other_title),
        duplicate_score(f"{title} {description}", f"{other_title} {other_description}"),
    )


T = TypeVar("T")


@dataclass(frozen=True)
class Similar:
    case: Any
    score: float


def rank(
    title: str,
    description: str,
    candidates: Iterable[tuple[T, str, str]],
    *,
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
) -> list[tuple[T, float]]:
    """The candidates (item, title, description) alike enough, best first (pure)."""
    scored = [
        (item, case_score(title, description, other_title, other_description))
        for item, other_title, other_description in candidates
    ]
    kept = [(item, score) for item, score in scored if score >= threshold]
    kept.sort(key=lambda pair: -pair[1])  # stable: equal scores keep the newest first
    return kept[:limit]


def duplicate_area(place: Place) -> Place:
    """The subtree duplicates are looked for in: the estate, lane or street of the place, else
    the building it is in, else the place itself (a whole community)."""
    chain = [*place.ancestors(), place]
    for kinds in (AREA_KINDS, (PlaceKind.BUILDING,)):
        for candidate in chain:
            if candidate.kind in kinds:
                return candidate
    return place


def similar_cases(
    *,
    user: Any,
    place: Place,
    category: Any,
    title: str,
    description: str = "",
    now: dt.datetime | None = None,
    exclude: Iterable[int] = (),
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
) -> list[Similar]:
    """Cases the user may see that look like this report, best first."""
    if not (title or "").strip() or category is None or place is None:
        return []
    now = now or timezone.now()
    area = duplicate_area(place)
    candidates = (
        Case.objects.visible_to(user)
        .in_subtree(area.path)
        .filter(category=category, reported_at__gte=now - WINDOW)
        .exclude(status__in=[Status.REJECTED, Status.MERGED])
        .exclude(pk__in=list(exclude))
        .select_related("place")
        .only(
            "number",
            "title",
            "description",
            "status",
            "reported_at",
            "place__name",
            "place__path",
            "current_tier",
        )
        .order_by("-reported_at", "-pk")[:CANDIDATES]
    )
    ranked = rank(
        title,
        description,
        ((case, case.title, case.description) for case in candidates),
        threshold=threshold,
        limit=limit,
    )
    return [Similar(case=case, score=score) for case, score in ranked]
