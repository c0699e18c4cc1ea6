"""Two matters followed end to end in a real browser at 375 px, each person on their own phone:
the fish smell settled on the spot by the building leader, and a broken door that climbs the
ladder, goes to the property company and comes back (重办). With SHUREN_SCREENSHOTS=1 every
step is saved to docs/screenshots/journey*.png (`make screenshots`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from PIL import Image

from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

# The Chromium launch of the home page tests (skipped there without Chromium).
browser = home.browser

FISH = "楼上鱼腥味太重"
DOOR = "1栋单元门关不上"


@pytest.fixture
def phone(browser, live_server: Any, settings: Any, tmp_path) -> Iterator[Callable[[str], Any]]:
    """phone(username): that user's own browser, logged in (one context each, kept per test)."""
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.testing import build_world

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.MEDIA_ROOT = tmp_path / "media"
    # live_server tests flush the database after each test: the world and the seeded
    # categories come back here.
    build_world()
    seed(Category, DeadlinePolicy)
    pages: dict[str, Any] = {}

    def open_phone(username: str) -> Any:
        if username not in pages:
            context = browser.new_context(
                viewport=home.VIEWPORT, base_url=live_server.url, locale="zh-CN"
            )
            page = context.new_page()
            page.set_default_timeout(10_000)
            home.log_in(page, username)
            pages[username] = page
        return pages[username]

    yield open_phone
    for page in pages.values():
        page.context.close()


def shot(page: Any, name: str) -> None:
    """The whole page as docs/screenshots/<name>.png, when SHUREN_SCREENSHOTS=1."""
    if os.environ.get("SHUREN_SCREENSHOTS") != "1":
        return
    folder = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def photo_file(tmp_path) -> str:
    path = tmp_path / "fish.jpg"
    Image.new("RGB", (160, 120), (180, 140, 90)).save(path, "JPEG")
    return str(path)


# --- Reading the case page ----------------------------------------------------------------------


def status_of(page: Any) -> str:
    return page.get_by_text(re.compile(r"^状态：")).inner_text().removeprefix("状态：").strip()


def timeline_of(page: Any) -> list[str]:
    """Each entry of the timeline in words, oldest first."""
    items = page.get_by_role("region", name="办理记录").get_by_role("listitem")
    return [" ".join(text.split()) for text in items.all_inner_texts()]


def kinds_of(page: Any) -> list[str]:
    """The kind of each timeline entry (its first words, before the actor)."""
    return [entry.split(" · ")[0].split()[0] for entry in timeline_of(page)]


def settled_how(page: Any) -> str:
    return page.get_by_role("paragraph").filter(has_text="办结方式：").inner_text()


def ladder_step(page: Any, note: str) -> str:
    """The ladder step carrying a note such as 当前所在 or 在此办结."""
    ladder = page.get_by_role("region", name="处理层级")
    return " ".join(ladder.get_by_role("listitem").filter(has_text=note).inner_text().split())


def fact(page: Any, term: str) -> str:
    """What the facts list says for a term (类别, 承办人, 重办, ...)."""
    facts = page.get_by_role("region", name="事项详情")
    for row in facts.locator("dl > div").all():
        if row.get_by_role("term").inner_text().strip() == term:
            return row.get_by_role("definition").inner_text().strip()
    raise AssertionError(f"no fact {term!r} on the page")


def told(page: Any, message: str) -> None:
    assert page.get_by_role("status").filter(has_text=message).is_visible()


# --- Acting on the case page --------------------------------------------------------------------


def action_labels(page: Any) -> list[str]:
    """The labels of the actions the page offers (none when it offers none)."""
    actions = page.get_by_role("region", name="现在可以办理")
    if actions.count() == 0:
        return []
    return [" ".join(t.split()) for t in actions.locator("summary").all_inner_texts()]


def action(page: Any, label: str) -> Any:
    """The action form whose button says label, opened."""
    actions = page.get_by_role("region", name="现在可以办理")
    form = actions.locator("details").filter(
        has=page.locator("summary").get_by_text(label, exact=True)
    )
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    return form


def submit(form: Any, label: str) -> None:
    page = form.page
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()


def tap(page: Any, label: str) -> None:
    """A one-tap action (a single button, nothing to fill in)."""
    actions = page.get_by_role("region", name="现在可以办理")
    with page.expect_navigation():
        actions.get_by_role("button", name=label, exact=True).click()


