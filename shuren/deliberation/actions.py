"""Every action of consultation (the one door pages, the API and commands call)."""

from shuren.deliberation.meetings.attendance import check_in, mark_attendance
from shuren.deliberation.meetings.calling import add_agenda_item, call_meeting, cancel_meeting
from shuren.deliberation.meetings.decisions import (
    cancel_decision,
    complete_decision,
    record_decision,
    remind_overdue,
    sweep_overdue,
)
from shuren.deliberation.meetings.minutes import approve_minutes, draft_minutes
from shuren.deliberation.votes.calling import call_vote

__all__ = [
    "add_agenda_item",
    "approve_minutes",
    "call_meeting",
    "call_vote",
    "cancel_decision",
    "cancel_meeting",
    "check_in",
    "complete_decision",
    "draft_minutes",
    "mark_attendance",
    "record_decision",
    "remind_overdue",
    "sweep_overdue",
]
