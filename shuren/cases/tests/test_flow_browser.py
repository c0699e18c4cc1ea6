"""Issue 9's flow in a real browser at 375 px: a 楼长 keeps following a matter he sent up in his
经手的 list and adds a note after it moved on; a resident rates the result from the matter page
on intake's large tiles (in 长辈版 too, where the tiles must stay at least 60 px tall); a resident
is told her matter was resolved and rates it from the notification; a property company cannot
settle a complaint about itself."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.cases.tests import test_journeys_browser as journeys

pytestmark = pytest.mark.browser

# The journeys' Chromium and phones (one logged-in browser context per user).
browser = journeys.browser
phone = journeys.phone

GATE = "小区东门门禁坏了"
FISH = "楼下邻居晒咸鱼，气味很大"


def _elder(page: Any) -> None:
    """Switch the phone to 长辈版 (the switch in the header)."""
    page.goto("/")
    journeys.home.switch_elder_mode(page)
    assert page.evaluate("document.body.classList.contains('elder')")


def _tile_heights(form: Any) -> list[float]:
    return form.locator("label.tile").evaluate_all(
        "els => els.map(el => el.getBoundingClientRect().height)"
    )


def test_a_leader_keeps_following_a_matter_he_sent_up_and_adds_a_note(phone):
    from shuren.cases import actions
    from shuren.cases.models import Case, Category
    from shuren.testing import World

    world = World()
    case = actions.report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="facilities"),
        title=GATE,
    )

    # The leader takes it on and sends it to the community: only the tiers his post reaches.
    leader = phone("demo-louzhang")
    journeys.open_from_inbox(leader, GATE)
    journeys.tap(leader, "受理")
    escalate = journeys.action(leader, "上报")
    tiers = escalate.get_by_role("group", name="上报到")
    offered = [" ".join(t.split()) for t in tiers.locator("label.tile").all_inner_texts()]
    assert offered == ["2 · 小区", "3 · 社区"]
    assert escalate.get_by_text("转交单位").count() == 0
    tiers.get_by_role("radio", name="3 · 社区", exact=True).check()
    escalate.get_by_label("为什么在本级无法解决？").fill("门禁要社区协调物业和业委会出钱修。")
    journeys.submit(escalate, "上报")
    journeys.told(leader, "已上报")

    # It left his tier, and it is in his 经手的 list, where he follows it.
    leader.goto("/cases/")
    with leader.expect_navigation():
        leader.get_by_role("link", name="经手的").click()
    row = leader.locator("tr.case-row", has_text=GATE)
    assert "已受理" in row.inner_text()
    with leader.expect_navigation():
        row.get_by_role("link").first.click()
    assert "第3级" in journeys.ladder_step(leader, "当前所在")
    now = leader.get_by_role("region", name="现在的进展")
    assert "尖东社区" in now.inner_text()

    # Community staff dispatch it; the leader sees that, and adds what he learned.
    staff = world.user("demo-shequ")
    company = world.place("GC-JD-JYLW").property_company
    actions.assign_case(actor=staff, case=Case.objects.get(title=GATE), team=company)
    leader.reload()
    assert "金域蓝湾物业服务中心" in leader.get_by_role("region", name="现在的进展").inner_text()
    note = journeys.action(leader, "添加备注")
    note.get_by_label("备注").fill("业委会主任说下周一开会定维修费用。")
    journeys.submit(note, "添加备注")
    journeys.told(leader, "备注已记入")
    assert journeys.kinds_of(leader)[-1] == "添加备注"
    assert "业委会主任说下周一开会定维修费用" in journeys.timeline_of(leader)[-1]
    assert leader.evaluate("document.documentElement.scrollWidth") <= 375
    journeys.shot(leader, "flow-01-handled-note")

    case.refresh_from_db()
    assert case.current_tier == 3
    assert case.events.filter(kind="noted", actor=world.user("demo-louzhang")).count() == 1


def test_a_resident_rates_the_result_on_the_large_tiles(phone):
    from shuren.cases import actions
    from shuren.cases.models import Case, Category
    from shuren.testing import World

    world = World()
    case = actions.report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-odour"),
        title=FISH,
    )
    actions.resolve_case(
        actor=world.user("demo-louzhang"),
        case=case,
        method="on_the_spot",
        summary="上门劝说，楼下住户答应不在楼道晾晒。",
    )

    resident = phone("demo-resident")
    _elder(resident)
    resident.goto(f"/cases/{case.pk}/")
    now = resident.get_by_role("region", name="现在的进展")
    assert "谁办好的 刘楼长" in " ".join(now.inner_text().split())
    assert resident.get_by_role("region", name="您可以").is_visible()
    assert resident.get_by_text("现在可以办理").count() == 0
    assert resident.get_by_text("承办人").count() == 0

    rating = resident.locator("#act-follow_up")
    assert rating.is_visible()  # asked on the page, not behind a button
    question = rating.get_by_role("group", name="您对处理结果满意吗？")
    labels = [" ".join(t.split()) for t in question.locator("label.tile").all_inner_texts()]
    assert labels == ["满意", "不满意，请重新处理"]
    assert min(_tile_heights(rating)) >= 60  # 长辈版: large enough to tap
    assert resident.evaluate("document.documentElement.scrollWidth") <= 375
    question.get_by_role("radio", name="满意", exact=True).check()
    rating.get_by_label("还想说点什么（可不填）").fill("现在楼道干干净净，谢谢楼长。")
    journeys.shot(resident, "flow-02-rating")
    journeys.submit(rating, "提交评价")

    journeys.told(resident, "谢谢您的评价")
    assert journeys.kinds_of(resident)[-1] == "居民评价"
    assert resident.locator("#act-follow_up").count() == 0
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.satisfied) == ("followed_up", True)


def test_a_resident_is_told_her_matter_was_resolved_and_rates_it_from_the_notification(phone):
    """The bell says something happened; the notification says what, and one tap opens the
    rating on the matter's page (issue 9: notifications people see)."""
    from shuren.cases import actions
    from shuren.cases.models import Case, Category
    from shuren.testing import World, deliver

    world = World()
    case = actions.report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-odour"),
        title=FISH,
    )
    actions.resolve_case(
        actor=world.user("demo-louzhang"),
        case=case,
        method="on_the_spot",
        summary="上门劝说，楼下住户答应不在楼道晾晒。",
    )
    deliver()  # the outbox worker (runoutbox in the demo) writes the notification

    resident = phone("demo-resident")
    resident.goto("/")
    bell = resident.locator("a.bell")
    assert bell.locator(".bell-count").inner_text() == "1"
    newest = resident.get_by_role("region", name="最新通知")
    assert "您对处理结果满意吗" in newest.inner_text()
    with resident.expect_navigation():
        bell.click()
    note = resident.locator(".note-item", has_text=FISH)
    assert "未读" in note.inner_text()
    journeys.shot(resident, "notify-01-list")
    with resident.expect_navigation():
        note.get_by_role("link").click()
    # The notification opened the matter at its rating form, and it is read now.
    assert resident.url.endswith(f"/cases/{case.pk}/#act-follow_up")
    assert resident.locator("a.bell .bell-count").count() == 0
    rating = resident.locator("#act-follow_up")
    rating.get_by_role("group", name="您对处理结果满意吗？").get_by_role(
        "radio", name="满意", exact=True
    ).check()
    journeys.submit(rating, "提交评价")
    journeys.told(resident, "谢谢您的评价")
    assert journeys.kinds_of(resident)[-1] == "居民评价"
    assert Case.objects.get(pk=case.pk).satisfied is True


