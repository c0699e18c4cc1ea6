"""Review findings on meetings and elevator retrofits: dates far in the past or future are
refused in words (422) instead of a 500, and a decision never settles (nor writes to) a matter
its recorder may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

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
    ("starts", "ends"),
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


def test_a_secretary_cannot_settle_or_write_to_a_matter_they_cannot_see(world, report):
    from shuren.cases.models import Case, CaseEvent
    from shuren.deliberation.actions import add_agenda_item, record_decision
    from shuren.deliberation.models import Decision
    from shuren.deliberation.tests.meeting_fixtures import START, call_joint_meeting

    during = START + dt.timedelta(minutes=20)
    case = report(
        username="demo-shequ", place="GC-JD-JYLW", category_code="parking", title="乱停车", tier=3
    )
    resident = world.user("demo-resident")
    assert not Case.objects.visible_to(resident).filter(pk=case.pk).exists()
    # 王秀英 is the meeting's secretary: she may record its decisions, not settle that matter.
    meeting = call_joint_meeting(world, secretary=world.person("P-WANG"))
    item = add_agenda_item(
        actor=world.user("demo-shequ"), meeting=meeting, title="乱停车", cases=[case], at=during
    )
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(ValidationError) as refused:
        record_decision(
            actor=resident,
            meeting=meeting,
            text="物业每晚巡查",
            owner_team=Team.objects.get(code="WY-JYLW"),
            due_on=dt.date(2026, 3, 18),
            agenda_item=item,
            settles=case,
            at=during,
        )
    assert refused.value.code == "settles"
    assert "您能查看的事项" in refused.value.messages[0]
    assert not Decision.objects.exists()
    assert CaseEvent.objects.filter(case=case).count() == before


def _page_queries(client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(f"/deliberation/elevators/{project.pk}/").status_code == 200
    return len(seen)


def test_the_project_page_costs_the_same_with_one_affected_flat_or_six(client, login, world):
    from shuren.deliberation.actions import name_affected_owner
    from shuren.deliberation.tests.elevator_world import add_upper_floors

    flats = add_upper_floors(world)
    staff = world.user("demo-shequ")
    project = create_project(actor=staff, place=world.place("GC-JD-JYLW-B01-U1"))
    project = name_affected_owner(
        actor=staff, project=project, household=flats[0], how="占用窗前"
    ).project
    login("demo-shequ")
    client.get(f"/deliberation/elevators/{project.pk}/")  # the session's first page reads more
    one = _page_queries(client, project)
    for flat in flats[1:]:
        name_affected_owner(actor=staff, project=project, household=flat, how="占用窗前")
    assert _page_queries(client, project) == one
