"""In a real browser: community staff open the work report on a 375 px phone, everyday and 长辈版:
the paragraph and the table are readable and tappable with no sideways scroll, a figure's
definition opens beneath it, and at a desk (1280 px) it stands in its own column; the scorecard
reads the same way. With SHUREN_SCREENSHOTS=1 they are saved as docs/screenshots/
work-report.png and scorecard.png."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.audit.tests.test_audit_browser import shot
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


def some_settled_matters() -> None:
    """This year's settled matters in 尖东 (the report's default period is this year so far)."""
    from shuren.cases import actions
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.places.models import Place
    from shuren.testing import World

    seed(Category, DeadlinePolicy)
    world = World()
    home = Place.objects.get(code="GC-JD-JYLW-B01-U1")
    for title, code in [
        ("楼下邻居晒咸鱼，气味很大", "neighbour-odour"),
        ("楼上漏水到我家", "neighbour-leak"),
        ("楼道灯坏了", "facilities"),
        ("车位被占", "parking"),
    ]:
        case = actions.report_case(
            actor=world.user("demo-resident"),
            place=home,
            category=Category.objects.get(code=code),
            title=title,
        )
        case = actions.accept_case(actor=None, case=case)
        case = actions.resolve_case(actor=None, case=case, method="on_the_spot", summary="已处理")
        actions.follow_up_case(actor=None, case=case, satisfied=True)


def test_community_staff_read_the_work_report_on_a_phone_and_at_a_desk(page: Any, axe: Any):  # noqa: F811
    some_settled_matters()
    log_in(page, "demo-shequ")
    page.goto("/insights/report/")
    paragraph = page.locator(".report-paragraph").inner_text()
    assert "成功协调处理邻里矛盾2宗" in paragraph
    assert "破解停车难问题1起" in paragraph
    assert problems_of(page, axe, NORMAL) == []
    shot(page, "work-report")

    row = page.locator("#figure-neighbour_disputes")
    assert not row.locator(".report-narrow p").is_visible()
    row.locator(".report-narrow summary").click()
    assert "不予受理的反映不算事项" in row.locator(".report-narrow p").inner_text()

    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
    shot(page, "work-report-elder")

    page.set_viewport_size({"width": 1280, "height": 900})
    assert row.locator(".report-rule").is_visible()
    assert not row.locator(".report-narrow").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_community_staff_read_the_scorecard_on_a_phone(page: Any, axe: Any):  # noqa: F811
    log_in(page, "demo-shequ")
    page.goto("/insights/scorecard/")
    first = page.locator(".score-card").first
    assert "金域蓝湾" in first.inner_text()
    assert "第1名" in first.inner_text()
    assert problems_of(page, axe, NORMAL) == []
    shot(page, "scorecard")
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
