"""The inbox and the case page in a real browser at 375 px, everyday and 长辈版: text sizes, line
heights, tap targets (every form opened), no sideways scrolling, no serious axe findings; and a
leader's one-tap accept and reasoned escalation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

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

OPEN_EVERY_FORM = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


@pytest.fixture
def matters(page: Any) -> dict[str, Any]:  # noqa: F811 - the page fixture builds the world
    """A fresh matter with an anonymous contact and parties, and a resolved one, in building 1."""
    from shuren.cases import actions
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.testing import World

    seed(Category, DeadlinePolicy)  # live_server tests flush the seeded rows after each test
    world = World()
    odour = Category.objects.get(code="neighbour-odour")
    # The grid worker entered a neighbour's visit, naming the other side.
    fresh = actions.report_case(
        actor=world.user("demo-wangge"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=odour,
        title="楼下邻居晒咸鱼，气味很大",
        description="每天下午都晒，窗户都不敢开。",
        channel="visit",
        tier=1,
        contact_name="李先生",
        contact_phone="13987654321",
        parties=[(world.person("P-CHEN"), "respondent")],
    )
    resolved = actions.report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-leak"),
        title="楼上漏水到我家",
    )
    actions.resolve_case(
        actor=world.user("demo-louzhang"),
        case=resolved,
        method="on_the_spot",
        summary="已请楼上住户关好阀门",
    )
    return {"fresh": fresh, "resolved": resolved}


def check_both_modes(page: Any, axe: Any, url: str) -> None:  # noqa: F811
    page.goto(url)
    page.evaluate(OPEN_EVERY_FORM)
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    page.evaluate(OPEN_EVERY_FORM)
    assert problems_of(page, axe, ELDER) == []
    switch_elder_mode(page)


@pytest.mark.parametrize("username", ["demo-louzhang", "demo-shequ", "demo-resident"])
def test_the_inbox_and_the_case_page_are_readable_and_tappable(
    page,  # noqa: F811
    axe,  # noqa: F811
    matters,
    username,
):
    log_in(page, username)
    page.goto("/cases/?status=all")
    assert page.locator(".case-row").count() >= 1
    check_both_modes(page, axe, "/cases/?status=all")
    case = matters["resolved"] if username == "demo-resident" else matters["fresh"]
    check_both_modes(page, axe, f"/cases/{case.pk}/")


def test_the_leader_accepts_with_one_tap_and_escalates_with_a_reason(
    page,  # noqa: F811
    matters,
):

    case = matters["fresh"]
    log_in(page, "demo-louzhang")
    page.goto("/cases/")
    page.click(f"a.row[href='/cases/{case.pk}/']")
    page.click("#act-accept button")
    page.wait_for_selector(".messages")
    assert "已受理" in page.locator(".messages").inner_text()
    page.click("#act-escalate summary")
    page.fill("#escalate-reason", "双方各执一词，需社区调解")
    page.click("#act-escalate button[type=submit]")
    page.wait_for_selector(".messages")
    case.refresh_from_db()
    assert (case.status, case.current_tier) == ("accepted", 2)
    assert "当前所在" in page.locator(".step-current").inner_text()


@pytest.mark.skipif(
    os.environ.get("SHUREN_SCREENSHOTS") != "1", reason="set SHUREN_SCREENSHOTS=1 to save them"
)
def test_save_screenshots_of_the_inbox_and_the_case_page(page, matters):  # noqa: F811
    """375-px screenshots for docs/screenshots/, everyday and 长辈版."""
    folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    log_in(page, "demo-shequ")
    for name, url in (("inbox", "/cases/"), ("case", f"/cases/{matters['fresh'].pk}/")):
        page.goto(url)
        page.screenshot(path=str(folder / f"{name}-demo-shequ.png"), full_page=True)
        switch_elder_mode(page)
        page.screenshot(path=str(folder / f"{name}-demo-shequ-elder.png"), full_page=True)
        switch_elder_mode(page)
