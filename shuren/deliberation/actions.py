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
    "advance_project",
    "agree_costs",
    "call_project_vote",
    "call_vote",
    "cancel_vote",
    "cast_ballot",
    "close_vote",
    "create_project",
    "enter_ballot",
    "file_objection",
    "name_affected_owner",
    "record_consent",
    "record_survey",
    "recount_vote",
    "settle_objection",
]