def test_a_property_company_cannot_settle_a_complaint_about_itself(phone):
    """A complaint about the property service goes past the company: it is not in the company's
    list, its page is not found; and a matter the company held once its category is named a
    complaint about the company (the admin may change the policy) offers it nothing to settle."""
    from shuren.cases import actions
    from shuren.cases.choices import EstateTier
    from shuren.cases.models import Category
    from shuren.cases.reference import forget
    from shuren.testing import World

    world = World()
    leader, staff = world.user("demo-louzhang"), world.user("demo-shequ")
    company = world.place("GC-JD-JYLW").property_company
    complaint = actions.report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="property"),
        title="物业收费不透明",
    )
    complaint = actions.escalate_case(actor=leader, case=complaint, reason="业主对物业有意见")
    assert complaint.current_tier == 3  # past the company, to the community
    lift = actions.report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="facilities"),
        title="电梯按钮失灵",
    )
    lift = actions.escalate_case(actor=leader, case=lift, reason="需社区协调", to_tier=3)
    actions.assign_case(actor=staff, case=lift, team=company)

    wuye = phone("demo-wuye")
    wuye.goto("/cases/")
    assert wuye.locator("tr.case-row", has_text="物业收费不透明").count() == 0
    assert wuye.locator("tr.case-row", has_text="电梯按钮失灵").count() == 1
    wuye.goto(f"/cases/{complaint.pk}/")
    assert "找不到这个页面" in wuye.content()

    wuye.goto(f"/cases/{lift.pk}/")
    assert "办结" in " ".join(journeys.action_labels(wuye))
    Category.objects.filter(code="facilities").update(estate_tier=EstateTier.WITHOUT_COMPANY)
    forget()
    wuye.reload()
    assert "办结" not in " ".join(journeys.action_labels(wuye))
    assert "退单" not in " ".join(journeys.action_labels(wuye))
