"""The overview in a real browser (issue 11, item 7): subdistrict staff open it at 1280 px, the
charts draw under the Content-Security-Policy, a click on the neighbour disputes count lands on
the list of exactly that many matters; at 375 px in 长辈版 it is readable, tappable, has no
sideways scrolling and no serious axe finding."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from shuren.web.tests import test_browser_home as home
from shuren.web.tests.test_browser_csp import LISTEN
from shuren.web.tests.test_browser_home import (  # the shared browser fixtures and checks
    ELDER,
    NORMAL,
    axe,  # noqa: F401 - a fixture
    log_in,
    problems_of,
    switch_elder_mode,
)

pytestmark = pytest.mark.browser

browser = home.browser  # skipped there without Chromium
DESK = {"width": 1280, "height": 900}
SHOTS = os.environ.get("SHUREN_SCREENSHOTS") == "1"
YEAR = "start=2026-01-01&end=2026-12-31"


@pytest.fixture
def matters(live_server: Any, settings: Any) -> None:
    """Three neighbour disputes and a sanitation problem of March 2026, one dispute settled."""
    import datetime as dt

    from shuren.cases import actions
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.cases.tests.conftest import MONDAY
    from shuren.testing import World, build_world

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    build_world()
    seed(Category, DeadlinePolicy)  # live_server tests flush the seeded rows after each test
    world = World()
    made = []
    for place, code, title in (
        ("GC-JD-JYLW-B01-U1", "neighbour-noise", "楼上深夜很吵"),
        ("GC-JD-JYLW-B02", "neighbour-leak", "楼上漏水到我家"),
        ("GC-TC-JYZY-T1", "neighbour-odour", "邻居晒咸鱼"),
        ("GC-JD-JDXC-B01", "sanitation", "楼道堆放垃圾"),
    ):
        made.append(
            actions.report_case(
                actor=None,
                place=world.place(place),
                category=Category.objects.get(code=code),
                title=title,
                at=MONDAY,
            )
        )
    later = MONDAY + dt.timedelta(days=1)
    actions.accept_case(actor=None, case=made[0], at=later)
    actions.resolve_case(
        actor=None, case=made[0], method="on_the_spot", summary="已当场劝解", at=later
    )


def _page(browser: Any, live_server: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def desk(browser: Any, live_server: Any, matters: None) -> Iterator[Any]:
    context, page = _page(browser, live_server, DESK)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any, live_server: Any, matters: None) -> Iterator[Any]:
    context, page = _page(browser, live_server, home.VIEWPORT)
    yield page
    context.close()


def _shots() -> Path:
    folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_subdistrict_staff_click_a_figure_and_land_on_its_matters(desk):
    log_in(desk, "demo-jiedao")
    desk.goto("/")
    desk.click("a[href='/insights/']")
    desk.wait_for_url(re.compile(r"/insights/$"))
    desk.goto(f"/insights/?{YEAR}")  # the matters' year, whatever today is
    assert "桂城街道" in desk.locator("h1").inner_text()
    # The charts are drawn (canvas) and their tables tucked behind them, a button away.
    desk.wait_for_selector("#chart-categories canvas")
    assert desk.locator(".chart canvas").count() >= 4
    assert desk.evaluate("window.__violations || []") == []
    if SHOTS:
        desk.screenshot(path=str(_shots() / "overview-subdistrict.png"), full_page=True)
    desk.click("#t-categories ~ .chart-toggle")
    row = desk.locator("#table-categories tbody tr", has_text="邻里纠纷")
    disputes = row.locator("a.figure").first
    shown = int(disputes.inner_text())
    assert shown == 3
    disputes.click()
    desk.wait_for_url(re.compile(r"/insights/records/"))
    count = desk.locator(".records-count").inner_text()
    assert count.startswith(f"{shown} ")
    assert desk.locator(".records .row").count() == shown
    desk.locator(".records .row", has_text="楼上漏水到我家").click()
    desk.wait_for_url(re.compile(r"/cases/\d+/$"))


def test_the_overview_is_readable_at_375_px_in_both_modes(phone, axe):  # noqa: F811
    log_in(phone, "demo-jiedao")
    phone.goto(f"/insights/?{YEAR}")
    phone.wait_for_selector("#chart-categories canvas")
    assert problems_of(phone, axe, NORMAL) == []
    switch_elder_mode(phone)
    phone.wait_for_selector("#chart-categories canvas")
    assert phone.evaluate("document.body.classList.contains('elder')")
    assert problems_of(phone, axe, ELDER) == []
    assert phone.evaluate("window.__violations || []") == []
    if SHOTS:
        phone.screenshot(path=str(_shots() / "overview-phone.png"), full_page=True)
    # The tables stay one tap away, and are readable when shown.
    phone.click("#t-months ~ .chart-toggle")
    assert phone.locator("#table-months").is_visible()
    phone.evaluate("window.scrollTo(0, 0)")  # the measure counts what lies below the top
    assert problems_of(phone, axe, ELDER) == []
    switch_elder_mode(phone)


def test_an_estate_grid_and_the_records_page_are_readable_at_375_px(phone, axe):  # noqa: F811
    from shuren.places.models import Place

    log_in(phone, "demo-shequ")
    estate = Place.objects.get(code="GC-JD-JYLW").pk
    phone.goto(f"/insights/?place={estate}&{YEAR}")
    assert phone.locator(".building").count() == 2
    assert problems_of(phone, axe, NORMAL) == []
    phone.locator(".building", has_text="2栋").click()
    phone.wait_for_url(re.compile(r"/insights/records/"))
    assert phone.locator(".records .row").count() == 1
    assert problems_of(phone, axe, NORMAL) == []
    switch_elder_mode(phone)
    assert problems_of(phone, axe, ELDER) == []
    switch_elder_mode(phone)
