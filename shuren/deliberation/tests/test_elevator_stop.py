"""Stopping an elevator project: the staff running it stop it with a reason, in one event that
tells the stairwell's owners why; it keeps the stage it stopped at; an elevator in service is
not stopped, nor a project while its owners' vote is being taken, nor one already stopped; a
stopped project takes no further step and no longer holds its stairwell; the counts by stage
put the stopped apart; and the page offers the action to the staff only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shuren.deliberation.actions import (
    advance_project,
    agree_costs,
    call_project_vote,
    create_project,
    record_survey,
    stop_project,
)
from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.elevators.queries import by_community, stage_counts
from shuren.deliberation.elevators.rules import available_actions
from shuren.deliberation.models import ElevatorEvent, ElevatorProject, Vote
from shuren.deliberation.tests.elevator_world import (
    STAIRWELL,
    WEIGHTS,
    add_upper_floors,
    project_with_passed_vote,
)
from shuren.kernel.models import Outbox
from shuren.kernel.versions import StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.user("demo-shequ")


@pytest.fixture
def project(world, staff):
    add_upper_floors(world)
    return create_project(actor=staff, place=world.place(STAIRWELL))


def test_the_staff_stop_a_project_in_one_event_that_tells_the_owners_why(world, staff, project):
    before = ElevatorEvent.objects.filter(project=project).count()
    stopped = stop_project(
        actor=staff, project=project, reason="业主意见分歧，决定放弃", expected_version=1
    )
    assert stopped.stage == Stage.STOPPED
    assert stopped.stopped_from == Stage.SURVEY
    assert stopped.stop_reason == "业主意见分歧，决定放弃"
    assert stopped.is_open is False
    events = ElevatorEvent.objects.filter(project=project)
    assert events.count() == before + 1
    last = events.latest("pk")
    assert (last.kind, last.from_stage, last.to_stage) == ("stopped", "survey", "stopped")
    told = Outbox.objects.filter(kind="elevator.stopped").get()
    assert world.user("demo-resident").pk in told.recipients
    assert told.params["reason"] == "业主意见分歧，决定放弃"


def test_a_project_is_stopped_after_its_vote_failed(world, staff):
    project = project_with_passed_vote(world)
    # As if the owners had said no (the count is votes' own test): the project cannot go on.
    Vote.objects.filter(pk=project.vote_id).update(passed=False)
    stopped = stop_project(actor=staff, project=project, reason="表决未通过，业主放弃")
    assert (stopped.stage, stopped.stopped_from) == (Stage.STOPPED, Stage.VOTE)


def test_a_reason_is_required(staff, project):
    with pytest.raises(ValidationError) as refused:
        stop_project(actor=staff, project=project, reason=" \u200b ")
    assert refused.value.code == "reason"
    assert ElevatorProject.objects.get(pk=project.pk).stage == Stage.SURVEY


def test_an_elevator_in_service_is_not_stopped(world, staff):
    project = project_with_passed_vote(world)
    project = agree_costs(actor=staff, project=project, total=Decimal("580000.00"), weights=WEIGHTS)
    project = advance_project(actor=staff, project=project)
    later = timezone.now() + dt.timedelta(days=11)
    for _step in range(4):
        project = advance_project(actor=staff, project=project, at=later)
    assert project.stage == Stage.IN_SERVICE
    with pytest.raises(ValidationError) as refused:
        stop_project(actor=staff, project=project, reason="不要了")
    assert refused.value.code == "in_service"
    assert "stop_project" not in available_actions(staff, project)


def test_a_project_is_not_stopped_while_its_vote_is_being_taken(world, staff, project):
    project = record_survey(actor=staff, project=project, asked=8, in_favour=7)
    project = advance_project(actor=staff, project=project)
    opens = timezone.now() + dt.timedelta(days=16)
    project = call_project_vote(
        actor=staff, project=project, opens_at=opens, closes_at=opens + dt.timedelta(days=10)
    )
    with pytest.raises(ValidationError) as refused:
        stop_project(actor=staff, project=project, reason="业主撤回")
    assert refused.value.code == "vote_open"


def test_a_stopped_project_is_not_stopped_again_and_takes_no_further_step(staff, project):
    project = stop_project(actor=staff, project=project, reason="业主撤回申请")
    with pytest.raises(ValidationError) as refused:
        stop_project(actor=staff, project=project, reason="再次")
    assert refused.value.code == "stopped"
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project)
    assert refused.value.code == "stopped"
    with pytest.raises(ValidationError):
        agree_costs(actor=staff, project=project, total=Decimal(100), weights=WEIGHTS)
    assert available_actions(staff, project) == []


def test_a_stopped_project_no_longer_holds_its_stairwell(world, staff, project):
    with pytest.raises(ValidationError) as refused:
        create_project(actor=staff, place=world.place(STAIRWELL))
    assert refused.value.code == "duplicate"
    stop_project(actor=staff, project=project, reason="业主撤回申请")
    again = create_project(actor=staff, place=world.place(STAIRWELL), title="重新申请加装电梯")
    assert again.stage == Stage.SURVEY
    assert ElevatorProject.objects.filter(place=world.place(STAIRWELL)).count() == 2


def test_only_the_staff_running_it_stop_a_project_and_the_version_is_checked(world, project):
    for username in ("demo-resident", "demo-louzhang", "demo-shequ2", "demo-wuye"):
        with pytest.raises(PermissionDenied):
            stop_project(actor=world.user(username), project=project, reason="不要了")
    with pytest.raises(StaleVersion):
        stop_project(
            actor=world.user("demo-jiedao"), project=project, reason="不要了", expected_version=9
        )
    assert "stop_project" in available_actions(world.user("demo-jiedao"), project)
    assert "stop_project" not in available_actions(world.user("demo-resident"), project)


def test_the_counts_by_stage_put_the_stopped_apart(world, staff, project):
    stop_project(actor=staff, project=project, reason="业主撤回申请")
    create_project(actor=staff, place=world.place("GC-JD-JYLW-B02-U1"))
    counts = {c.stage: c.stairwells for c in stage_counts(world.place("GC-JD").path)}
    assert (counts["survey"], counts["stopped"]) == (1, 1)
    jd = next(r for r in by_community(world.place("GC").path) if r.place.code == "GC-JD")
    assert (jd.under_way, jd.in_service) == (1, 0)


def test_the_page_offers_the_stop_to_the_staff_and_shows_why_it_stopped(client, world, project):
    client.force_login(world.user("demo-shequ"))
    page = f"/deliberation/elevators/{project.pk}/"
    assert 'id="act-stop_project"' in client.get(page).content.decode()
    refused = client.post(f"{page}stop/", {"version": project.version, "reason": ""})
    assert refused.status_code == 422
    done = client.post(f"{page}stop/", {"version": project.version, "reason": "业主撤回申请"})
    assert done.status_code == 302
    body = client.get(page).content.decode()
    assert "业主撤回申请" in body
    assert "在此终止" in body
    assert 'id="act-' not in body
    client.force_login(world.user("demo-resident"))
    assert "业主撤回申请" in client.get(page).content.decode()
    denied = client.post(f"{page}stop/", {"version": 2, "reason": "再次"})
    assert denied.status_code == 403
