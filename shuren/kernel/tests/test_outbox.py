"""The outbox worker: exactly once, in order per subject, retried with backoff, given up visibly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuren.cases import actions
from shuren.kernel import outbox
from shuren.kernel.models import Outbox
from shuren.notify.models import Notification
from shuren.testing import deliver


@pytest.fixture
def flaky_handler():
    """A second consumer of the outbox that fails until told otherwise (a channel that is down)."""
    state = {"failing": True, "seen": []}

    def handler(row: Outbox) -> None:
        if state["failing"]:
            raise ConnectionError("the channel is down")
        state["seen"].append(row.pk)

    outbox.register("test.flaky", handler)
    yield state
    outbox._handlers.pop("test.flaky")


def escalated_twice(world, report):
    """A matter reported, escalated to the community, then to the subdistrict: 3 rows."""
    case = report()
    leader, shequ = world.user("demo-louzhang"), world.user("demo-shequ")
    case = actions.escalate_case(actor=leader, case=case, reason="调解不成", to_tier=3)
    return actions.escalate_case(actor=shequ, case=case, reason="需街道协调", to_tier=4)


def test_each_action_writes_one_row_and_the_worker_turns_it_into_notifications(world, report):
    case = escalated_twice(world, report)
    rows = list(Outbox.objects.filter(subject_id=case.pk).order_by("pk"))
    assert [r.kind for r in rows] == ["case.reported", "case.escalated", "case.escalated"]
    assert not Notification.objects.exists()  # the request wrote none
    assert deliver() == 3
    told = [
        (n.outbox_id, n.recipient.username)
        for n in Notification.objects.filter(object_id=str(case.pk)).order_by("pk")
    ]
    # Each escalation tells the tier it reached and the resident who reported the matter.
    assert told == [
        (rows[0].pk, "demo-louzhang"),
        (rows[1].pk, "demo-resident"),
        (rows[1].pk, "demo-shequ"),
        (rows[1].pk, "demo-wangge"),
        (rows[2].pk, "demo-resident"),
        (rows[2].pk, "demo-jiedao"),
    ]
    assert Outbox.objects.filter(processed_at__isnull=True).count() == 0


def test_a_failing_handler_holds_back_its_subject_but_not_the_others(world, report, flaky_handler):
    first = report()
    second = report(title="另一件事")
    now = timezone.now()
    assert outbox.drain(now=now) == 0
    rows = Outbox.objects.order_by("pk")
    assert [(r.attempts, r.retry_at is not None) for r in rows] == [(1, True), (1, True)]
    assert "ConnectionError: the channel is down" in rows[0].error
    assert not Notification.objects.exists()  # the handlers' work for a row is all or nothing

    # A later change of the first matter waits behind its failed row, even once the channel
    # is back, until that row's retry is due: the leader hears of changes in order.
    actions.accept_case(actor=world.user("demo-louzhang"), case=first)
    flaky_handler["failing"] = False
    assert outbox.drain(now=now) == 0
    later = now + outbox.RETRY_AFTER[0]
    assert outbox.drain(now=later) == 3
    assert flaky_handler["seen"] == list(Outbox.objects.order_by("pk").values_list("pk", flat=True))
    assert Notification.objects.filter(object_id=str(second.pk)).count() == 1


def test_a_row_that_keeps_failing_is_given_up_shown_and_can_be_retried(
    world, report, flaky_handler
):
    case = report()
    actions.accept_case(actor=world.user("demo-louzhang"), case=case)
    now = timezone.now()
    for attempt in range(outbox.MAX_ATTEMPTS):
        processed = outbox.drain(now=now, limit=1)
        now += outbox.RETRY_AFTER[min(attempt, len(outbox.RETRY_AFTER) - 1)]
    assert processed == 1  # the last attempt gives up: processed, but marked
    first, second = Outbox.objects.order_by("pk")
    assert (first.given_up, first.attempts) == (True, outbox.MAX_ATTEMPTS)
    assert list(Outbox.objects.failing()) == [first]  # shown to the administrator
    assert second.attempts == 0  # it waited behind the first until that one was given up
    flaky_handler["failing"] = False
    assert outbox.drain(now=now) == 1  # the subject moved on past the given-up row
    assert outbox.retry(pks=[first.pk]) == 1
    assert outbox.drain(now=now) == 1
    first.refresh_from_db()
    assert (first.given_up, first.processed_at is not None) == (False, True)


def test_the_lag_is_the_age_of_the_oldest_pending_row(world, report):
    now = timezone.now()
    assert outbox.lag(now) == dt.timedelta(0)
    report(at=now - dt.timedelta(minutes=3))
    assert outbox.lag(now) == dt.timedelta(minutes=3)
    deliver()
    assert outbox.lag(now) == dt.timedelta(0)


def test_the_worker_command_drains_once(world, report, capsys):
    report()
    call_command("runoutbox", "--once")
    assert "1 row(s) processed" in capsys.readouterr().out
    assert Notification.objects.count() == 1
