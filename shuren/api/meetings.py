"""API endpoints for meetings (会议): calling one, the meetings in the caller's sight, one meeting
with what the caller may do now, its agenda, checking in and marking people present, its minutes
and their approval, cancelling it, and recording, completing and cancelling a decision.

Every endpoint is thin, as the votes API: it finds the meeting through `visible_to` (another's
meeting is a 404 exactly like a missing id) and calls the one action in deliberation/actions.py,
which checks permission, time and the meeting's rules. A refusal by the meeting's state now
(cancelled, not started, check-in closed, minutes final or redrafted) answers 409 with its code;
a bad value 422.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from shuren.access.masking import mask_text
from shuren.api.auth import ApiRequest
from shuren.api.bodies import JsonOrForm
from shuren.api.case_schemas import MAX_ID
from shuren.api.errors import ApiError
from shuren.api.meeting_schemas import (
    AgendaIn,
    AgendaItemOut,
    ApproveMinutesIn,
    AttendanceOut,
    CancelDecisionIn,
    CancelMeetingIn,
    CheckInIn,
    CompleteDecisionIn,
    DecisionIn,
    DecisionOut,
    MarkAttendanceIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingListIn,
    MeetingPageOut,
    MinutesIn,
)
from shuren.api.schemas import ERRORS, ErrorOut
from shuren.cases.models import Case
from shuren.deliberation import actions
from shuren.deliberation.meetings import procedure
from shuren.deliberation.meetings.invitations import (
    candidate_people,
    candidate_teams,
    meeting_places,
    people_by_id,
)
from shuren.deliberation.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MinutesApproval,
)
from shuren.deliberation.meetings.people import expected_people
from shuren.deliberation.meetings.rules import available_actions, decision_actions
from shuren.people.models import Team
from shuren.places.models import Place

router = Router(tags=["meetings"])

MeetingBody = Annotated[MeetingIn, JsonOrForm(...)]
CheckInBody = Annotated[CheckInIn, JsonOrForm(...)]
DecisionBody = Annotated[DecisionIn, JsonOrForm(...)]
CompleteBody = Annotated[CompleteDecisionIn, JsonOrForm(...)]
AgendaBody = Annotated[AgendaIn, JsonOrForm(...)]
AttendanceBody = Annotated[MarkAttendanceIn, JsonOrForm(...)]
MinutesBody = Annotated[MinutesIn, JsonOrForm(...)]
ApproveBody = Annotated[ApproveMinutesIn, JsonOrForm(...)]
CancelBody = Annotated[CancelMeetingIn, JsonOrForm(...)]
DropBody = Annotated[CancelDecisionIn, JsonOrForm(...)]
STATE_CODES = frozenset(
    {"approved", "cancelled", "closed", "early", "no_draft", "stale_draft", "started"}
)
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **ERRORS, 409: ErrorOut}


def _in_state(exc: ValidationError) -> None:
    """A refusal by the meeting's state now is a conflict with it (409), not a bad value."""
    code = getattr(exc, "code", None)
    if code in STATE_CODES:
        raise ApiError(409, str(code), exc.messages[0]) from exc


def _visible(request: ApiRequest, meeting_id: int) -> Meeting:
    if meeting_id > MAX_ID:
        raise Http404
    meeting = (
        Meeting.objects.visible_to(request.auth)
        .select_related("place")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "place": m.place,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "venue": m.venue,
        "status": m.status,
        "status_label": m.get_status_display(),
        "minutes_status": m.minutes_status,
        "version": m.version,
    }


def _decision_out(request: ApiRequest, d: Decision) -> dict[str, Any]:
    owner = d.owner_person or d.owner_team
    return {
        "id": d.pk,
        "meeting": d.meeting_id,
        "text": d.text,
        "owner": owner.name if owner is not None else "",
        "due_on": d.due_on,
        "status": d.status,
        "status_label": d.get_status_display(),
        "note": d.note,
        "version": d.version,
        "actions": decision_actions(request.auth, d),
    }


def _agenda_out(a: AgendaItem) -> dict[str, Any]:
    return {
        "id": a.pk,
        "position": a.position,
        "title": a.title,
        "notes": mask_text(a.notes),
        "cases": [{"id": c.pk, "number": c.number} for c in a.cases.all()],
    }


