"""The consultation models (Django finds them here): owners' votes (votes/models.py)."""

from shuren.deliberation.votes.models import (
    Ballot,
    BallotPaper,
    Vote,
    VoteEvent,
    VoteIdempotencyKey,
    VoteOwner,
    VoteUnit,
)

__all__ = [
    "Ballot",
    "BallotPaper",
    "Vote",
    "VoteEvent",
    "VoteIdempotencyKey",
    "VoteOwner",
    "VoteUnit",
]
