"""The in-app channel: the outbox worker turns a row into one notification per recipient.

Registered as an outbox handler by NotifyConfig.ready(). It runs inside the worker's
transaction for the row, so the notifications and the row's "processed" mark commit together:
a worker killed half-way writes none of them, and the next run writes them once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from shuren.kernel.models import Outbox
from shuren.notify.messages import render
from shuren.notify.models import Notification


def write_notifications(row: Outbox) -> list[Notification]:
    """One notification for each recipient still active, in their own language."""
    if not row.kind or not row.recipients:
        return []
    users = (
        get_user_model()
        .objects.filter(pk__in=row.recipients, is_active=True)
        .only("pk", "language")
        .order_by("pk")
    )
    by_language: dict[str, list[int]] = {}
    for user in users:
        by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user.pk)
    link = str(row.params.get("link", ""))[:300]
    now = timezone.now()
    notes: list[Notification] = []
    for language, user_ids in by_language.items():
        with translation.override(language):
            title, body = render(row.kind, row.params)
        notes += [
            Notification(
                recipient_id=user_id,
                kind=row.kind,
                object_id=str(row.subject_id),
                title=title[:200],
                body=body,
                link=link,
                # The in-app channel is the row itself: written is delivered.
                delivered_at=now,
                outbox_id=row.pk,
            )
            for user_id in user_ids
        ]
    return Notification.objects.bulk_create(notes)
