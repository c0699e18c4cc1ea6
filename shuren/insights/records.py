"""The records behind a figure: the matters a counter counts at a place in a period (of a
category, in a month), within what the viewer may read, so every number links to its list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from shuren.cases.models import Case
from shuren.insights.figures import Period
from shuren.insights.tallies import LISTED, records_q
from shuren.places.paths import subtree_q

# Numerators the tier metrics show that are sums of counters (settled at tiers 1-2, 1-3,
# 1-4): listed as the union of their parts' records, which are disjoint (one settled tier).
SUMS: dict[str, tuple[str, ...]] = {
    f"settled_upto_{top}": tuple(f"settled_{t}" for t in range(1, top + 1)) for top in (2, 3, 4)
}
RECORDED = LISTED | frozenset(SUMS)


def counter_q(counter: str, start: dt.datetime, end: dt.datetime) -> Q:
    """records_q of a listed counter, or of a sum of them; KeyError for anything else."""
    if counter in SUMS:
        q = Q(pk__in=[])
        for part in SUMS[counter]:
            q |= records_q(part, start, end)
        return q
    if counter not in LISTED:
        raise KeyError(counter)
    return records_q(counter, start, end)


def category_q(code: str) -> Q:
    """A top-level category with its children (as the figures count it)."""
    return Q(category__code=code) | Q(category__parent__code=code)


def records(
    user: Any, path: str, period: Period, counter: str, category: str = ""
) -> QuerySet[Case]:
    """The matters behind the figure, newest first: for staff whose posts cover the place,
    exactly the matters the figure counts."""
    cases = (
        Case.objects.visible_to(user)
        .filter(subtree_q(path, "place_path"))
        .filter(counter_q(counter, *period.moments()))
    )
    if category:
        cases = cases.filter(category_q(category))
    return cases.order_by("-reported_at", "-pk")


def month_within(period: Period, month: dt.date) -> Period | None:
    """The days of `month` inside the period (a monthly figure's records), None if none."""
    after = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = max(period.start, month)
    end = min(period.end, after - dt.timedelta(days=1))
    return Period(start, end) if start <= end else None
