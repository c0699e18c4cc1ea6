"""An owners' vote on phones at 375 px: 王秀英 (demo-resident, in 长辈版) finds the vote on her
home page and votes with one large button and a confirmation; community staff (demo-shequ) enter
two paper ballots with their scans and a proxy's ballot with its written authorisation; once
voting has closed they count it, and the result page shows the outcome and both tests with the
numbers behind them. The pages pass axe-core. With SHUREN_SCREENSHOTS=1 the owner's ballot, the
staff's page and the result are saved to docs/screenshots/vote-*.png."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from shuren.cases.tests.test_journeys_browser import phone, shot  # noqa: F401 - fixtures
from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

browser = home.browser
axe = home.axe
TITLE = "1栋1单元加装单元门禁"


def serious(page: Any, axe: Any) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _neighbours() -> None:
    """Two more owners in stairwell 1 (201 李国强, 202 张桂芳) beside 101 and 102."""
    from shuren.people.models import Person
    from shuren.places.models import Household, Place

    unit = Place.objects.get(code="GC-JD-JYLW-B01-U1")
    for room, name, area in (("201", "李国强", "98.40"), ("202", "张桂芳", "86.10")):
        person = Person.objects.create(name=name, code=f"P-VOTE-{room}")
        household = Household.objects.create(
            place=unit,
            code=f"H-B01-{room}",
            room=room,
            floor=2,
            exclusive_area=Decimal(area),
        )
        household.owners.add(person)


def _enter(staff: Any, form: str, owner: str, choice: int, files: dict[str, str], **text: str):
    prefix = "id_" if form == "paper" else "proxy-"
    details = staff.locator(f"#act-{form}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    staff.select_option(f"#{prefix}owner", label=owner)
    staff.click(f"label[for={prefix}choice_{choice}]")
    for name, value in text.items():
        staff.fill(f"#{prefix}{name}", value)
    for name, path in files.items():
        staff.set_input_files(f"#{prefix}{name}", path)
    with staff.expect_navigation():
        details.locator("form button[type=submit]").click()
    errors = staff.locator(".alert-error")
    assert errors.count() == 0, errors.first.inner_text()


def test_an_owner_votes_on_her_phone_staff_enter_paper_and_proxy_and_count(
    phone,  # noqa: F811 - the fixture imported above
    axe,
    tmp_path,
):
    from django.utils import timezone

    from shuren.deliberation.actions import call_vote
    from shuren.deliberation.models import Ballot, BallotPaper, Vote
    from shuren.deliberation.votes.choices import Matter
    from shuren.places.models import Place
    from shuren.testing import build_world

    build_world()
    _neighbours()
    now = timezone.now()
    # Called 17 days ago, open since two days ago, for a week more.
    vote = call_vote(
        actor=None,
        place=Place.objects.get(code="GC-JD-JYLW-B01-U1"),
        matter=Matter.OTHER,
        title=TITLE,
        description="在单元大堂加装人脸识别门禁，费用由公共收益支出。",
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=7),
        at=now - dt.timedelta(days=17),
    )

    owner = phone("demo-resident")
    home.switch_elder_mode(owner)
    owner.goto("/")
    with owner.expect_navigation():
        owner.get_by_role("link", name=TITLE).click()
    agree = owner.get_by_role("button", name="同意")
    for button in ("同意", "反对", "弃权"):
        assert owner.get_by_role("button", name=button).bounding_box()["height"] >= 60
    shot(owner, "vote-owner-ballot")
    assert serious(owner, axe) == []
    with owner.expect_navigation():
        agree.click()
    assert "您选择了：同意" in owner.content()
    with owner.expect_navigation():
        owner.get_by_role("button", name="确认提交").click()
    assert "您的表决票已提交" in owner.content()
    assert "网上投票" in owner.content()
    shot(owner, "vote-owner-cast")

    scan = tmp_path / "ballot.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned ballot")
    authorisation = tmp_path / "authorisation.jpg"
    authorisation.write_bytes(b"\xff\xd8\xff\xe0 written authorisation")
    staff = phone("demo-shequ")
    staff.goto(f"/deliberation/votes/{vote.pk}/")
    _enter(staff, "paper", "102 陈美玲", 0, {"paper": str(scan)})
    _enter(staff, "paper", "201 李国强", 1, {"paper": str(scan)})
    _enter(
        staff,
        "proxy",
        "202 张桂芳",
        0,
        {"authorisation": str(authorisation)},
        proxy_name="张小明",
    )
    assert "4 位业主中已有 4 位投票" in staff.content()
    shot(staff, "vote-staff")
    assert serious(staff, axe) == []
    assert Ballot.objects.filter(vote=vote).count() == 4
    assert BallotPaper.objects.filter(ballot__vote=vote).count() == 3

    # A week passes: voting has closed (the clock moved on, nothing else changed).
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    staff.goto(f"/deliberation/votes/{vote.pk}/")
    with staff.expect_navigation():
        staff.get_by_role("button", name="计票并公布结果").click()
    with staff.expect_navigation():
        staff.get_by_role("link", name="查看表决结果").click()
    page = staff.content()
    assert "通过：业主共同决定该事项。" in page
    assert "参与表决：达到" in page
    assert "同意：达到" in page
    assert "4 / 4 人" in page  # everyone took part
    assert "3 / 4 人" in page  # three of the four agreed
    shot(staff, "vote-result")
    assert serious(staff, axe) == []
    vote.refresh_from_db()
    assert (vote.status, vote.passed) == ("closed", True)
