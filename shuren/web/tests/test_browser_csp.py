"""The pages work under their Content-Security-Policy in a real browser, and the browser reports
no violation: the htmx journeys (the place tree opened in place, the live duplicate list, a
phone revealed in place) and plain pages, for a resident, a leader and community staff."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

browser = home.browser  # skipped there without Chromium

# Every violation the browser reports, kept on the page for the test to read.
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations = (window.__violations || []).concat(
    [e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')]);
});"""


@pytest.fixture
def page(browser, live_server: Any, settings: Any) -> Iterator[Page]:
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.testing import build_world

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    build_world()
    seed(Category, DeadlinePolicy)
    context = browser.new_context(viewport=home.VIEWPORT, base_url=live_server.url)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(10_000)
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.console_violations = console  # type: ignore[attr-defined]
    yield page
    context.close()


def violations(page: Page) -> list[str]:
    found = page.evaluate("window.__violations || []")
    return [*found, *page.console_violations]  # type: ignore[attr-defined]


def test_a_resident_reports_through_htmx_with_no_violation(page):
    home.log_in(page, "demo-resident")
    assert violations(page) == []
    page.goto("/cases/report/")
    page.click("label:has-text('异味')")
    page.fill("#id_title", "楼下邻居晒咸鱼，气味很大")
    page.click("button.intake-submit:has-text('提交')")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert violations(page) == []


def test_staff_open_the_place_tree_in_place_with_no_violation(page):
    home.log_in(page, "demo-shequ")
    page.goto("/cases/staff/")
    page.fill("#id_title", "消防通道被电动车堵住")
    page.click("button[name=browse]:has-text('展开') >> nth=0")
    page.wait_for_selector("#place-picker :text('1栋')")  # htmx swapped the tree in place
    for url in ("/", "/cases/", "/accounts/me/", "/places/excel/import/", "/notifications/"):
        page.goto(url)
    assert violations(page) == []


def test_a_phone_revealed_in_place_with_no_violation(page):
    from shuren.people.models import Person

    wang = Person.objects.get(code="P-WANG")
    home.log_in(page, "demo-shequ")
    page.goto(f"/people/{wang.pk}/")
    page.click("#pii-phone summary")
    page.fill("#reason-phone", "上门探访前电话联系")
    page.click("#pii-phone button[type=submit]")
    page.wait_for_selector("#pii-phone .revealed")
    assert page.locator("#pii-phone .revealed").inner_text() == "13812345678"
    assert page.evaluate("location.pathname") == f"/people/{wang.pk}/"  # no page load
    assert violations(page) == []


def test_the_api_docs_load_from_this_site_with_no_violation(page):
    home.log_in(page, "demo-shequ")
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui")
    assert violations(page) == []


def test_a_leader_s_pages_in_elder_mode_with_no_violation(page):
    home.log_in(page, "demo-louzhang")
    home.switch_elder_mode(page)
    for url in ("/", "/buildings/", "/cases/quick/", "/cases/"):
        page.goto(url)
    assert violations(page) == []
