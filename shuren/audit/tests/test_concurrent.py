"""Two processes' worth of appenders at once never fork the chain: each append takes the head
under its lock (PostgreSQL's row lock; SQLite's one writer), so the numbers follow on without a
gap or a double and every entry links to the one before."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.audit.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

PER_THREAD = 25


def test_two_appenders_at_once_leave_one_unbroken_chain():
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def append(name: str) -> None:
        try:
            start.wait()
            for n in range(PER_THREAD):
                record(Kind.DENIED, username=name, detail={"n": n})
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=append, args=(f"t{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * PER_THREAD + 1)), connection.vendor
    # Every append of both made it, none twice.
    names = list(AuditEntry.objects.order_by("seq").values_list("actor_username", flat=True))
    assert names.count("t0") == names.count("t1") == PER_THREAD
    assert verify_chain().ok
