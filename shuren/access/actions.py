"""The explicit acts of the access app: revealing personal information, logged each time.

Who may: staff roles inside their unmask scope (may_unmask), and the 楼长, 巷长 or 街长 of a
resident's building for the phone of a resident who agreed to it (leader_may_see_phone).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shuren.access.context import scope_of, standing_of
from shuren.access.masking import MASKERS
from shuren.access.models import AccessLog
from shuren.people.models import Person
from shuren.people.roles import Role
from shuren.places.models import Resident

# The leaders a resident may let see their phone: of their building, lane or street.
NEIGHBOUR_LEADER_ROLES = frozenset({Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG})


def may_unmask(user: Any, person: Any) -> bool:
    """Staff roles may unmask a person who lives, or holds a post, inside their unmask scope."""
    scope = scope_of(user)
    if not scope.unmask_roots:
        return False
    return Person.objects.filter(scope.unmask_scope().person_q(), pk=person.pk).exists()


def leader_roots(user: Any) -> tuple[str, ...]:
    """The places the user leads as 楼长, 巷长 or 街长 (no query: their standing)."""
    return tuple(
        post.place_path
        for post in standing_of(user).posts
        if post.role in NEIGHBOUR_LEADER_ROLES and post.place_path
    )


def leader_sees_phone_of(user: Any, resident: Any) -> bool:
    """The user leads the building of this resident's current household, and the resident said
    their leader may see their phone (resident.person and household.place loaded: no query)."""
    roots = leader_roots(user)
    return (
        bool(roots)
        and resident.moved_out_on is None
        and resident.person.leader_sees_phone
        and any(resident.household.place.path.startswith(root) for root in roots)
    )


def leader_may_see_phone(user: Any, person: Any) -> bool:
    """leader_sees_phone_of for any current household of the person (one query)."""
    roots = leader_roots(user)
    if not roots or not person.leader_sees_phone:
        return False
    homes = Resident.objects.current().filter(person=person)
    return any(
        path.startswith(root)
        for path in homes.values_list("household__place__path", flat=True)
        for root in roots
    )


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
    # Staff inside their unmask scope; a resident's own leader, for the phone they let them see.
    if not may_unmask(user, person) and not (
        field == "phone" and leader_may_see_phone(user, person)
    ):
        raise PermissionDenied
    log_unmasked_read(
        user=user,
        object_type="person",
        object_id=person.pk,
        field=field,
        reason=reason,
        ip_address=ip_address,
    )
    return str(getattr(person, field))


def log_unmasked_read(
    *,
    user: Any,
    object_type: str,
    object_id: Any,
    field: str,
    reason: str,
    ip_address: str | None = None,
) -> AccessLog:
    """The access-log row (and its audit twin) of one unmasked field read, in the caller's
    transaction: every reveal, of a person or of a mediation's party, writes it here."""
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessLog.Action.UNMASK,
        object_type=object_type,
        object_id=str(object_id),
        fields=field,
        reason=reason[:200],
        ip_address=ip_address,
    )


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
