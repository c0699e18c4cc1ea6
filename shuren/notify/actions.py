"""The acts of the notify app: notify users, mark notifications read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuren.notify.models import Notification


def notify_users(
    *,
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    object_id: str | int = "",
) -> list[Notification]:
    """Write one in-app notification per distinct active user, in the caller's transaction.

    The rows commit or roll back with the change they announce, and so does their delivery
    task: written in the same transaction by the database queue, or queued once that
    transaction has committed when the queue is elsewhere.
    """
    seen: set[int] = set()
    rows: list[Notification] = []
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                object_id=str(object_id),
                title=title[:200],
                body=body,
                link=link[:300],
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk is not None]
    if ids:
        if _queue_shares_the_database():
            # The task row commits or rolls back with the notifications (an outbox): no second
            # transaction, and a worker never sees a task for rows that are not there.
            _enqueue_delivery(ids)
        else:
            # A queue outside the database (Redis) would run the task before the commit.
            transaction.on_commit(lambda: _enqueue_delivery(ids))
    return created


def _queue_shares_the_database() -> bool:
    from django_tasks_db import DatabaseBackend

    from shuren.notify.tasks import deliver_notifications

    return isinstance(deliver_notifications.get_backend(), DatabaseBackend)


def _enqueue_delivery(ids: list[int]) -> None:
    from shuren.notify.tasks import deliver_notifications

    deliver_notifications.enqueue(ids)


def mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones, or those given) read; returns how many."""
    qs = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
