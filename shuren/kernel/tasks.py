"""Background tasks (django-tasks) as Shuren runs them: enqueued only once the transaction that
asked for them commits, retried with backoff, and re-run by the administrator when given up.

- `enqueue_on_commit(task, *args, **kwargs)`: every enqueue in the code goes through it. A task
  enqueued inside a transaction that then rolls back would run on rows that never existed (or
  the worker could start before the row it names is visible); on_commit closes both holes.
- `@retrying(attempts=5, backoff=30)` in place of `@task()`: when the function raises, the
  next attempt is enqueued `backoff * 2**(n-1)` seconds later (capped at MAX_BACKOFF) and this
  attempt ends FAILED with `RetryScheduled` (its cause chained, the traceback kept), so the
  record stays truthful; the last attempt's own error is the one that counts as a failure.
  django-tasks 0.12 has no retries of its own; a new result per attempt works on both
  backends (the database's and RQ's) without touching their internals.
- `rerun_failed_task(actor=..., result_id=...)`: the administrator's re-run of a given-up
  task, an action (kernel.TaskRerun is its subject and remembers which failure was handled).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

import rules
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import Task, TaskContext, TaskResult, TaskResultStatus

from shuren.access.context import scope_of
from shuren.kernel.action import create
from shuren.kernel.models import TaskRerun
from shuren.people.roles import Role

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# The keyword argument that carries the attempt number from one attempt to the next.
ATTEMPT = "shuren_attempt"
# However many attempts remain, never wait longer than this between two (seconds).
MAX_BACKOFF = 3600


class RetryScheduled(Exception):
    """This attempt failed and the next one is enqueued (its cause is chained)."""


RETRY_SCHEDULED_PATH = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


def runs_the_system(user: Any) -> bool:
    """The system administrator (系统管理员) or a superuser: not the auditor, not security."""
    return bool(getattr(user, "is_superuser", False)) or Role.SYSADMIN in scope_of(user).roles


# django-rules has no annotations; its add_perm and predicate, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
predicate: Callable[[Callable[[Any], bool]], Any] = rules.predicate
add_perm("kernel.rerun_task", predicate(runs_the_system))


def enqueue_on_commit(task: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue the task once the current transaction commits (at once outside of one). A queue
    that is down then is logged, not raised: what was committed stands, and the work is found
    again by its own sweep (the deliveries' `senddeliveries`, the register's rows)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


def backoff_delay(attempt: int, base: float) -> float:
    """Seconds to wait after attempt `attempt` (1-based) failed: base, 2·base, 4·base … capped."""
    return float(min(base * 2 ** (attempt - 1), MAX_BACKOFF))


def retrying(
    *, attempts: int = 5, backoff: float = 30, **task_options: Any
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """A django-tasks `@task(**task_options)` whose failures are retried `attempts` times in
    all, waiting `backoff_delay()` between two. The function must be idempotent: an attempt
    may have done part of its work before it failed."""

    def decorate(function: Callable[P, T]) -> Task[P, T]:
        def attempt_once(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT, 1))
            try:
                return function(*args, **kwargs)
            except Exception as error:
                if attempt >= attempts:
                    logger.error("task %s gave up after %d attempts", name, attempt)
                    raise
                delay = backoff_delay(attempt, backoff)
                # The next attempt waits in the same backend and queue as this one.
                current = context.task_result.task
                later = retried.using(
                    queue_name=current.queue_name,
                    backend=current.backend,
                    run_after=timezone.now() + dt.timedelta(seconds=delay) if delay else None,
                )
                later.enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
                logger.warning(
                    "task %s failed (attempt %d of %d), retried in %ss: %r",
                    name,
                    attempt,
                    attempts,
                    delay,
                    error,
                )
                raise RetryScheduled(
                    f"attempt {attempt} of {attempts} failed; the next in {delay:g}s"
                ) from error

        # The task is found by the function's own module path; not functools.wraps, whose
        # __wrapped__ would show django-tasks the function's signature without its context.
        for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(attempt_once, attribute, getattr(function, attribute))
        name = f"{function.__module__}.{function.__qualname__}"
        retried: Any = task(takes_context=True, **task_options)(attempt_once)
        return cast(Task[P, T], retried)

    return decorate


def failed_result(result_id: str, backend: str = "default") -> TaskResult[Any]:
    """A result that failed for good (not an attempt that was retried): the one to re-run."""
    result = task_backends[backend].get_result(result_id)
    if result.status != TaskResultStatus.FAILED:
        raise ValueError(f"task {result_id} has not failed")
    if result.errors and result.errors[-1].exception_class_path == RETRY_SCHEDULED_PATH:
        raise ValueError(f"task {result_id} was retried already")
    return result


def rerun_failed_task(*, actor: Any, result_id: str, backend: str = "default") -> TaskRerun:
    """Enqueue a given-up task again with its arguments (its attempts counted afresh), once;
    the re-run remembers the failure it answers, so it no longer counts as failed."""
    result = failed_result(result_id, backend)
    error = result.errors[-1].exception_class_path if result.errors else ""
    with create(actor=actor, perm="kernel.rerun_task", on=None) as act:
        rerun, made = TaskRerun.objects.get_or_create(
            failed_id=str(result.id),
            defaults={"task_path": result.task.module_path, "error": error, "by": actor},
        )
        if not made:
            act.unchanged()
            return rerun
        act.created(rerun)
        kwargs = {k: v for k, v in result.kwargs.items() if k != ATTEMPT}
        enqueue_on_commit(result.task, *result.args, **kwargs)
        act.record_change(
            "task.rerun", data={"failed": rerun.failed_id, "task": rerun.task_path, "error": error}
        )
        return rerun


__all__ = [
    "ATTEMPT",
    "RETRY_SCHEDULED_PATH",
    "RetryScheduled",
    "backoff_delay",
    "enqueue_on_commit",
    "failed_result",
    "rerun_failed_task",
    "retrying",
]
