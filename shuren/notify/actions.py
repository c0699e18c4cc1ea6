"""The acts of the notify app: a user's own notifications and preferences, a team's robot, and
putting given-up deliveries back in the queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.kernel.action import change, create
from shuren.notify import wecom
from shuren.notify.delivery import enqueue
from shuren.notify.models import Delivery, DeliveryStatus, Notification, Preference, TeamRobot

__all__ = ["mark_read", "rerun_deliveries", "set_preferences", "set_team_robot"]


def mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones, or those given) read; returns how many."""
    qs = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def set_preferences(
    *,
    actor: Any,
    user: Any,
    muted_kinds: Iterable[str] = (),
    by_email: bool = False,
    wecom_mention: bool = False,
    quiet_from: dt.time | None = None,
    quiet_until: dt.time | None = None,
    expected_version: int | None = None,
) -> Preference:
    """Say which events reach the person beyond the app, by which channels, and when not."""
    if (quiet_from is None) != (quiet_until is None):
        raise ValidationError(
            _("Give both the start and the end of the quiet hours, or neither."), code="quiet"
        )
    if by_email and not user.email:
        raise ValidationError(
            _("Your account has no e-mail address: ask your community to add one."),
            code="no_email",
        )
    values = {
        "muted_kinds": sorted(set(muted_kinds)),
        "by_email": by_email,
        "wecom_mention": wecom_mention,
        "quiet_from": quiet_from,
        "quiet_until": quiet_until,
    }
    existing = Preference.objects.filter(user=user).values_list("pk", flat=True).first()
    if existing is None:
        with create(actor=actor, perm="notify.change_preference", on=user) as act:
            created: Preference = act.created(Preference.objects.create(user=user, **values))
            act.record_change("notify.preferences_set", data=_public(values))
            return created
    with change(
        Preference.objects,
        existing,
        actor=actor,
        perm="notify.change_preference",
        expected_version=expected_version,
    ) as act:
        pref: Preference = act.subject
        for name, value in values.items():
            setattr(pref, name, value)
        act.save(list(values))
        act.record_change("notify.preferences_set", data=_public(values))
        return pref


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.time) else v) for k, v in values.items()}


def set_team_robot(
    *,
    actor: Any,
    team: Any,
    webhook: str,
    enabled: bool = True,
    expected_version: int | None = None,
) -> TeamRobot:
    """Connect (or change, or switch off) the WeCom robot of a team's group. The address holds
    the robot's key: it is stored sealed and never written into an event."""
    webhook = (webhook or "").strip()
    if webhook and not wecom.allowed(webhook):
        raise ValidationError(
            _("This is not a WeCom group robot address (it starts with %(prefix)s).")
            % {"prefix": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="},
            code="not_wecom",
        )
    data = {"team": team.pk, "enabled": enabled, "connected": bool(webhook)}
    existing = TeamRobot.objects.filter(team=team).values_list("pk", flat=True).first()
    if existing is None:
        with create(actor=actor, perm="notify.set_team_robot", on=team) as act:
            made: TeamRobot = act.created(
                TeamRobot.objects.create(team=team, webhook=webhook, enabled=enabled)
            )
            act.record_change("notify.robot_set", data=data)
            return made
    with change(
        TeamRobot.objects,
        existing,
        actor=actor,
        perm="notify.set_team_robot",
        expected_version=expected_version,
    ) as act:
        robot: TeamRobot = act.subject
        robot.webhook, robot.enabled = webhook, enabled
        act.save(["webhook", "enabled"])
        act.record_change("notify.robot_set", data=data)
        return robot


def rerun_deliveries(*, pks: Iterable[int]) -> int:
    """Put given-up deliveries back in the queue (the administrator, once the cause is fixed)."""
    ids = list(
        Delivery.objects.filter(pk__in=list(pks), status=DeliveryStatus.GIVEN_UP).values_list(
            "pk", flat=True
        )
    )
    count = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.GIVEN_UP).update(
        status=DeliveryStatus.PENDING, attempts=0, not_before=None, claim=""
    )
    transaction.on_commit(lambda: enqueue(ids))
    return count
