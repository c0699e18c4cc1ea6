"""What a matter owes the rest of the system: its copied place path kept in step when places
move (part of places.actions.move_place, which records the event), and the logged reveal of an
anonymous contact's phone (its record is the access log's row, as for every unmasked read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from shuren.access.models import AccessLog
from shuren.cases.models import Case
from shuren.kernel.action import required
from shuren.places.paths import subtree_q

if TYPE_CHECKING:
    from shuren.accounts.models import User


def repath_cases(*, old_prefix: str, new_prefix: str) -> int:
    """Keep Case.place_path in step when a subtree of places moves: part of the move_place
    action (places.signals.subtree_moved, in its transaction), which records the event."""
    return Case.objects.filter(subtree_q(old_prefix, "place_path")).update(
        place_path=Concat(
            Value(new_prefix),
            Substr("place_path", len(old_prefix) + 1, Length("place_path")),
        )
    )


@transaction.atomic
def reveal_contact_phone(
    *, user: User, case: Case, reason: str, ip_address: str | None = None
) -> str:
    """The anonymous contact's phone unmasked, for staff who may unmask there. Its record is
    the access log's row (who, when, why; never the value), as for every unmasked read."""
    reason = required(reason, _("Give the reason for revealing the phone number."))
    if not user.has_perm("cases.reveal_contact_phone", case):  # cases.parties
        raise PermissionDenied
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessLog.Action.UNMASK,
        object_type="case",
        object_id=str(case.pk),
        fields="contact_phone",
        reason=reason[:200],
        ip_address=ip_address,
    )
    return case.contact_phone
