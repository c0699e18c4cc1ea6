"""The case register's form in a real browser at 375 px, in everyday and 长辈版 mode: readable,
tappable, no sideways scrolling, no serious axe-core findings; and its screenshot for the docs
(docs/screenshots/case-register.png) when SHUREN_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from shuren.web.tests.test_browser_home import (  # the home pages' browser, page and measures
    ELDER,
    NORMAL,
    axe,
    browser,
    log_in,
    page,
    problems_of,
    switch_elder_mode,
)

__all__ = ["axe", "browser", "page"]  # fixtures, shared with the home pages' test
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["demo-shequ", "demo-louzhang"])
def test_the_register_form_is_readable_and_tappable_in_both_modes(page, axe, username):
    log_in(page, username)
    page.goto("/insights/register/")
    assert page.locator("h1").inner_text() == "事项台账"
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []


def test_a_wrong_period_is_said_on_the_form_in_chinese(page):
    log_in(page, "demo-shequ")
    page.goto("/insights/register/")
    page.fill("input[name=start]", "2026-03-31")
    page.fill("input[name=end]", "2026-03-01")
    page.click("main form button[type=submit]")
    assert "起始日期晚于截止日期" in page.locator(".field-error").inner_text()


@pytest.mark.skipif(
    os.environ.get("SHUREN_SCREENSHOTS") != "1", reason="set SHUREN_SCREENSHOTS=1 to save them"
)
def test_save_the_screenshot_of_the_register_form(page):
    folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    log_in(page, "demo-shequ")
    page.goto("/insights/register/")
    page.screenshot(path=str(folder / "case-register.png"), full_page=True)
