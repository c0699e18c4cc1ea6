"""The consultation models (Django finds them here): owners' votes (votes/models.py) and
elevator retrofit projects (elevators/models.py)."""

from shuren.deliberation.elevators.models import (
    AffectedOwner,
    ElevatorEvent,
    ElevatorProject,
    FloorWeight,
    Objection,
)
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
    "AffectedOwner",
    "Ballot",
    "BallotPaper",
    "ElevatorEvent",
    "ElevatorProject",
    "FloorWeight",
    "Objection",
    "Vote",
    "VoteEvent",
    "VoteIdempotencyKey",
    "VoteOwner",
    "VoteUnit",
]
