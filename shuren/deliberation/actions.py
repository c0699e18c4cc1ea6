"""Every action of consultation (the one door pages, the API and commands call)."""

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
    "call_vote",
    "cancel_vote",
    "cast_ballot",
    "close_vote",
    "enter_ballot",
    "recount_vote",
]
