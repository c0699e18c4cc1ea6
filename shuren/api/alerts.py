"""API endpoints for early-warning alerts: the caller's alerts (those they answer for), one
alert, acknowledging and closing it with a note. An alert the caller does not answer for is a
404 exactly like a missing one; each action is the one in insights/alert_actions.py."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from shuren.api.auth import ApiRequest
from shuren.api.bodies import JsonOrForm
from shuren.api.case_schemas import MAX_ID, RequiredText, VersionIn
from shuren.api.errors import ApiError
from shuren.api.schemas import ERRORS, ConflictOut, ErrorOut, PageIn
from shuren.insights.alert_actions import acknowledge_alert, close_alert
from shuren.insights.alert_choices import AlertKind, AlertLevel, AlertStatus
from shuren.insights.alert_rows import AlertRow, rows_for
from shuren.insights.models.alerts import Alert
from shuren.insights.rules import available_alert_actions

router = Router(tags=["alerts"])

# What an alert's details may show anyone who reads it: never a repeat party's person.
PUBLIC_DETAILS = ("words", "number", "numbers", "count", "days", "recent", "expected", "p_value")


class AlertPlaceOut(Schema):
    id: int
    name: str


class AlertOut(Schema):
    id: int
    kind: AlertKind
    kind_label: str = Field(description="In the caller's language.")
    level: AlertLevel = Field(
        description="red: tell the subdistrict now; orange: handle "
        "today; yellow: the leader handles it on the spot."
    )
    level_label: str
    status: AlertStatus
    status_label: str
    place: AlertPlaceOut
    category: str | None = Field(None, description="The category's code, where it has one.")
    reason: str = Field(description="Why it was raised, in words, in the caller's language.")
    details: dict[str, Any] = Field(
        description="The figures behind it: matched words, matters' numbers, counts, p-value."
    )
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_note: str
    version: int
    actions: list[str] = Field(description="What the caller may do now: acknowledge, close.")


class AlertPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AlertOut]


class AlertFiltersIn(PageIn):
    level: AlertLevel | None = Field(None, description="Only alerts of this level.")
    status: AlertStatus | None = Field(
        None, description="Only alerts in this state (default: those not closed yet)."
    )


class AcknowledgeIn(VersionIn):
    pass


class CloseAlertIn(VersionIn):
    note: RequiredText = Field(..., description="What was done (required).")


class AlertConflictOut(ConflictOut):
    pass


AcknowledgeBody = Annotated[AcknowledgeIn, JsonOrForm(...)]
CloseBody = Annotated[CloseAlertIn, JsonOrForm(...)]


def _out(user: Any, row: AlertRow) -> dict[str, Any]:
    alert = row.alert
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": alert.get_kind_display(),
        "level": alert.level,
        "level_label": alert.get_level_display(),
        "status": alert.status,
        "status_label": alert.get_status_display(),
        "place": {"id": alert.place_id, "name": alert.place.name},
        "category": alert.category.code if alert.category is not None else None,
        "reason": row.reason,
        "details": {k: v for k, v in alert.data.items() if k in PUBLIC_DETAILS},
        "created_at": alert.created_at,
        "acknowledged_at": alert.acknowledged_at,
        "closed_at": alert.closed_at,
        "close_note": alert.close_note,
        "version": alert.version,
        "actions": available_alert_actions(user, alert),
    }


def _visible(request: ApiRequest, alert_id: int) -> Alert:
    if alert_id > MAX_ID:
        raise Http404
    alert = (
        Alert.objects.visible_to(request.auth)
        .select_related("place", "category")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise Http404
    return alert


def _detail(request: ApiRequest, alert_id: int) -> dict[str, Any]:
    return _out(request.auth, rows_for(request.auth, [_visible(request, alert_id)])[0])


@router.get("/alerts", response={200: AlertPageOut, **ERRORS}, summary="My alerts")
def list_alerts(request: ApiRequest, filters: Query[AlertFiltersIn]) -> dict[str, Any]:
    """The alerts the caller answers for (by their posts over the alert's place and its level),
    red first, then newest. Without `status`, those not closed yet."""
    alerts = Alert.objects.visible_to(request.auth).select_related("place", "category")
    if filters.level:
        alerts = alerts.filter(level=filters.level.value)
    status = filters.status
    alerts = alerts.filter(status=status.value) if status else alerts.not_closed()
    page = list(alerts.red_first()[filters.offset : filters.offset + filters.limit])
    return {
        "count": alerts.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(request.auth, row) for row in rows_for(request.auth, page)],
    }


@router.get("/alerts/{int:alert_id}", response={200: AlertOut, **ERRORS}, summary="One alert")
def get_alert(request: ApiRequest, alert_id: int) -> dict[str, Any]:
    return _detail(request, alert_id)


ACTION_RESPONSES: dict[int, Any] = {200: AlertOut, 400: ErrorOut, **ERRORS, 409: AlertConflictOut}
RETRY_NOTE = (
    " Send the alert's `version`; a stale one answers 409 `conflict` with `current_version`. "
    "Sent again after it succeeded (the alert is in that state already), it answers 200 with "
    "the alert as it is, so a retry is safe."
)


@router.post(
    "/alerts/{int:alert_id}/acknowledge",
    response=ACTION_RESPONSES,
    summary="Acknowledge the alert: I am on it",
    description="Acknowledge the alert." + RETRY_NOTE,
    operation_id="alert_acknowledge",
)
def acknowledge(request: ApiRequest, alert_id: int, body: AcknowledgeBody) -> dict[str, Any]:
    alert = _visible(request, alert_id)
    if alert.status == AlertStatus.OPEN:
        try:
            acknowledge_alert(actor=request.auth, alert=alert, expected_version=body.version)
        except ValidationError as exc:
            raise ApiError(409, exc.code or "alert_closed", exc.messages[0]) from exc
    elif alert.status == AlertStatus.CLOSED:
        raise ApiError(409, "alert_closed", _("This alert is closed already."))
    return _detail(request, alert_id)


@router.post(
    "/alerts/{int:alert_id}/close",
    response=ACTION_RESPONSES,
    summary="Close the alert with a note saying what was done",
    description="Close the alert with a note (required)." + RETRY_NOTE,
    operation_id="alert_close",
)
def close(request: ApiRequest, alert_id: int, body: CloseBody) -> dict[str, Any]:
    alert = _visible(request, alert_id)
    if alert.status != AlertStatus.CLOSED:
        close_alert(actor=request.auth, alert=alert, note=body.note, expected_version=body.version)
    return _detail(request, alert_id)
