"""API endpoints for the caller's own notifications: the list and marking them read."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from shuren.api.auth import ApiRequest
from shuren.api.inputs import Id, In
from shuren.api.schemas import ERRORS, ErrorOut, PageIn
from shuren.notify.actions import mark_read
from shuren.notify.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="What happened, e.g. case.resolved.")
    title: str
    body: str
    link: str = Field(description="The page it is about (a path on this site).")
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPageOut(Schema):
    count: int
    unread: int = Field(description="How many of the caller's notifications are unread.")
    limit: int
    offset: int
    items: list[NotificationOut]


class NotificationFiltersIn(PageIn):
    unread: bool = Field(False, description="Only unread notifications.")


class MarkReadIn(In):
    ids: list[Id] | None = Field(
        None, description="Mark these read; leave out to mark all of the caller's read."
    )


class MarkedOut(Schema):
    marked: int


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **ERRORS},
    summary="My notifications, newest first",
)
def list_notifications(
    request: ApiRequest, filters: Query[NotificationFiltersIn]
) -> dict[str, object]:
    mine = Notification.objects.visible_to(request.auth)
    shown = mine.unread() if filters.unread else mine
    count = shown.count()
    start, end = filters.offset, filters.offset + filters.limit
    return {
        "count": count,
        "unread": count if filters.unread else mine.unread().count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(shown[start:end]) if count > start else [],
    }


@router.post(
    "/notifications/read",
    # 400: a body that is not JSON.
    response={200: MarkedOut, 400: ErrorOut, **ERRORS},
    summary="Mark my notifications read (some, or all)",
)
def read_notifications(request: ApiRequest, body: MarkReadIn) -> dict[str, int]:
    # Ids that are not the caller's are simply not found among theirs: nothing says they exist.
    return {"marked": mark_read(user=request.auth, notification_ids=body.ids)}
