"""What the home page shows of meetings: the follow-through items a user answers for (one
query, until done) and whether they have meetings to open at all."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from shuren.deliberation.meetings import followthrough
from shuren.deliberation.meetings.choices import ItemStatus
from shuren.deliberation.meetings.models import Decision, Meeting, organiser_roots

MAX_ITEMS = 20


def followthrough_of(user: Any) -> list[tuple[Decision, str, int]]:
    """(item, tone, days overdue) of this user's open items, the earliest deadline first."""
    today = followthrough.local_day(timezone.now())
    items = (
        Decision.objects.owned_by(user)
        .filter(status=ItemStatus.OPEN)
        .select_related("meeting")
        .only("pk", "text", "due_on", "status", "meeting__id", "meeting__title")
        .order_by("due_on", "pk")[:MAX_ITEMS]
    )
    return [
        (
            d,
            followthrough.tone(d.status, d.due_on, today),
            followthrough.days_overdue(d.status, d.due_on, today),
        )
        for d in items
    ]


def sees_meetings(user: Any) -> bool:
    """An organiser (no query), or someone a meeting invites (one)."""
    if organiser_roots(user, owners_kinds=True):
        return True
    return Meeting.objects.visible_to(user).exists()
