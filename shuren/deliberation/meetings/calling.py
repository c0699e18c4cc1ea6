"""Calling a meeting (its notice to every invitee), its agenda, and cancelling it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases.models import Case
from shuren.deliberation.meetings import procedure
from shuren.deliberation.meetings.choices import EventKind, Kind, Status
from shuren.deliberation.meetings.models import AgendaItem, Invitee, Meeting
from shuren.deliberation.meetings.people import invited_person_ids, users_of
from shuren.deliberation.meetings.rules import Calling
from shuren.deliberation.meetings.timeline import event
from shuren.kernel.action import change, create, required
from shuren.kernel.outbox import Tell
from shuren.people.models import Person, Team
from shuren.places.models import Place
from shuren.text import clean_text

MAX_HOURS = 12
# A meeting is called for the days ahead, or recorded shortly after it was held; a time beyond
# these is a slip of the finger (and year 1 cannot even be stored: a 500 before this bound).
MAX_BEHIND = dt.timedelta(days=7)
MAX_AHEAD_YEARS = 10


def new_checkin_code(at: dt.datetime) -> str:
    """A six-digit code no other meeting around this time uses (codes are reused over years)."""
    while True:
        code = f"{secrets.randbelow(10**procedure.CODE_DIGITS):0{procedure.CODE_DIGITS}d}"
        clash = Meeting.objects.filter(
            checkin_code=code, ends_at__gte=at - dt.timedelta(days=2), status=Status.CALLED
        )
        if not clash.exists():
            return code


def check_meeting(
    *, kind: str, title: str, starts_at: dt.datetime, ends_at: dt.datetime, venue: str
) -> None:
    """What a meeting needs before it is called, each refusal in words."""
    if kind not in Kind.values:
        raise ValidationError(_("Choose the kind of meeting."), code="kind")
    if not title:
        raise ValidationError(_("Say what the meeting is about."), code="title")
    if not venue:
        raise ValidationError(
            _("Say where the meeting is held (a room, or the WeChat group)."), code="venue"
        )
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."), code="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_HOURS):
        raise ValidationError(
            _("A meeting lasts at most %(hours)d hours.") % {"hours": MAX_HOURS}, code="ends_at"
        )


def call_meeting(
    *,
    actor: Any,
    place: Place,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: str,
    purpose: str = "",
    persons: Sequence[Person] = (),
    teams: Sequence[Team] = (),
    secretary: Person | None = None,
    agenda: Sequence[str] = (),
    token: str | None = None,
    at: dt.datetime | None = None,
) -> Meeting:
    """召集会议: the meeting over a place with its invitees (persons and organisations, the
    property company among them) and its first agenda items; every invitee is told (one event).
    A retried form (the same token) finds the meeting it already called."""
    if token:
        done = Meeting.objects.filter(token=token, called_by=actor).first()
        if done is not None:
            return done
    title = clean_text(title, 120)
    venue = clean_text(venue, 120)
    purpose = clean_text(purpose, 5000)
    agenda = [t for t in (clean_text(a, 120) for a in agenda) if t]
    with create(
        actor=actor, perm="deliberation.call_meeting", on=Calling(place, kind), at=at
    ) as act:
        check_meeting(kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, venue=venue)
        ahead = dt.timedelta(days=366 * MAX_AHEAD_YEARS)
        if not act.at - MAX_BEHIND <= starts_at <= act.at + ahead:
            raise ValidationError(
                _("The meeting time must fall between %(days)d days ago and %(years)d years ahead.")
                % {"days": MAX_BEHIND.days, "years": MAX_AHEAD_YEARS},
                code="starts_at",
            )
        if not persons and not teams:
            raise ValidationError(_("Invite at least one person or organisation."), code="invitees")
        invited = {p.pk for p in persons}
        organiser = getattr(actor, "person_id", None)
        if secretary is not None and secretary.pk not in invited and secretary.pk != organiser:
            raise ValidationError(
                _("The secretary is one of the invitees or the organiser."), code="secretary"
            )
        meeting: Meeting = act.created(
            Meeting.objects.create(
                title=title,
                kind=kind,
                place=place,
                purpose=purpose,
                starts_at=starts_at,
                ends_at=ends_at,
                venue=venue,
                called_by=actor,
                secretary=secretary,
                checkin_code=new_checkin_code(act.at),
                token=token or None,
            )
        )
        Invitee.objects.bulk_create(
            [Invitee(meeting=meeting, person=p) for p in dict.fromkeys(persons)]
            + [Invitee(meeting=meeting, team=t) for t in dict.fromkeys(teams)]
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=t) for i, t in enumerate(agenda, 1)
        )
        act.record(
            event(
                act,
                meeting,
                EventKind.CALLED,
                persons=len(set(persons)),
                teams=len(set(teams)),
            ),
            tell=Tell.users(
                "meeting.called",
                users_of(invited_person_ids(meeting)),
                actor=actor,
                title=meeting.title,
                meeting_kind=str(meeting.kind),
                starts=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}",
                venue=meeting.venue,
                link=meeting.get_absolute_url(),
            ),
        )
        return meeting


def add_agenda_item(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    notes: str = "",
    cases: Sequence[Case] = (),
    at: dt.datetime | None = None,
) -> AgendaItem:
    """议题: one more item on the agenda, taking up matters the organiser sees."""
    title = required(clean_text(title, 120), _("Say what the agenda item is."))
    notes = clean_text(notes, 5000)
    with change(
        Meeting.objects, meeting.pk, actor=actor, perm="deliberation.add_agenda_item", at=at
    ) as act:
        m = act.subject
        if m.status == Status.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."), code="cancelled")
        if actor is not None:
            seen = set(
                Case.objects.visible_to(actor)
                .filter(pk__in=[c.pk for c in cases])
                .values_list("pk", flat=True)
            )
            if any(c.pk not in seen for c in cases):
                raise ValidationError(_("You may only take up matters you can see."), code="cases")
        last = AgendaItem.objects.filter(meeting=m).order_by("-position").first()
        item = AgendaItem.objects.create(
            meeting=m, position=(last.position if last else 0) + 1, title=title, notes=notes
        )
        if cases:
            item.cases.add(*cases)
        act.record(
            event(
                act,
                m,
                EventKind.AGENDA,
                note=title,
                item=item.pk,
                cases=[c.number for c in cases],
            )
        )
        return item


def cancel_meeting(
    *,
    actor: Any,
    meeting: Meeting,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Meeting:
    """取消会议 before it begins, with a reason every invitee is told."""
    reason = required(clean_text(reason, 200), _("Say why the meeting is cancelled."))
    with change(
        Meeting.objects,
        meeting.pk,
        actor=actor,
        perm="deliberation.cancel_meeting",
        expected_version=expected_version,
        at=at,
    ) as act:
        m = act.subject
        if m.status == Status.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."), code="cancelled")
        if procedure.has_started(m.starts_at, act.at):
            raise ValidationError(_("A meeting that has begun is not cancelled."), code="started")
        m.status, m.cancel_reason = Status.CANCELLED, reason
        act.save(["status", "cancel_reason"])
        act.record(
            event(act, m, EventKind.CANCELLED, note=reason),
            tell=Tell.users(
                "meeting.cancelled",
                users_of(invited_person_ids(m)),
                actor=actor,
                title=m.title,
                reason=reason,
                link=m.get_absolute_url(),
            ),
        )
        return m
