"""Every role's home page in a real browser at 375 px, in everyday and 长辈版 mode: text sizes,
line heights, tap targets, no sideways scrolling, and no serious axe-core findings
(../shared/reference/elderly-ui.md)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from shuren.testing import PASSWORD, ROLE_USERS, build_world

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    # CI (.ci/run) sets SHUREN_REQUIRE_BROWSER=1: there a missing Chromium fails the run.
    if os.environ.get("SHUREN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and SHUREN_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests",
        allow_module_level=True,
    )

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 375, "height": 800}

# elderly-ui.md: everyday pages, then 长辈版.
NORMAL = {"text": 16, "largest": 0, "target": 44}
ELDER = {"text": 18, "largest": 30, "target": 60}

# What the page measures about itself: every visible element that holds text, and every
# visible control. Elements wholly off-screen (none today) would not count.
MEASURE = """() => {
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0
      && r.right > 0 && r.bottom > 0;
  };
  const texts = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    const s = getComputedStyle(el);
    texts.push({
      text: el.textContent.trim().slice(0, 40),
      fontSize: parseFloat(s.fontSize),
      lineHeight: s.lineHeight === 'normal' ? 0 : parseFloat(s.lineHeight),
    });
  }
  const targets = [];
  for (const el of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    targets.push({text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
                  width: r.width, height: r.height});
  }
  return {
    texts, targets,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    elder: document.body.classList.contains('elder'),
  };
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread; Django's ORM, called by the
    # test itself (build_world), must be told that is fine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def page(browser: Browser, live_server: Any, settings: Any) -> Iterator[Page]:
    # Argon2 is deliberately slow; these tests are about pages, not password storage.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    # live_server tests are transactional: the shared world was flushed after the previous
    # one, so build it again (it is idempotent).
    build_world()
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def switch_elder_mode(page: Page) -> None:
    with page.expect_navigation():
        page.click(".site-tools button[aria-pressed]")


def problems_of(page: Page, axe: Axe, limits: dict[str, int]) -> list[str]:
    # Measure the page as the user sees it: with every stylesheet applied. After a click that
    # navigates, a locator can resolve while the new page is still loading (readyState
    # "interactive"); a script's measurement does not wait for a pending stylesheet, so a page
    # whose own sheet (intake.css on a case page) is not in yet measures unstyled: its tiles'
    # radios as the native 13x13 px. The load event comes after every stylesheet.
    page.wait_for_load_state("load")
    found = page.evaluate(MEASURE)
    problems = []
    for t in found["texts"]:
        if t["fontSize"] < limits["text"]:
            problems.append(f"text {t['text']!r} is {t['fontSize']}px < {limits['text']}px")
        if t["lineHeight"] < 1.3 * t["fontSize"] - 0.01:
            problems.append(
                f"text {t['text']!r} has line height {t['lineHeight'] or 'normal'} "
                f"< 1.3 x {t['fontSize']}px"
            )
    largest = max((t["fontSize"] for t in found["texts"]), default=0)
    if largest < limits["largest"]:
        problems.append(f"the largest text is {largest}px < {limits['largest']}px")
    for c in found["targets"]:
        if c["width"] < limits["target"] - 0.5 or c["height"] < limits["target"] - 0.5:
            problems.append(
                f"tap target {c['text']!r} is {c['width']:.0f}x{c['height']:.0f}px "
                f"< {limits['target']}x{limits['target']}px"
            )
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"scrolls sideways: {found['scrollWidth']}px > {found['innerWidth']}px")
    results = axe.run(page)
    for v in results.response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            problems.append(f"axe {v['impact']} {v['id']}: {v['help']} ({targets})")
    return problems


@pytest.mark.parametrize("username", ROLE_USERS)
def test_the_home_page_is_readable_and_tappable_in_both_modes(page, axe, username):
    log_in(page, username)
    assert page.evaluate("location.pathname") == "/"
    assert problems_of(page, axe, NORMAL) == []

    switch_elder_mode(page)
    assert page.evaluate("document.body.classList.contains('elder')")
    assert page.locator(".site-tools button[aria-pressed=true]").is_visible()
    assert problems_of(page, axe, ELDER) == []


def test_the_login_page_is_readable_and_tappable_in_both_modes(page, axe):
    page.goto("/accounts/login/")
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []


