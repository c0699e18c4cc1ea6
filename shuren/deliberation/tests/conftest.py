"""Fixtures for the consultation tests: for the owners' vote pages, a vote over 金域蓝湾 1栋1单元
(101 王秀英, 102 陈美玲 …) open now (voting opened two days ago), and one whose voting closed
yesterday; the matters' own (report, category, fresh_calendar) for the meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.cases.tests.conftest import category, fresh_calendar, report  # noqa: F401
from shuren.deliberation.actions import call_vote
from shuren.deliberation.models import Vote
from shuren.deliberation.votes.choices import Matter

STAIRWELL = "GC-JD-JYLW-B01-U1"


def open_vote(world, *, title="1栋1单元加装电梯", place=STAIRWELL, closes_in=7) -> Vote:
    """A vote called 17 days ago whose voting opened two days ago and closes in `closes_in`
    days (negative: it has closed)."""
    now = timezone.now()
    opens = now - dt.timedelta(days=2)
    return call_vote(
        actor=world.user("demo-shequ"),
        place=world.place(place),
        matter=Matter.REBUILD,
        title=title,
        description="增设电梯一部，费用按楼层分摊。",
        opens_at=opens,
        closes_at=now + dt.timedelta(days=closes_in),
        at=opens - dt.timedelta(days=15, hours=1),
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def vote(world) -> Vote:
    return open_vote(world)
