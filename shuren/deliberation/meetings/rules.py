"""Who may do what with a meeting (django-rules), and the actions a page offers now.

- organises: an active post of community staff or secretary, or subdistrict staff, over the
  meeting's place; for a homeowners' committee meeting or an owners' assembly, a committee
  member's post over the estate too. Calls the meeting, sets its agenda, marks people present,
  records decisions, cancels follow-through items and the meeting.
- invited: a person invited, or a member or post holder of an invited organisation (the
  property company's staff through their post). Reads the meeting, checks in with the code.
- secretary: the person named secretary (or, when none is named, the organisers): drafts the
  minutes. attended: someone recorded present: approves the minutes.
- owns: the owner of a decision (the person, or the people of the team): marks it done.
Everyone else, a building leader not invited included, gets 404 for the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.utils import timezone

from shuren.access.context import standing_of
from shuren.deliberation.meetings import procedure
from shuren.deliberation.meetings.choices import OWNERS_KINDS, ItemStatus, Minutes, Status
from shuren.deliberation.meetings.models import (
    Attendance,
    Decision,
    Meeting,
    MinutesApproval,
    organiser_roots,
    teams_of,
)
from shuren.deliberation.meetings.people import is_invited


@dataclass(frozen=True)
class Calling:
    """What a meeting is called on: its place and its kind (who organises depends on both)."""

    place: Any
    kind: str


def organises_place(user: Any, place: Any, kind: str) -> bool:
    if place is None:
        return False
    roots = organiser_roots(user, owners_kinds=kind in OWNERS_KINDS)
    return any(place.path.startswith(r) for r in roots)


@rules.predicate
def may_call(user: Any, calling: Any) -> bool:
    return calling is not None and organises_place(user, calling.place, calling.kind)


@rules.predicate
def organises(user: Any, meeting: Any) -> bool:
    return meeting is not None and organises_place(user, meeting.place, meeting.kind)


@rules.predicate
def invited(user: Any, meeting: Any) -> bool:
    return is_invited(user, meeting)


@rules.predicate
def secretary(user: Any, meeting: Any) -> bool:
    if meeting is None:
        return False
    if meeting.secretary_id is None:
        return bool(organises(user, meeting))
    person_id = standing_of(user).person_id if getattr(user, "is_authenticated", False) else None
    return person_id is not None and person_id == meeting.secretary_id


@rules.predicate
def attended(user: Any, meeting: Any) -> bool:
    person_id = standing_of(user).person_id if getattr(user, "is_authenticated", False) else None
    return (
        meeting is not None
        and person_id is not None
        and Attendance.objects.filter(meeting=meeting, person_id=person_id).exists()
    )


@rules.predicate
def owns(user: Any, decision: Any) -> bool:
    if decision is None or not getattr(user, "is_authenticated", False):
        return False
    standing = standing_of(user)
    if decision.owner_person_id:
        return bool(decision.owner_person_id == standing.person_id)
    return bool(decision.owner_team_id in teams_of(standing))


@rules.predicate
def organises_its_meeting(user: Any, decision: Any) -> bool:
    return decision is not None and organises(user, decision.meeting)


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("deliberation.call_meeting", may_call)
add_perm("deliberation.view_meeting", organises | invited)
add_perm("deliberation.add_agenda_item", organises)
add_perm("deliberation.mark_attendance", organises)
add_perm("deliberation.check_in", invited)
add_perm("deliberation.draft_minutes", secretary)
add_perm("deliberation.approve_minutes", attended)
add_perm("deliberation.record_decision", organises | secretary)
add_perm("deliberation.cancel_meeting", organises)
add_perm("deliberation.complete_decision", owns | organises_its_meeting)
add_perm("deliberation.cancel_decision", organises_its_meeting)
# The overdue sweep is the system's (actor None): no user holds this one.
add_perm("deliberation.remind_decision", rules.always_deny)

# In the order the meeting page offers them.
MEETING_ACTIONS = (
    "check_in",
    "mark_attendance",
    "add_agenda_item",
    "draft_minutes",
    "approve_minutes",
    "record_decision",
    "cancel_meeting",
)


def _approved_current(user: Any, meeting: Meeting) -> bool:
    person_id = standing_of(user).person_id
    if person_id is None:
        return False
    return MinutesApproval.objects.filter(
        meeting=meeting, person_id=person_id, revision=meeting.minutes_revision
    ).exists()


def available_actions(user: Any, meeting: Meeting, now: dt.datetime | None = None) -> list[str]:
    """The actions the meeting's state allows now and the user may take, in page order."""
    if meeting.status == Status.CANCELLED:
        return []
    now = now or timezone.now()
    window = procedure.checkin_open(meeting.starts_at, meeting.ends_at, now)
    started = procedure.has_started(meeting.starts_at, now)
    approved = meeting.minutes_status == Minutes.APPROVED
    allowed = {
        "check_in": window and not attended(user, meeting),
        "mark_attendance": window,
        "add_agenda_item": not approved,
        "draft_minutes": started and not approved,
        "approve_minutes": meeting.minutes_status == Minutes.DRAFT
        and not _approved_current(user, meeting),
        "record_decision": started,
        "cancel_meeting": not started,
    }
    return [
        a for a in MEETING_ACTIONS if allowed[a] and user.has_perm(f"deliberation.{a}", meeting)
    ]


def decision_actions(user: Any, decision: Decision) -> list[str]:
    """What this user may do with one follow-through item now."""
    if decision.status != ItemStatus.OPEN:
        return []
    return [
        a
        for a in ("complete_decision", "cancel_decision")
        if user.has_perm(f"deliberation.{a}", decision)
    ]
