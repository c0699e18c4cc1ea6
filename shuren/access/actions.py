"""The explicit acts of the access app: revealing personal information, logged each time."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shuren.access.context import scope_of
from shuren.access.masking import MASKERS
from shuren.access.models import AccessLog
from shuren.people.models import Person


def may_unmask(user: Any, person: Any) -> bool:
    """Staff roles may unmask a person who lives, or holds a post, inside their unmask scope."""
    scope = scope_of(user)
    if not scope.unmask_roots:
        return False
    return Person.objects.filter(scope.unmask_scope().person_q(), pk=person.pk).exists()


@transaction.atomic
def reveal_personal_info(
    *, user: Any, person: Any, field: str, reason: str, ip_address: str | None = None
) -> str:
    """Return one unmasked field of a person and write the access-log row in one transaction."""
    if field not in MASKERS:
        raise ValueError(f"unknown personal field {field!r}")
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    if not may_unmask(user, person):
        raise PermissionDenied
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessLog.Action.UNMASK,
        object_type="person",
        object_id=str(person.pk),
        fields=field,
        reason=reason[:200],
        ip_address=ip_address,
    )
    return str(getattr(person, field))


def log_unmasked_export(
    *,
    user: Any,
    object_type: str,
    fields: list[str],
    count: int,
    reason: str,
    ip_address: str | None = None,
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessLog.Action.EXPORT,
        object_type=object_type,
        fields=",".join(fields),
        reason=reason[:200],
        count=count,
        ip_address=ip_address,
    )
