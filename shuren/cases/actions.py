"""Every change to a matter, in one place: the door that pages, the API, the admin, commands,
the demo and the tests all use. Intake is in intake/report.py, the workflow in
workflow/actions.py and workflow/feedback.py (the reporter's rating, closing); all run on the
shared kernel (shuren/kernel/action.py)."""

from shuren.cases.intake.history import load_settled_history
from shuren.cases.intake.report import purge_idempotency_keys, report_case
from shuren.cases.workflow.actions import (
    accept_case,
    add_note,
    assign_case,
    escalate_case,
    merge_case,
    reject_case,
    resolve_case,
    return_case,
)
from shuren.cases.workflow.feedback import close_case, follow_up_case, rate_on_behalf
from shuren.cases.workflow.upkeep import repath_cases, reveal_contact_phone
from shuren.cases.workflow.watch import watch_deadline

__all__ = [
    "accept_case",
    "add_note",
    "assign_case",
    "close_case",
    "escalate_case",
    "follow_up_case",
    "load_settled_history",
    "merge_case",
    "purge_idempotency_keys",
    "rate_on_behalf",
    "reject_case",
    "repath_cases",
    "report_case",
    "resolve_case",
    "return_case",
    "reveal_contact_phone",
    "watch_deadline",
]
