"""The actions of early warning: raise an alert (the system), acknowledge it, close it with a
note. Each runs on the kernel: one kernel Event on the alert's own timeline and one outbox row
telling the post holders who answer for it (alert_choices.LEVEL_ROLES over its place)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shuren.insights.alert_choices import LEVEL_ROLES, AlertStatus
from shuren.insights.models.alerts import Alert
from shuren.kernel.action import change, create, required
from shuren.kernel.outbox import Tell
from shuren.people.models import Person, active_q

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.cases.models import Case, Category
    from shuren.places.models import Place


def responsible_users(place: Place, level: str) -> list[Any]:
    """The active users holding a post of a role that answers for this level at the place or
    above it (their community, their subdistrict). One query."""
    persons = Person.objects.filter(
        Q(posts__role__in=LEVEL_ROLES[level], posts__place__path__in=place.ancestor_paths())
        & active_q(prefix="posts__")
    ).values("pk")
    return list(get_user_model().objects.filter(is_active=True, person__in=persons).order_by("pk"))


def _tell(kind: str, alert: Alert, actor: Any, **extra: Any) -> Tell:
    category = alert.category
    return Tell.users(
        kind,
        responsible_users(alert.place, alert.level),
        actor=actor,
        alert=alert.pk,
        alert_kind=alert.kind,
        level=alert.level,
        place=alert.place.name,
        # The category's msgid: the worker says it in each recipient's language.
        category=category.name if category is not None else "",
        data={k: v for k, v in alert.data.items() if k != "person"},
        link=alert.get_absolute_url(),
        **extra,
    )


def _covered(key: str, evidence: Sequence[int]) -> bool:
    """An alert of this key is not closed yet, or the last one already named every matter
    behind this finding: raising it again would tell people nothing new."""
    latest = Alert.objects.filter(key=key).order_by("-created_at", "-pk").first()
    if latest is None:
        return False
    if latest.status != AlertStatus.CLOSED:
        return True
    return set(evidence) <= set(latest.case_ids)


def raise_alert(
    *,
    kind: str,
    level: str,
    place: Place,
    key: str,
    data: dict[str, Any],
    case: Case | None = None,
    category: Category | None = None,
    at: dt.datetime | None = None,
) -> Alert | None:
    """Raise an alert (the system does: the sweep, the report's background task) and tell those
    who answer for it. None when it is raised already: one of the same key is not closed, or
    the last one named every matter in `data["cases"]`."""
    evidence = [int(pk) for pk in data.get("cases", [])]
    if _covered(key, evidence):
        return None
    try:
        # A savepoint: a sweep and a background task raising the same key at once meet the
        # unique constraint; the later one gives way and nothing of it is left.
        with (
            transaction.atomic(),
            create(actor=None, perm="insights.raise_alert", on=place, at=at) as act,
        ):
            alert = Alert(
                kind=kind,
                level=level,
                place=place,
                case=case,
                category=category,
                key=key[:100],
                data=data,
                created_at=act.at,
            )
            alert.save(force_insert=True)
            act.created(alert)
            act.record_change(
                "alert.raised",
                data={"kind": kind, "level": level},
                tell=_tell("alert.raised", alert, None),
            )
            return alert
    except IntegrityError:
        if Alert.objects.filter(key=key[:100]).not_closed().exists():
            return None
        raise


def acknowledge_alert(
    *,
    actor: User | None,
    alert: Alert,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Alert:
    """I have seen it and am on it: the others who answer for it are told who took it."""
    with change(
        Alert.objects.select_related("place", "category"),
        alert.pk,
        actor=actor,
        perm="insights.acknowledge_alert",
        expected_version=expected_version,
        at=at,
    ) as act:
        alert = act.subject
        if alert.status == AlertStatus.ACKNOWLEDGED:
            act.unchanged()  # a second tap, or a retry: it is acknowledged already
            return alert
        if alert.status == AlertStatus.CLOSED:
            raise ValidationError(_("This alert is closed already."), code="alert_closed")
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_by, alert.acknowledged_at = actor, act.at
        act.save(["status", "acknowledged_by", "acknowledged_at"])
        act.record_change("alert.acknowledged", tell=_tell("alert.acknowledged", alert, actor))
        return alert


def close_alert(
    *,
    actor: User | None,
    alert: Alert,
    note: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Alert:
    """Close the alert with a note saying what was done (or why it was a false alarm)."""
    note = required(note, _("Say what was done about this alert."))
    with change(
        Alert.objects.select_related("place", "category"),
        alert.pk,
        actor=actor,
        perm="insights.close_alert",
        expected_version=expected_version,
        at=at,
    ) as act:
        alert = act.subject
        if alert.status == AlertStatus.CLOSED:
            act.unchanged()
            return alert
        if alert.status == AlertStatus.OPEN:
            alert.acknowledged_by, alert.acknowledged_at = actor, act.at
        alert.status = AlertStatus.CLOSED
        alert.closed_by, alert.closed_at, alert.close_note = actor, act.at, note
        act.save(
            ["status", "acknowledged_by", "acknowledged_at", "closed_by", "closed_at", "close_note"]
        )
        act.record_change(
            "alert.closed", note=note, tell=_tell("alert.closed", alert, actor, note=note[:500])
        )
        return alert
