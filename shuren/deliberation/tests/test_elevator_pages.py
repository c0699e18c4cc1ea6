"""The elevator pages: the owner reads the cost table of their stairwell, the staff move the
project a stage with one tap and are told in words what a step still needs, a stale form is
answered 409, an owner objects during the notice, and the lists hold a pinned number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shuren.deliberation.actions import advance_project, agree_costs
from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.models import ElevatorProject, Objection
from shuren.deliberation.tests.elevator_world import WEIGHTS, project_with_passed_vote

pytestmark = pytest.mark.django_db


def url(project, slug=""):
    return f"/deliberation/elevators/{project.pk}/" + (f"{slug}/" if slug else "")


@pytest.fixture
def project(world):
    return agree_costs(
        actor=world.user("demo-shequ"),
        project=project_with_passed_vote(world),
        total=Decimal("580000.00"),
        weights=WEIGHTS,
    )


def test_an_owner_sees_the_cost_table_of_their_stairwell(client, world, project):
    client.force_login(world.user("demo-resident"))
    body = client.get(url(project)).content.decode()
    assert "费用分摊" in body or "Cost sharing" in body
    assert "580000.00" in body
    assert ">701<" in body
    assert "act-advance_project" not in body


def test_staff_move_the_project_with_one_tap(client, world, project):
    client.force_login(world.user("demo-shequ"))
    page = client.get(url(project)).content.decode()
    assert 'id="act-advance_project"' in page
    response = client.post(url(project, "advance"), {"version": project.version})
    assert response.status_code == 302
    assert ElevatorProject.objects.get(pk=project.pk).stage == Stage.NOTICE


def test_a_step_the_rules_refuse_is_answered_in_words(client, world, project):
    staff = world.user("demo-shequ")
    project = advance_project(actor=staff, project=project)
    client.force_login(staff)
    response = client.post(url(project, "advance"), {"version": project.version})
    assert response.status_code == 422
    assert ElevatorProject.objects.get(pk=project.pk).stage == Stage.NOTICE


def test_a_stale_form_is_answered_409_and_nothing_moves(client, world, project):
    client.force_login(world.user("demo-shequ"))
    response = client.post(url(project, "advance"), {"version": project.version - 1})
    assert response.status_code == 409
    assert ElevatorProject.objects.get(pk=project.pk).stage == Stage.VOTE


def test_an_owner_objects_on_the_page_during_the_notice(client, world, project):
    project = advance_project(actor=world.user("demo-shequ"), project=project)
    client.force_login(world.user("demo-resident"))
    assert 'id="act-file_objection"' in client.get(url(project)).content.decode()
    response = client.post(url(project, "object"), {"version": project.version, "text": "挡住采光"})
    assert response.status_code == 302
    objection = Objection.objects.get(project=project)
    assert objection.person == world.person("P-WANG")
    assert objection.case is not None


def test_an_owner_may_not_take_a_staff_step(client, world, project):
    client.force_login(world.user("demo-resident"))
    response = client.post(url(project, "advance"), {"version": project.version})
    assert response.status_code == 403
    assert ElevatorProject.objects.get(pk=project.pk).stage == Stage.VOTE


def test_the_list_and_the_counts_by_stage(client, world, project, django_assert_max_num_queries):
    staff = world.user("demo-jiedao")
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        body = client.get("/deliberation/elevators/").content.decode()
    assert project.title in body
    with django_assert_max_num_queries(14):
        overview = client.get("/deliberation/elevators/overview/")
    assert overview.status_code == 200
    vote_row = next(c for c in overview.context["counts"] if c.stage == "vote")
    assert (vote_row.stairwells, vote_row.estates) == (1, 1)
    jd = next(r for r in overview.context["communities"] if r.place.code == "GC-JD")
    assert (jd.under_way, jd.in_service) == (1, 0)


def test_community_staff_see_their_community_and_not_another(client, world, project):
    client.force_login(world.user("demo-shequ2"))
    assert client.get("/deliberation/elevators/overview/").context["place"].code == "GC-TC"
    other = world.place("GC-JD").pk
    assert client.get(f"/deliberation/elevators/overview/?place={other}").status_code == 404
    assert client.get(url(project)).status_code == 404


def test_the_list_is_pinned_with_many_projects(
    client, world, project, django_assert_max_num_queries
):
    from shuren.deliberation.actions import create_project

    for code in ("GC-JD-JYLW-B02-U1", "GC-JD-JDXC-B01"):
        create_project(
            actor=None, place=world.place(code), at=timezone.now() - dt.timedelta(days=1)
        )
    client.force_login(world.user("demo-shequ"))
    with django_assert_max_num_queries(12):
        response = client.get("/deliberation/elevators/")
    assert len(response.context["projects"]) == 3


def test_an_owner_reads_their_own_objection_and_only_the_count_of_others(client, world, project):
    from shuren.deliberation.actions import file_objection

    staff = world.user("demo-shequ")
    project = advance_project(actor=staff, project=project)
    file_objection(actor=staff, project=project, name="隔壁楼李先生", text="挡住采光")
    file_objection(actor=world.user("demo-resident"), project=project, text="担心噪音")
    client.force_login(world.user("demo-resident"))
    body = client.get(url(project)).content.decode()
    assert "担心噪音" in body
    assert "隔壁楼李先生" not in body
    assert "挡住采光" not in body
    assert "另有1条其他业主或邻居提出的异议" in body
    client.force_login(staff)
    assert "隔壁楼李先生" in client.get(url(project)).content.decode()
