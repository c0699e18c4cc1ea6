"""Every action of consultation (the one door pages, the API and commands call)."""

from shuren.deliberation.elevators.consents import name_affected_owner, record_consent
from shuren.deliberation.elevators.objections import file_objection, settle_objection
from shuren.deliberation.elevators.projects import (
    advance_project,
    agree_costs,
    call_project_vote,
    create_project,
    record_survey,
)
from shuren.deliberation.votes.ballots import cast_ballot, enter_ballot
from shuren.deliberation.votes.calling import call_vote
from shuren.deliberation.votes.counting import close_vote

__all__ = [
    "advance_project",
    "agree_costs",
    "call_project_vote",
    "call_vote",
    "cast_ballot",
    "close_vote",
    "create_project",
    "enter_ballot",
    "file_objection",
    "name_affected_owner",
    "record_consent",
    "record_survey",
    "settle_objection",
]
