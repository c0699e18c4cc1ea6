"""Background tasks on the database backend (the default, `make demo`'s): enqueued only when the
transaction commits, retried with backoff, given up after their attempts and then shown to the
system administrator, who runs them again; `manage.py taskstatus` measures the queue. The
worker is django-tasks-db's own (its Worker.run_task), run here in the test's process."""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

import shuren
from shuren.kernel.models import Event, TaskRerun
from shuren.kernel.tasks import (
    ATTEMPT,
    MAX_BACKOFF,
    RETRY_SCHEDULED_PATH,
    backoff_delay,
    enqueue_on_commit,
    rerun_failed_task,
)
from shuren.kernel.taskstatus import task_status
from shuren.kernel.tests.sample_tasks import add, calls, failed_request, flaky

pytestmark = pytest.mark.django_db
URL = "/admin/django_tasks_database/dbtaskresult/"


def run_worker() -> int:
    """What `manage.py db_worker` does with every task that is due; returns how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def backoff_passes() -> None:
    """The time a retry waits has passed (its run_after moved to now)."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lt=get_date_max()).update(
        run_after=timezone.now()
    )


def enqueue_flaky(django_capture_on_commit_callbacks, failures: int) -> str:
    token = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(flaky, token, failures)
    return token


def test_a_task_is_enqueued_only_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failed_request(lambda: enqueue_on_commit(add, 1, 2))
    assert not DBTaskResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(add, 1, 2)
        assert not DBTaskResult.objects.exists()  # not before the commit
    callbacks[0]()
    assert run_worker() == 1
    assert DBTaskResult.objects.get().return_value == 3


def test_every_enqueue_in_the_code_goes_through_enqueue_on_commit():
    root = Path(shuren.__file__).parent
    direct = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and ".enqueue(" in path.read_text()
    }
    assert direct == {"kernel/tasks.py"}


def test_the_backoff_doubles_from_attempt_to_attempt_up_to_an_hour():
    assert [backoff_delay(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(20, 30) == MAX_BACKOFF


def test_a_failing_task_is_retried_after_its_backoff_until_it_succeeds(
    django_capture_on_commit_callbacks,
):
    token = enqueue_flaky(django_capture_on_commit_callbacks, failures=2)
    assert run_worker() == 1
    first, second = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == TaskResultStatus.FAILED
    assert first.exception_class_path == RETRY_SCHEDULED_PATH
    assert "RuntimeError: attempt 1" in first.traceback  # the cause is kept
    assert second.status == TaskResultStatus.READY
    assert second.args_kwargs == {"args": [token, 2], "kwargs": {ATTEMPT: 2}}
    # The retry waits its backoff (30 s after the first attempt), not less, not the next one's.
    waited = (second.run_after - first.started_at).total_seconds()
    assert 30 <= waited < 60
    assert run_worker() == 0  # not due yet

    backoff_passes()
    assert run_worker() == 1
    backoff_passes()
    assert run_worker() == 1
    last = DBTaskResult.objects.order_by("enqueued_at").last()
    assert (last.status, last.return_value) == (TaskResultStatus.SUCCESSFUL, 3)
    assert calls[token] == 3
    assert task_status().failed == 0  # the retried attempts are not failures


def given_up(django_capture_on_commit_callbacks, failures: int = 5) -> DBTaskResult:
    """A flaky task that failed all its three attempts."""
    token = enqueue_flaky(django_capture_on_commit_callbacks, failures=failures)
    for _ in range(3):
        run_worker()
        backoff_passes()
    assert calls[token] == 3
    return DBTaskResult.objects.exclude(exception_class_path=RETRY_SCHEDULED_PATH).get(
        status=TaskResultStatus.FAILED
    )


def test_a_task_that_keeps_failing_gives_up_after_its_attempts_and_counts_as_failed(
    django_capture_on_commit_callbacks,
):
    failed = given_up(django_capture_on_commit_callbacks)
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert failed.args_kwargs["kwargs"] == {ATTEMPT: 3}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0
    status = task_status()
    assert (status.backend, status.queued, status.failed) == ("database", 0, 1)


def test_the_system_administrator_sees_the_failed_task_and_runs_it_again(
    client, login, world, django_capture_on_commit_callbacks
):
    failed = given_up(django_capture_on_commit_callbacks, failures=3)
    login("demo-admin")
    page = client.get(URL, {"status__exact": "FAILED"})
    assert page.status_code == 200
    assert "builtins.RuntimeError" in page.content.decode()
    detail = client.get(f"{URL}{failed.pk}/change/").content.decode()
    assert "attempt 3 of" in detail  # the traceback, to find the cause

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"action": "rerun", "_selected_action": [failed.pk]}, follow=True
        )
    assert response.status_code == 200
    rerun = TaskRerun.objects.get()
    assert (rerun.failed_id, rerun.by.username) == (str(failed.pk), "demo-admin")
    event = Event.objects.get(kind="task.rerun")
    assert event.data["failed"] == str(failed.pk)
    assert task_status().failed == 0  # answered
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.args_kwargs == {"args": failed.args_kwargs["args"], "kwargs": {}}  # afresh
    assert run_worker() == 1
    again.refresh_from_db()
    assert (again.status, again.return_value) == (TaskResultStatus.SUCCESSFUL, 4)

    # Asked twice (two tabs), the task runs again once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"action": "rerun", "_selected_action": [failed.pk]})
    assert TaskRerun.objects.count() == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


