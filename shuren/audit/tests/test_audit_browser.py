"""In a real browser at 375 px, everyday and 长辈版: someone fails to log in as the street's
administrator; the auditor opens the audit trail from her home page, filters it to failed
logins and finds the attempt, with its address; text sizes, tap targets and no sideways scroll
hold on the filtered page (the shared checks of the home pages)."""

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


def shot(browser_page: Any, name: str) -> None:
    """The whole page as docs/screenshots/<name>.png, when SHUREN_SCREENSHOTS=1."""
    if os.environ.get("SHUREN_SCREENSHOTS") != "1":
        return
    folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_the_auditor_filters_the_trail_to_failed_logins_on_her_phone(page, axe):  # noqa: F811
    from shuren.audit.models import AuditEntry

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "demo-jiedao")
    page.fill("input[name=password]", "a wrong guess")
    page.click("main form button[type=submit]")
    page.wait_for_selector("main form")
    assert AuditEntry.objects.filter(kind="login_failed", target_label="demo-jiedao").exists()

    log_in(page, "demo-auditor")
    page.click("a[href='/audit/']")
    page.wait_for_selector("#audit-filters")
    assert problems_of(page, axe, NORMAL) == []

    page.select_option("#id_kind", "login_failed")
    page.fill("#id_user", "jiedao")
    with page.expect_navigation():
        page.click("#audit-filters button[type=submit]")
    rows = page.locator(".audit-rows > li.row")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "登录失败" in text
    assert "demo-jiedao" in text
    assert "127.0.0.1" in text
    assert problems_of(page, axe, NORMAL) == []
    shot(page, "audit-trail-demo-auditor")

    switch_elder_mode(page)
    assert page.locator(".audit-rows > li.row").count() == 1  # the filters survive the switch
    assert problems_of(page, axe, ELDER) == []
    shot(page, "audit-trail-demo-auditor-elder")
