"""How an action runs: atomically, on a locked row, with a version check and a permission check,
writing exactly one event and one outbox row. Every capability's actions.py is written on it.

    @transaction.atomic  (change() opens its own; the decorator is not needed)
    def accept_case(*, actor, case, note="", expected_version=None, at=None) -> Case:
        with kernel.change(Case.objects, case.pk, actor=actor, perm="cases.accept_case",
                           expected_version=expected_version, at=at) as act:
            case = act.subject
            case.status = ...
            act.save(["status"])
            act.record(CaseEvent(case=case, kind=..., actor=actor, at=act.at),
                       tell=Tell.users("case.accepted", users, actor=actor, title=case.title))
            return case

- the row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time),
  then the permission is checked on its fresh state (`actor.has_perm(perm, row)`, the
  capability's django-rules predicates; `actor=None` is the system), then the version the
  client saw (`StaleVersion`, answered 409);
- `act.save()` bumps the version and saves only the fields named;
- `act.record()` saves the event and writes the outbox row (kernel.outbox) in the same
  transaction; leaving the block without exactly one record is a programming error, unless
  the action said `act.unchanged()` (nothing to do, like zulip's early returns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.actions import record_event
from shuren.kernel.models import Event
from shuren.kernel.outbox import NOBODY, Tell, publish
from shuren.kernel.versions import check_version

M = TypeVar("M", bound=models.Model)
E = TypeVar("E", bound=models.Model)


class Keeper(Protocol):
    """Keeps something derived from the rows of one model (a capability above registers it):
    `facts` reads what it needs of a row, `apply` turns a change of facts into its own writes,
    in the action's transaction. The kernel knows nothing of what is kept."""

    def facts(self, row: Any) -> Any: ...

    def apply(self, changes: list[tuple[Any, Any]]) -> None: ...


# model label ("cases.case") -> its keeper; registered from an AppConfig.ready().
_keepers: dict[str, Keeper] = {}


def keep(model_label: str, keeper: Keeper) -> None:
    """Register a keeper of a model's rows: every action on such a row (its subject, the rows it
    locked with it, the row it created) hands the keeper the facts before and after."""
    _keepers[model_label] = keeper


def keep_inserted(rows: list[Any]) -> None:
    """The bulk paths that insert rows past the actions (a history import) hand them to their
    keeper here, in their transaction, so what is kept stays exact."""
    keeper = _keepers.get(rows[0]._meta.label_lower) if rows else None
    if keeper is not None:
        keeper.apply([(None, keeper.facts(row)) for row in rows])


class ActionMisused(RuntimeError):
    """An action left its block without recording exactly one event."""


def authorize(actor: Any, perm: str, obj: Any, message: str | None = None) -> None:
    """The actor may do `perm` to `obj` (django-rules); the system (None) always may."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message or _("You may not do this."))


def required(text: str, message: str) -> str:
    """The text, stripped; a ValidationError with the message when there is none."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code="required")
    return text


