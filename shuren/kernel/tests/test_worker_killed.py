"""The outbox worker is a real process here, killed half-way: nothing is lost, nothing doubled,
and each matter's notifications come in the order its changes happened.

These tests commit (transactional_db) so that a second process sees the rows; the worker runs
`manage.py runoutbox` against the same test database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from shuren.cases import actions
from shuren.cases.models import Category, DeadlinePolicy
from shuren.cases.seed import seed
from shuren.kernel.models import Outbox
from shuren.notify.models import Notification
from shuren.testing import World, build_world, deliver

pytestmark = pytest.mark.django_db(transaction=True)

# Run in the worker process before draining: after the real handler has written the
# notifications of the N-th row, say so and wait inside that row's transaction to be killed.
WORKER = """
import os, sys, time
import django
django.setup()
from shuren.kernel import outbox
stop_after = int(sys.argv[1])
real = outbox._handlers["notify.in_app"]
handled = 0
def handler(row):
    global handled
    real(row)
    handled += 1
    if handled == stop_after:
        print("HOLDING", row.pk, flush=True)
        time.sleep(120)
outbox._handlers["notify.in_app"] = handler
outbox.drain()
print("DRAINED", flush=True)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(*args: str, script: str | None = None) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "shuren.settings",
    }
    command = (
        [sys.executable, "-c", script, *args]
        if script
        else [sys.executable, "manage.py", "runoutbox", "--once", *args]
    )
    return subprocess.Popen(  # noqa: S603 - this project's own manage.py or script
        command,
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _three_matters() -> list[Any]:
    """Three matters of building 1, each reported, escalated twice and dispatched: 12 rows."""
    build_world()  # an earlier transactional test may have emptied the tables
    seed(Category, DeadlinePolicy)

    world = World()
    odour = Category.objects.get(code="neighbour-odour")
    cases = []
    for n in range(3):
        case = actions.report_case(
            actor=world.user("demo-resident"),
            place=world.place("GC-JD-JYLW-B01-U1"),
            category=odour,
            title=f"第{n + 1}件：楼下晒咸鱼",
        )
        case = actions.escalate_case(
            actor=world.user("demo-louzhang"), case=case, reason="调解不成", to_tier=3
        )
        case = actions.escalate_case(
            actor=world.user("demo-shequ"), case=case, reason="需街道协调", to_tier=4
        )
        case = actions.assign_case(
            actor=world.user("demo-jiedao"),
            case=case,
            team=world.place("GC-JD-JYLW").property_company,
        )
        cases.append(case)
    return cases


def _assert_each_row_told_exactly_its_recipients_in_order() -> None:
    rows = list(Outbox.objects.order_by("pk"))
    assert all(row.processed_at is not None and not row.given_up for row in rows)
    written = defaultdict(list)
    for outbox_id, recipient_id in Notification.objects.order_by("pk").values_list(
        "outbox_id", "recipient_id"
    ):
        written[outbox_id].append(recipient_id)
    for row in rows:
        assert sorted(written[row.pk]) == sorted(row.recipients), row  # once each, no more
    # Per matter, the notifications were written in the order of its rows.
    by_subject = defaultdict(list)
    for outbox_id, subject_id in Notification.objects.order_by("pk").values_list(
        "outbox_id", "outbox__subject_id"
    ):
        by_subject[subject_id].append(outbox_id)
    for sequence in by_subject.values():
        assert sequence == sorted(sequence)


def test_a_worker_killed_half_way_loses_nothing_and_doubles_nothing():
    _three_matters()
    rows = list(Outbox.objects.order_by("pk").values_list("pk", flat=True))
    assert len(rows) == 12

    worker = _worker("5", script=WORKER)
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.startswith("HOLDING"), line + worker.stderr.read()
    held = int(line.split()[1])
    worker.kill()  # SIGKILL inside the fifth row's transaction, its notifications written
    worker.wait(timeout=30)

    processed = set(Outbox.objects.filter(processed_at__isnull=False).values_list("pk", flat=True))
    assert held not in processed
    assert len(processed) == 4
    assert not Notification.objects.filter(outbox_id=held).exists()  # rolled back with it

    finisher = _worker()
    out, err = finisher.communicate(timeout=120)
    assert finisher.returncode == 0, err
    assert "8 row(s) processed" in out
    _assert_each_row_told_exactly_its_recipients_in_order()
    assert deliver() == 0  # nothing left for anyone


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite has one writer at a time; workers share the outbox on PostgreSQL",
)
def test_two_workers_share_the_outbox_and_keep_each_matter_in_order():
    _three_matters()
    workers = [_worker(), _worker()]
    results = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], results
    assert sum(int(out.split("outbox: ")[1].split()[0]) for out, _err in results) == 12
    _assert_each_row_told_exactly_its_recipients_in_order()
