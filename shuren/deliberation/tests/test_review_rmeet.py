"""Review findings on meetings and elevator retrofits: dates far in the past or future are
refused in words (422) instead of a 500, and a decision never settles (nor writes to) a matter
its recorder may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shuren.deliberation.actions import create_project
from shuren.deliberation.meetings.choices import Kind
from shuren.deliberation.models import Meeting
from shuren.people.models import Team

pytestmark = pytest.mark.django_db

NEW = "/deliberation/meetings/new/"


def _call_form(world, **extra):
    form = {
        "place": world.place("GC-JD-JYLW").pk,
        "token": "review-1",
        "kind": Kind.JOINT,
        "title": "停车联席会议",
        "starts_at": "2031-03-04T19:30",
        "ends_at": "2031-03-04T21:00",
        "venue": "社区会议室",
        "purpose": "",
        "teams": [Team.objects.get(code="WY-JYLW").pk],
        "persons": [world.person("P-LZ1").pk],
        "secretary": "",
        "agenda": "",
    }
    form.update(extra)
    return form


@pytest.mark.parametrize(
    "starts, ends",
    [("0001-01-01T00:00", "0001-01-01T01:00"), ("9999-12-31T22:00", "9999-12-31T23:00")],
)
def test_a_meeting_far_in_the_past_or_future_is_a_422_in_words(client, login, world, starts, ends):
    login("demo-shequ")
    answer = client.post(NEW, _call_form(world, starts_at=starts, ends_at=ends))
    assert answer.status_code == 422
    assert "会议时间" in answer.content.decode()
    assert not Meeting.objects.exists()


def test_a_vote_closing_at_the_end_of_time_is_a_422_in_words(client, login, world):
    project = create_project(actor=None, place=world.place("GC-JD-JYLW-B01-U1"))
    login("demo-shequ")
    answer = client.post(
        f"/deliberation/elevators/{project.pk}/vote/",
        {"version": project.version, "opens_on": "2030-01-20", "closes_on": "9999-12-31"},
    )
    assert answer.status_code == 422
    assert "日期" in answer.content.decode()
    project.refresh_from_db()
    assert project.vote is None
