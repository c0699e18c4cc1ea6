"""Issue 11, item 7, in a real browser at 375 px: a resident reports a matter whose description
says 持刀; the report's first background task (the outbox drain) raises a red alert, and the
community's staff find it on their home page, open it, see the matched words and acknowledge
it. With SHUREN_SCREENSHOTS=1 the home is saved to docs/screenshots/alert-red-home.png."""

from __future__ import annotations

import importlib
import re

import pytest

from shuren.cases.tests import test_journeys_browser as journeys

pytestmark = pytest.mark.browser

browser = journeys.browser
phone = journeys.phone

TITLE = "对门邻居半夜吵闹"
DESCRIPTION = "对门男子喝了酒，持刀在楼道里骂人，家里老人孩子都很害怕。"


def _seed_lexicon() -> None:
    """Live-server tests empty every table: the lexicon the migration seeded comes back."""
    from shuren.insights.models.alerts import RiskyWord

    seeded = importlib.import_module("shuren.insights.migrations.0002_alerts")
    for level, words in (("red", seeded.RED), ("orange", seeded.ORANGE)):
        for word in words:
            RiskyWord.objects.get_or_create(word=word, defaults={"level": level})


def test_a_matter_with_a_knife_puts_a_red_alert_on_the_community_staffs_home(phone):
    from shuren.cases.models import Case
    from shuren.insights.models.alerts import Alert
    from shuren.testing import deliver

    _seed_lexicon()
    resident = phone("demo-resident")
    journeys.report(resident, category="噪音", title=TITLE, description=DESCRIPTION)
    with resident.expect_navigation(url=re.compile(r"/cases/\d+/$")):
        resident.get_by_role("button", name="提交").click()
    case = Case.objects.get(title=TITLE)

    deliver()  # the report's first background task

    staff = phone("demo-shequ")
    staff.goto("/")
    section = staff.get_by_role("region", name="预警")
    first = section.locator("li.warn-item").first
    assert "红色" in first.inner_text()
    assert "持刀" in first.inner_text()
    assert case.number in first.inner_text()
    journeys.shot(staff, "alert-red-home")

    with staff.expect_navigation():
        first.get_by_role("link").click()
    assert "命中风险词：持刀" in staff.locator("main").inner_text()
    assert staff.get_by_role("link", name=re.compile(case.number)).count() == 1
    with staff.expect_navigation():
        staff.get_by_role("button", name="签收：我来处理").click()
    assert "您已签收此预警" in staff.locator("main").inner_text()
    assert Alert.objects.get().status == "acknowledged"
