"""The demo's matters: the settled history since 2011-08 that the article counts, and open cases.

The article: "通过街道街坊志愿互助会及自治小组等主动参与成功协调处理邻里矛盾838宗、解决小区卫生
问题604个、协助破解治安案件121起、完成公共设施维护1391处、解决安全问题200个、破解停车难问题376起",
counted from August 2011 (when 创熟 began) to the end of 2019. Here that is: the cases whose
status is settled (resolved, followed up or closed, with a settled tier) and whose settled date
(resolved_at, as a date in Asia/Shanghai) lies in 2011-08-01 .. 2019-12-31 are, per top-level
category, exactly ARTICLE_COUNTS; every such case was also reported in that period, and no
other category has a settled case there. See `article_counts()`.

From 2020 to now the demo adds settled cases of every category. All settled cases are written
as history through cases/history.py (case_history.py draws them, case_stories.py tells the
article's own); the open cases of the last weeks (case_live.py) are entered through the case
actions. The plan is drawn from a seeded random generator and the moment of loading: the
article's period is the same every time, the recent months follow the calendar.
"""

from __future__ import annotations

import datetime as dt
import random

from shuren.cases.choices import EventKind
from shuren.cases.intake.history import HistoricalCase
from shuren.cases.models import SETTLED_STATUSES, Case, Category
from shuren.demo import data
from shuren.demo.case_facts import Facts, aware, months
from shuren.demo.case_history import History
from shuren.demo.case_stories import stories
from shuren.workdays.calendar import SHANGHAI

PERIOD_START = dt.date(2011, 8, 1)
PERIOD_END = dt.date(2019, 12, 31)
ARTICLE_COUNTS = {
    "neighbour": 838,
    "sanitation": 604,
    "security": 121,
    "facilities": 1391,
    "safety": 200,
    "parking": 376,
}
# The mix of matters since 2020 (per cent).
RECENT_MIX = {
    "neighbour": 22,
    "property": 11,
    "sanitation": 13,
    "security": 3,
    "facilities": 26,
    "safety": 8,
    "parking": 11,
    "elevator": 3,
    "other": 3,
}


def top_code(category: Category) -> str:
    return category.parent.code if category.parent_id and category.parent else category.code


def article_counts() -> dict[str, int]:
    """Settled cases per top-level category with a settled date in the article's period."""
    start = dt.datetime.combine(PERIOD_START, dt.time(), tzinfo=SHANGHAI)
    end = dt.datetime.combine(PERIOD_END + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    settled = Case.objects.filter(
        status__in=SETTLED_STATUSES,
        settled_tier__isnull=False,
        resolved_at__gte=start,
        resolved_at__lt=end,
    )
    counts: dict[str, int] = {}
    for code, parent in settled.values_list("category__code", "category__parent__code"):
        key = parent or code
        counts[key] = counts.get(key, 0) + 1
    return counts


def _resolved_on(row: HistoricalCase) -> dt.date | None:
    resolved = [s.at for s in row.steps if s.kind == EventKind.RESOLVED]
    return resolved[-1].astimezone(SHANGHAI).date() if resolved else None


def _period_weight(month: dt.date) -> float:
    year = month.year
    weight = 1.0 if year <= 2013 else 1.8 if year == 2014 else 2.5 if year <= 2016 else 3.0
    return weight * (0.7 if month.month == 2 else 1)  # Spring Festival


# Settled matters a month since 2020, the subdistrict over (the article's years averaged 35).
RECENT_PER_MONTH = {2020: 30, 2021: 35, 2022: 38, 2023: 42, 2024: 45, 2025: 48}


def plan_history(facts: Facts, now: dt.datetime, seed: int = data.SEED) -> list[HistoricalCase]:
    """Every settled case of the demo: the article's exact counts to 2019, then a steady flow."""
    rng = random.Random(seed + 2011)
    h = History(facts, now, rng)
    rows = stories(h)
    told = dict.fromkeys(ARTICLE_COUNTS, 0)
    for row in rows:
        on = _resolved_on(row)
        if on and PERIOD_START <= on <= PERIOD_END:
            told[top_code(row.category)] += 1
    period = months(PERIOD_START, PERIOD_END)
    weights = [_period_weight(m) for m in period]
    end = aware(PERIOD_END, 23.95)
    for top, total in ARTICLE_COUNTS.items():
        for month in rng.choices(period, weights, k=total - told[top]):
            settled = h.case(top, month, end)
            assert settled is not None  # a case of the period is always settled within it
            rows.append(settled)

    today = now.astimezone(SHANGHAI).date()
    tops, mix = list(RECENT_MIX), list(RECENT_MIX.values())
    for month in months(dt.date(2020, 1, 1), today):
        base = RECENT_PER_MONTH.get(month.year, 50) * (0.7 if month.month == 2 else 1)
        if month == dt.date(2020, 2, 1):
            base *= 0.5  # the epidemic: fewer visits, fewer reports
        if month == today.replace(day=1):
            base *= today.day / 30
        for _ in range(round(base * rng.uniform(0.85, 1.15))):
            recent = h.case(rng.choices(tops, mix)[0], month, now)
            if recent is not None:
                rows.append(recent)
    return rows
