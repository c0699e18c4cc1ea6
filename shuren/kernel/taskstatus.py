"""How the background task queue is doing, on either backend: how long the oldest task that is
due has waited (the lag), how many wait, how many failed for good. `manage.py taskstatus`
prints it; the readiness check reads `task_status()` too.

A failed attempt that was retried (kernel.tasks.RetryScheduled) is not a failure here, nor a
failure the administrator has re-run (kernel.TaskRerun): what is counted is what needs a look.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_rq
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from shuren.kernel.models import TaskRerun
from shuren.kernel.tasks import RETRY_SCHEDULED_PATH


@dataclass(frozen=True)
class QueueStatus:
    backend: str  # "database" or "redis"
    lag_seconds: float  # how long the oldest task that is due has waited; 0 when none waits
    queued: int  # tasks waiting, those due and those enqueued for later (retries)
    failed: int  # tasks that failed for good and were not re-run

    def as_line(self) -> str:
        return (
            f"backend={self.backend} lag_seconds={self.lag_seconds:.1f} "
            f"queued={self.queued} failed={self.failed}"
        )


def task_status(alias: str = "default", now: dt.datetime | None = None) -> QueueStatus:
    """The status of the tasks of one configured backend (settings.TASKS)."""
    now = now or timezone.now()
    backend = task_backends[alias]
    if type(backend).__module__.startswith("django_tasks_rq"):
        return _redis_status(backend, now)
    return _database_status(alias, now)


def _database_status(alias: str, now: dt.datetime) -> QueueStatus:

    results = DBTaskResult.objects.filter(backend_name=alias)
    waiting = results.filter(status=TaskResultStatus.READY)
    never = get_date_max()
    # A task is due from its enqueueing, or from its run_after when it was deferred.
    oldest = [
        waiting.filter(run_after=never)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first(),
        waiting.filter(run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first(),
    ]
    since = min((moment for moment in oldest if moment is not None), default=None)
    failed = (
        results.filter(status=TaskResultStatus.FAILED)
        .exclude(exception_class_path=RETRY_SCHEDULED_PATH)
        .exclude(id__in=_rerun_ids())
    )
    return QueueStatus(
        backend="database",
        lag_seconds=_seconds_since(since, now),
        queued=waiting.count(),
        failed=failed.count(),
    )


def _redis_status(backend: Any, now: dt.datetime) -> QueueStatus:

    queued = failed = 0
    since: dt.datetime | None = None
    rerun = {str(pk) for pk in _rerun_ids()}
    for name in sorted(backend.queues):
        queue = django_rq.get_queue(name)
        connection = queue.connection
        scheduled = ScheduledJobRegistry(queue=queue)  # type: ignore[no-untyped-call]
        queued += queue.count + scheduled.count
        first = queue.get_job_ids(0, 1)
        job = Job.fetch(first[0], connection=connection) if first else None
        if job is not None and job.enqueued_at is not None:
            enqueued = _aware(job.enqueued_at)
            since = enqueued if since is None else min(since, enqueued)
        for job_id in FailedJobRegistry(queue=queue).get_job_ids():
            if job_id in rerun:
                continue
            try:
                job = Job.fetch(job_id, connection=connection)
            except NoSuchJobError:
                continue  # expired between the two reads: not failed now
            errors = job.meta.get("_django_tasks_rq_exceptions", [])
            if errors and errors[-1] == RETRY_SCHEDULED_PATH:
                continue
            failed += 1
    return QueueStatus(
        backend="redis", lag_seconds=_seconds_since(since, now), queued=queued, failed=failed
    )


def _rerun_ids() -> list[str]:
    return list(TaskRerun.objects.values_list("failed_id", flat=True))


def _aware(moment: dt.datetime) -> dt.datetime:
    # RQ stores UTC times, naive in some versions.
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def _seconds_since(since: dt.datetime | None, now: dt.datetime) -> float:
    return max((now - since).total_seconds(), 0.0) if since is not None else 0.0
