"""The elevator projects API: the staff register a project for a stairwell (a retry with an
Idempotency-Key returns it, a second registration is a conflict), owners and staff read it with
its cost table once agreed, a step the stage does not allow is a conflict in Chinese words, the
staff stop it and an owner may not; another's project answers 404 exactly like a missing id."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shuren.deliberation.actions import agree_costs, create_project
from shuren.deliberation.models import ElevatorProject
from shuren.deliberation.tests.elevator_world import STAIRWELL, WEIGHTS, add_upper_floors

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, token_for):
    def _post(username, path, data=None, **extra):
        return client.post(
            f"/api/v1{path}",
            data or {},
            content_type="application/json",
            headers={**token_for(username), **extra.pop("headers", {})},
            **extra,
        )

    return _post


@pytest.fixture
def project(world):
    return create_project(actor=world.user("demo-shequ"), place=world.place(STAIRWELL))


def test_the_staff_register_a_project_and_a_retry_returns_it(world, post):
    body = {"place": world.place(STAIRWELL).pk}
    key = {"Idempotency-Key": "e-1"}
    first = post("demo-shequ", "/elevators", body, headers=key)
    assert first.status_code == 201
    assert (first.json()["stage"], first.json()["stage_label"]) == ("survey", "意向征询")
    again = post("demo-shequ", "/elevators", body, headers=key)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    twice = post("demo-jiedao", "/elevators", body)
    assert twice.status_code == 409
    assert twice.json()["code"] == "duplicate"
    assert ElevatorProject.objects.count() == 1


def test_an_owner_and_another_community_s_staff_may_not_register(world, post):
    body = {"place": world.place(STAIRWELL).pk}
    for username in ("demo-resident", "demo-shequ2"):
        refused = post(username, "/elevators", body)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "place"
    assert ElevatorProject.objects.count() == 0


def test_owners_and_staff_see_it_and_others_get_the_missing_answer(world, api_get, project):
    assert api_get("demo-resident", "/elevators").json()["count"] == 1
    detail = api_get("demo-resident", f"/elevators/{project.pk}").json()
    assert (detail["costs"], detail["actions"]) == ([], [])
    staff = api_get("demo-shequ", f"/elevators/{project.pk}").json()
    assert "advance_project" in staff["actions"]
    assert "stop_project" in staff["actions"]
    out = api_get("demo-wuye", f"/elevators/{project.pk}")
    missing = api_get("demo-wuye", "/elevators/987654321")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json()


def test_the_list_is_paged_in_a_fixed_number_of_queries(
    world, client, token_for, django_assert_max_num_queries, project
):
    headers = token_for("demo-jiedao")
    with django_assert_max_num_queries(10):
        page = client.get("/api/v1/elevators", {"limit": 1}, headers=headers).json()
    assert (page["count"], page["limit"], len(page["items"])) == (1, 1, 1)


def test_the_owners_read_the_agreed_cost_table_top_floor_first(world, api_get, project):
    add_upper_floors(world)
    agree_costs(
        actor=world.user("demo-shequ"), project=project, total=Decimal(540000), weights=WEIGHTS
    )
    detail = api_get("demo-resident", f"/elevators/{project.pk}").json()
    rows = detail["costs"]
    assert rows[0]["floor"] == 7
    assert sum(Decimal(r["share"]) for r in rows) == Decimal(540000)
    assert {"room", "floor", "weight", "share"} == set(rows[0])


def test_a_step_the_stage_does_not_allow_is_a_conflict_in_words(world, post, project):
    early = post("demo-shequ", f"/elevators/{project.pk}/advance", {})
    assert early.status_code == 409
    assert early.json()["code"] == "survey_missing"
    assert "征询" in early.json()["message"]
    owner = post("demo-resident", f"/elevators/{project.pk}/advance", {})
    assert owner.status_code == 403


def test_the_staff_stop_it_and_an_owner_may_not(world, post, project):
    assert (
        post("demo-resident", f"/elevators/{project.pk}/stop", {"reason": "不装了"}).status_code
        == 403
    )
    stale = post(
        "demo-shequ", f"/elevators/{project.pk}/stop", {"reason": "业主放弃", "version": 9}
    )
    assert stale.status_code == 409
    stopped = post("demo-shequ", f"/elevators/{project.pk}/stop", {"reason": "业主放弃"})
    assert stopped.status_code == 200
    assert (stopped.json()["stage"], stopped.json()["stop_reason"]) == ("stopped", "业主放弃")
    again = post("demo-shequ", f"/elevators/{project.pk}/stop", {"reason": "业主放弃"})
    assert again.status_code == 409
    assert again.json()["code"] == "stopped"
