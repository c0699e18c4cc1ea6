"""The consultation models (Django finds them here): owners' votes (votes/models.py) and
meetings (meetings/models.py)."""

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
    Vote,
    VoteEvent,
    VoteOwner,
    VoteUnit,
)

__all__ = [
    "AgendaItem",
    "Attendance",
    "Ballot",
    "Decision",
    "Invitee",
    "Meeting",
    "MeetingEvent",
    "MinutesApproval",
    "Vote",
    "VoteEvent",
    "VoteOwner",
    "VoteUnit",
]
