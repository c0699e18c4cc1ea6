"""The inbox at a desk: columns sorted by `sort=` (a fixed set, kept in the URL with the filters),
and each place named by its chain, 社区 › 小区 › 楼栋, read for the whole page at once."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.inbox.queries import SORT_ORDERS, Filters, Sort, inbox_cases, inboxes_for
from shuren.cases.models import Case
from shuren.cases.tests.conftest import sh
from shuren.places.queries import place_chains


def numbers(client, **params) -> list[str]:
    response = client.get(reverse("cases:inbox"), params)
    assert response.status_code == 200
    return re.findall(r'class="case-no">([A-Z]+-\d{4}-\d+)<', response.content.decode())


@pytest.fixture
def spread(report, world):
    """Four open matters of 尖东 reported on four days, at several tiers, places and states."""
    shequ = world.user("demo-shequ")
    oldest = report(title="一号楼漏水", at=sh(2026, 2, 23, 9))
    lane = report("demo-shequ", place="GC-JD-JDXC-B01", title="新村楼道杂物", at=sh(2026, 2, 24, 9))
    second = report(
        "demo-louzhang2", place="GC-JD-JYLW-B02-U1", title="二号楼噪音", at=sh(2026, 2, 25, 9)
    )
    newest = report(title="一号楼异味", at=sh(2026, 2, 26, 9))
    actions.accept_case(actor=world.user("demo-louzhang"), case=newest)
    actions.escalate_case(
        actor=world.user("demo-louzhang2"), case=second, reason="需社区", to_tier=3
    )
    actions.escalate_case(actor=shequ, case=second, reason="需街道协调", to_tier=4)
    actions.escalate_case(
        actor=world.user("demo-louzhang"), case=oldest, reason="需社区", to_tier=3
    )
    company = world.place("GC-JD-JYLW").property_company
    actions.assign_case(actor=shequ, case=oldest, team=company)
    return {"oldest": oldest, "lane": lane, "second": second, "newest": newest}


def order(world, spread, sort: str) -> list[str]:
    user = world.user("demo-shequ")
    inbox = inboxes_for(user)[0]
    names = {case.pk: key for key, case in spread.items()}
    return [
        names[pk]
        for pk in inbox_cases(user, inbox, Filters(sort=sort)).values_list("pk", flat=True)
    ]


def test_the_reported_column_sorts_newest_or_oldest_first(world, spread):
    assert order(world, spread, Sort.REPORTED_NEWEST) == ["newest", "second", "lane", "oldest"]
    assert order(world, spread, Sort.REPORTED_OLDEST) == ["oldest", "lane", "second", "newest"]


def test_the_deadline_column_sorts_by_the_deadline_that_matters_now(world, spread):
    due = {key: Case.objects.get(pk=case.pk).current_due for key, case in spread.items()}
    soonest = sorted(due, key=lambda key: (due[key], -spread[key].reported_at.timestamp()))
    assert order(world, spread, Sort.DEADLINE_SOONEST) == soonest
    assert order(world, spread, Sort.DEADLINE_LATEST) == soonest[::-1]


def test_the_tier_column_sorts_highest_or_lowest_first(world, spread):
    tiers = {key: Case.objects.get(pk=case.pk).current_tier for key, case in spread.items()}
    highest = [tiers[key] for key in order(world, spread, Sort.TIER_HIGHEST)]
    assert highest == sorted(tiers.values(), reverse=True)
    assert highest[0] == tiers["second"] == 4
    lowest = [tiers[key] for key in order(world, spread, Sort.TIER_LOWEST)]
    assert lowest == sorted(tiers.values())


def test_the_state_column_follows_the_workflow_not_the_alphabet(world, spread):
    # reported (lane, second) → accepted (newest) → in progress (oldest, dispatched)
    assert order(world, spread, Sort.STATE_FIRST)[-2:] == ["newest", "oldest"]
    assert order(world, spread, Sort.STATE_LAST)[:2] == ["oldest", "newest"]


def test_the_place_column_keeps_each_estate_and_building_together(world, spread):
    by_place = order(world, spread, Sort.PLACE)
    paths = [spread[key].place_path for key in by_place]
    assert paths == sorted(paths)
    reversed_paths = [spread[key].place_path for key in order(world, spread, Sort.PLACE_REVERSED)]
    assert reversed_paths == sorted(paths, reverse=True)


def test_every_sort_of_the_set_has_its_order():
    assert set(SORT_ORDERS) == set(Sort.values)


def test_an_unknown_sort_is_the_inbox_s_own_order_not_an_error(client, login, world, spread):
    login("demo-shequ")
    own = numbers(client)
    assert numbers(client, sort="title; DROP TABLE cases_case") == own
    assert numbers(client, sort="-reported") == [
        spread[k].number for k in ("newest", "second", "lane", "oldest")
    ]


def headers(client, **params) -> dict[str, tuple[str, str]]:
    """Each sortable column header: (its link's query, its aria-sort or "")."""
    body = client.get(reverse("cases:inbox"), params).content.decode()
    found = {}
    for attrs, href, label in re.findall(
        r'<th scope="col"([^>]*)><a class="sort" href="([^"]+)">([^<]+)<', body
    ):
        sorted_ = re.search(r'aria-sort="(\w+)"', attrs)
        found[label] = (unescape(href), sorted_.group(1) if sorted_ else "")
    return found


def test_the_column_headers_keep_the_filters_and_turn_the_order_round(client, login, spread):
    login("demo-shequ")
    columns = headers(client, status="all", q="漏水", page=2)
    assert list(columns) == ["地点", "状态", "当前层级", "反映时间", "期限"]
    query = parse_qs(urlsplit(columns["反映时间"][0]).query)
    assert query == {"status": ["all"], "q": ["漏水"], "sort": ["-reported"]}  # page 1 again
    assert all(state == "" for _url, state in columns.values())
    columns = headers(client, status="all", sort="-reported")
    assert columns["反映时间"][1] == "descending"
    assert parse_qs(urlsplit(columns["反映时间"][0]).query)["sort"] == ["reported"]
    assert headers(client, sort="reported")["反映时间"][1] == "ascending"


def test_the_order_can_be_chosen_on_a_phone_too_and_stays_in_the_url(client, login, spread):
    login("demo-shequ")
    body = client.get(reverse("cases:inbox"), {"sort": "deadline"}).content.decode()
    assert '<select name="sort"' in body
    assert '<option value="deadline" selected>' in body


def test_a_community_list_names_each_place_from_the_community_down(client, login, spread):
    login("demo-shequ")
    body = client.get(reverse("cases:inbox")).content.decode()
    assert '<td class="cell-place">尖东社区 › 金域蓝湾 › 1栋1单元</td>' in body
    # "尖东新村" is said by "尖东新村1座"
    assert '<td class="cell-place">尖东社区 › 尖东新村1座</td>' in body


def test_a_building_leader_s_list_names_the_place_within_the_building(client, login, spread):
    login("demo-louzhang")
    body = client.get(reverse("cases:inbox"), {"status": "all"}).content.decode()
    assert '<td class="cell-place">1栋1单元</td>' in body
    assert "尖东社区 ›" not in body


def test_the_subdistrict_list_names_the_community_of_each_place(client, login, spread):
    login("demo-jiedao")
    body = client.get(reverse("cases:inbox")).content.decode()
    assert '<td class="cell-place">尖东社区 › 金域蓝湾 › 2栋1单元</td>' in body


def test_the_chains_of_a_whole_page_cost_one_query(world, django_assert_num_queries):
    paths = [world.place(code).path for code in ("GC-JD-JYLW-B01-U1", "GC-TC-JYZY-T1-F01", "GC")]
    with django_assert_num_queries(1):
        chains = place_chains(paths)
    assert chains == {
        paths[0]: "尖东社区 › 金域蓝湾 › 1栋1单元",  # "1栋" is said by "1栋1单元"
        paths[1]: "同成社区 › 万科金域中央 › T1栋1-28层",
        paths[2]: "桂城街道",  # above the community: its own name
    }
    with django_assert_num_queries(0):
        assert place_chains([]) == {}


def test_a_page_past_the_end_shows_the_last_page(client, login, spread):
    login("demo-shequ")
    assert numbers(client, page=9) == numbers(client)
