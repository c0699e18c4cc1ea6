"""Background delivery of notifications. In-app only for now; WeCom and e-mail come later."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from shuren.notify.models import Notification


@task()
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver each notification on its recipient's channels; returns how many were delivered.

    The in-app channel is the row itself, so delivery is marking it delivered. The conditional
    UPDATE claims each row once even when two workers run the same task.
    """
    return Notification.objects.filter(pk__in=notification_ids, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
