"""The deadline watch: the system's look at one case's deadline, applied by the overdue sweep.

An action of its own on the kernel (the system acts, actor None): it locks the case, decides
again from its fresh state (workflow/overdue.py), writes its OVERDUE event when the colour or
the reminder changes, and escalates through escalate_case() once the grace period is over.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from shuren.cases.choices import EventKind
from shuren.cases.deadlines import Span
from shuren.cases.models import Case
from shuren.cases.responsible import holders_or_tier
from shuren.cases.workflow.actions import begin, case_event, escalate_case, tell
from shuren.cases.workflow.overdue import Decision, DueFacts, decide
from shuren.kernel.outbox import NOBODY
from shuren.workdays.calendar import WorkCalendar


@transaction.atomic
def watch_deadline(
    *,
    case: Case,
    now: dt.datetime,
    calendar: WorkCalendar,
    grace: Span,
) -> Decision:
    """The system's look at one case's deadline: flag it yellow/red, remind once the day after,
    escalate after the grace period. Flags and reminders do not bump the version: they are
    markers, and a leader about to resolve the case should not get a conflict because of them.
    """
    with begin(case, None, "cases.view_case", None, now) as act:
        case = act.subject
        facts = DueFacts.of(case, calendar)
        decision = decide(facts, now=now, calendar=calendar, grace=grace)
        if not decision.changes(facts):
            act.unchanged()
        else:
            fields = ["overdue"]
            case.overdue = decision.flag
            told = NOBODY
            if decision.remind:
                case.reminded_for = decision.due
                fields.append("reminded_for")
                due = decision.due.isoformat() if decision.due else ""
                told = tell("case.overdue", holders_or_tier(case), case, None, due=due)
            act.save(fields, bump=False)
            act.record(
                case_event(
                    act,
                    EventKind.OVERDUE,
                    from_status=case.status,
                    from_tier=case.current_tier,
                    data={
                        "flag": decision.flag,
                        "previous_flag": facts.overdue,
                        "reminded": decision.remind,
                        "due": decision.due.isoformat() if decision.due else None,
                        "notified": list(told.recipients),
                    },
                ),
                tell=told,
            )
    if decision.escalate:
        escalate_case(
            actor=None,
            case=case,
            reason=_("The deadline passed and the grace period is over."),
            overdue_for=decision.due,
            at=now,
        )
    return decision
