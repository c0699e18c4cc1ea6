"""The consultation models (Django finds them here): owners' votes (votes/models.py)."""

from shuren.deliberation.votes.models import (
    Ballot,
    Vote,
    VoteEvent,
    VoteOwner,
    VoteUnit,
)

__all__ = ["Ballot", "Vote", "VoteEvent", "VoteOwner", "VoteUnit"]
