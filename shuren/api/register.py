"""The case register through the API: GET /api/v1/stats/register?place=&start=&end= answers the
workbook itself (masked) or, when it is large, 202 with the export that a background task is
building (the caller is notified, and downloads it from the link in the notification).

A place outside the places whose figures the caller reads answers 404, like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from shuren.api.auth import ApiRequest
from shuren.api.errors import ApiError
from shuren.api.inputs import Id, In
from shuren.api.schemas import ERRORS
from shuren.insights.register.book import XLSX
from shuren.insights.register.export import build_register, count_matters
from shuren.insights.register.tasks import ask_for_register
from shuren.insights.web.register_forms import clean_period, exportable_places
from shuren.insights.web.register_views import register_filename, sync_limit, xlsx_response

router = Router(tags=["stats"])


class RegisterIn(In):
    place: Id = Field(..., description="The place (in the caller's scope).")
    start: dt.date = Field(..., description="First day reported, Asia/Shanghai (YYYY-MM-DD).")
    end: dt.date = Field(..., description="Last day reported, included (YYYY-MM-DD).")


class RegisterQueuedOut(Schema):
    id: int = Field(..., description="The export being built.")
    status: str = Field(..., description="queued: the caller is notified when it is ready.")
    rows: int = Field(..., description="How many matters it holds.")
    files: str = Field(..., description="The page listing the caller's exports.")


@router.get(
    "/stats/register",
    response={202: RegisterQueuedOut, **ERRORS},
    summary="The case register (台账) of a place and period as Excel",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The workbook (masked).",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def register(request: ApiRequest, filters: Query[RegisterIn]) -> Any:
    user = request.auth
    place = exportable_places(user).filter(pk=filters.place).first()
    if place is None:
        raise Http404
    period, problem = clean_period(filters.start, filters.end)
    if period is None:
        raise ApiError(422, "invalid_period", problem)
    rows = count_matters(user, place, period)
    if rows > sync_limit():
        export = ask_for_register(actor=user, place=place, period=period)
        return Status(
            202,
            {
                "id": export.pk,
                "status": export.status,
                "rows": rows,
                "files": reverse("insights:register-files"),
            },
        )
    built = build_register(
        user=user, place=place, period=period, ip_address=request.META.get("REMOTE_ADDR")
    )
    response: HttpResponse = xlsx_response(
        built.content, register_filename(period.start, period.end)
    )
    return response
