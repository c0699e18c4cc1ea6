"""The acts of the notify app on a user's own notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from shuren.notify.models import Notification


def mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones, or those given) read; returns how many."""
    qs = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
