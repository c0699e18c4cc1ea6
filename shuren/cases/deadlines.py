"""Deadline arithmetic: a stage's span, when it turns yellow, which policy applies (pure).

The policies themselves are rows (models.DeadlinePolicy), kept per process by reference.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shuren.cases.choices import DeadlineStage, DeadlineUnit
from shuren.workdays.calendar import WorkCalendar, add_working_days, add_working_hours


@dataclass(frozen=True)
class Span:
    amount: float  # whole for working days; a warning window may be half an hour
    unit: str

    def after(self, start: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
        if self.unit == DeadlineUnit.WORKING_DAYS:
            if self.amount != int(self.amount):
                raise ValueError("working days are counted whole")
            return add_working_days(calendar, start, int(self.amount))
        if self.unit == DeadlineUnit.WORKING_HOURS:
            return add_working_hours(calendar, start, self.amount)
        return start + dt.timedelta(hours=self.amount)


# A deadline is "due soon" (yellow) within one working day of it, or within the second half of
# its stage when the whole stage is that short: a matter to be accepted within one working day
# (the usual rule) would otherwise be yellow from the moment it arrives, and a colour every
# new matter wears tells nobody anything.
DUE_SOON = Span(1, DeadlineUnit.WORKING_DAYS)


def due_soon_window(span: Span, calendar: WorkCalendar) -> Span:
    """How long before a deadline of this stage span it turns yellow (pure)."""
    if span.unit == DeadlineUnit.WORKING_DAYS:
        if span.amount >= 2:
            return DUE_SOON
        return Span(calendar.hours_per_day * span.amount / 2, DeadlineUnit.WORKING_HOURS)
    if span.unit == DeadlineUnit.WORKING_HOURS:
        return Span(min(span.amount / 2, calendar.hours_per_day), DeadlineUnit.WORKING_HOURS)
    return Span(min(span.amount / 2, 24), DeadlineUnit.HOURS)


# Used when the policy table has no row at all for a stage (rules-cn §3; the migration seeds
# the same values so that the admin shows and can change them).
FALLBACK: dict[str, Span] = {
    DeadlineStage.ACCEPT: Span(1, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.RESOLVE: Span(10, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.FOLLOW_UP: Span(1, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.GRACE: Span(2, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.RATING: Span(3, DeadlineUnit.WORKING_DAYS),
}


def _rank(policy: Any, category_id: int | None, parent_id: int | None, risk: str) -> int:
    """Lower is more specific. A risk rule beats a category rule: urgency decides first."""
    if policy.category_id == category_id:
        cat = 0
    elif parent_id is not None and policy.category_id == parent_id:
        cat = 1
    else:
        cat = 2
    return (0 if policy.risk == risk and risk else 3) + cat


def pick_span(
    policies: Iterable[Any],
    *,
    category_id: int | None,
    parent_id: int | None,
    risk: str,
    stage: str,
) -> Span:
    """The most specific matching policy's span for a stage (pure: tested without a database)."""
    best: tuple[int, Span] | None = None
    for policy in policies:
        if policy.stage != stage:
            continue
        if policy.risk and policy.risk != risk:
            continue
        if policy.category_id not in (None, category_id, parent_id):
            continue
        rank = _rank(policy, category_id, parent_id, risk)
        if best is None or rank < best[0]:
            best = (rank, Span(policy.amount, policy.unit))
    return best[1] if best else FALLBACK[stage]
