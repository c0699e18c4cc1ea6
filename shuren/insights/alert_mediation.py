"""A dispute in mediation marked at risk of violence or crime (人民调解法 Art. 25) raises a red
alert over its place: the community's and the subdistrict's staff are told at once and act on
it like any other red alert. Raised from the mediation action's outbox row."""

from __future__ import annotations

from shuren.insights.alert_actions import raise_alert
from shuren.insights.alert_choices import AlertKind, AlertLevel
from shuren.insights.models.alerts import Alert
from shuren.kernel.models import Outbox
from shuren.places.models import Place


def on_outbox_row(row: Outbox) -> Alert | None:
    if row.subject_type != "mediation.mediation" or row.kind != "mediation.at_risk":
        return None
    place = Place.objects.filter(pk=row.params.get("place")).first()
    if place is None:
        return None
    # The number and whether the police were told: not the parties' names nor the risk as the
    # mediator wrote it, which stay in the organisation's file.
    return raise_alert(
        kind=AlertKind.MEDIATION_RISK,
        level=AlertLevel.RED,
        place=place,
        key=f"mediation-risk-{row.subject_id}",
        data={
            "number": row.params.get("number", ""),
            "police_informed": bool(row.params.get("police_informed")),
        },
        case=None,
        at=row.created_at,
    )