def test_an_attempt_that_was_retried_is_not_run_again_by_hand(
    world, django_capture_on_commit_callbacks
):
    enqueue_flaky(django_capture_on_commit_callbacks, failures=1)
    run_worker()
    retried = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    with pytest.raises(ValueError, match="retried already"):
        rerun_failed_task(actor=world.user("demo-admin"), result_id=str(retried.pk))
    assert not TaskRerun.objects.exists()


@pytest.mark.parametrize("username", ["demo-auditor", "demo-secadmin", "demo-shequ"])
def test_nobody_else_sees_the_tasks_or_runs_them_again(
    client, login, world, django_capture_on_commit_callbacks, username
):
    failed = given_up(django_capture_on_commit_callbacks)
    login(username)
    assert client.get(URL).status_code in (302, 403)
    assert client.get(f"{URL}{failed.pk}/change/").status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        rerun_failed_task(actor=world.user(username), result_id=str(failed.pk))
    assert not TaskRerun.objects.exists()


def test_taskstatus_prints_the_lag_the_queued_and_the_failed_tasks(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(add, 1, 2)
        enqueue_on_commit(add, 3, 4)
    # The oldest task has waited two minutes (the worker is down).
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("enqueued_at").first().pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=2)
    )
    out = StringIO()
    call_command("taskstatus", stdout=out)
    fields = dict(item.split("=") for item in out.getvalue().split())
    assert fields["backend"] == "database"
    assert 120 <= float(fields["lag_seconds"]) < 180
    assert (fields["queued"], fields["failed"]) == ("2", "0")
    call_command("taskstatus", "--max-lag", "600", "--max-failed", "0", stdout=StringIO())
    with pytest.raises(CommandError, match="lag"):
        call_command("taskstatus", "--max-lag", "60", stdout=StringIO())

    run_worker()
    assert task_status().lag_seconds == 0


def test_the_rq_dashboard_is_not_in_the_admin(client, login, world):
    """django-rq's dashboard would open to any staff member with a permission, with endpoints
    of its own; the failures are the system administrator's, through taskstatus and re-run."""
    login("demo-admin")
    assert "Django-RQ" not in client.get("/admin/").content.decode()


def test_the_demo_starts_the_database_backends_worker_by_default(settings):
    from shuren.management.commands.rundemo import task_worker

    assert settings.SHUREN_TASK_BACKEND == "database"
    assert task_worker()[2:] == ["db_worker", "--interval", "2", "--no-reload"]
