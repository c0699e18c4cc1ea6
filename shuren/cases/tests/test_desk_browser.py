"""The inbox at a desk, in a real browser at 1280 px: a table with sortable columns, readable in
both modes, and a community worker who ticks three matters and dispatches them at once; at 375 px
the same page is cards, and the boxes to tick are full tap targets."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.cases.tests.test_journeys_browser import shot
from shuren.web.tests.test_browser_home import (  # the shared browser fixtures and checks
    ELDER,
    NORMAL,
    axe,  # noqa: F401 - a fixture
    browser,  # noqa: F401 - a fixture
    log_in,
    page,  # noqa: F401 - a fixture
    problems_of,
    switch_elder_mode,
)

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 900}


@pytest.fixture
def waiting(page: Any) -> list[Any]:  # noqa: F811 - the page fixture builds the world
    """Four new matters in 尖东 that nobody has been given yet."""
    from shuren.cases import actions
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.testing import World

    seed(Category, DeadlinePolicy)  # live_server tests flush the seeded rows after each test
    world = World()
    leak = Category.objects.get(code="neighbour-leak")
    return [
        actions.report_case(
            actor=world.user(username), place=world.place(place), category=leak, title=title
        )
        for username, place, title in (
            ("demo-resident", "GC-JD-JYLW-B01-U1", "楼上漏水到我家"),
            ("demo-resident", "GC-JD-JYLW-B01-U1", "楼道堆放杂物"),
            ("demo-louzhang2", "GC-JD-JYLW-B02-U1", "2栋电梯异响"),
            ("demo-louzhang2", "GC-JD-JYLW-B02-U1", "2栋楼道灯不亮"),
        )
    ]


def test_a_community_worker_dispatches_three_matters_at_once(page, waiting):  # noqa: F811
    from shuren.cases.models import Case, CaseEvent, EventKind
    from shuren.places.models import Place

    company = Place.objects.get(code="GC-JD-JYLW").property_company
    page.set_viewport_size(DESK)
    log_in(page, "demo-shequ")
    page.goto("/cases/?sort=-reported")
    assert page.locator("table.desk thead").is_visible()  # a table at a desk, not cards
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("反映时间")
    chosen = waiting[:3]
    for case in chosen:
        page.check(f"input[name=pick][value='{case.pk}:{case.version}']")
    page.select_option("#bulk-team", str(company.pk))
    shot(page, "desk-01-three-ticked")
    page.click(".bulk-bar button[type=submit]")
    page.wait_for_selector(".messages")
    assert "已将 3 件事项派给金域蓝湾物业服务中心" in page.locator(".messages").inner_text()
    shot(page, "desk-02-dispatched")
    assert page.evaluate("location.pathname + location.search") == "/cases/?sort=-reported"
    for case in chosen:
        case = Case.objects.get(pk=case.pk)
        assert (case.status, case.assignee_team_id) == ("in_progress", company.pk)
        assert case.events.filter(kind=EventKind.ASSIGNED).count() == 1
    assert Case.objects.get(pk=waiting[3].pk).assignee_team_id is None
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 3
    # What was dispatched has left the boxes; the fourth may still be ticked.
    assert page.locator("input[name=pick]").count() == 1


def test_the_desk_sorts_by_a_column_header(page, waiting):  # noqa: F811
    page.set_viewport_size(DESK)
    log_in(page, "demo-shequ")
    page.goto("/cases/?status=open")
    page.click("th a.sort:has-text('反映时间')")
    assert "sort=-reported" in page.url
    assert "status=open" in page.url
    titles = page.locator(".case-row .row-main").all_inner_texts()
    assert titles == [case.title for case in reversed(waiting)]
    page.click("th a.sort:has-text('反映时间')")
    assert "sort=reported" in page.url
    assert page.locator(".case-row .row-main").all_inner_texts() == [c.title for c in waiting]


def test_the_desk_is_readable_in_both_modes(page, axe, waiting):  # noqa: F811
    page.set_viewport_size(DESK)
    log_in(page, "demo-shequ")
    page.goto("/cases/")
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []


def test_on_a_phone_the_rows_are_cards_and_the_boxes_full_tap_targets(
    page,  # noqa: F811
    axe,  # noqa: F811
    waiting,
):
    log_in(page, "demo-shequ")
    page.goto("/cases/")
    assert not page.locator("table.desk thead").is_visible()
    assert page.locator("td.cell-place").first.inner_text() == "尖东社区 › 金域蓝湾 › 2栋1单元"
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
