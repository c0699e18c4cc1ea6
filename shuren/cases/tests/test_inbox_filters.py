"""The inbox filters (state, category, tier, deadline, dispatch), search and pages of 20."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.inbox.queries import Inbox, InboxKind, inbox_cases, inboxes_for, page_of
from shuren.cases.models import Case, Category, OverdueFlag, Status


def numbers(client, **params) -> list[str]:
    response = client.get(reverse("cases:inbox"), params)
    assert response.status_code == 200
    return re.findall(r'class="case-no">([A-Z]+-\d{4}-\d+)<', response.content.decode())


@pytest.fixture
def community(report, world):
    """Four matters in 金域蓝湾 for 尖东's staff, in different states, categories and tiers."""
    leak = report(title="楼上漏水到我家", category_code="neighbour-leak")
    noise = report(title="楼上深夜装修噪音", category_code="neighbour-noise")
    lift = report(
        "demo-louzhang2",
        place="GC-JD-JYLW-B02",
        title="2栋电梯经常停运",
        category_code="facilities",
    )
    done = report(title="楼道灯不亮", category_code="facilities")
    actions.escalate_case(actor=world.user("demo-louzhang2"), case=lift, reason="需社区", to_tier=3)
    leader = world.user("demo-louzhang")
    actions.resolve_case(actor=leader, case=done, method="on_the_spot", summary="已换灯泡")
    return {"leak": leak, "noise": noise, "lift": lift, "done": done}


def test_the_work_inbox_shows_open_matters_unless_asked(client, login, community):
    login("demo-shequ")
    assert community["done"].number not in numbers(client)
    assert community["done"].number in numbers(client, status="all")
    assert numbers(client, status=Status.RESOLVED) == [community["done"].number]


def test_a_top_category_includes_its_children(client, login, community):
    login("demo-shequ")
    neighbour = Category.objects.get(code="neighbour")
    assert set(numbers(client, category=neighbour.pk)) == {
        community["leak"].number,
        community["noise"].number,
    }
    leak = Category.objects.get(code="neighbour-leak")
    assert numbers(client, category=leak.pk) == [community["leak"].number]


def test_filter_by_the_tier_it_is_at_now(client, login, community):
    login("demo-shequ")
    assert numbers(client, tier=3) == [community["lift"].number]


def test_filter_by_deadline_colour(client, login, community):
    Case.objects.filter(pk=community["noise"].pk).update(overdue=OverdueFlag.RED)
    login("demo-shequ")
    assert numbers(client, overdue=OverdueFlag.RED) == [community["noise"].number]
    assert community["noise"].number not in numbers(client, overdue=OverdueFlag.YELLOW)


def test_filter_what_is_not_yet_dispatched(client, login, community, world):
    company = world.place("GC-JD-JYLW").property_company
    actions.assign_case(actor=world.user("demo-shequ"), case=community["leak"], team=company)
    login("demo-shequ")
    assert community["leak"].number not in numbers(client, assigned="no")
    assert numbers(client, assigned="yes") == [community["leak"].number]


def test_searching_for_a_word_finds_the_matter_that_contains_it(client, login, community):
    login("demo-shequ")
    assert numbers(client, q="漏水") == [community["leak"].number]
    assert set(numbers(client, q="楼上")) == {community["leak"].number, community["noise"].number}
    assert numbers(client, q="楼上 噪音") == [community["noise"].number]
    assert numbers(client, q="燃气") == []


def test_searching_by_case_number(client, login, community):
    login("demo-shequ")
    assert numbers(client, q=community["lift"].number.lower()) == [community["lift"].number]


def test_search_never_reaches_outside_the_scope(client, login, community, report):
    report("demo-shequ2", place="GC-TC-JYZY-T1", title="楼上漏水到我家")
    login("demo-shequ")
    assert numbers(client, q="漏水") == [community["leak"].number]


def test_a_wrong_filter_value_is_ignored_not_an_error(client, login, community):
    login("demo-shequ")
    assert len(numbers(client, tier="x", category="999999", status="nonsense")) == 3


def test_the_inbox_is_paged_by_20(client, login, report):
    for i in range(45):
        report(title=f"第{i}件")
    login("demo-louzhang")
    first, second, third = (numbers(client, page=n) for n in (1, 2, 3))
    assert (len(first), len(second), len(third)) == (20, 20, 5)
    assert not set(first) & set(second)
    body = client.get(reverse("cases:inbox"), {"page": 2}).content.decode()
    assert "第 2 页，共 3 页" in body
    assert "45 件事项" in body
    assert numbers(client, page=99) == third  # past the end: the last page


def test_the_count_stops_at_the_cap(world, report, monkeypatch):
    monkeypatch.setattr("shuren.cases.inbox.queries.COUNT_CAP", 3)
    for i in range(5):
        report(title=f"第{i}件")
    user = world.user("demo-louzhang")
    page = page_of(inbox_cases(user, inboxes_for(user)[0]), 1, page_size=2)
    assert (page.count, page.capped, page.num_pages, page.has_next) == (3, True, None, True)


def test_the_mine_inbox_has_no_dispatch_filter(client, login):
    login("demo-resident")
    assert 'name="assigned"' not in client.get(reverse("cases:inbox")).content.decode()
    assert Inbox(InboxKind.MINE).default_status == "all"
