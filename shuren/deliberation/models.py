"""The consultation models (Django finds them here): owners' votes (votes/models.py), elevator
retrofit projects (elevators/models.py) and meetings (meetings/models.py)."""

from shuren.deliberation.elevators.models import (
    AffectedOwner,
    ElevatorEvent,
    ElevatorProject,
    FloorWeight,
    Objection,
)
from shuren.deliberation.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Invitee,
    Meeting,
    MeetingEvent,
    MinutesApproval,
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
    "AgendaItem",
    "Attendance",
    "Ballot",
    "BallotPaper",
    "Decision",
    "ElevatorEvent",
    "ElevatorProject",
    "FloorWeight",
    "Invitee",
    "Meeting",
    "MeetingEvent",
    "MinutesApproval",
    "Objection",
    "Vote",
    "VoteEvent",
    "VoteIdempotencyKey",
    "VoteOwner",
    "VoteUnit",
]
