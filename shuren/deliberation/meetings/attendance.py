"""Who was at the meeting: an invitee checks in with the code shown on the organiser's phone,
or the organiser marks someone present by hand (an elder without a phone)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.deliberation.meetings import procedure
from shuren.deliberation.meetings.choices import EventKind, Presence, Status
from shuren.deliberation.meetings.models import Attendance, Meeting
from shuren.deliberation.meetings.people import invited_person_ids
from shuren.deliberation.meetings.timeline import event
from shuren.kernel.action import change
from shuren.people.models import Person


def _check_window(m: Meeting, at: dt.datetime) -> None:
    if m.status == Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."), code="cancelled")
    if not procedure.checkin_open(m.starts_at, m.ends_at, at):
        raise ValidationError(
            _("Check-in is open from half an hour before the meeting to two hours after it."),
            code="closed",
        )


def check_in(
    *, actor: Any, meeting: Meeting, code: str, at: dt.datetime | None = None
) -> Attendance:
    """签到: an invitee, in the room (or in the online meeting), types or scans the code."""
    # Not version-checked: many people check in at once, and none of them edits the meeting.
    with change(
        Meeting.objects, meeting.pk, actor=actor, perm="deliberation.check_in", at=at
    ) as act:
        m = act.subject
        _check_window(m, act.at)
        if (code or "").strip() != m.checkin_code:
            raise ValidationError(
                _(
                    "That is not this meeting's check-in code. "
                    "Read it again from the organiser's phone."
                ),
                code="code",
            )
        person_id = getattr(actor, "person_id", None)
        if not person_id:
            raise ValidationError(_("Your account is not linked to a person."), code="person")
        present = Attendance.objects.filter(meeting=m, person_id=person_id).first()
        if present is not None:
            act.unchanged()
            return present
        row = Attendance.objects.create(
            meeting=m, person_id=person_id, how=Presence.CODE, at=act.at, marked_by=actor
        )
        act.record(event(act, m, EventKind.CHECKED_IN, person=person_id))
        return row


def mark_attendance(
    *, actor: Any, meeting: Meeting, person: Person, at: dt.datetime | None = None
) -> Attendance:
    """The organiser marks an invitee present by hand."""
    with change(
        Meeting.objects, meeting.pk, actor=actor, perm="deliberation.mark_attendance", at=at
    ) as act:
        m = act.subject
        _check_window(m, act.at)
        if person.pk not in invited_person_ids(m):
            raise ValidationError(
                _("%(name)s is not invited to this meeting.") % {"name": person.name},
                code="not_invited",
            )
        present = Attendance.objects.filter(meeting=m, person=person).first()
        if present is not None:
            act.unchanged()
            return present
        row = Attendance.objects.create(
            meeting=m, person=person, how=Presence.BY_HAND, at=act.at, marked_by=actor
        )
        act.record(event(act, m, EventKind.MARKED_PRESENT, note=person.name, person=person.pk))
        return row
