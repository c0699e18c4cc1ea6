"""A joint meeting on a phone at 375 px, from its calling to a decision followed through:
community staff call it over 金域蓝湾 with the property company invited and show the check-in
code and QR; the property company's manager checks in by the QR's address; the staff record a
decision owned by the property company; time passes (the deadline is moved back two days, as
the test cannot move the clock) and the sweep reminds; the item shows overdue, in red and in
words, on the owner's home and on the meeting page; the owner marks it done and it leaves their
home. The pages pass axe-core and the tap-target and text checks in both modes. With
SHUREN_SCREENSHOTS=1 the pages are saved to docs/screenshots/meeting-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shuren.cases.tests.test_journeys_browser import phone, shot  # noqa: F401 - fixtures
from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

browser = home.browser
axe = home.axe
TITLE = "金域蓝湾停车难联席会议"
DECISION = "物业在消防通道施划禁停标线"


def checked(page: Any, axe: Any, limits: dict[str, int]) -> list[str]:
    return home.problems_of(page, axe, limits)


def submit(page: Any, key: str) -> None:
    with page.expect_navigation():
        page.locator(f"#act-{key} form button[type=submit]").click()
    errors = page.locator(".alert-error")
    assert errors.count() == 0, errors.first.inner_text()


def test_a_meetings_decision_becomes_an_item_that_turns_overdue_and_is_done(phone, axe):  # noqa: F811
    from django.utils import timezone

    from shuren.deliberation.actions import sweep_overdue
    from shuren.deliberation.meetings.choices import ItemStatus
    from shuren.deliberation.models import Attendance, Decision, Meeting
    from shuren.kernel.models import Outbox
    from shuren.places.models import Place

    staff = phone("demo-shequ")
    staff.goto("/")
    with staff.expect_navigation():
        staff.get_by_role("link", name="会议", exact=True).click()
    with staff.expect_navigation():
        staff.get_by_role("link", name="召集会议").click()
    staff.select_option("#id_place", str(Place.objects.get(code="GC-JD-JYLW").pk))
    with staff.expect_navigation():
        staff.get_by_role("button", name="下一步").click()
    now = timezone.localtime()
    staff.select_option("#id_kind", "joint")
    staff.fill("#id_title", TITLE)
    staff.fill("#id_starts_at", f"{now - dt.timedelta(minutes=5):%Y-%m-%dT%H:%M}")
    staff.fill("#id_ends_at", f"{now + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}")
    staff.fill("#id_venue", "尖东社区党群服务中心二楼会议室")
    staff.get_by_role("checkbox", name="金域蓝湾物业服务中心 · 物业").check()
    staff.fill("#id_agenda", "消防通道禁停\n地面车位划线")
    shot(staff, "meeting-new")
    assert checked(staff, axe, home.NORMAL) == []
    with staff.expect_navigation():
        staff.get_by_role("button", name="召集会议").click()
    meeting = Meeting.objects.get(title=TITLE)
    assert staff.locator(".checkin-code").inner_text() == meeting.checkin_code
    assert staff.locator(".checkin-qr svg").count() == 1
    shot(staff, "meeting-organiser")
    assert checked(staff, axe, home.NORMAL) == []
    # The invitation reached the property company's manager (the outbox row names them).
    wuye_user = Outbox.objects.get(kind="meeting.called").recipients

    manager = phone("demo-wuye")
    manager.goto(meeting.checkin_url())  # what the QR opens
    with manager.expect_navigation():
        manager.get_by_role("button", name="签到").click()
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    assert list(wuye_user)  # told of the meeting

    staff.reload()
    staff.locator("#act-record_decision summary").click()
    staff.fill("#record_decision-text", DECISION + "并安装警示牌。")
    staff.select_option("#record_decision-owner", label="金域蓝湾物业服务中心")
    staff.fill("#record_decision-due_on", f"{timezone.localdate():%Y-%m-%d}")
    submit(staff, "record_decision")
    decision = Decision.objects.get(meeting=meeting)

    # Time passes: the deadline was two days ago (the clock stays; the deadline moves), and
    # the sweep reminds the owner and the organiser once.
    Decision.objects.filter(pk=decision.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    assert sweep_overdue().items == [decision.pk]
    assert sweep_overdue().reminded == 0

    manager.goto("/")
    item = manager.locator("#home-items").locator("..")
    assert DECISION in item.inner_text()
    assert "逾期2天" in item.inner_text().replace(" ", "")
    assert item.locator(".item-overdue").count() == 1
    shot(manager, "meeting-home-overdue")
    assert checked(manager, axe, home.NORMAL) == []
    with manager.expect_navigation():
        item.get_by_role("link", name=DECISION, exact=False).click()
    assert manager.locator(f"#item-{decision.pk}.item-overdue").count() == 1
    shot(manager, "meeting-page")
    assert checked(manager, axe, home.NORMAL) == []
    home.switch_elder_mode(manager)
    assert checked(manager, axe, home.ELDER) == []
    manager.locator(f"#act-complete_decision-{decision.pk} summary").click()
    manager.fill(f"#complete_decision-{decision.pk}-note", "已施划禁停标线，警示牌已安装。")
    with manager.expect_navigation():
        manager.locator(f"#act-complete_decision-{decision.pk} form button[type=submit]").click()
    assert Decision.objects.get(pk=decision.pk).status == ItemStatus.DONE
    assert manager.locator(f"#item-{decision.pk}.item-done").count() == 1
    shot(manager, "meeting-done")
    manager.goto("/")
    assert DECISION not in manager.content()
