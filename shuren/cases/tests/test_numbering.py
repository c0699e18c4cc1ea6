"""Case numbers stay unique and gapless when many reports arrive at the same moment, and one
submission sent several times at once creates one case."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings

from shuren.cases.intake.report import _allocate_number
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


@pytest.mark.django_db(transaction=True)
def test_copies_of_one_submission_sent_at_once_create_one_case():
    """No look-up comes first: the key's unique constraint makes every copy but one roll back
    (on PostgreSQL they wait for the first to commit) and answer the first case."""
    from django.contrib.auth import get_user_model

    from shuren.cases.actions import report_case
    from shuren.cases.models import Case, Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.places.models import Place
    from shuren.testing import build_world

    build_world()  # a transactional test before this one may have emptied the tables
    seed(Category, DeadlinePolicy)
    resident = get_user_model().objects.get(username="demo-resident")
    place = Place.objects.get(code="GC-JD-JYLW-B01-U1")
    category = Category.objects.get(code="neighbour-odour")
    copies = 4
    start = threading.Barrier(copies)
    answers: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            case = report_case(
                actor=resident,
                place=place,
                category=category,
                title="同时提交了四次",
                idempotency_key="double-tap",
            )
            answers.append((case.pk, case.replayed))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({pk for pk, _replayed in answers}) == 1
    assert sorted(replayed for _pk, replayed in answers) == [False, True, True, True]
    assert Case.objects.filter(title="同时提交了四次").count() == 1