def test_staff_reveal_a_phone_in_place_with_a_reason(page, axe):
    from shuren.access.models import AccessLog
    from shuren.people.models import Person

    wang = Person.objects.get(code="P-WANG")
    log_in(page, "demo-shequ")
    page.goto(f"/people/{wang.pk}/")
    assert page.locator("#pii-phone .masked").inner_text() == "138****5678"
    assert problems_of(page, axe, NORMAL) == []
    page.click("#pii-phone summary")
    page.fill("#reason-phone", "上门探访前电话联系")
    page.click("#pii-phone button[type=submit]")
    # htmx swaps the block in place: no page load, the full number and a note about the log.
    page.wait_for_selector("#pii-phone .revealed")
    assert page.locator("#pii-phone .revealed").inner_text() == "13812345678"
    assert page.locator("#pii-id_number .masked").inner_text() == "4406**********1231"
    assert AccessLog.objects.filter(username="demo-shequ", fields="phone").count() == 1


SCREENSHOT_ROLES = ("demo-resident", "demo-louzhang", "demo-shequ", "demo-wuye", "demo-jiedao")


def some_matters() -> None:
    """A few matters so the homes' counts and notifications show something: three in building
    1 (one overdue, one due soon), one escalated to the community, one resolved for the
    resident to rate; everyone told."""
    from shuren.cases import actions
    from shuren.cases.models import Case, Category, DeadlinePolicy, OverdueFlag
    from shuren.cases.seed import seed
    from shuren.places.models import Place
    from shuren.testing import World, deliver

    seed(Category, DeadlinePolicy)
    world = World()
    resident, leader = world.user("demo-resident"), world.user("demo-louzhang")
    home = Place.objects.get(code="GC-JD-JYLW-B01-U1")

    def report(title: str, code: str = "neighbour-odour") -> Case:
        category = Category.objects.get(code=code)
        return actions.report_case(actor=resident, place=home, category=category, title=title)

    late, soon = report("楼道灯坏了一个月", "facilities"), report("单元门禁失灵")
    report("楼下邻居晒咸鱼，气味很大")
    up = report("小区门口占道经营")
    actions.escalate_case(actor=leader, case=up, to_tier=3, reason="需社区协调")
    done = report("晚上广场舞音乐太吵")
    actions.resolve_case(actor=leader, case=done, method="on_the_spot", summary="已与领队商量音量")
    Case.objects.filter(pk=late.pk).update(overdue=OverdueFlag.RED)
    Case.objects.filter(pk=soon.pk).update(overdue=OverdueFlag.YELLOW)
    deliver()


def test_the_notification_list_and_my_buildings_are_readable_and_tappable_in_both_modes(page, axe):
    some_matters()
    log_in(page, "demo-louzhang")
    page.goto("/buildings/?q=101")
    assert problems_of(page, axe, NORMAL) == []
    page.context.clear_cookies()
    log_in(page, "demo-resident")
    page.goto("/notifications/")
    assert page.locator(".note-item").count() >= 2
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
    page.goto("/buildings/")  # not a leader: the product's own "not found" page, readable too
    assert problems_of(page, axe, ELDER) == []


COUNTED_ROLES = ("demo-resident", "demo-louzhang", "demo-shequ", "demo-wuye", "demo-jiedao")


@pytest.mark.parametrize("username", COUNTED_ROLES)
def test_each_home_opens_with_its_counts_and_each_opens_its_list(page, username):
    """At 375 px the work comes first, and tapping a count shows exactly that many matters."""
    some_matters()
    log_in(page, username)
    first = page.locator("main > *").nth(1)  # after the greeting
    assert first.locator(".work-count").count() >= 2
    counts = page.locator(".work-count")
    for i in range(counts.count()):
        link = counts.nth(i)
        number = int(link.locator(".work-number").inner_text().rstrip("+").replace(",", ""))
        href = link.get_attribute("href")
        page.goto(href)
        listed = page.locator("tr.case-row").count()
        assert listed == min(number, 20), (username, href)
        page.go_back()


@pytest.mark.skipif(
    os.environ.get("SHUREN_SCREENSHOTS") != "1", reason="set SHUREN_SCREENSHOTS=1 to save them"
)
@pytest.mark.parametrize("username", SCREENSHOT_ROLES)
def test_save_screenshots_of_the_home_page(page, username):
    """375-px screenshots for docs/screenshots/, in everyday and 长辈版 mode."""
    folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    some_matters()
    log_in(page, username)
    page.screenshot(path=str(folder / f"home-{username}.png"), full_page=True)
    if username == "demo-resident":
        page.click(".bell")
        page.screenshot(path=str(folder / "notifications-demo-resident.png"), full_page=True)
        page.goto("/")
    switch_elder_mode(page)
    page.screenshot(path=str(folder / f"home-{username}-elder.png"), full_page=True)
