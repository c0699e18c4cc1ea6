"""The meeting pages in the scope matrix (access/tests/test_scope_matrix.py).

Each sample place has a joint meeting over it, called by the system, under way now (so check-in
is open), inviting the sample's resident and, in 金域蓝湾, its property company. Its organisers
(the community staff over the place, the subdistrict staff) and its invitees (王秀英 in building
1, the property company's staff through their post) see it; everyone else, the building's
leader included, gets 404 as for a missing id, and nothing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.utils import timezone

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.deliberation.actions import call_meeting
from shuren.deliberation.meetings.choices import Kind
from shuren.deliberation.models import Meeting
from shuren.people.models import Team
from shuren.testing import ROLE_USERS, World

TITLE = "样本会议：停车难联席会议"
ORGANISERS = {"demo-shequ", "demo-shequ2", "demo-jiedao"}
MEETING_SEES: dict[str, set[str]] = {role: set() for role in ROLE_USERS}
MEETING_SEES["demo-shequ"] = {"b1", "b2"}
MEETING_SEES["demo-shequ2"] = {"t1"}
MEETING_SEES["demo-jiedao"] = set(SAMPLES)
MEETING_SEES["demo-resident"] = {"b1"}  # 王秀英 is invited to building 1's
MEETING_SEES["demo-wuye"] = {"b1", "b2"}  # 金域蓝湾's property company is invited to both


def build_samples(world: World) -> None:
    now = timezone.now()
    company = Team.objects.get(code="WY-JYLW")
    for sample, (place_code, _household, person_code) in SAMPLES.items():
        call_meeting(
            actor=None,
            place=world.place(place_code),
            kind=Kind.JOINT,
            title=TITLE,
            starts_at=now - dt.timedelta(minutes=10),
            ends_at=now + dt.timedelta(hours=2),
            venue="社区会议室",
            persons=[world.person(person_code)],
            teams=[company] if sample in ("b1", "b2") else [],
            at=now - dt.timedelta(days=1),
        )


def sample_meeting(world: World, sample: str) -> Meeting:
    return Meeting.objects.get(place__code=SAMPLES[sample][0], title=TITLE)


def _organisers(role: str) -> int:
    return 200 if role in ORGANISERS else 404


def _action(slug: str, data: dict[str, str], organiser: int, invitee: int) -> ObjectRoute:
    return ObjectRoute(
        f"/deliberation/meetings/{{pk}}/{slug}/",
        sample_meeting,
        method="post",
        data={"version": "1", **data},
        ok=lambda role: {organiser if role in ORGANISERS else invitee},
        sees=MEETING_SEES,
    )


ROUTES: dict[str, Any] = {
    "deliberation/meetings/": PlainRoute("/deliberation/meetings/"),
    "deliberation/meetings/new/": PlainRoute("/deliberation/meetings/new/", _organisers),
    "deliberation/meetings/check-in/": PlainRoute("/deliberation/meetings/check-in/"),
    "deliberation/meetings/<int:pk>/": ObjectRoute(
        "/deliberation/meetings/{pk}/", sample_meeting, sees=MEETING_SEES
    ),
    "deliberation/meetings/<int:pk>/check-in/": ObjectRoute(
        "/deliberation/meetings/{pk}/check-in/", sample_meeting, sees=MEETING_SEES
    ),
    # Nobody named: the form is refused (422) for whoever sees the meeting.
    "deliberation/meetings/<int:pk>/attendance/": _action("attendance", {}, 422, 422),
    "deliberation/meetings/<int:pk>/agenda/": _action("agenda", {"title": "样本议题"}, 302, 403),
    # No secretary named: the organisers write the minutes; an invitee may not.
    "deliberation/meetings/<int:pk>/minutes/": _action("minutes", {"text": "样本纪要"}, 302, 403),
    # Nobody checked in: nobody may approve.
    "deliberation/meetings/<int:pk>/approve/": _action("approve", {"revision": "0"}, 403, 403),
    # No owner named: 422.
    "deliberation/meetings/<int:pk>/decision/": _action("decision", {"text": "样本决定"}, 422, 422),
    # It began ten minutes ago: too late to cancel (422); an invitee may not (403).
    "deliberation/meetings/<int:pk>/cancel/": _action("cancel", {"reason": "下雨"}, 422, 403),
    # The item named is none of this meeting's: 404 for everyone, like someone else's meeting.
    "deliberation/meetings/<int:pk>/done/": _action(
        "done", {"decision": "987654321", "note": "已完成"}, 404, 404
    ),
    "deliberation/meetings/<int:pk>/drop/": _action(
        "drop", {"decision": "987654321", "reason": "不再需要"}, 404, 404
    ),
}

DETAIL = "deliberation/meetings/<int:pk>/"
# The detail page walks every sample; its actions and sub-pages ask the same visibility
# (visible_to, then the rule), so they walk the sample of the role's own place, another
# community's and a missing id: out of scope still answers exactly as missing.
ROUTES = {
    route: replace(entry, samples=("b1", "t1", "missing"))
    if isinstance(entry, ObjectRoute) and route != DETAIL
    else entry
    for route, entry in ROUTES.items()
}
