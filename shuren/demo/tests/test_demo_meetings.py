"""loaddemo's meetings: 金域蓝湾's joint meeting on parking was held with the property company,
the building leader and a resident present, its minutes approved, and its three decisions stand
one done, one open and one overdue (reminded); the owners see their open items on their home
until done, the overdue one in red; an online joint meeting is called for next week."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shuren.deliberation.meetings import followthrough
from shuren.deliberation.meetings.choices import ItemStatus, Kind, Minutes
from shuren.deliberation.models import Attendance, Decision, Meeting, MeetingEvent
from shuren.demo.meetings import ONLINE, PARKING, load_demo_meetings

pytestmark = [pytest.mark.django_db, pytest.mark.early]


def test_the_parking_meeting_was_held_and_its_minutes_approved(demo):
    meeting = Meeting.objects.get(title=PARKING)
    assert meeting.kind == Kind.JOINT
    assert meeting.minutes_status == Minutes.APPROVED
    assert Attendance.objects.filter(meeting=meeting).count() == 4


def test_its_decisions_are_one_done_one_open_one_overdue_and_reminded(demo):
    today = followthrough.local_day(timezone.now())
    tones = sorted(
        followthrough.tone(d.status, d.due_on, today)
        for d in Decision.objects.filter(meeting__title=PARKING)
    )
    assert tones == ["done", "open", "overdue"]
    overdue = Decision.objects.get(meeting__title=PARKING, status=ItemStatus.OPEN, due_on__lt=today)
    assert MeetingEvent.objects.filter(decision=overdue, kind="item_overdue").exists()


def test_the_owners_homes_show_their_open_items_the_overdue_one_in_red(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-wuye"))
    home = client.get("/").content.decode()
    assert "消防通道施划禁停标线" in home
    assert "item-overdue" in home
    assert "完成地面车位划线" not in home  # done: off the home
    client.force_login(get_user_model().objects.get(username="demo-louzhang"))
    assert "收集本栋住户夜间临时停车需求" in client.get("/").content.decode()


def test_an_online_meeting_is_called_and_a_second_load_adds_none(demo):
    assert Meeting.objects.get(title=ONLINE).kind == Kind.ONLINE_JOINT
    assert load_demo_meetings() == {"meetings": 0}
