"""Each home opens with the work waiting for its user, and each count is the length of the list
its link opens."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.inbox.counts import work_counts
from shuren.cases.models import Case, OverdueFlag
from shuren.people.models import Team
from shuren.testing import ROLE_USERS


@pytest.fixture
def cases(report, world):
    """Open matters in building 1 (one overdue, one due soon), one escalated to the community,
    one in building 2, one resolved awaiting the resident's rating."""
    b1 = report(title="楼上漏水到我家")
    late = report(title="楼道灯坏了一个月")
    soon = report(title="单元门禁失灵")
    up = report(title="小区门口占道经营")
    leader = world.user("demo-louzhang")
    actions.escalate_case(actor=leader, case=up, to_tier=3, reason="需社区协调")
    b2 = report("demo-louzhang2", place="GC-JD-JYLW-B02-U1", title="2栋楼道堆放杂物")
    rated = report(title="已经处理好的噪音")
    actions.resolve_case(
        actor=world.user("demo-louzhang"), case=rated, method="on_the_spot", summary="已劝说"
    )
    Case.objects.filter(pk=late.pk).update(overdue=OverdueFlag.RED)
    Case.objects.filter(pk=soon.pk).update(overdue=OverdueFlag.YELLOW)
    return {"b1": b1, "late": late, "soon": soon, "up": up, "b2": b2, "rated": rated}


def counts_of(world, username: str) -> dict[tuple[str, str], int]:
    return {
        (group.view, count.key): count.count
        for group in work_counts(world.user(username))
        for count in group.counts
    }


def test_the_building_leader_counts_the_matters_at_their_tier_the_late_and_the_due_soon(
    world, cases
):
    counts = counts_of(world, "demo-louzhang")
    assert counts[("area", "todo")] == 3  # b1, late and soon: open at tier 1 in building 1
    assert counts[("area", "overdue")] == 1
    assert counts[("area", "due_soon")] == 1
    assert ("area", "undispatched") not in counts  # leaders do not dispatch


def test_community_staff_count_what_waits_at_the_community_and_what_nobody_was_given(world, cases):
    counts = counts_of(world, "demo-shequ")
    assert counts[("community", "todo")] == 1  # the escalated one
    assert counts[("community", "undispatched")] == 1
    assert counts[("community", "overdue")] == 1  # late, in their community at tier 1
    company = Team.objects.get(name="金域蓝湾物业服务中心")
    actions.assign_case(actor=world.user("demo-shequ"), case=cases["up"], team=company)
    assert counts_of(world, "demo-shequ")[("community", "undispatched")] == 0


def test_the_resident_counts_what_is_being_handled_and_what_waits_for_their_rating(world, cases):
    counts = counts_of(world, "demo-resident")
    assert counts[("mine", "open")] == 4
    assert counts[("mine", "to_rate")] == 1


def test_the_other_building_leader_counts_only_their_building(world, cases):
    counts = counts_of(world, "demo-louzhang2")
    assert counts[("area", "todo")] == 1


def listed(client, url: str) -> int:
    """The number of matters the inbox page at this address lists (all its pages)."""
    params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    response = client.get(reverse("cases:inbox"), params)
    assert response.status_code == 200
    return response.context["page"].count


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_count_on_every_home_is_the_length_of_the_list_it_opens(
    client, login, cases, username
):
    login(username)
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    for _group, links in response.context["work"]:
        for link in links:
            assert link.url in text.replace("&amp;", "&")
            assert listed(client, link.url) == link.count.count, (username, link.count.key)


def test_the_home_says_the_counts_in_the_users_language(client, login, cases):
    login("demo-shequ")
    text = client.get("/").content.decode()
    for words in ("待我处理", "逾期", "即将到期", "待派单"):
        assert words in text
    assert re.search(r'data-count="overdue">\s*<span class="work-number">1</span>', text)
