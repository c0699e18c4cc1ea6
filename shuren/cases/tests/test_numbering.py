"""Case numbers stay unique and gapless when many reports arrive at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings

from shuren.cases.intake import _allocate_number
from shuren.cases.models import CaseCounter

THREADS, EACH = 8, 10


# Real transactions on separate connections need a transactional test: pytest-django runs
# these after the others and empties the tables afterwards (later live-server tests rebuild
# the shared world, and re-seed with shuren.cases.seed if they need categories).
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_get_every_number_once():
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def allocate() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                with transaction.atomic():
                    numbers.append(_allocate_number(2031))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with override_settings(SHUREN_CASE_PREFIX="RACE"):
        threads = [threading.Thread(target=allocate) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(numbers) == [f"RACE-2031-{n:06d}" for n in range(1, THREADS * EACH + 1)]
    assert CaseCounter.objects.get(prefix="RACE", year=2031).last == THREADS * EACH
