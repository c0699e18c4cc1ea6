"""The minutes: the secretary drafts them, the attendees approve them (procedure.py says when
they are approved: more than half of those present, on the same draft)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.deliberation.meetings import procedure
from shuren.deliberation.meetings.choices import EventKind, Minutes, Status
from shuren.deliberation.meetings.models import Attendance, Meeting, MinutesApproval
from shuren.deliberation.meetings.people import users_of
from shuren.deliberation.meetings.timeline import event, organisers
from shuren.kernel.action import change, required
from shuren.kernel.outbox import Tell
from shuren.text import clean_text


def draft_minutes(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Meeting:
    """起草纪要: a new draft replaces the last; approvals of the old draft no longer count, and
    those present are asked to read and approve it."""
    text = required(clean_text(text, 20000), _("Write the minutes."))
    with change(
        Meeting.objects,
        meeting.pk,
        actor=actor,
        perm="deliberation.draft_minutes",
        expected_version=expected_version,
        at=at,
    ) as act:
        m = act.subject
        if m.status == Status.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."), code="cancelled")
        if not procedure.has_started(m.starts_at, act.at):
            raise ValidationError(
                _("The minutes are written once the meeting has begun."), code="early"
            )
        if m.minutes_status == Minutes.APPROVED:
            raise ValidationError(_("The minutes are approved and final."), code="approved")
        m.minutes, m.minutes_status = text, Minutes.DRAFT
        m.minutes_revision += 1
        act.save(["minutes", "minutes_status", "minutes_revision"])
        present = set(Attendance.objects.filter(meeting=m).values_list("person_id", flat=True))
        act.record(
            event(act, m, EventKind.MINUTES_DRAFTED, revision=m.minutes_revision),
            tell=Tell.users(
                "meeting.minutes",
                users_of(present),
                actor=actor,
                title=m.title,
                link=m.get_absolute_url(),
            ),
        )
        return m


def approve_minutes(
    *, actor: Any, meeting: Meeting, revision: int, at: dt.datetime | None = None
) -> Meeting:
    """An attendee approves the draft they read (its revision); once more than half of those
    present have, the minutes are approved and the organiser is told."""
    with change(
        Meeting.objects, meeting.pk, actor=actor, perm="deliberation.approve_minutes", at=at
    ) as act:
        m = act.subject
        if m.minutes_status != Minutes.DRAFT:
            raise ValidationError(
                _("There is no draft of the minutes to approve."), code="no_draft"
            )
        if revision != m.minutes_revision:
            raise ValidationError(
                _("The secretary changed the minutes since you read them. Read them again."),
                code="stale_draft",
            )
        person_id = actor.person_id
        if MinutesApproval.objects.filter(
            meeting=m, person_id=person_id, revision=revision
        ).exists():
            act.unchanged()
            return m
        MinutesApproval.objects.create(meeting=m, person_id=person_id, revision=revision, at=act.at)
        approvals = MinutesApproval.objects.filter(meeting=m, revision=revision).count()
        present = Attendance.objects.filter(meeting=m).count()
        carried = procedure.minutes_approved(approvals, present)
        if carried:
            m.minutes_status = Minutes.APPROVED
            act.save(["minutes_status"])
        act.record(
            event(
                act,
                m,
                EventKind.MINUTES_APPROVAL,
                revision=revision,
                approvals=approvals,
                present=present,
                carried=carried,
            ),
            tell=Tell.users(
                "meeting.minutes_approved",
                organisers(m) if carried else [],
                actor=actor,
                title=m.title,
                link=m.get_absolute_url(),
            ),
        )
        return m
