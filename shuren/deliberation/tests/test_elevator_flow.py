"""An elevator project climbs its ladder one stage at a time through the actions: each step is
one event and tells the stairwell's owners; the vote uses the project's policy; the notice is
held while an affected owner has not consented, and design while the objection window runs or
an objection is open; an objection opens a matter that goes to the mediation workshop; the cost
table sums exactly to the total; the owners see their project, others do not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shuren.cases.models import Case
from shuren.deliberation.actions import (
    advance_project,
    agree_costs,
    create_project,
    file_objection,
    name_affected_owner,
    record_consent,
    settle_objection,
)
from shuren.deliberation.elevators.choices import Electorate, Stage
from shuren.deliberation.elevators.queries import cost_table, in_service_counts, stage_counts
from shuren.deliberation.models import ElevatorEvent, ElevatorProject, VoteUnit
from shuren.deliberation.tests.elevator_world import (
    STAIRWELL,
    WEIGHTS,
    add_upper_floors,
    project_with_passed_vote,
)
from shuren.deliberation.votes.choices import Matter
from shuren.kernel.models import Outbox
from shuren.mediation.models import Mediation
from shuren.testing import deliver

pytestmark = pytest.mark.django_db


def _to_notice(world, project):
    staff = world.user("demo-shequ")
    agree_costs(actor=staff, project=project, total=Decimal("580000.00"), weights=WEIGHTS)
    return advance_project(actor=staff, project=project)


def test_the_vote_uses_matter_7_over_the_stairwells_owners_by_default(world):
    project = project_with_passed_vote(world)
    vote = project.vote
    assert vote.matter == Matter.REBUILD == project.matter
    assert vote.place.code == STAIRWELL
    assert VoteUnit.objects.filter(vote=vote).count() == 8
    assert vote.passed is True
    assert vote.quorum_met is True


def test_the_policy_may_put_the_vote_to_the_whole_building(world):
    add_upper_floors(world)
    staff = world.user("demo-shequ")
    project = create_project(
        actor=staff,
        place=world.place(STAIRWELL),
        electorate=Electorate.BUILDING,
        matter=Matter.OTHER,
    )
    from shuren.deliberation.elevators.projects import electorate_place

    assert electorate_place(project).code == "GC-JD-JYLW-B01"


def test_each_step_is_one_event_and_the_owners_are_told(world):
    project = project_with_passed_vote(world)
    before = ElevatorEvent.objects.filter(project=project).count()
    project = _to_notice(world, project)
    assert project.stage == Stage.NOTICE
    today = timezone.localdate()
    assert project.notice_starts_on == today
    assert project.notice_ends_on == today + dt.timedelta(days=9)
    assert ElevatorEvent.objects.filter(project=project).count() == before + 2
    row = Outbox.objects.filter(kind="elevator.advanced").latest("pk")
    assert world.user("demo-resident").pk in row.recipients
    assert row.params["stage"] == "notice"


def test_the_notice_waits_for_an_affected_owner_who_has_not_consented(world):
    project = project_with_passed_vote(world, affected=False)
    staff = world.user("demo-shequ")
    chen = world.household("H-B01-102")
    name_affected_owner(actor=staff, project=project, household=chen, how="连廊经过102阳台")
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project)
    assert refused.value.code == "consent_pending"
    record_consent(
        actor=staff, project=project, household=chen, given=False, person=world.person("P-CHEN")
    )
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project)
    assert refused.value.code == "consent_refused"
    assert ElevatorProject.objects.get(pk=project.pk).stage == Stage.VOTE


def test_a_consent_is_signed_by_one_of_the_flats_owners(world):
    project = project_with_passed_vote(world, affected=False)
    staff = world.user("demo-shequ")
    chen = world.household("H-B01-102")
    name_affected_owner(actor=staff, project=project, household=chen, how="连廊经过102阳台")
    with pytest.raises(ValidationError) as refused:
        record_consent(
            actor=staff, project=project, household=chen, given=True, person=world.person("P-WANG")
        )
    assert refused.value.code == "person"


def test_an_objection_opens_a_matter_sent_to_the_workshop_which_opens_a_mediation(world):
    project = _to_notice(world, project_with_passed_vote(world))
    objection = file_objection(
        actor=world.user("demo-resident"), project=project, text="电梯挡住我家采光，要求调整位置。"
    )
    case = objection.case
    assert case.category.code == "elevator"
    assert case.reporter == world.person("P-WANG")
    assert objection.mediation_team.code == "T-SZM"
    assert case.assignee_team_id == objection.mediation_team_id
    deliver()  # the outbox worker: mediation opens its case from the dispatched matter
    assert Mediation.objects.filter(case=case).exists()


def test_a_neighbours_objection_staff_write_down_by_name_opens_its_mediation_too(world):
    project = _to_notice(world, project_with_passed_vote(world))
    objection = file_objection(
        actor=world.user("demo-shequ"),
        project=project,
        name="邻楼周先生",
        text="电梯井离我家窗户太近，影响通风。",
    )
    assert objection.case.reporter is None
    deliver()
    applicant = Mediation.objects.get(case=objection.case).parties.get()
    assert applicant.name == "邻楼周先生"


def test_design_waits_for_the_notice_to_end_and_for_every_objection_settled(world):
    project = _to_notice(world, project_with_passed_vote(world))
    staff = world.user("demo-shequ")
    objection = file_objection(
        actor=world.user("demo-resident"), project=project, text="噪音影响休息"
    )
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project)
    assert refused.value.code == "notice_running"
    after = timezone.now() + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project, at=after)
    assert refused.value.code == "objection_open"
    with pytest.raises(ValidationError):
        file_objection(actor=world.user("demo-resident"), project=project, text="晚了", at=after)
    settle_objection(
        actor=staff, project=project, objection=objection, note="调解达成协议：加装隔音板。"
    )
    project = advance_project(actor=staff, project=project, at=after)
    assert project.stage == Stage.DESIGN


def test_the_project_reaches_service_and_is_counted_by_the_day_it_entered(world):
    project = _to_notice(world, project_with_passed_vote(world))
    staff = world.user("demo-shequ")
    after = timezone.now() + dt.timedelta(days=10)
    for _ in range(4):
        project = advance_project(actor=staff, project=project, at=after)
    assert project.stage == Stage.IN_SERVICE
    day = timezone.localdate(after)
    assert project.in_service_on == day
    jd = world.place("GC-JD").path
    assert in_service_counts(jd, day, day) == (1, 1)
    assert in_service_counts(jd, day + dt.timedelta(days=1), day + dt.timedelta(days=30)) == (0, 0)
    assert in_service_counts(world.place("GC-TC").path, day, day) == (0, 0)
    counts = {c.stage: (c.stairwells, c.estates) for c in stage_counts(world.place("GC").path)}
    assert counts["in_service"] == (1, 1)
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project, at=after)
    assert refused.value.code == "last_stage"


def test_construction_waits_for_the_cost_sharing(world):
    project = project_with_passed_vote(world)
    staff = world.user("demo-shequ")
    project = advance_project(actor=staff, project=project)
    after = timezone.now() + dt.timedelta(days=10)
    project = advance_project(actor=staff, project=project, at=after)
    with pytest.raises(ValidationError) as refused:
        advance_project(actor=staff, project=project, at=after)
    assert refused.value.code == "costs_missing"


def test_the_cost_table_sums_exactly_and_higher_floors_pay_more(world):
    project = agree_costs(
        actor=world.user("demo-shequ"),
        project=project_with_passed_vote(world),
        total=Decimal("580000.00"),
        weights=WEIGHTS,
    )
    rows = cost_table(project)
    assert sum(r.share for r in rows) == Decimal("580000.00")
    by_room = {r.room: r.share for r in rows}
    assert by_room["101"] == by_room["102"] == Decimal("0.00")
    assert by_room["701"] > by_room["601"] > by_room["201"] > 0


def test_a_floor_left_without_a_weight_is_named(world):
    project = project_with_passed_vote(world)
    with pytest.raises(ValidationError) as refused:
        agree_costs(
            actor=world.user("demo-shequ"),
            project=project,
            total=Decimal(100),
            weights={1: Decimal(1)},
        )
    assert refused.value.code == "weight_missing"
    assert "2、3、4、5、6、7" in refused.value.messages[0]


def test_who_sees_a_project(world):
    project = project_with_passed_vote(world)
    visible = {
        name: ElevatorProject.objects.visible_to(world.user(name)).filter(pk=project.pk).exists()
        for name in (
            "demo-resident",
            "demo-shequ",
            "demo-jiedao",
            "demo-shequ2",
            "demo-louzhang",
            "demo-wuye",
        )
    }
    assert visible == {
        "demo-resident": True,
        "demo-shequ": True,
        "demo-jiedao": True,
        "demo-shequ2": False,
        "demo-louzhang": False,
        "demo-wuye": False,
    }


def test_an_owner_may_not_move_the_project_and_a_stranger_may_not_object(world):
    project = _to_notice(world, project_with_passed_vote(world))
    with pytest.raises(PermissionDenied):
        advance_project(actor=world.user("demo-resident"), project=project)
    with pytest.raises(PermissionDenied):
        file_objection(actor=world.user("demo-louzhang2"), project=project, text="反对")
    assert not Case.objects.filter(category__code="elevator").exists()


def test_a_building_with_stairwells_is_not_a_project_place_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        create_project(actor=world.user("demo-shequ"), place=world.place("GC-JD-JYLW-B01"))
    assert refused.value.code == "place"
    assert not ElevatorProject.objects.exists()
