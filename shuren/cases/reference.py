"""The reference data every report reads (active categories, deadline policies), kept per process.

Both tables change only in the admin, a few times a year, yet intake and every deadline step
read them. Each process keeps a copy for CACHE_SECONDS, like the work calendar
(workdays/current.py): a save or delete drops this process's copy at once and again when
its transaction commits; the other processes (the second gunicorn worker, the task worker)
pick the change up within CACHE_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from shuren.cases.choices import DeadlineStage
from shuren.cases.deadlines import Span, pick_span
from shuren.cases.models import Category, DeadlinePolicy

CACHE_SECONDS = 60.0
T = TypeVar("T")
_cache: dict[str, tuple[float, Any]] = {}


def _kept(name: str, load: Callable[[], T]) -> T:
    now = time.monotonic()
    hit = _cache.get(name)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]  # type: ignore[no-any-return]
    value = load()
    _cache[name] = (now, value)
    return value


def _active_categories() -> tuple[Any, ...]:
    return tuple(
        Category.objects.filter(active=True).select_related("parent").order_by("sort_order", "code")
    )


def active_categories() -> tuple[Any, ...]:
    """The active categories, in list order, each with its parent. Shared by the process:
    read them, never modify them."""
    return _kept("categories", _active_categories)


def categories_by_id() -> dict[int, Any]:
    """The active categories by id (shared, like active_categories)."""
    return _kept("categories_by_id", lambda: {c.pk: c for c in active_categories()})


def active_category(code: str) -> Any:
    """The active category with this code, or None (shared, like active_categories)."""
    by_code = _kept("categories_by_code", lambda: {c.code: c for c in active_categories()})
    return by_code.get(code)


def _policies() -> tuple[Any, ...]:
    return tuple(DeadlinePolicy.objects.only("category_id", "risk", "stage", "amount", "unit"))


def deadline_policies() -> tuple[Any, ...]:
    return _kept("policies", _policies)


def spans_for(*, category: Category, risk: str) -> dict[str, Span]:
    """Every stage's span for a case of this category and risk, from the policies kept here."""
    policies = deadline_policies()
    return {
        stage: pick_span(
            policies,
            category_id=category.pk,
            parent_id=category.parent_id,
            risk=risk,
            stage=stage,
        )
        for stage in DeadlineStage.values
    }


def forget(**_kwargs: Any) -> None:
    """Drop this process's copies (the next read loads them again)."""
    _cache.clear()


def _changed(**_kwargs: Any) -> None:
    forget()
    # Read again after the change is committed, in case a read inside it filled the cache.
    transaction.on_commit(forget)


def connect_signals() -> None:
    for model in (Category, DeadlinePolicy):
        post_save.connect(_changed, sender=model, dispatch_uid=f"reference-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reference-{model.__name__}-d")
