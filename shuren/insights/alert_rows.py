"""Alerts as one reader sees them: each with its reason in the reader's words, a repeat party
named only to a reader whose scope holds that person (masked, 张*明, to anyone else). The
list, the page, the home section and the API read them here, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shuren.access.masking import mask_name
from shuren.insights.alert_choices import AlertKind
from shuren.insights.alert_reasons import reason_text
from shuren.insights.models.alerts import Alert
from shuren.people.models import Person

HOME_ALERTS = 5


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    reason: str


def person_names(user: Any, person_ids: set[int]) -> dict[int, str]:
    """Each person's name as this reader may see it: whole where their scope holds the person,
    masked otherwise. Two queries, none without repeat parties."""
    if not person_ids:
        return {}
    ids = sorted(person_ids)
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    seen = set(Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return {pk: name if pk in seen else mask_name(name) for pk, name in names.items()}


def rows_for(user: Any, alerts: list[Alert]) -> list[AlertRow]:
    """The alerts (with place and category loaded) with their reasons for this reader."""
    repeat = {
        int(a.data["person"])
        for a in alerts
        if a.kind == AlertKind.REPEAT_PARTIES and str(a.data.get("person", "")).isdigit()
    }
    names = person_names(user, repeat)
    rows = []
    for alert in alerts:
        person = ""
        if alert.kind == AlertKind.REPEAT_PARTIES:
            person = names.get(int(str(alert.data.get("person", 0))), "")
        reason = reason_text(
            alert.kind,
            alert.data,
            place=alert.place.name,
            category=alert.category.label if alert.category is not None else "",
            person=person,
        )
        rows.append(AlertRow(alert, reason))
    return rows


def open_alerts(user: Any, limit: int = HOME_ALERTS) -> list[AlertRow]:
    """The user's alerts not yet closed, red first then newest: the home page's section."""
    alerts = list(
        Alert.objects.visible_to(user)
        .not_closed()
        .select_related("place", "category")
        .red_first()[:limit]
    )
    return rows_for(user, alerts)