def rate(page: Any, choice: str, words: str) -> None:
    """The reporter answers the page's question on its large tiles (居民评价)."""
    rating = page.locator("#act-follow_up")
    assert rating.get_by_role("group", name="您对处理结果满意吗？").is_visible()
    rating.get_by_role("radio", name=choice, exact=True).check()
    rating.get_by_label("还想说点什么（可不填）").fill(words)
    submit(rating, "提交评价")


def open_from_inbox(page: Any, title: str) -> None:
    page.goto("/cases/")
    with page.expect_navigation():
        page.get_by_role("link").filter(has_text=title).first.click()


def report(page: Any, *, category: str, title: str, description: str, photo: str = "") -> None:
    page.goto("/cases/report/")
    page.get_by_role("radio", name=category, exact=True).check()  # the tile
    page.get_by_label("用一句话说说是什么事").fill(title)
    page.get_by_label("详细情况（选填）").fill(description)
    if photo:
        page.get_by_label(re.compile("^照片")).set_input_files(photo)


# --- The journeys -------------------------------------------------------------------------------


def test_a_fish_smell_is_reported_with_a_photo_and_settled_on_the_spot(phone, tmp_path):
    from shuren.cases.models import Case

    # A resident reports it from the phone page, with a photo.
    resident = phone("demo-resident")
    report(
        resident,
        category="异味",
        title=FISH,
        description="每天傍晚楼上煎鱼，鱼腥味从窗户飘进来，孩子闻了想吐。",
        photo=photo_file(tmp_path),
    )
    shot(resident, "journey1-01-report")
    with resident.expect_navigation(url=re.compile(r"/cases/\d+/$")):
        resident.get_by_role("button", name="提交").click()
    case = Case.objects.get(title=FISH)

    # The page they land on tracks it: number, state, category, photo, timeline.
    assert resident.evaluate("location.pathname") == f"/cases/{case.pk}/"
    assert resident.get_by_role("heading", level=1).inner_text() == FISH
    assert case.number in resident.get_by_role("main").inner_text()
    assert status_of(resident) == "待受理"
    assert fact(resident, "类别") == "邻里纠纷 › 异味"
    photo = resident.get_by_role("img", name="事项照片 1")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 160
    assert kinds_of(resident) == ["登记事项"]
    shot(resident, "journey1-02-tracking")

    # ... and so does their list of matters.
    resident.goto("/cases/")
    row = resident.locator(".case-row").filter(has_text=FISH).inner_text()
    assert "待受理" in row
    assert case.number in row
    shot(resident, "journey1-03-my-list")

    # The building leader finds it in their inbox, accepts it and settles it on the spot.
    leader = phone("demo-louzhang")
    leader.goto("/cases/")
    assert leader.get_by_role("link").filter(has_text=FISH).is_visible()
    shot(leader, "journey1-04-leader-inbox")
    open_from_inbox(leader, FISH)
    tap(leader, "受理")
    told(leader, "已受理")
    assert status_of(leader) == "已受理"
    shot(leader, "journey1-05-accepted")

    resolve = action(leader, "办结")
    resolve.get_by_label("办结方式").select_option(label="就地化解")
    resolve.get_by_label("处理情况").fill(
        "上门和楼上住户沟通，约好煎鱼时关窗开油烟机，双方握手言和。"
    )
    shot(leader, "journey1-06-resolving")
    submit(resolve, "办结")
    told(leader, "已办结")
    assert status_of(leader) == "已办结"
    assert "就地化解" in settled_how(leader)
    assert "第1级" in ladder_step(leader, "在此办结")
    assert kinds_of(leader) == ["登记事项", "受理", "办结"]
    shot(leader, "journey1-07-resolved")

    # The resident sees it resolved and says they are satisfied.
    resident.goto(f"/cases/{case.pk}/")
    assert status_of(resident) == "已办结"
    assert "双方握手言和" in resident.get_by_role("main").inner_text()
    rate(resident, "满意", "现在没有味道了，谢谢楼长。")
    told(resident, "谢谢您的评价")
    assert status_of(resident) == "已回访"
    assert resident.get_by_text("居民评价： 满意").is_visible()
    assert kinds_of(resident) == ["登记事项", "受理", "办结", "居民评价"]
    shot(resident, "journey1-08-satisfied")

    case.refresh_from_db()
    assert (case.status, case.settled_tier, case.satisfied) == ("followed_up", 1, True)
    assert case.photos.count() == 1


