"""The in-app channel: the outbox worker turns a row into one notification per recipient.

Registered as an outbox handler by NotifyConfig.ready(). It runs inside the worker's
transaction for the row, so the notifications and the row's "processed" mark commit together:
a worker killed half-way writes none of them, and the next run writes them once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from shuren.access.masking import mask_text
from shuren.kernel.models import Outbox
from shuren.notify.messages import render
from shuren.notify.models import Notification


def write_notifications(row: Outbox) -> list[Notification]:
    """One notification for each recipient still active, in their own language and, where the
    row names their audience (the reporter of a matter, say), in that audience's words."""
    if not row.kind or not row.recipients:
        return []
    users = (
        get_user_model()
        .objects.filter(pk__in=row.recipients, is_active=True)
        .only("pk", "language")
        .order_by("pk")
    )
    audiences: dict[str, list[int]] = row.params.get("audiences") or {}

    def audience_of(user_id: int) -> str:
        return next((name for name, ids in audiences.items() if user_id in ids), "")

    groups: dict[tuple[str, str], list[int]] = {}
    for user in users:
        language = user.language or settings.LANGUAGE_CODE
        groups.setdefault((language, audience_of(user.pk)), []).append(user.pk)
    link = str(row.params.get("link", ""))[:300]
    now = timezone.now()
    notes: list[Notification] = []
    for (language, audience), user_ids in groups.items():
        with translation.override(language):
            title, body = render(row.kind, row.params, audience=audience)
        # Whatever people typed (a description, a note) may hold a phone or an ID number; a
        # message goes to people who may not see them, so it carries them masked.
        title, body = mask_text(title), mask_text(body)
        if audience and row.params.get(f"link_{audience}"):
            their_link = str(row.params[f"link_{audience}"])[:300]
        else:
            their_link = link
        notes += [
            Notification(
                recipient_id=user_id,
                kind=row.kind,
                object_id=str(row.subject_id),
                title=title[:200],
                body=body,
                link=their_link,
                # The in-app channel is the row itself: written is delivered.
                delivered_at=now,
                outbox_id=row.pk,
            )
            for user_id in user_ids
        ]
    return Notification.objects.bulk_create(notes)
