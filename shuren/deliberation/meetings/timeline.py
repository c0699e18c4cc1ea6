"""A meeting action's one event (MeetingEvent) and the accounts it tells: shared by the actions."""

from __future__ import annotations

from typing import Any

from shuren.deliberation.meetings.models import Decision, Meeting, MeetingEvent
from shuren.kernel.action import Act


def event(
    act: Act[Any],
    meeting: Meeting,
    kind: str,
    *,
    decision: Decision | None = None,
    note: str = "",
    **data: Any,
) -> MeetingEvent:
    return MeetingEvent(
        meeting=meeting,
        decision=decision,
        kind=kind,
        actor=act.actor,
        at=act.at,
        note=note,
        data=data,
    )


def organisers(meeting: Meeting) -> list[Any]:
    """Who is told on the organisers' side: the one who called it."""
    user = meeting.called_by
    return [user] if user is not None and user.is_active else []
