"""The overdue sweep: every open case whose colour may change, through the watch_deadline action.

`manage.py sweepoverdue` runs it (every 10 minutes in the demo); the decisions are pure
(workflow/overdue.py), the writes are the action's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from shuren.cases.choices import DeadlineStage, OverdueFlag, Status
from shuren.cases.deadlines import Span
from shuren.cases.models import Case
from shuren.cases.reference import spans_for
from shuren.cases.workflow.overdue import DueFacts, decide
from shuren.cases.workflow.watch import watch_deadline
from shuren.workdays.calendar import WorkCalendar, add_working_days
from shuren.workdays.current import current_calendar


def candidates(now: dt.datetime, calendar: WorkCalendar) -> Any:
    """Open cases whose deadline is within a working day (or 24 hours) or past, and any still
    flagged: every case whose flag may change, as no yellow window is longer."""
    horizon = max(add_working_days(calendar, now, 1), now + dt.timedelta(hours=24))
    return Case.objects.filter(
        Q(status=Status.REPORTED, accept_due__lte=horizon)
        | Q(status__in=[Status.ACCEPTED, Status.IN_PROGRESS], resolve_due__lte=horizon)
        | ~Q(overdue=OverdueFlag.NONE)
    ).select_related("category")


@dataclass
class SweepReport:
    flagged: int = 0
    reminded: int = 0
    escalated: int = 0
    cases: list[str] = field(default_factory=list)


def run_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Apply the decision to every candidate, each case in its own transaction."""
    now = now or timezone.now()
    calendar = current_calendar()
    graces: dict[tuple[int, str], Span] = {}
    report = SweepReport()
    for case in _each(candidates(now, calendar)):
        key = (case.category_id, case.risk)
        if key not in graces:
            graces[key] = spans_for(category=case.category, risk=case.risk)[DeadlineStage.GRACE]
        facts = DueFacts.of(case, calendar)
        decision = decide(facts, now=now, calendar=calendar, grace=graces[key])
        if not (decision.changes(facts) or decision.escalate):
            continue
        # The action locks the row and decides again: the case may have moved meanwhile.
        applied = watch_deadline(case=case, now=now, calendar=calendar, grace=graces[key])
        report.flagged += applied.flag != facts.overdue
        report.reminded += applied.remind
        report.escalated += applied.escalate
        if applied.escalate:
            report.cases.append(case.number)
    return report


def _each(qs: Any) -> Iterator[Case]:
    # Ids first, so the actions' own writes do not disturb a server-side cursor.
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        yield from qs.model.objects.filter(pk__in=ids[start : start + 500]).select_related(
            "category"
        )
