"""Tasks the tests of kernel.tasks enqueue: the workers import them by their module path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django_tasks import task

from shuren.kernel.tasks import retrying

# Attempts made so far, per token: the workers of these tests run in the test's process.
calls: Counter[str] = Counter()


@retrying(attempts=3, backoff=30)
def flaky(token: str, failures: int) -> int:
    """Fail the first `failures` attempts, then answer the number of attempts made."""
    calls[token] += 1
    if calls[token] <= failures:
        raise RuntimeError(f"attempt {calls[token]} of {token} fails")
    return calls[token]


@retrying(attempts=3, backoff=0)
def flaky_now(token: str, failures: int) -> int:
    """flaky without waiting between attempts (RQ's burst worker runs the retry at once)."""
    calls[token] += 1
    if calls[token] <= failures:
        raise RuntimeError(f"attempt {calls[token]} of {token} fails")
    return calls[token]


@task()
def add(a: int, b: int) -> int:
    return a + b


def failed_request(work: Callable[[], object]) -> None:
    """A request that does `work` in its transaction, then fails: the transaction rolls back."""
    with transaction.atomic():
        work()
        raise RuntimeError("the request failed: nothing it asked for may run")
