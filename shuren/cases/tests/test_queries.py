"""Query counts of the main actions, pinned: an N+1 creeping in fails here first.

The actor's scope and reach are cached on the user object per request, and the calendar, the
categories and the deadline policies per process, so they are warmed first, as they are by
the time a request reaches the action.
The counts include the savepoint pair of each action (the test runs inside a transaction).
"""

from __future__ import annotations

import pytest

from shuren.access.context import scope_of
from shuren.cases import actions, reference
from shuren.cases.models import Case
from shuren.cases.reach import reach_of
from shuren.cases.tests.conftest import MONDAY
from shuren.workdays.current import current_calendar, invalidate_calendar


@pytest.fixture
def warm(world):
    def _warm(*usernames: str):
        users = [world.user(name) for name in usernames]
        for user in users:
            scope_of(user)
            reach_of(user)
        # Kept per process for a minute: read afresh, so the minute cannot end mid-test.
        invalidate_calendar()
        reference.forget()
        current_calendar()
        reference.categories_by_id()
        reference.deadline_policies()
        return users

    return _warm


def test_report_case(world, category, warm, django_assert_num_queries):
    (resident,) = warm("demo-resident")
    place, odour = world.place("GC-JD-JYLW-B01-U1"), category("neighbour-odour")
    actions.report_case(actor=resident, place=place, category=odour, title="首件", at=MONDAY)
    # savepoint, the stairwell's subtree and its tier-1 leaders, the counter (UPDATE …
    # RETURNING), case, key, event, the outbox row, release; the policies are kept per
    # process, and the notification is written by the outbox worker, not by the request;
    # and the tallies' one upsert (shuren/insights/tallies.py)
    with django_assert_num_queries(10):
        actions.report_case(
            actor=resident,
            place=place,
            category=odour,
            title="楼下晒咸鱼",
            idempotency_key="k-1",
            at=MONDAY,
        )


def test_a_replayed_report_rolls_back_and_answers_the_first_case(
    world, category, warm, django_assert_num_queries
):
    (resident,) = warm("demo-resident")
    kwargs = {
        "actor": resident,
        "place": world.place("GC-JD-JYLW-B01-U1"),
        "category": category(),
        "title": "楼下晒咸鱼",
        "idempotency_key": "k-1",
        "at": MONDAY,
    }
    first = actions.report_case(**kwargs)
    # No look-up before the attempt (a first submission pays nothing for the key): savepoint,
    # subtree, leaders, counter, case, the key refused, rollback, release, the key with its
    # case.
    with django_assert_num_queries(9):
        again = actions.report_case(**kwargs)
    assert again.replayed
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert actions.report_case(**kwargs | {"idempotency_key": "k-2"}).number.endswith("000002")


def test_accept_case(report, warm, django_assert_num_queries):
    case = report()
    (leader,) = warm("demo-louzhang")
    # savepoint, lock, update, the reporter's login (told in their words), event, outbox row,
    # release
    with django_assert_num_queries(8):
        actions.accept_case(actor=leader, case=case)


def test_escalate_case(report, warm, django_assert_num_queries):
    case = report()
    (leader,) = warm("demo-louzhang")
    # + the tier's users and the reporter's login (the outbox row says who must be told)
    with django_assert_num_queries(9):
        actions.escalate_case(actor=leader, case=case, reason="需社区协调", to_tier=3)


def test_assign_case(world, report, warm, django_assert_num_queries):
    case = report()
    team = world.place("GC-JD-JYLW").property_company
    (shequ,) = warm("demo-shequ")
    # + the team serves the place, the team's users
    with django_assert_num_queries(9):
        actions.assign_case(actor=shequ, case=case, team=team)


def test_resolve_case(report, warm, django_assert_num_queries):
    case = report()
    (leader,) = warm("demo-louzhang")
    with django_assert_num_queries(8):  # + the reporter's user, + the tallies' upsert
        actions.resolve_case(actor=leader, case=case, method="on_the_spot", summary="已劝说")


def test_listing_visible_cases_is_one_query(world, report, warm, django_assert_num_queries):
    for _ in range(3):
        report()
    (shequ,) = warm("demo-shequ")
    with django_assert_num_queries(1):
        assert len(list(Case.objects.visible_to(shequ))) == 3
