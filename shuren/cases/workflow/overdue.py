"""Overdue: a case's colour (red, yellow) and what the sweep does to it, as pure decisions.

workflow/sweep.py runs them over the open cases through the watch_deadline action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from shuren.cases.choices import OPEN_STATUSES, OverdueFlag, Tier
from shuren.cases.deadlines import DUE_SOON, Span, due_soon_window, pick_span
from shuren.cases.models import Case
from shuren.cases.reference import categories_by_id, deadline_policies

if TYPE_CHECKING:
    from shuren.workdays.calendar import WorkCalendar

# The sweep never sends a matter out of the subdistrict on its own: tier 5 is a human decision.
AUTO_ESCALATE_BELOW = Tier.SUBDISTRICT


@dataclass(frozen=True)
class DueFacts:
    """What the sweep needs to know about one case."""

    status: str
    due: dt.datetime | None  # the deadline that matters in this status
    current_tier: int
    overdue: str = OverdueFlag.NONE
    reminded_for: dt.datetime | None = None
    escalated_for: dt.datetime | None = None
    soon: Span = DUE_SOON  # how long before `due` the case turns yellow

    @classmethod
    def of(cls, case: Case, calendar: WorkCalendar) -> DueFacts:
        return cls(
            status=case.status,
            due=case.current_due,
            current_tier=case.current_tier,
            overdue=case.overdue,
            reminded_for=case.reminded_for,
            escalated_for=case.escalated_for,
            soon=soon_window_of(case, calendar),
        )


@dataclass(frozen=True)
class Decision:
    flag: str = OverdueFlag.NONE
    remind: bool = False  # send the once-per-deadline reminder now
    escalate: bool = False  # escalate one tier up now (grace period over)
    due: dt.datetime | None = None

    def changes(self, facts: DueFacts) -> bool:
        """True when the flag or the reminder would write something."""
        return self.flag != facts.overdue or self.remind


def flag_for(
    due: dt.datetime | None, now: dt.datetime, calendar: WorkCalendar, soon: Span = DUE_SOON
) -> str:
    """Red once overdue, yellow when due within `soon` (see due_soon_window), otherwise none."""
    if due is None:
        return OverdueFlag.NONE
    if now > due:
        return OverdueFlag.RED
    if due <= soon.after(now, calendar):
        return OverdueFlag.YELLOW
    return OverdueFlag.NONE


def soon_window_of(case: Case, calendar: WorkCalendar) -> Span:
    """The yellow window of the case's current deadline, from its category's and risk's policy
    (the policies and categories come from the per-process copies: no query)."""
    stage = case.current_stage
    if stage is None:
        return DUE_SOON
    category = categories_by_id().get(case.category_id) or case.category
    span = pick_span(
        deadline_policies(),
        category_id=case.category_id,
        parent_id=category.parent_id,
        risk=case.risk,
        stage=stage,
    )
    return due_soon_window(span, calendar)


def flag_of(case: Case, now: dt.datetime, calendar: WorkCalendar) -> str:
    """The flag of the case's current deadline, with its stage's own yellow window."""
    return flag_for(case.current_due, now, calendar, soon_window_of(case, calendar))


def decide(facts: DueFacts, *, now: dt.datetime, calendar: WorkCalendar, grace: Span) -> Decision:
    """What the sweep does to one case at `now` (pure: no database, any calendar)."""
    if facts.status not in OPEN_STATUSES or facts.due is None:
        return Decision()
    due = facts.due
    flag = flag_for(due, now, calendar, facts.soon)
    # "The day after a deadline": the next calendar day in Shanghai, once per deadline.
    remind = timezone.localdate(now) > timezone.localdate(due) and facts.reminded_for != due
    escalate = (
        facts.current_tier < AUTO_ESCALATE_BELOW
        and facts.escalated_for != due
        and now >= grace.after(due, calendar)
    )
    return Decision(flag=flag, remind=remind, escalate=escalate, due=due)
