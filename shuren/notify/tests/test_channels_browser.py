"""The channel settings on a phone (375 px, then 长辈版): a building leader asks to be
@-mentioned and sets quiet hours; community staff connect the leaders' WeCom group and see its
key masked. The pages pass axe-core and keep 44 px tap targets. With SHUREN_SCREENSHOTS=1 they
are saved to docs/screenshots/notify-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.cases.tests.test_journeys_browser import phone, shot  # noqa: F401 - fixtures
from shuren.mediation.tests.test_mediation_browser import serious
from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

browser = home.browser
axe = home.axe
HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def save(page: Any) -> None:
    button = page.get_by_role("button", name="保存")
    assert button.bounding_box()["height"] >= 44
    with page.expect_navigation():
        button.click()
    assert page.locator(".alert-error").count() == 0


def test_a_leader_and_the_community_set_the_channels_on_a_phone(phone, axe):  # noqa: F811
    from shuren.notify.models import Preference, TeamRobot
    from shuren.people.models import Team

    leader = phone("demo-louzhang")
    leader.goto("/notifications/")
    with leader.expect_navigation():
        leader.get_by_role("link", name="通知方式").click()
    leader.get_by_label("在所在队伍的企业微信群里@我").check()
    leader.get_by_label("免打扰开始").fill("22:00")
    leader.get_by_label("免打扰结束").fill("07:00")
    save(leader)
    assert Preference.objects.get(user__username="demo-louzhang").wecom_mention
    for choice in leader.locator("label.choice").all():
        assert choice.bounding_box()["height"] >= 44
    assert serious(leader, axe) == []
    shot(leader, "notify-settings")
    home.switch_elder_mode(leader)
    assert serious(leader, axe) == []

    staff = phone("demo-shequ")
    staff.goto("/notifications/settings/")
    with staff.expect_navigation():
        staff.get_by_role("link", name="金域蓝湾楼长队").click()
    staff.get_by_label("群机器人 Webhook 地址").fill(HOOK)
    save(staff)
    assert TeamRobot.objects.get(team=Team.objects.get(code="T-JYLW-LZ")).webhook == HOOK
    text = staff.locator("main").inner_text()
    assert "693a91f6" not in text
    assert "5aaa" in text
    assert serious(staff, axe) == []
    shot(staff, "notify-team-robot")
