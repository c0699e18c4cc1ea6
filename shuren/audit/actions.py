"""The audit trail's two acts: append an entry (`record`, called by every recorder) and purge
entries past the retention period (`purge_before`, for `manage.py purgeaudit`).

Appends are serial: each locks the head row (SELECT … FOR UPDATE on PostgreSQL; SQLite's
writers are serial anyway, and its transactions begin IMMEDIATE), takes the next number and
the previous hash from it, and moves it on in the same transaction. A recorder inside a larger
transaction (an action) holds that lock until it commits, so actions record last.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.access.masking import mask_text
from shuren.audit.chain import link
from shuren.audit.choices import AUDITED_EVENTS, Kind
from shuren.audit.models import GENESIS, AuditAnchor, AuditEntry, AuditHead

# 网络安全法 Art. 21: network logs are kept at least six months. Settings may keep them longer
# (SHUREN_AUDIT_RETENTION_DAYS), never shorter; the PostgreSQL trigger holds the same floor.
MIN_RETENTION_DAYS = 180
MAX_TEXT = 500  # one string of the details; a hostile input is not worth keeping whole

# A target: a model instance, or (type, id, label).
Target = Any


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(getattr(settings, "SHUREN_AUDIT_RETENTION_DAYS", 0)))


def _text(value: Any, limit: int) -> str:
    # NUL cannot be stored by PostgreSQL; a phone or ID number never enters the trail.
    return mask_text(str(value).replace("\x00", "\ufffd"))[:limit]


def _clean(value: Any) -> Any:
    """Details as plain JSON (the form the database gives back, so the hash holds), every
    string masked and bounded."""
    if isinstance(value, dict):
        return {_text(k, 100): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_clean(v) for v in items]
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return _text(value, MAX_TEXT)


def _target(target: Target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, pk, label = target
        return _text(kind, 50), _text(pk if pk is not None else "", 50), _text(label, 200)
    meta = target._meta
    # An account by its username (as a failed login names it), anything else as it shows.
    label = target.get_username() if hasattr(target, "get_username") else target
    return meta.label_lower[:50], str(target.pk)[:50], _text(label, 200)


def _head() -> AuditHead:
    """The head row, locked; made on first use (and after a test emptied the tables) from
    the newest entry, so a lost head row never stops logins: appends go on from there."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, hash_ = last if last is not None else chain_start()
        AuditHead.objects.bulk_create([AuditHead(pk=1, seq=seq, hash=hash_)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def record(
    kind: Kind | str,
    *,
    actor: Any = None,
    username: str | None = None,
    request: Any = None,
    ip: str | None = None,
    target: Target = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is the account acting (or the request's user); `username`
    names someone without an account object (a failed login). Never pass a password or a full
    personal number: every string is masked anyway."""
    kind = Kind(kind)
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None  # AnonymousUser: nobody logged in
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    if username is None:
        username = actor.get_username() if actor is not None else ""
    if ip is None and request is not None:
        ip = request.META.get("REMOTE_ADDR") or ""
    target_type, target_id, target_label = _target(target)
    values: dict[str, Any] = {
        "kind": kind.value,
        "actor_pk": actor.pk if actor is not None else None,
        "actor_username": _text(username, 150),
        "ip": _text(ip or "", 45),
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        # Through JSON and back: the value a JSONField returns, whatever the database.
        "detail": json.loads(json.dumps(_clean(detail or {}))),
    }
    with transaction.atomic():
        head = _head()
        # The time is read under the lock, so times never go back as numbers go up.
        values.update(seq=head.seq + 1, at=timezone.now())
        entry = AuditEntry(**values, prev_hash=head.hash, hash=link(head.hash, values))
        entry.save()
        AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


def record_event(
    event_kind: str, *, actor: Any, subject: Any, data: dict[str, Any], note: str = ""
) -> AuditEntry | None:
    """The audit entry of a kernel event, if its kind is a security event (AUDITED_EVENTS):
    who acted, on what, and the event's data (which never holds a personal number)."""
    kind = AUDITED_EVENTS.get(event_kind)
    if kind is None:
        return None
    if kind == Kind.PASSWORD_SET and actor is not None and actor.pk == subject.pk:
        kind = Kind.PASSWORD_CHANGED
    detail = {**data, "note": note} if note else dict(data)
    return record(kind, actor=actor, target=subject, detail=detail)


def purge_cutoff(today: dt.date | None = None) -> dt.date:
    """The latest `--before` day a purge may take: entries older than the retention period."""
    return (today or timezone.localdate()) - dt.timedelta(days=retention_days())


def purge_before(*, actor: Any = None, username: str = "", before: dt.date) -> int:
    """Delete the entries written before the day `before` (Asia/Shanghai), if that day is at
    least the retention period ago; leave an anchor where the chain now starts and record the
    purge. Returns how many entries went."""
    cutoff = purge_cutoff()
    if before > cutoff:
        raise ValidationError(
            _("Audit entries are kept at least %(days)d days: choose %(date)s or earlier.")
            % {"days": retention_days(), "date": cutoff.isoformat()},
            code="too_young",
        )
    boundary = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    with transaction.atomic():
        _head()  # no append between reading the boundary and deleting up to it
        # Only an unbroken run of old entries from the start: one written late with an early
        # clock stays, and so does everything after it.
        young = AuditEntry.objects.filter(at__gte=boundary).order_by("seq").first()
        old = AuditEntry.objects.filter(at__lt=boundary)
        if young is not None:
            old = old.filter(seq__lt=young.seq)
        last = old.order_by("-seq").values_list("seq", "hash").first()
        count = 0
        if last is not None:
            through, last_hash = last
            AuditAnchor(
                seq=through,
                hash=last_hash,
                purged_before=before,
                at=timezone.now(),
                actor_username=actor.get_username() if actor is not None else username,
            ).save()
            count = _delete_through(through)
        record(
            Kind.PURGED,
            actor=actor,
            username=username if actor is None else None,
            target=("audit", "", "audit trail"),
            detail={
                "before": before,
                "deleted": count,
                "through": last[0] if last else None,
            },
        )
    return count


def _delete_through(seq: int) -> int:
    """The one statement that deletes audit rows. On PostgreSQL the trigger lets it pass only
    with this transaction's purge flag and only for rows past the legal minimum."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    column = connection.ops.quote_name("seq")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('shuren.audit_purge', 'on', true)")
        cursor.execute(f"DELETE FROM {table} WHERE {column} <= %s", [seq])  # noqa: S608
        count = int(cursor.rowcount)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('shuren.audit_purge', '', true)")
    return count


def chain_start() -> tuple[int, str]:
    """Where the chain starts: after the newest purge's anchor, or at the genesis."""
    anchor = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    return anchor if anchor is not None else (0, GENESIS)