def test_a_broken_door_climbs_the_ladder_goes_to_the_property_company_and_is_reopened(phone):
    from shuren.cases.models import Case

    resident = phone("demo-resident")
    report(
        resident,
        category="公共设施",
        title=DOOR,
        description="单元门的闭门器坏了，门一直开着，陌生人随便进出。",
    )
    with resident.expect_navigation(url=re.compile(r"/cases/\d+/$")):
        resident.get_by_role("button", name="提交").click()
    case = Case.objects.get(title=DOOR)

    # The leader cannot fix a door closer: they escalate it, with the reason.
    leader = phone("demo-louzhang")
    open_from_inbox(leader, DOOR)
    escalate = action(leader, "上报")
    escalate.get_by_label("为什么在本级无法解决？").fill("闭门器要物业更换，楼长修不了。")
    submit(escalate, "上报")
    told(leader, "已上报")
    assert status_of(leader) == "待受理"
    assert "第2级" in ladder_step(leader, "当前所在")
    assert kinds_of(leader) == ["登记事项", "上报"]
    assert "第1级 → 第2级" in timeline_of(leader)[-1]
    assert "闭门器要物业更换" in timeline_of(leader)[-1]
    shot(leader, "journey2-01-escalated")

    # Community staff see it waiting for dispatch and send it to the property company.
    staff = phone("demo-shequ")
    staff.goto("/cases/")
    assert staff.get_by_role("link").filter(has_text=DOOR).is_visible()
    shot(staff, "journey2-02-community-inbox")
    with staff.expect_navigation():
        staff.get_by_role("link", name=f"派单 {case.number}").click()
    dispatch = action(staff, "派单")
    teams = dispatch.get_by_label("或派给队伍")
    company = next(
        text for text in teams.locator("option").all_inner_texts() if "金域蓝湾物业服务中心" in text
    )
    teams.select_option(label=company)
    dispatch.get_by_label("需要对方做什么？（可不填）").fill("请今天派人更换闭门器。")
    shot(staff, "journey2-03-dispatching")
    submit(dispatch, "派单")
    told(staff, "已派单")
    assert status_of(staff) == "办理中"
    assert fact(staff, "承办人") == "金域蓝湾物业服务中心"
    assert "派给：金域蓝湾物业服务中心" in timeline_of(staff)[-1]
    assert kinds_of(staff) == ["登记事项", "上报", "派单"]
    shot(staff, "journey2-04-dispatched")

    # The property company finds it among what was assigned to it and repairs the door.
    company_phone = phone("demo-wuye")
    company_phone.goto("/cases/")
    assert company_phone.get_by_role("link").filter(has_text=DOOR).is_visible()
    shot(company_phone, "journey2-05-company-inbox")
    open_from_inbox(company_phone, DOOR)
    resolve = action(company_phone, "办结")
    resolve.get_by_label("办结方式").select_option(label="物业维修")
    resolve.get_by_label("处理情况").fill("已更换闭门器，门能自动关上了。")
    submit(resolve, "办结")
    told(company_phone, "已办结")
    assert status_of(company_phone) == "已办结"
    assert "物业维修" in settled_how(company_phone)
    assert kinds_of(company_phone) == ["登记事项", "上报", "派单", "办结"]
    shot(company_phone, "journey2-06-resolved")

    # The resident is not satisfied: the case is handled again (重办).
    resident.goto(f"/cases/{case.pk}/")
    assert status_of(resident) == "已办结"
    shot(resident, "journey2-07-unsatisfied")
    rate(resident, "不满意，请重新处理", "门还是关不严，晚上一推就开。")
    told(resident, "谢谢您的评价")
    assert status_of(resident) == "办理中"
    assert resident.get_by_text("居民评价： 不满意").is_visible()
    assert fact(resident, "重办") == "1 次"
    assert kinds_of(resident) == [
        "登记事项",
        "上报",
        "派单",
        "办结",
        "居民评价：不满意，重新办理",
    ]
    assert "门还是关不严" in timeline_of(resident)[-1]
    shot(resident, "journey2-08-reopened")

    # It is back in the company's list, still theirs.
    company_phone.goto("/cases/")
    row = company_phone.locator(".case-row").filter(has_text=DOOR)
    assert "办理中" in row.inner_text()

    case.refresh_from_db()
    assert (case.status, case.reopened_count, case.current_tier) == ("in_progress", 1, 2)
    assert case.assignee_team.name == "金域蓝湾物业服务中心"