class Act(Generic[M]):
    """One action under way: who acts, when, on what; it records one event and one outbox row."""

    def __init__(self, subject: M | None, actor: Any, at: dt.datetime) -> None:
        self._subject = subject
        self.actor = actor
        self.at = at
        self.locked: dict[Any, M] = {}
        self._records = 0
        self._unchanged = False
        # The facts a keeper reads of each row this action holds, as they were before it.
        self._before: dict[Any, Any] = {}
        self._keeper: Keeper | None = None

    @property
    def subject(self) -> M:
        if self._subject is None:
            raise ActionMisused("this action has no subject yet: call act.created(obj)")
        return self._subject

    def created(self, obj: M) -> M:
        """The subject a creating action has just inserted."""
        self._subject = obj
        self._keeper = _keepers.get(obj._meta.label_lower)
        if self._keeper is not None:
            self.locked = {obj.pk: obj}
            self._before = {obj.pk: None}
        return obj

    def hold(self, rows: dict[Any, M]) -> None:
        """The rows this action locked; what a keeper reads of them is noted before any change."""
        self.locked = rows
        first = next(iter(rows.values()), None)
        self._keeper = _keepers.get(first._meta.label_lower) if first is not None else None
        if self._keeper is not None:
            self._before = {pk: self._keeper.facts(row) for pk, row in rows.items()}

    def save(self, fields: Iterable[str], *, bump: bool = True) -> None:
        """Save the named fields; a change bumps the version (markers pass bump=False)."""
        subject = self.subject
        names = list(fields)
        concrete = {f.name for f in subject._meta.concrete_fields}
        if bump and "version" in concrete:
            subject.version += 1  # type: ignore[attr-defined]
            names.append("version")
        if "updated_at" in concrete:
            names.append("updated_at")
        subject.save(update_fields=names)

    def record(self, event: E, *, tell: Tell = NOBODY) -> E:
        """Save the action's one event and its outbox row."""
        if self._records:
            raise ActionMisused("an action records exactly one event")
        event.save(force_insert=True)
        publish(subject=self.subject, event=event, tell=tell)
        self._records += 1
        return event

    def record_change(
        self,
        kind: str,
        *,
        note: str = "",
        data: dict[str, Any] | None = None,
        tell: Tell = NOBODY,
    ) -> Event:
        """The event for a subject without a timeline of its own (kernel.Event)."""
        subject = self.subject
        event = self.record(
            Event(
                subject_type=subject._meta.label_lower,
                subject_id=subject.pk,
                kind=kind,
                actor=self.actor,
                at=self.at,
                note=note,
                data=data or {},
            ),
            tell=tell,
        )
        # The events that are security events (a post given, a password set …) are entries of
        # the audit trail too, in this transaction; audit.choices.AUDITED_EVENTS names them.
        record_event(kind, actor=self.actor, subject=subject, data=event.data, note=note)
        return event

    def unchanged(self) -> None:
        """Nothing changed: the action ends without an event."""
        self._unchanged = True

    def finish(self) -> None:
        if self._records != 1 and not (self._unchanged and self._records == 0):
            raise ActionMisused(
                f"an action must record exactly one event (recorded {self._records})"
            )
        keeper = self._keeper
        if keeper is not None:
            changes = []
            for pk, before in self._before.items():
                after = keeper.facts(self.locked[pk])
                if after != before:
                    changes.append((before, after))
            if changes:
                keeper.apply(changes)


@contextmanager
def change(
    queryset: models.QuerySet[M] | models.Manager[M],
    pk: Any,
    *,
    actor: Any,
    perm: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    lock_with: Iterable[Any] = (),
    denied: str | None = None,
) -> Iterator[Act[M]]:
    """Run an action on one existing row: atomic, locked, authorized, version-checked.

    `lock_with` locks more rows of the same table (always in primary-key order, so two
    actions crossing each other cannot deadlock); they are in `act.locked`, the subject too.
    """
    with transaction.atomic():
        wanted = sorted({pk, *lock_with})
        rows = {
            row.pk: row
            for row in queryset.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
        }
        if pk not in rows:
            raise cast(Any, queryset.model).DoesNotExist
        subject = rows[pk]
        authorize(actor, perm, subject, denied)
        check_version(subject, expected_version)
        act: Act[M] = Act(subject, actor, at or timezone.now())
        act.hold(rows)
        yield act
        act.finish()


@contextmanager
def create(
    *,
    actor: Any,
    perm: str,
    on: Any,
    at: dt.datetime | None = None,
    denied: str | None = None,
) -> Iterator[Act[Any]]:
    """Run an action that creates its subject: atomic, authorized on what it is created
    `on` (a place for a report, a place or team for a post); call `act.created(obj)`."""
    with transaction.atomic():
        authorize(actor, perm, on, denied)
        act: Act[Any] = Act(None, actor, at or timezone.now())
        yield act
        act.finish()