def _detail(request: ApiRequest, m: Meeting) -> dict[str, Any]:
    """The meeting as its page shows it; the people still to mark present only to whoever may
    mark them now (the page's form offers them the same)."""
    user = request.auth
    person_id = getattr(user, "person_id", None)
    decisions = (
        Decision.objects.filter(meeting=m)
        .select_related("meeting", "owner_person", "owner_team")
        .order_by("pk")
    )
    agenda = (
        AgendaItem.objects.filter(meeting=m)
        .prefetch_related(Prefetch("cases", queryset=Case.objects.order_by("number")))
        .order_by("position", "pk")
    )
    present = set(Attendance.objects.filter(meeting=m).values_list("person_id", flat=True))
    people = list(expected_people(m))
    allowed = available_actions(user, m)
    return {
        **_out(m),
        "purpose": m.purpose,
        "cancel_reason": m.cancel_reason,
        "agenda": [_agenda_out(a) for a in agenda],
        "decisions": [_decision_out(request, d) for d in decisions],
        "checked_in": person_id is not None and int(person_id) in present,
        "present": len(present),
        "expected": len(people),
        "to_mark": [
            {"id": p.pk, "name": p.name}
            for p in (people if "mark_attendance" in allowed else [])
            if p.pk not in present
        ],
        "minutes": mask_text(m.minutes),
        "minutes_revision": m.minutes_revision,
        "minutes_approvals": MinutesApproval.objects.filter(
            meeting=m, revision=m.minutes_revision
        ).count(),
        "minutes_approvals_needed": procedure.approvals_needed(len(present)),
        "actions": allowed,
    }


@router.get(
    "/meetings",
    response={200: MeetingPageOut, **ERRORS},
    summary="Meetings I organise or am invited to",
)
def list_meetings(request: ApiRequest, filters: Query[MeetingListIn]) -> dict[str, Any]:
    """Latest start first. Page on with `offset`."""
    meetings = Meeting.objects.visible_to(request.auth).select_related("place")
    count = meetings.count()
    page = meetings.order_by("-starts_at", "-pk")[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(m) for m in page],
    }


@router.get(
    "/meetings/{int:meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    summary="One meeting: its agenda, decisions and what I may do now",
)
def get_meeting(request: ApiRequest, meeting_id: int) -> dict[str, Any]:
    return _detail(request, _visible(request, meeting_id))


def _place(request: ApiRequest, place_id: int) -> Place:
    """A place the caller may call a meeting over: any other id reads like a missing one."""
    place = next((p for p in meeting_places(request.auth) if p.pk == place_id), None)
    if place is None:
        raise ValidationError(
            {"place": ValidationError(_("There is no such place among yours."), code="not_found")}
        )
    return place


def _invitees(place: Place, body: MeetingIn) -> tuple[list[Any], list[Team]]:
    """The invitees among the candidates the calling page offers; anyone else is refused."""
    teams = candidate_teams(place)
    team_ids = {t.pk for t in teams}
    person_ids = {pk for pk, _label in candidate_people(place, teams)}
    if not set(body.persons) <= person_ids:
        raise ValidationError(
            {"persons": ValidationError(_("Invite only people offered for this place."))}
        )
    if not set(body.teams) <= team_ids:
        raise ValidationError(
            {"teams": ValidationError(_("Invite only organisations offered for this place."))}
        )
    chosen = [t for t in teams if t.pk in set(body.teams)]
    return people_by_id(list(dict.fromkeys(body.persons))), chosen


