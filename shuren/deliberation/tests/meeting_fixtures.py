"""A joint meeting at 金域蓝湾 for the meeting tests: called by demo-shequ (尖东's community
staff, its secretary too) with 王秀英 (demo-resident) and the estate's property company
(demo-wuye through their post) invited, on parking, starting at START."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuren.deliberation.actions import call_meeting
from shuren.deliberation.meetings.choices import Kind
from shuren.deliberation.models import Meeting
from shuren.people.models import Team
from shuren.testing import World
from shuren.workdays.calendar import SHANGHAI

# Wednesday 4 March 2026, 19:30 in Guicheng.
START = dt.datetime(2026, 3, 4, 19, 30, tzinfo=SHANGHAI)
TITLE = "金域蓝湾停车难联席会议"


def call_joint_meeting(world: World, username: str = "demo-shequ", **extra: Any) -> Meeting:
    values: dict[str, Any] = {
        "place": world.place("GC-JD-JYLW"),
        "kind": Kind.JOINT,
        "title": TITLE,
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
        "venue": "尖东社区党群服务中心二楼会议室",
        "purpose": "商议地面车位划线与夜间临时停车",
        "persons": [world.person("P-WANG")],
        "teams": [Team.objects.get(code="WY-JYLW")],
        "secretary": world.person("P-SQ"),
        "agenda": ["地面车位划线方案"],
        "at": START - dt.timedelta(days=3),
    }
    values.update(extra)
    actor = world.user(username) if username else None
    return call_meeting(actor=actor, **values)
