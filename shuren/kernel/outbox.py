"""The outbox: an action records what others must be told as one row in its own transaction;
the worker hands each row to the handlers exactly once, in order per subject.

Why an outbox: the request stays small (one INSERT, whoever must be told), and what it
announces can neither be lost nor sent for a change that rolled back. The worker
(`manage.py runoutbox`, started by `make demo`) calls `drain()`:

- each row is handled in a transaction of its own, which also marks it processed, so a worker
  that dies half-way leaves the row exactly as it was and the next run handles it once;
- a row waits while an earlier row of the same subject is unprocessed, so the people following
  a matter hear of its changes in the order they happened, even with several workers
  (PostgreSQL's SKIP LOCKED lets them share the work; SQLite has one writer anyway);
- a handler that fails is retried with backoff (`RETRY_AFTER`), then given up after
  MAX_ATTEMPTS with its error kept for the administrator, and the subject moves on.

Handlers are registered by the apps that consume the outbox (notify's in-app notifications
now; WeCom, e-mail and early warnings later) in their AppConfig.ready(), so the kernel
depends on none of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from shuren.kernel.models import Outbox

log = logging.getLogger(__name__)

Handler = Callable[[Outbox], object]  # what it returns is not used
_handlers: dict[str, Handler] = {}

MAX_ATTEMPTS = 5
# After the first failure wait 10 s, then 1, 5 and 30 minutes before giving up.
RETRY_AFTER = (
    dt.timedelta(seconds=10),
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
)


def register(name: str, handler: Handler) -> None:
    """Add a consumer of every outbox row (called from an AppConfig.ready())."""
    _handlers[name] = handler


@dataclass(frozen=True)
class Tell:
    """Who must be told what: a message kind, the user ids, and what the message says."""

    kind: str = ""
    recipients: tuple[int, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def users(
        cls,
        kind: str,
        users: Iterable[Any],
        *,
        actor: Any = None,
        audiences: Mapping[str, Iterable[Any]] | None = None,
        **params: Any,
    ) -> Tell:
        """Tell these users (never the one who acted, nobody twice, nobody inactive).

        `audiences` names groups told in their own words (e.g. the reporter of a matter): they
        are told too, and the row keeps who is in which (params["audiences"]) for the renderer.
        """
        actor_id = getattr(actor, "pk", None)

        def ids_of(group: Iterable[Any]) -> set[int]:
            return {u.pk for u in group if u.pk != actor_id and getattr(u, "is_active", True)}

        ids = ids_of(users)
        named: dict[str, list[int]] = {}
        for name, group in (audiences or {}).items():
            members = ids_of(group)
            if members:
                named[name] = sorted(members)
                ids |= members
        if named:
            params = {**params, "audiences": named}
        return cls(kind=kind, recipients=tuple(sorted(ids)), params=params)


NOBODY = Tell()


def publish(*, subject: models.Model, event: models.Model, tell: Tell = NOBODY) -> Outbox:
    """Write the outbox row for an event that was just saved, in the caller's transaction."""
    return Outbox.objects.create(
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        event_type=event._meta.label_lower,
        event_id=event.pk,
        kind=tell.kind,
        recipients=list(tell.recipients),
        params=tell.params,
        created_at=getattr(event, "at", None) or timezone.now(),
    )


def _next_claim(now: dt.datetime) -> Outbox | None:
    """Lock the oldest pending row whose subject has no earlier unprocessed row."""
    earlier = Outbox.objects.filter(
        subject_type=OuterRef("subject_type"),
        subject_id=OuterRef("subject_id"),
        id__lt=OuterRef("id"),
        processed_at__isnull=True,
    )
    return (
        Outbox.objects.pending(now)
        .filter(~Exists(earlier))
        .select_for_update(skip_locked=True)
        .order_by("id")
        .first()
    )


def handle(row: Outbox) -> None:
    """Run every handler on one row (inside drain()'s transaction for that row)."""
    for handler in _handlers.values():
        handler(row)


def drain(*, limit: int = 1000, now: dt.datetime | None = None) -> int:
    """Handle pending rows, oldest first, until none is left or `limit` were tried.

    Returns how many rows were processed (handled, or given up)."""
    processed = 0
    for _tried in range(limit):
        at = now or timezone.now()
        with transaction.atomic():
            row = _next_claim(at)
            if row is None:
                break
            try:
                with transaction.atomic():  # a savepoint: a failing handler leaves nothing
                    handle(row)
            except Exception as error:  # a handler's failure is recorded on the row, not raised
                log.exception("outbox row %s failed", row.pk)
                _count_failure(row, f"{type(error).__name__}: {error}", at)
            else:
                row.processed_at = at
                row.save(update_fields=["processed_at"])
            processed += row.processed_at is not None
    return processed


def _count_failure(row: Outbox, error: str, now: dt.datetime) -> None:
    """Retry later with backoff, or give up after MAX_ATTEMPTS (the subject then moves on)."""
    row.attempts += 1
    row.error = error[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.processed_at, row.given_up, row.retry_at = now, True, None
    else:
        row.retry_at = now + RETRY_AFTER[row.attempts - 1]
    row.save(update_fields=["attempts", "error", "processed_at", "given_up", "retry_at"])


def retry(*, pks: Iterable[int]) -> int:
    """Put given-up rows back in the queue (the administrator, once the cause is fixed)."""
    return Outbox.objects.filter(pk__in=list(pks), given_up=True).update(
        processed_at=None, given_up=False, attempts=0, retry_at=None
    )


def lag(now: dt.datetime | None = None) -> dt.timedelta:
    """How long the oldest pending row has waited (zero when the outbox is empty)."""
    now = now or timezone.now()
    oldest = (
        Outbox.objects.filter(processed_at__isnull=True)
        .order_by("id")
        .values_list("created_at", flat=True)
        .first()
    )
    return max(now - oldest, dt.timedelta(0)) if oldest else dt.timedelta(0)
