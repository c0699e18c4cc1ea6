"""One elevator retrofit on a phone at 375 px: the stairwell's vote has passed (every owner
agreed on paper, entered through the actions), the community's staff move the project on its
page from the vote to the public notice, and, once the notice has run its ten days with no
objection, through design, construction and acceptance to service, one tap a stage; the owner
王秀英 reads her stairwell's cost table; the subdistrict's staff read the counts by stage. Each
page is readable and tappable in both modes and passes axe-core. With SHUREN_SCREENSHOTS=1 the
pages are saved to docs/screenshots/elevator-*.png. Then the staff register a project through the
form in a few taps and stop it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from shuren.cases.tests.test_journeys_browser import phone, shot  # noqa: F401 - fixtures
from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

browser = home.browser
axe = home.axe


def stage_of(page: Any) -> str:
    return page.locator("[aria-current=step] .step-label").inner_text().strip()


def advance(page: Any) -> None:
    with page.expect_navigation():
        page.locator("#act-advance_project button[type=submit]").click()
    errors = page.locator(".alert-error")
    assert errors.count() == 0, errors.first.inner_text()


def readable(page: Any, axe: Any) -> None:
    assert home.problems_of(page, axe, home.NORMAL) == []


def test_an_elevator_moves_from_the_vote_to_service_on_a_phone(phone, axe):  # noqa: F811
    from django.utils import timezone

    from shuren.deliberation.actions import agree_costs
    from shuren.deliberation.elevators.choices import Stage
    from shuren.deliberation.models import ElevatorProject
    from shuren.deliberation.tests.elevator_world import WEIGHTS, project_with_passed_vote
    from shuren.testing import World

    world = World()
    project = agree_costs(
        actor=world.user("demo-shequ"),
        project=project_with_passed_vote(world),
        total=Decimal("580000.00"),
        weights=WEIGHTS,
    )
    staff = phone("demo-shequ")
    staff.goto("/deliberation/elevators/")
    with staff.expect_navigation():
        staff.get_by_role("link", name=project.title).click()
    assert stage_of(staff) == "业主表决"
    assert "已通过" in staff.content()
    readable(staff, axe)
    advance(staff)
    assert stage_of(staff) == "公示"

    # Ten days later: the notice has run its course and nobody objected.
    today = timezone.localdate()
    ElevatorProject.objects.filter(pk=project.pk).update(
        notice_starts_on=today - dt.timedelta(days=10), notice_ends_on=today - dt.timedelta(days=1)
    )
    staff.reload()
    for expected in ("设计与报建", "施工", "竣工验收", "投入使用"):
        advance(staff)
        assert stage_of(staff) == expected
    assert staff.locator("#act-advance_project").count() == 0
    project.refresh_from_db()
    assert project.stage == Stage.IN_SERVICE
    assert project.in_service_on == today
    shot(staff, "elevator-project")
    readable(staff, axe)

    owner = phone("demo-resident")
    owner.goto(f"/deliberation/elevators/{project.pk}/")
    costs = owner.get_by_role("region", name="费用分摊")
    table = costs.get_by_role("table").inner_text()
    assert "701" in table
    assert "580000.00" in table
    assert owner.locator("#act-advance_project").count() == 0
    shot(owner, "elevator-costs")
    readable(owner, axe)
    home.switch_elder_mode(owner)
    assert home.problems_of(owner, axe, home.ELDER) == []

    jiedao = phone("demo-jiedao")
    jiedao.goto("/deliberation/elevators/overview/")
    rows = jiedao.get_by_role("table").first.inner_text()
    assert "投入使用" in rows
    shot(jiedao, "elevator-overview")
    readable(jiedao, axe)


def test_staff_register_a_project_in_a_few_taps_and_stop_it_on_a_phone(phone, axe):  # noqa: F811
    """From the list: the estate, the stairwell, one tap to register; then stopped with a
    reason (the owners withdrew). Both pages readable, in elder mode too."""
    staff = phone("demo-shequ")
    staff.goto("/deliberation/elevators/")
    for name in ("登记加装电梯项目", "金域蓝湾", "金域蓝湾 · 1栋 · 1栋1单元"):
        with staff.expect_navigation():
            staff.get_by_role("link", name=name).click()
    readable(staff, axe)
    shot(staff, "elevator-register")
    with staff.expect_navigation():
        staff.get_by_role("button", name="登记项目").click()
    assert stage_of(staff) == "意向征询"
    staff.locator("#act-stop_project summary").click()
    staff.get_by_label("终止原因（会告知业主）").fill("业主撤回申请")
    with staff.expect_navigation():
        staff.locator("#act-stop_project button[type=submit]").click()
    assert "在此终止" in staff.content()
    assert "业主撤回申请" in staff.content()
    readable(staff, axe)
    home.switch_elder_mode(staff)
    assert home.problems_of(staff, axe, home.ELDER) == []
