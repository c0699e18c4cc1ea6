"""In a real browser at 375 px, everyday and 长辈版 (issue 10): the security administrator set a
subdistrict worker's password; the worker logs in with it, lands on 我的密码 whatever they open,
chooses their own and goes on; on 我的账户 a resident downloads everything held on them."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
HANDED_OVER = "Handed-over-2026!"
MINE = "Jiedao-own-choice-2026"
SHOTS = os.environ.get("SHUREN_SCREENSHOTS") == "1"


def shot(tab, name: str) -> None:
    if SHOTS:
        folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_handed_over_password_is_replaced_before_anything_opens(page, axe):  # noqa: F811
    from shuren.accounts.actions import set_account_password
    from shuren.testing import World

    world = World()
    set_account_password(
        actor=world.user("demo-secadmin"), user=world.user("demo-jiedao"), password=HANDED_OVER
    )
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "demo-jiedao")
    page.fill("input[name=password]", HANDED_OVER)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/password/")
    assert "安全管理员为您设置了密码" in page.inner_text("main")
    assert problems_of(page, axe, NORMAL) == []
    shot(page, "password-handover")
    page.goto("/cases/")
    assert page.url.endswith("/accounts/password/")  # nothing else opens
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
    page.fill("input[name=current]", HANDED_OVER)
    page.fill("input[name=password]", MINE)
    page.fill("input[name=again]", MINE)
    page.click("#form-password button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/password/" not in url)
    assert "新密码已保存" in page.inner_text("main")


def test_a_resident_downloads_her_data_from_her_account_page(page, axe):  # noqa: F811
    log_in(page, "demo-resident")
    page.goto("/accounts/me/")
    assert problems_of(page, axe, NORMAL) == []
    shot(page, "my-account-data")
    with page.expect_download() as download:
        page.click("text=下载我的数据")
    content = json.loads(Path(download.value.path()).read_text())
    assert content["person"]["name"] == "王秀英"
    assert content["person"]["phone"] == "13812345678"
