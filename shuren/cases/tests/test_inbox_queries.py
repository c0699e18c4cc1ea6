"""The inbox and the case page cost a fixed number of queries per role, whatever the rows.

Counted through the test client, so they include the session, the user, the user's standing
(read once per request for scope, reach and inboxes), the bell's unread count, the page's ids
and rows and, when the
first page is full, the capped count; the filter's categories are kept per process. The first
request of a login also saves the session; each test makes one before counting.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuren.cases import actions
from shuren.testing import ROLE_USERS

# (a first page with a few rows, a full first page, a search asked for a page 2 it does not
# have): the session, the user with their person, their standing (scope, reach and inboxes),
# the first page's ids (which give the capped count too), its rows and the names of the places
# above them (社区 › 小区 › 楼栋, one query for the page); a page past the end counts first, then
# shows the last page, and an empty search answers from the count alone; an empty page reads no
# rows and no places. Community and subdistrict staff add the teams their desk offers for
# dispatch, when a row may be dispatched, and ask once whether the leaders of the open tier-1
# rows have a login (代办). The property company adds its estates and its people, the workshop
# its people. Every page also counts the bell's unread notifications.
INBOX_QUERIES = {
    "demo-resident": (7, 7, 8),
    "demo-louzhang": (7, 7, 8),
    "demo-louzhang2": (7, 7, 5),
    "demo-xiangzhang": (7, 7, 5),
    "demo-jiezhang": (7, 7, 5),
    "demo-shequ": (9, 9, 9),
    "demo-shequ2": (5, 5, 5),
    "demo-wangge": (9, 9, 9),
    "demo-tiaojie": (6, 8, 9),
    "demo-wuye": (9, 9, 10),
    "demo-jiedao": (9, 9, 10),
    "demo-admin": (5, 5, 5),
    "demo-auditor": (5, 5, 5),
    "demo-secadmin": (5, 5, 5),
}


def _fill(report, world, n: int) -> None:
    """n matters in each sample place, some dispatched to the company and the workshop."""
    company = world.place("GC-JD-JYLW").property_company
    workshop = world.person("P-TJ").posts.filter(team__isnull=False).first().team
    shequ = world.user("demo-shequ")
    for i in range(n):
        case = report(title=f"楼上漏水第{i}次")
        report("demo-louzhang2", place="GC-JD-JYLW-B02-U1", title=f"杂物{i}")
        report("demo-xiangzhang", place="GC-JB-L01-B01", title=f"巷口{i}")
        report("demo-jiezhang", place="GC-GY-S01", title=f"街面{i}")
        if i % 2:
            actions.assign_case(actor=shequ, case=case, team=company if i % 4 == 1 else workshop)
        else:
            leader = world.user("demo-louzhang")
            actions.escalate_case(actor=leader, case=case, reason="需社区协调", to_tier=3)
            actions.escalate_case(actor=shequ, case=case, reason="需街道协调", to_tier=4)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_every_role_has_a_pinned_inbox_query_count():
    assert set(INBOX_QUERIES) == set(ROLE_USERS)


@pytest.mark.parametrize("username", ROLE_USERS)
def test_the_inbox_query_count_is_pinned_and_does_not_grow_with_the_rows(
    client, login, report, world, username
):
    login(username)
    client.get(reverse("cases:inbox"))
    _fill(report, world, 2)
    few = _count(client, reverse("cases:inbox"))
    _fill(report, world, 12)
    many = _count(client, reverse("cases:inbox"))
    searched = _count(client, reverse("cases:inbox") + "?q=漏水&status=all&page=2")
    assert (few, many, searched) == INBOX_QUERIES[username]


def test_the_case_page_query_count_does_not_grow_with_the_timeline(
    client, login, report, world, django_assert_num_queries
):
    case = report()
    shequ = world.user("demo-shequ")
    login("demo-shequ")
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)
    few = _count(client, url)
    for i in range(15):
        actions.add_note(actor=shequ, case=case, note=f"第{i}次电话联系")
    # 10, + the bell's count, + the place's leaders, read once for the rules (代办: has the
    # leader a login?) and the page (who handles it now, the leader's name), + where else the
    # matter is (cases.links: its mediations, its meetings)
    assert _count(client, url) == few == 14
