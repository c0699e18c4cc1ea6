"""The API's newest-first list, merged from its indexed parts, is exactly the single query's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from shuren.cases import actions
from shuren.cases.inbox import listing
from shuren.cases.models import Case, CaseParty
from shuren.cases.tests.conftest import MONDAY
from shuren.testing import ROLE_USERS


@pytest.fixture
def many(world, report):
    """Cases at several places over several days: some reported, recorded, assigned, party."""
    shequ = world.user("demo-shequ")
    company = world.place("GC-JD-JYLW").property_company
    made = []
    for i in range(9):
        at = MONDAY + dt.timedelta(hours=i)
        made.append(report(title=f"第{i}件", at=at))
        made.append(report("demo-louzhang2", place="GC-JD-JYLW-B02-U1", title=f"二栋{i}", at=at))
        made.append(report("demo-shequ2", place="GC-TC-JYZY-T1", title=f"同成{i}", at=at))
    actions.assign_case(actor=shequ, case=made[0], team=company)
    CaseParty.objects.create(case=made[5], person=world.person("P-LZ1"), side="respondent")
    return made


def _expected(user, narrow, offset, limit):
    cases = Case.objects.visible_to(user).filter(narrow).order_by("-reported_at", "-pk")
    return [c.pk for c in cases[offset : offset + limit]], cases.count()


@pytest.mark.parametrize("username", ROLE_USERS)
@pytest.mark.parametrize(("offset", "limit"), [(0, 5), (3, 4), (0, 200), (25, 5)])
def test_every_page_is_the_single_querys_page(world, many, username, offset, limit):
    user = world.user(username)
    page = listing.newest_first(user, Q(), offset=offset, limit=limit)
    ids, count = _expected(user, Q(), offset, limit)
    assert [c.pk for c in page.rows] == ids
    assert (page.count, page.capped) == (count, False)


def test_filters_narrow_every_part(world, many):
    user = world.user("demo-louzhang")
    narrow = Q(status="reported") & ~Q(title__startswith="第1")
    page = listing.newest_first(user, narrow, offset=0, limit=50)
    ids, count = _expected(user, narrow, 0, 50)
    assert [c.pk for c in page.rows] == ids
    assert page.count == count


def test_a_party_sees_the_case_in_the_list(world, many):
    page = listing.newest_first(world.user("demo-louzhang"), Q(), offset=0, limit=200)
    assert many[5].pk in [c.pk for c in page.rows]  # a 二栋 case, outside building 1


def test_the_count_stops_at_the_cap(world, many, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 4)
    page = listing.newest_first(world.user("demo-jiedao"), Q(), offset=0, limit=3)
    assert (page.count, page.capped) == (4, True)
    assert [c.pk for c in page.rows] == _expected(world.user("demo-jiedao"), Q(), 0, 3)[0]


def test_a_deep_page_takes_the_single_query(world, many, monkeypatch):
    monkeypatch.setattr(listing, "MERGE_WINDOW", 5)
    user = world.user("demo-jiedao")
    page = listing.newest_first(user, Q(), offset=10, limit=4)
    ids, count = _expected(user, Q(), 10, 4)
    assert [c.pk for c in page.rows] == ids
    assert page.count == count


def test_the_rows_come_with_what_the_api_shows(world, many, django_assert_num_queries):
    page = listing.newest_first(world.user("demo-shequ"), Q(), offset=0, limit=20)
    with django_assert_num_queries(0):
        for case in page.rows:
            assert case.category.code
            assert case.place.name
            assert case.assignee_team is None or case.assignee_team.name
