"""Background tasks on the Redis backend (django-tasks-rq, production's): a real enqueue → RQ
worker → result round trip against the Redis on 127.0.0.1:6379 (REDIS_URL), retries, a task
that gives up, its re-run, and taskstatus reading RQ's queue and registries. Each test has a
queue of its own, emptied after it, so runs side by side do not meet. The worker is RQ's own
(SimpleWorker: it runs the jobs in this process, in burst mode: until the queue is empty)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from io import StringIO

import django_rq
import pytest
import redis
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_rq.backend import Job
from rq import SimpleWorker
from rq.job import Job as RQJob
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from shuren.kernel.models import Event, TaskRerun
from shuren.kernel.tasks import RETRY_SCHEDULED_PATH, enqueue_on_commit
from shuren.kernel.taskstatus import task_status
from shuren.kernel.tests.sample_tasks import add, calls, failed_request, flaky_now

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("SHUREN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def queue_name(settings):
    """settings.TASKS on django-tasks-rq with a queue of this test's own."""
    if not redis_is_up():
        if os.environ.get("SHUREN_REQUIRE_REDIS"):
            pytest.fail(f"no Redis at {REDIS_URL} (.ci/run starts one)")
        pytest.skip(f"no Redis at {REDIS_URL}")
    name = f"shuren-test-{uuid.uuid4().hex[:12]}"
    # django-tasks-rq reads a result through the connection of RQ's "default" queue.
    settings.RQ_QUEUES = {
        "default": {"URL": REDIS_URL},
        name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    yield name
    queue = django_rq.get_queue(name)
    for registry in (FailedJobRegistry(queue=queue), FinishedJobRegistry(queue=queue)):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    queue.delete(delete_jobs=True)


def enqueue(task, queue_name, django_capture_on_commit_callbacks, *args):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task.using(queue_name=queue_name), *args)
    return django_rq.get_queue(queue_name).get_job_ids()[-1]


def work(queue_name) -> None:
    """`manage.py rqworker --burst QUEUE`, in this process."""
    worker = django_rq.get_worker(queue_name, job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=True)


def result(job_id: str):
    return task_backends["default"].get_result(job_id)


def test_a_task_goes_through_redis_to_the_worker_and_its_result_comes_back(
    queue_name, django_capture_on_commit_callbacks
):
    job_id = enqueue(add, queue_name, django_capture_on_commit_callbacks, 2, 3)
    waiting = result(job_id)
    assert waiting.status == TaskResultStatus.READY
    assert (waiting.args, waiting.task.module_path) == ([2, 3], add.module_path)
    assert task_status().queued == 1

    work(queue_name)
    done = result(job_id)
    assert (done.status, done.return_value) == (TaskResultStatus.SUCCESSFUL, 5)
    status = task_status()
    assert (status.backend, status.queued, status.failed, status.lag_seconds) == (
        "redis",
        0,
        0,
        0,
    )


def test_nothing_reaches_redis_when_the_transaction_rolls_back(
    queue_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failed_request(lambda: enqueue_on_commit(add.using(queue_name=queue_name), 1, 1))
    assert django_rq.get_queue(queue_name).count == 0


def test_a_failing_task_is_retried_on_its_queue_until_it_succeeds(
    queue_name, django_capture_on_commit_callbacks
):
    token = uuid.uuid4().hex
    first = enqueue(flaky_now, queue_name, django_capture_on_commit_callbacks, token, 1)
    work(queue_name)
    assert calls[token] == 2
    failed = result(first)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[-1].exception_class_path == RETRY_SCHEDULED_PATH
    finished = FinishedJobRegistry(queue=django_rq.get_queue(queue_name)).get_job_ids()
    assert [result(job_id).return_value for job_id in finished] == [2]
    assert task_status().failed == 0  # the retried attempt is no failure


def test_a_task_that_gives_up_counts_as_failed_until_the_administrator_runs_it_again(
    queue_name, world, django_capture_on_commit_callbacks
):
    token = uuid.uuid4().hex
    enqueue(flaky_now, queue_name, django_capture_on_commit_callbacks, token, 3)
    work(queue_name)
    assert calls[token] == 3  # three attempts, then it gave up
    assert task_status().failed == 1
    failed_ids = FailedJobRegistry(queue=django_rq.get_queue(queue_name)).get_job_ids()
    last = next(
        job_id
        for job_id in failed_ids
        if result(job_id).errors[-1].exception_class_path == "builtins.RuntimeError"
    )

    with pytest.raises(CommandError):  # the auditor does not run the system
        call_command("reruntask", last, "--as", "demo-auditor", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reruntask", last, "--as", "demo-admin", stdout=StringIO())
    assert TaskRerun.objects.get().failed_id == last
    assert Event.objects.filter(kind="task.rerun").count() == 1
    assert (task_status().failed, task_status().queued) == (0, 1)
    work(queue_name)
    assert calls[token] == 4  # the fourth attempt, the first of the re-run, succeeds
    assert task_status() == task_status().__class__("redis", 0.0, 0, 0)


def test_taskstatus_reads_the_lag_of_the_oldest_job_waiting_in_redis(
    queue_name, django_capture_on_commit_callbacks
):
    job_id = enqueue(add, queue_name, django_capture_on_commit_callbacks, 1, 1)
    enqueue(add, queue_name, django_capture_on_commit_callbacks, 2, 2)
    # The workers have been down for two minutes.
    job = RQJob.fetch(job_id, connection=django_rq.get_connection(queue_name))
    job.enqueued_at = timezone.now() - dt.timedelta(minutes=2)
    job.save()
    out = StringIO()
    call_command("taskstatus", stdout=out)
    fields = dict(item.split("=") for item in out.getvalue().split())
    assert fields["backend"] == "redis"
    assert 120 <= float(fields["lag_seconds"]) < 180
    assert (fields["queued"], fields["failed"]) == ("2", "0")


def test_the_worker_production_runs_is_the_one_that_runs_the_tasks(
    queue_name, settings, django_capture_on_commit_callbacks
):
    """`make demo` with SHUREN_TASK_BACKEND=redis starts RQ's worker with these arguments (the
    ones docs/integrations.md gives): they run a task (here in this process, until done)."""
    from shuren.management.commands.rundemo import RQ_WORKER, task_worker

    settings.SHUREN_TASK_BACKEND = "redis"
    assert task_worker()[2:] == list(RQ_WORKER)
    job_id = enqueue(add, queue_name, django_capture_on_commit_callbacks, 20, 22)
    command, _, *options = RQ_WORKER
    call_command(command, queue_name, *options, "--burst", "--worker-class", "rq.SimpleWorker")
    assert result(job_id).return_value == 42