def _aware(moment: dt.datetime) -> dt.datetime:
    """A time without an offset is Guicheng's (as the votes API reads one)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _token(request: ApiRequest, key: str | None) -> str | None:
    # The meeting's token is unique across callers: the key is made the caller's own.
    if not key:
        return None
    return hashlib.sha256(f"api:{request.auth.pk}:{key}".encode()).hexdigest()


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, 200: MeetingDetailOut, **WRITE_ERRORS},
    summary="Call a meeting (its invitees are told)",
)
def call_meeting(
    request: ApiRequest,
    body: MeetingBody,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Send the same key when retrying: the retry returns the first meeting "
        "(200). Printable ASCII, at most 100 characters.",
    ),
) -> Status[dict[str, Any]]:
    """For organisers over a community, estate, lane or street under their posts (the
    homeowners' committee: its own estate's committee meetings and assemblies). 201 with the
    new meeting; 200 with the one an earlier request with the same Idempotency-Key called."""
    place = _place(request, body.place)
    token = _token(request, idempotency_key)
    if token and (done := Meeting.objects.filter(token=token, called_by=request.auth).first()):
        return Status(200, _detail(request, _visible(request, done.pk)))
    persons, teams = _invitees(place, body)
    secretary = people_by_id([body.secretary]) if body.secretary else []
    if body.secretary and not secretary:
        raise ValidationError({"secretary": ValidationError(_("Choose who."))})
    try:
        meeting = actions.call_meeting(
            actor=request.auth,
            place=place,
            kind=body.kind,
            title=body.title,
            starts_at=_aware(body.starts_at),
            ends_at=_aware(body.ends_at),
            venue=body.venue,
            purpose=body.purpose,
            persons=persons,
            teams=teams,
            secretary=secretary[0] if secretary else None,
            agenda=body.agenda,
            token=token,
        )
    except IntegrityError:  # the same key sent twice at once: the other request called it
        meeting = Meeting.objects.get(token=token, called_by=request.auth)
        return Status(200, _detail(request, _visible(request, meeting.pk)))
    return Status(201, _detail(request, _visible(request, meeting.pk)))


@router.post(
    "/meetings/{int:meeting_id}/check-in",
    response={200: AttendanceOut, **WRITE_ERRORS},
    summary="Check in with the code shown in the room (invitees)",
)
def check_in(request: ApiRequest, meeting_id: int, body: CheckInBody) -> dict[str, Any]:
    """From half an hour before the start to two hours after; outside it 409 `closed`, a
    cancelled meeting 409 `cancelled`; a wrong code 422. Checking in twice is harmless."""
    meeting = _visible(request, meeting_id)
    try:
        row = actions.check_in(actor=request.auth, meeting=meeting, code=body.code)
    except ValidationError as exc:
        _in_state(exc)
        raise
    return {"meeting": meeting.pk, "how": row.how, "at": row.at}


@router.post(
    "/meetings/{int:meeting_id}/attendance",
    response={200: AttendanceOut, **WRITE_ERRORS},
    summary="Mark someone present by hand (organisers)",
)
def mark_attendance(request: ApiRequest, meeting_id: int, body: AttendanceBody) -> dict[str, Any]:
    """For an elder without a phone: one of the people the meeting expects (the detail's
    `to_mark`), anyone else 422. In the check-in window only (outside it 409 `closed`, a
    cancelled meeting 409 `cancelled`); marking someone present twice is harmless."""
    meeting = _visible(request, meeting_id)
    person = expected_people(meeting).filter(pk=body.person).first()
    if person is None:
        raise ValidationError(
            {"person": ValidationError(_("Choose someone this meeting expects."))}
        )
    try:
        row = actions.mark_attendance(actor=request.auth, meeting=meeting, person=person)
    except ValidationError as exc:
        _in_state(exc)
        raise
    return {"meeting": meeting.pk, "how": row.how, "at": row.at}


@router.post(
    "/meetings/{int:meeting_id}/agenda",
    response={201: AgendaItemOut, **WRITE_ERRORS},
    summary="Add an agenda item, perhaps taking up matters you see (organisers)",
)
def add_agenda_item(
    request: ApiRequest, meeting_id: int, body: AgendaBody
) -> Status[dict[str, Any]]:
    """It goes last. A matter is named by its id among those you can see (any other is a 422);
    a cancelled meeting answers 409 `cancelled`."""
    meeting = _visible(request, meeting_id)
    ids = list(dict.fromkeys(body.cases))
    found = {c.pk: c for c in Case.objects.visible_to(request.auth).filter(pk__in=ids)}
    if len(found) != len(ids):
        raise ValidationError({"cases": ValidationError(_("No such matter of yours."))})
    try:
        item = actions.add_agenda_item(
            actor=request.auth,
            meeting=meeting,
            title=body.title,
            notes=body.notes,
            cases=[found[pk] for pk in ids],
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return Status(201, _agenda_out(item))


@router.post(
    "/meetings/{int:meeting_id}/minutes",
    response={200: MeetingDetailOut, **WRITE_ERRORS},
    summary="Write the minutes: a new draft replaces the last (the secretary)",
)
def draft_minutes(request: ApiRequest, meeting_id: int, body: MinutesBody) -> dict[str, Any]:
    """For the secretary (when none is named, the organiser) once the meeting has begun
    (before: 409 `early`); approved minutes are final (409 `approved`); a stale `version` 409.
    Those present are asked to approve the new draft; approvals of the old one no longer count."""
    meeting = _visible(request, meeting_id)
    try:
        actions.draft_minutes(
            actor=request.auth, meeting=meeting, text=body.text, expected_version=body.version
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return _detail(request, _visible(request, meeting.pk))


@router.post(
    "/meetings/{int:meeting_id}/minutes/approve",
    response={200: MeetingDetailOut, **WRITE_ERRORS},
    summary="Approve the draft of the minutes you read (those present)",
)
def approve_minutes(request: ApiRequest, meeting_id: int, body: ApproveBody) -> dict[str, Any]:
    """For someone recorded present. Send the `minutes_revision` you read: a newer draft
    answers 409 `stale_draft`, no draft 409 `no_draft`. Approving twice is harmless; once more
    than half of those present approve, the minutes are final (`minutes_status` approved)."""
    meeting = _visible(request, meeting_id)
    try:
        actions.approve_minutes(actor=request.auth, meeting=meeting, revision=body.revision)
    except ValidationError as exc:
        _in_state(exc)
        raise
    return _detail(request, _visible(request, meeting.pk))


@router.post(
    "/meetings/{int:meeting_id}/cancel",
    response={200: MeetingDetailOut, **WRITE_ERRORS},
    summary="Cancel a meeting before it begins, saying why (organisers)",
)
def cancel_meeting(request: ApiRequest, meeting_id: int, body: CancelBody) -> dict[str, Any]:
    """Every invitee is told the reason. Once it has begun 409 `started`; cancelled already
    409 `cancelled`; a stale `version` 409."""
    meeting = _visible(request, meeting_id)
    try:
        actions.cancel_meeting(
            actor=request.auth, meeting=meeting, reason=body.reason, expected_version=body.version
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return _detail(request, _visible(request, meeting.pk))


@router.post(
    "/meetings/{int:meeting_id}/decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    summary="Record a decision: what, who carries it out, by which day",
)
def record_decision(
    request: ApiRequest, meeting_id: int, body: DecisionBody
) -> Status[dict[str, Any]]:
    """For the organiser or the secretary once the meeting has started (before: 409 `early`).
    The owner is one invited person with an account or one invited organisation."""
    meeting = _visible(request, meeting_id)
    person = people_by_id([body.owner_person])[0:1] if body.owner_person else []
    team = Team.objects.filter(pk=body.owner_team).first() if body.owner_team else None
    if body.owner_person and not person:
        raise ValidationError(_("The owner must be invited to the meeting."), code="owner")
    if body.owner_team and team is None:
        raise ValidationError(
            _("The owning organisation must be invited to the meeting."), code="owner"
        )
    item = None
    if body.agenda_item:
        item = AgendaItem.objects.filter(meeting=meeting, pk=body.agenda_item).first()
        if item is None:
            raise ValidationError({"agenda_item": ValidationError(_("No such agenda item."))})
    settles = None
    if body.settles:
        settles = Case.objects.visible_to(request.auth).filter(pk=body.settles).first()
        if settles is None:
            raise ValidationError({"settles": ValidationError(_("No such matter of yours."))})
    try:
        decision = actions.record_decision(
            actor=request.auth,
            meeting=meeting,
            text=body.text,
            due_on=body.due_on,
            owner_person=person[0] if person else None,
            owner_team=team,
            agenda_item=item,
            settles=settles,
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    decision = Decision.objects.select_related("meeting", "owner_person", "owner_team").get(
        pk=decision.pk
    )
    return Status(201, _decision_out(request, decision))


def _visible_decision(request: ApiRequest, decision_id: int) -> Decision:
    """A decision of a meeting in sight, or one the caller answers for (its owner may not be
    an invitee's account of the meeting, as a team member): else a 404."""
    if decision_id > MAX_ID:
        raise Http404
    meetings = Meeting.objects.visible_to(request.auth).values("pk")
    owned = Decision.objects.owned_by(request.auth).values("pk")
    found = (
        Decision.objects.filter(Q(meeting__in=meetings) | Q(pk__in=owned), pk=decision_id)
        .select_related("meeting", "owner_person", "owner_team")
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.post(
    "/decisions/{int:decision_id}/complete",
    response={200: DecisionOut, **WRITE_ERRORS},
    summary="Mark a meeting's decision done, saying what was done",
)
def complete_decision(request: ApiRequest, decision_id: int, body: CompleteBody) -> dict[str, Any]:
    """For its owner (or someone acting for the owning organisation) and the meeting's
    organiser. An item already closed answers 409; a stale `version` 409."""
    decision = _visible_decision(request, decision_id)
    try:
        actions.complete_decision(
            actor=request.auth,
            decision=decision,
            note=body.note,
            expected_version=body.version,
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    decision.refresh_from_db()
    return _decision_out(request, decision)


@router.post(
    "/decisions/{int:decision_id}/cancel",
    response={200: DecisionOut, **WRITE_ERRORS},
    summary="Cancel a meeting's decision no longer to be done, saying why (organisers)",
)
def cancel_decision(request: ApiRequest, decision_id: int, body: DropBody) -> dict[str, Any]:
    """For the meeting's organiser; its owner is told. An item already closed answers 409
    `closed`; a stale `version` 409."""
    decision = _visible_decision(request, decision_id)
    try:
        actions.cancel_decision(
            actor=request.auth,
            decision=decision,
            reason=body.reason,
            expected_version=body.version,
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    decision.refresh_from_db()
    return _decision_out(request, decision)
