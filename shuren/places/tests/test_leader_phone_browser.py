"""In a real browser at 375 px, everyday and 长辈版: a resident lets her 楼长 see her phone on her
account page; the 楼长 reveals it with one tap on her household's page and has a number to call;
and a community worker acts for a leader without an account (代办)."""

from __future__ import annotations

import pytest

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


def test_a_resident_agrees_and_her_leader_calls_her(page, axe):  # noqa: F811
    from shuren.access.models import AccessLog
    from shuren.people.models import Person
    from shuren.places.models import Resident

    log_in(page, "demo-resident")
    page.click(".site-tools a[href='/accounts/me/']")
    assert problems_of(page, axe, NORMAL) == []
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
    page.check("#form-consent input[name=leader_sees_phone]")
    page.click("#form-consent button[type=submit]")
    page.wait_for_selector(".messages")
    assert Person.objects.get(code="P-WANG").leader_sees_phone

    wang = Resident.objects.get(household__code="H-B01-101", person__code="P-WANG")
    page.context.clear_cookies()
    log_in(page, "demo-louzhang")
    page.goto(f"/places/households/{wang.household_id}/")
    assert problems_of(page, axe, NORMAL) == []
    control = page.locator(f"#phone-{wang.pk}")
    assert "138****5678" in control.inner_text()
    control.locator("button").click()
    # htmx swaps the block in place: the whole number, as a link that calls it.
    call = page.locator(f"#phone-{wang.pk} a[href='tel:13812345678']")
    call.wait_for()
    assert "13812345678" in call.inner_text()
    assert AccessLog.objects.filter(username="demo-louzhang", fields="phone").count() == 1
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []


def test_a_grid_worker_takes_on_a_matter_for_a_leader_without_an_account(page, axe):  # noqa: F811
    from shuren.cases import actions
    from shuren.cases.models import CaseEvent, Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.people.models import Person, Post
    from shuren.people.roles import Role
    from shuren.testing import START, World

    seed(Category, DeadlinePolicy)  # live_server tests flush the seeded rows after each test
    world = World()
    leader = Person.objects.create(code="P-LZ-OFF", name="陈伯", phone="13100000077")
    Post.objects.create(
        person=leader,
        role=Role.LOUZHANG,
        place=world.place("GC-JD-JDXC-B01"),
        starts_on=START,
    )
    case = actions.report_case(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JDXC-B01"),
        category=Category.objects.get(code="facilities"),
        title="楼道灯坏了",
        channel="phone",
        contact_name="邓伯",
    )
    log_in(page, "demo-wangge")
    page.goto("/cases/")
    row = page.locator(".case-row", has_text="楼道灯坏了")
    assert "楼长未开通账号" in row.inner_text()
    row.locator("a.row").click()
    assert "本楼楼长陈伯尚未开通账号" in page.locator("#on-behalf").inner_text()
    assert problems_of(page, axe, NORMAL) == []
    page.click("#act-accept button")
    page.wait_for_selector(".messages")
    assert "代办：代陈伯办理" in page.content()
    event = CaseEvent.objects.get(case=case, kind="accepted")
    assert event.data["on_behalf_of"]["name"] == "陈伯"
    switch_elder_mode(page)
    assert problems_of(page, axe, ELDER) == []
