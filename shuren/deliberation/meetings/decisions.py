"""Decisions and their follow-through: recorded with an owner and a deadline (a matter on the
agenda may be settled by it, through the matters' own action), marked done or cancelled, and
reminded once a day while overdue (the sweep: `manage.py sweepmeetings`)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases import actions as cases
from shuren.cases.choices import OPEN_STATUSES, ResolutionMethod
from shuren.cases.models import Case
from shuren.deliberation.meetings import followthrough, procedure
from shuren.deliberation.meetings.choices import EventKind, ItemStatus, Status
from shuren.deliberation.meetings.models import AgendaItem, Decision, Invitee, Meeting
from shuren.deliberation.meetings.people import invited_person_ids, owner_users
from shuren.deliberation.meetings.timeline import event, organisers
from shuren.kernel.action import change, required
from shuren.kernel.outbox import Tell
from shuren.people.models import Person, Team
from shuren.text import clean_text

log = logging.getLogger(__name__)


def _check_owner(m: Meeting, person: Person | None, team: Team | None) -> None:
    if (person is None) == (team is None):
        raise ValidationError(_("Name one owner: a person or an organisation."), code="owner")
    if team is not None and not Invitee.objects.filter(meeting=m, team=team).exists():
        raise ValidationError(
            _("The owning organisation must be invited to the meeting."), code="owner"
        )
    if person is not None:
        if person.pk not in invited_person_ids(m):
            raise ValidationError(_("The owner must be invited to the meeting."), code="owner")
        if not owner_users(person.pk, None).exists():
            raise ValidationError(
                _(
                    "%(name)s has no account to follow the item through; choose an "
                    "organisation or someone with an account."
                )
                % {"name": person.name},
                code="owner_account",
            )


def record_decision(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    due_on: dt.date,
    owner_person: Person | None = None,
    owner_team: Team | None = None,
    agenda_item: AgendaItem | None = None,
    settles: Case | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """决定: what was decided, who carries it out, by which day; the owner is told. A decision
    that settles a matter on its agenda item resolves it as settled by a joint meeting."""
    text = required(clean_text(text, 2000), _("Say what was decided."))
    with change(
        Meeting.objects, meeting.pk, actor=actor, perm="deliberation.record_decision", at=at
    ) as act:
        m = act.subject
        if m.status == Status.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."), code="cancelled")
        if not procedure.has_started(m.starts_at, act.at):
            raise ValidationError(
                _("Decisions are recorded once the meeting has begun."), code="early"
            )
        if agenda_item is not None and agenda_item.meeting_id != m.pk:
            raise ValidationError(_("Choose an item of this meeting's agenda."), code="agenda_item")
        if due_on < followthrough.local_day(act.at):
            raise ValidationError(_("The deadline cannot be in the past."), code="due_on")
        _check_owner(m, owner_person, owner_team)
        if settles is not None:
            on_agenda = AgendaItem.cases.through.objects.filter(
                agendaitem__meeting=m, case_id=settles.pk
            )
            if agenda_item is not None:
                on_agenda = on_agenda.filter(agendaitem=agenda_item)
            if not on_agenda.exists():
                raise ValidationError(
                    _("A decision settles only a matter on its meeting's agenda."), code="settles"
                )
            # The secretary records decisions too, and may not see the organiser's matters: the
            # matter is settled (or noted) only by someone who sees it, as the agenda takes it up.
            if (
                actor is not None
                and not Case.objects.visible_to(actor).filter(pk=settles.pk).exists()
            ):
                raise ValidationError(
                    _("A decision settles only a matter you can see."), code="settles"
                )
        decision = Decision.objects.create(
            meeting=m,
            agenda_item=agenda_item,
            text=text,
            owner_person=owner_person,
            owner_team=owner_team,
            due_on=due_on,
            case=settles,
        )
        act.record(
            event(
                act,
                m,
                EventKind.DECIDED,
                decision=decision,
                note=text,
                due_on=due_on.isoformat(),
                case=settles.number if settles else "",
            ),
            tell=Tell.users(
                "meeting.decided",
                owner_users(decision.owner_person_id, decision.owner_team_id),
                actor=actor,
                title=m.title,
                text=text,
                due=due_on.isoformat(),
                link=m.get_absolute_url(),
            ),
        )
        if settles is not None:
            decision.settled = _settle(m, settles, actor, text)
            Decision.objects.filter(pk=decision.pk).update(settled=decision.settled)
        return decision


def _settle(m: Meeting, case: Case, actor: Any, text: str) -> bool:
    """The matter is resolved by the joint meeting through the matters' own action, with its
    own event; a matter already settled, or one the organiser may not resolve, gets a note."""
    case.refresh_from_db()
    summary = _("Settled by the meeting %(title)s (%(day)s): %(text)s") % {
        "title": m.title,
        "day": f"{timezone.localtime(m.starts_at):%Y-%m-%d}",
        "text": text,
    }
    if case.status in OPEN_STATUSES:
        try:
            cases.resolve_case(
                actor=actor, case=case, method=ResolutionMethod.JOINT_MEETING, summary=summary
            )
            return True
        except (ValidationError, PermissionDenied) as refused:
            log.info("matter %s not resolved by meeting %s: %s", case.pk, m.pk, refused)
    cases.add_note(actor=None, case=case, note=summary)
    return False


def _close(
    *,
    actor: Any,
    decision: Decision,
    perm: str,
    status: str,
    kind: str,
    note: str,
    expected_version: int | None,
    at: dt.datetime | None,
) -> Decision:
    with change(
        Decision.objects.select_related("meeting", "meeting__called_by"),
        decision.pk,
        actor=actor,
        perm=perm,
        expected_version=expected_version,
        at=at,
    ) as act:
        d = act.subject
        if d.status != ItemStatus.OPEN:
            raise ValidationError(
                _("This item is already %(status)s.") % {"status": d.get_status_display()},
                code="closed",
            )
        d.status, d.note, d.closed_at, d.closed_by = status, note, act.at, actor
        act.save(["status", "note", "closed_at", "closed_by"])
        told = organisers(d.meeting) + list(owner_users(d.owner_person_id, d.owner_team_id))
        act.record(
            event(act, d.meeting, kind, decision=d, note=note),
            tell=Tell.users(
                "meeting.item_closed",
                told,
                actor=actor,
                title=d.meeting.title,
                text=d.text,
                status=str(status),
                link=d.meeting.get_absolute_url(),
            ),
        )
        return d


def complete_decision(
    *,
    actor: Any,
    decision: Decision,
    note: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """落实完成: the owner (or an organiser) says what was done; the organiser is told."""
    note = required(clean_text(note, 2000), _("Say what was done."))
    return _close(
        actor=actor,
        decision=decision,
        perm="deliberation.complete_decision",
        status=ItemStatus.DONE,
        kind=EventKind.ITEM_DONE,
        note=note,
        expected_version=expected_version,
        at=at,
    )


def cancel_decision(
    *,
    actor: Any,
    decision: Decision,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """An organiser cancels an item no longer to be done, with the reason; the owner is told."""
    reason = required(clean_text(reason, 2000), _("Say why the item is cancelled."))
    return _close(
        actor=actor,
        decision=decision,
        perm="deliberation.cancel_decision",
        status=ItemStatus.CANCELLED,
        kind=EventKind.ITEM_CANCELLED,
        note=reason,
        expected_version=expected_version,
        at=at,
    )


def remind_overdue(*, decision: Decision, at: dt.datetime | None = None) -> bool:
    """The system reminds the owner and the organiser of an overdue item, at most once per
    Guicheng day (followthrough.needs_reminder, decided again under the row lock)."""
    with change(
        Decision.objects.select_related("meeting", "meeting__called_by"),
        decision.pk,
        actor=None,
        perm="deliberation.remind_decision",
        at=at,
    ) as act:
        d = act.subject
        today = followthrough.local_day(act.at)
        if not followthrough.needs_reminder(d.status, d.due_on, d.last_reminded_on, today):
            act.unchanged()
            return False
        days = followthrough.days_overdue(d.status, d.due_on, today)
        d.last_reminded_on = today
        act.save(["last_reminded_on"], bump=False)
        act.record(
            event(act, d.meeting, EventKind.ITEM_OVERDUE, decision=d, days=days),
            tell=Tell.users(
                "meeting.item_overdue",
                organisers(d.meeting) + list(owner_users(d.owner_person_id, d.owner_team_id)),
                title=d.meeting.title,
                text=d.text,
                due=d.due_on.isoformat(),
                days=days,
                link=d.meeting.get_absolute_url(),
            ),
        )
        return True


@dataclass
class SweepReport:
    reminded: int = 0
    items: list[int] = field(default_factory=list)


def sweep_overdue(*, now: dt.datetime | None = None) -> SweepReport:
    """Remind every open item past its deadline that was not reminded today (idempotent)."""
    now = now or timezone.now()
    today = followthrough.local_day(now)
    report = SweepReport()
    due = Decision.objects.filter(status=ItemStatus.OPEN, due_on__lt=today).exclude(
        last_reminded_on__gte=today
    )
    for pk in due.order_by("pk").values_list("pk", flat=True):
        if remind_overdue(decision=Decision(pk=pk), at=now):
            report.reminded += 1
            report.items.append(pk)
    return report
