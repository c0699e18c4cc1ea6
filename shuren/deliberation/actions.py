"""Every action of consultation (the one door pages, the API and commands call)."""

from shuren.deliberation.elevators.consents import name_affected_owner, record_consent
from shuren.deliberation.elevators.objections import file_objection, settle_objection
from shuren.deliberation.elevators.projects import (
    advance_project,
    agree_costs,
    call_project_vote,
    create_project,
    record_survey,
    stop_project,
)
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
from shuren.deliberation.votes.ballots import cast_ballot, enter_ballot
from shuren.deliberation.votes.calling import call_vote
from shuren.deliberation.votes.counting import close_vote
from shuren.deliberation.votes.recount import (
    AddBallot,
    ChangeChoice,
    Correction,
    VoidBallot,
    cancel_vote,
    recount_vote,
)

__all__ = [
    "AddBallot",
    "ChangeChoice",
    "Correction",
    "VoidBallot",
    "add_agenda_item",
    "advance_project",
    "agree_costs",
    "approve_minutes",
    "call_meeting",
    "call_project_vote",
    "call_vote",
    "cancel_decision",
    "cancel_meeting",
    "cancel_vote",
    "cast_ballot",
    "check_in",
    "close_vote",
    "complete_decision",
    "create_project",
    "draft_minutes",
    "enter_ballot",
    "file_objection",
    "mark_attendance",
    "name_affected_owner",
    "record_consent",
    "record_decision",
    "record_survey",
    "recount_vote",
    "remind_overdue",
    "settle_objection",
    "stop_project",
    "sweep_overdue",
]
