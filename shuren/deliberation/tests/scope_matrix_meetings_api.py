"""The meetings API's routes in the scope matrix (access/tests/test_scope_matrix.py), on the
sample meetings of scope_matrix_meetings.py (each place's joint meeting, under way now): its
organisers and invitees see it, everyone else gets 404 exactly like a missing id. Building 1's
meeting has one decision owned by 金域蓝湾's property company, and a second meeting over the
同成 tower (inviting that company too) has another: the company completes both, and only the
meetings' organisers cancel them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.utils import timezone

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.deliberation.actions import call_meeting, record_decision
from shuren.deliberation.meetings.choices import Kind
from shuren.deliberation.models import Decision
from shuren.deliberation.tests.scope_matrix_meetings import (
    MEETING_SEES,
    ORGANISERS,
    sample_meeting,
)
from shuren.people.models import Team
from shuren.testing import World

DECISION_TEXT = "样本决定：物业公司划线"


DECISION_SEES = {**MEETING_SEES, "demo-wuye": {"b1", "t1"}}


def build_samples(world: World) -> None:
    now = timezone.now()
    company = Team.objects.get(code="WY-JYLW")
    tower = call_meeting(
        actor=None,
        place=world.place(SAMPLES["t1"][0]),
        kind=Kind.JOINT,
        title="样本会议：物业公司列席",
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        venue="社区会议室",
        teams=[company],
        at=now - dt.timedelta(days=1),
    )
    for meeting in (sample_meeting(world, "b1"), tower):
        record_decision(
            actor=None,
            meeting=meeting,
            text=DECISION_TEXT,
            due_on=timezone.localdate() + dt.timedelta(days=30),
            owner_team=company,
        )


def sample_decision(world: World, sample: str) -> Decision:
    return Decision.objects.get(meeting__place__code=SAMPLES[sample][0], text=DECISION_TEXT)


BASE = "api/v1/meetings/<int:meeting_id>"
ROUTES: dict[str, Any] = {
    # Everyone may ask; each list holds only the caller's meetings (test_meetings_api.py).
    "api/v1/meetings": PlainRoute("/api/v1/meetings"),
    BASE: ObjectRoute("/api/v1/meetings/{pk}", sample_meeting, sees=MEETING_SEES),
    # A wrong code: refused in words (422) to an invitee; an organiser is no invitee (403).
    f"{BASE}/check-in": ObjectRoute(
        "/api/v1/meetings/{pk}/check-in",
        sample_meeting,
        method="post",
        data={"code": "x"},
        ok=lambda role: 403 if role in ORGANISERS else 422,
        sees=MEETING_SEES,
    ),
    # No owner named: 422 for an organiser; an invitee may not record one (403).
    f"{BASE}/decisions": ObjectRoute(
        "/api/v1/meetings/{pk}/decisions",
        sample_meeting,
        method="post",
        data={"text": "样本决定", "due_on": "2030-01-01"},
        ok=lambda role: 422 if role in ORGANISERS else 403,
        sees=MEETING_SEES,
    ),
    # Nobody the meeting expects: refused (422) for whoever sees the meeting, as on the page.
    f"{BASE}/attendance": ObjectRoute(
        "/api/v1/meetings/{pk}/attendance",
        sample_meeting,
        method="post",
        data={"person": "987654321"},
        ok=lambda role: 422,
        sees=MEETING_SEES,
    ),
    f"{BASE}/agenda": ObjectRoute(
        "/api/v1/meetings/{pk}/agenda",
        sample_meeting,
        method="post",
        data={"title": "样本议题"},
        ok=lambda role: 201 if role in ORGANISERS else 403,
        sees=MEETING_SEES,
    ),
    # No secretary named: the organisers write the minutes; an invitee may not.
    f"{BASE}/minutes": ObjectRoute(
        "/api/v1/meetings/{pk}/minutes",
        sample_meeting,
        method="post",
        data={"text": "样本纪要"},
        ok=lambda role: 200 if role in ORGANISERS else 403,
        sees=MEETING_SEES,
    ),
    # Nobody checked in: nobody may approve.
    f"{BASE}/minutes/approve": ObjectRoute(
        "/api/v1/meetings/{pk}/minutes/approve",
        sample_meeting,
        method="post",
        data={"revision": "1"},
        ok=lambda role: 403,
        sees=MEETING_SEES,
    ),
    # It began ten minutes ago: too late to cancel (409); an invitee may not (403).
    f"{BASE}/cancel": ObjectRoute(
        "/api/v1/meetings/{pk}/cancel",
        sample_meeting,
        method="post",
        data={"reason": "下雨"},
        ok=lambda role: 409 if role in ORGANISERS else 403,
        sees=MEETING_SEES,
    ),
}

DETAIL = BASE
ROUTES = {
    route: replace(entry, samples=("b1", "t1", "missing"))
    if isinstance(entry, ObjectRoute) and route != DETAIL
    else entry
    for route, entry in ROUTES.items()
}
# The decisions' owner (the property company) and the meetings' organisers complete one;
# the resident, an invitee of building 1's, may not (403).
ROUTES["api/v1/decisions/<int:decision_id>/complete"] = ObjectRoute(
    "/api/v1/decisions/{pk}/complete",
    sample_decision,
    method="post",
    data={"note": "已划线"},
    ok=lambda role: 403 if role == "demo-resident" else 200,
    sees=DECISION_SEES,
    samples=("b1", "t1", "missing"),
)
# The meetings' organisers cancel one; its owner (the property company) and the resident, an
# invitee of building 1's, may not (403).
ROUTES["api/v1/decisions/<int:decision_id>/cancel"] = ObjectRoute(
    "/api/v1/decisions/{pk}/cancel",
    sample_decision,
    method="post",
    data={"reason": "不再需要"},
    ok=lambda role: 200 if role in ORGANISERS else 403,
    sees=DECISION_SEES,
    samples=("b1", "t1", "missing"),
)
