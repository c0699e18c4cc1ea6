"""Making and revoking Open311 keys, on the kernel: one event each (kernel.Event)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from shuren.api.open311.keys import KEY_PREFIX, Open311Key, hash_key, new_raw_key
from shuren.kernel.action import change, create, required

if TYPE_CHECKING:
    from shuren.accounts.models import User

__all__ = ["create_open311_key", "revoke_open311_key"]


def create_open311_key(
    *, actor: User | None, name: str, at: dt.datetime | None = None
) -> tuple[Open311Key, str]:
    """A new key for a partner system, with its raw secret: shown once, never stored."""
    name = required(name, _("Name the system this key is for."))[:100]
    raw = new_raw_key()
    with create(
        actor=actor,
        perm="api.add_open311key",
        on=None,
        at=at,
        denied=_("You may not make Open311 keys."),
    ) as act:
        key = act.created(
            Open311Key.objects.create(
                name=name,
                prefix=raw[: len(KEY_PREFIX) + 6],
                key_hash=hash_key(raw),
                created_at=act.at,
            )
        )
        act.record_change("open311.key_created", note=name)
        return key, raw


def revoke_open311_key(
    *, actor: User | None, key: Open311Key, at: dt.datetime | None = None
) -> Open311Key:
    """The key files nothing more from now on; a revoked key stays revoked."""
    with change(
        Open311Key.objects,
        key.pk,
        actor=actor,
        perm="api.change_open311key",
        at=at,
        denied=_("You may not revoke Open311 keys."),
    ) as act:
        key = act.subject
        if key.revoked_at is not None:
            act.unchanged()
            return key
        key.revoked_at = act.at
        act.save(["revoked_at"])
        act.record_change("open311.key_revoked", note=key.name)
        return key
