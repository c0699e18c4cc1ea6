"""The demo's meetings, entered through the meetings' actions as the community would: a joint
meeting (联席会议) of 金域蓝湾 on parking held three weeks ago by demo-shequ with the estate's
property company (demo-wuye), the building leader (demo-louzhang) and a resident
(demo-resident), its minutes approved and three decisions followed through (one done, one open,
one overdue and reminded); and an online joint meeting called for next week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from shuren.deliberation import actions
from shuren.deliberation.meetings.choices import Kind
from shuren.deliberation.models import Meeting
from shuren.demo import data
from shuren.people.models import Team
from shuren.places.models import Place
from shuren.workdays.calendar import SHANGHAI

PARKING = "金域蓝湾停车难联席会议"
ONLINE = "金域蓝湾垃圾分类线上联席会议"
USERS = ("demo-shequ", "demo-wuye", "demo-louzhang", "demo-resident")


def _evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(19, 30), tzinfo=SHANGHAI)


def load_demo_meetings(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Both meetings, unless the parking meeting is there already (a second load adds none)."""
    if Meeting.objects.filter(title=PARKING).exists():
        return {"meetings": 0}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
    estate = Place.objects.filter(code=data.JYLW[0]).first()
    company = Team.objects.filter(code=data.JYLW_COMPANY[0]).first()
    if set(users) != set(USERS) or estate is None or company is None:
        return {"meetings": 0}
    if any(u.person_id is None for u in users.values()):
        return {"meetings": 0}
    now = now or timezone.now()
    _parking(users, estate, company, now)
    _online(users, estate, company, now)
    return {"meetings": 2}


def _parking(users: dict[str, Any], estate: Place, company: Team, now: dt.datetime) -> None:
    staff, wuye = users["demo-shequ"], users["demo-wuye"]
    leader, resident = users["demo-louzhang"], users["demo-resident"]
    today = timezone.localtime(now).date()
    start = _evening(today - dt.timedelta(days=21))
    meeting = actions.call_meeting(
        actor=staff,
        place=estate,
        kind=Kind.JOINT,
        title=PARKING,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="尖东社区党群服务中心二楼会议室",
        purpose="小区车位不足，夜间车辆占用消防通道，业主与物业多次协商未果，提请联席会议商议。",
        persons=[leader.person, resident.person],
        teams=[company],
        secretary=staff.person,
        agenda=["地面车位划线与夜间临时停车", "消防通道禁停"],
        at=start - dt.timedelta(days=4),
    )
    for user in (resident, wuye, leader):
        actions.check_in(
            actor=user,
            meeting=meeting,
            code=meeting.checkin_code,
            at=start - dt.timedelta(minutes=5),
        )
    actions.mark_attendance(actor=staff, meeting=meeting, person=staff.person, at=start)
    decided = start + dt.timedelta(hours=1, minutes=30)
    done = actions.record_decision(
        actor=staff,
        meeting=meeting,
        text="物业两周内在东侧空地完成地面车位划线，新增车位40个。",
        owner_team=company,
        due_on=(start + dt.timedelta(days=14)).date(),
        at=decided,
    )
    actions.record_decision(
        actor=staff,
        meeting=meeting,
        text="1栋楼长收集本栋住户夜间临时停车需求，报社区汇总。",
        owner_person=leader.person,
        due_on=today + dt.timedelta(days=7),
        at=decided,
    )
    actions.record_decision(
        actor=staff,
        meeting=meeting,
        text="物业在消防通道施划禁停标线并安装警示牌。",
        owner_team=company,
        due_on=today - dt.timedelta(days=4),
        at=decided,
    )
    meeting = actions.draft_minutes(
        actor=staff,
        meeting=meeting,
        text=(
            "一、地面车位：物业在东侧空地划线新增车位40个，两周内完成。\n"
            "二、夜间临时停车：楼长收集需求后再议。\n"
            "三、消防通道：物业施划禁停标线、安装警示牌，社区督促。"
        ),
        expected_version=meeting.version,
        at=start + dt.timedelta(hours=3),
    )
    for user in (resident, wuye, leader):
        actions.approve_minutes(
            actor=user, meeting=meeting, revision=1, at=start + dt.timedelta(days=1)
        )
    actions.complete_decision(
        actor=wuye,
        decision=done,
        note="已划线新增车位40个，编号张贴完毕。",
        expected_version=done.version,
        at=start + dt.timedelta(days=12),
    )
    actions.sweep_overdue(now=now)


def _online(users: dict[str, Any], estate: Place, company: Team, now: dt.datetime) -> None:
    start = _evening(timezone.localtime(now).date() + dt.timedelta(days=6))
    actions.call_meeting(
        actor=users["demo-shequ"],
        place=estate,
        kind=Kind.ONLINE_JOINT,
        title=ONLINE,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        venue="金域蓝湾楼长微信群",
        purpose="垃圾分类投放点调整，听取楼长和物业意见。",
        persons=[users["demo-louzhang"].person, users["demo-resident"].person],
        teams=[company],
        agenda=["投放点从3栋旁移至东门", "定时定点投放时间"],
        at=now,
    )
