"""What a matter owes the rest of the system: its copied place path kept in step when places
move (part of places.actions.move_place, which records the event), the logged reveal of an
anonymous contact's phone (its record is the access log's row, as for every unmasked read), and
what PIPL asks of its texts: scrubbing an anonymised person, expiring old callers' contacts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from shuren.access.masking import mask_text
from shuren.access.models import AccessLog
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.cases.models import Case, CaseEvent
from shuren.kernel.action import required
from shuren.people.actions import ANONYMOUS
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


def scrub_person(*, person_id: int, name: str) -> int:
    """A person was anonymised (people.privacy, inside its transaction): their name, phones and
    ID numbers leave the texts of the matters they reported and of the notes they wrote. The
    matters themselves stay, with their place, category, tiers and dates, so every figure
    still counts them. Returns how many texts changed."""

    def clean(text: str) -> str:
        return mask_text(text.replace(name, ANONYMOUS) if name else text)

    changed = 0
    for case in Case.objects.filter(reporter_id=person_id).only("pk", "title", "description"):
        title, description = clean(case.title), clean(case.description)
        if (title, description) != (case.title, case.description):
            Case.objects.filter(pk=case.pk).update(title=title, description=description)
            changed += 1
    for event in (
        CaseEvent.objects.filter(actor__person_id=person_id).exclude(note="").only("pk", "note")
    ):
        note = clean(event.note)
        if note != event.note:
            CaseEvent.objects.filter(pk=event.pk).update(note=note)
            changed += 1
    return changed


def expire_contacts(*, closed_before: dt.datetime) -> int:
    """The retention period of an unregistered caller's name and phone (PIPL Art. 19): on the
    matters closed before `closed_before` they are cleared in one statement, the matters stay
    and count. The system's step (the retention command), one audit entry with the count."""
    with transaction.atomic():
        cleared = (
            Case.objects.filter(closed_at__lt=closed_before)
            .exclude(contact_name="", contact_phone="")
            .update(contact_name="", contact_phone="")
        )
        if cleared:
            record(
                Kind.ANONYMISED,
                detail={"what": "contacts_of_closed_matters", "matters": cleared},
            )
    return cleared
