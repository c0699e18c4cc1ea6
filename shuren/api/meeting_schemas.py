"""The shapes of the meetings API: calling a meeting, its agenda, attendance, minutes and
cancelling, checking in, a decision and its follow-through. The check-in code is read from the
organiser's phone in the room and never leaves through the API; invitees are named by id among
the candidates the calling page offers; the minutes leave with phone and ID numbers masked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from shuren.api.case_schemas import CaseRef, PersonRef
from shuren.api.inputs import Id, In
from shuren.api.schemas import PageIn, PlaceRef

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Venue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
DecisionText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
MinutesText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]
KindIn = Literal["joint", "online_joint", "neighbours", "committee", "assembly", "residents"]


class MeetingIn(In):
    place: int = Field(..., ge=1, description="A community, estate, lane or street you organise.")
    kind: KindIn
    title: Title
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: Venue
    purpose: LongText = ""
    persons: list[int] = Field(
        default_factory=list,
        max_length=200,
        description="Invited people (ids) among the post holders and members around the place.",
    )
    teams: list[int] = Field(
        default_factory=list,
        max_length=100,
        description="Invited organisations (team ids) of the place, its property companies too.",
    )
    secretary: int | None = Field(
        None,
        ge=1,
        description="An invitee (person id) who writes the minutes; by default the organiser.",
    )
    agenda: list[Title] = Field(default_factory=list, max_length=30)


class MeetingListIn(PageIn):
    pass


class CheckInIn(In):
    code: Code = Field(..., description="The code shown on the organiser's phone in the room.")


class DecisionIn(In):
    text: DecisionText = Field(..., min_length=1)
    due_on: dt.date
    owner_person: int | None = Field(None, ge=1, description="An invited person with an account.")
    owner_team: int | None = Field(None, ge=1, description="An invited organisation (team id).")
    agenda_item: int | None = Field(None, ge=1, description="The agenda item it answers.")
    settles: int | None = Field(
        None, ge=1, description="A matter (case id) of the agenda item this decision settles."
    )


class CompleteDecisionIn(In):
    note: Note = Field(..., min_length=1, description="What was done.")
    version: int | None = Field(
        None, ge=1, description="The item's version you saw: a newer one answers 409."
    )


class AgendaIn(In):
    title: Title
    notes: LongText = ""
    cases: list[Id] = Field(
        default_factory=list,
        max_length=20,
        description="Matters (case ids) it takes up, among those you can see.",
    )


class MarkAttendanceIn(In):
    person: Id = Field(
        ..., description="A person the meeting expects (the detail's `to_mark` lists them)."
    )


class MinutesIn(In):
    text: MinutesText = Field(
        ..., min_length=1, description="The whole draft; it replaces the last."
    )
    version: int | None = Field(
        None, ge=1, description="The meeting's version you saw: a newer one answers 409."
    )


class ApproveMinutesIn(In):
    revision: int = Field(
        ..., ge=1, description="The draft you read (the detail's `minutes_revision`)."
    )


class CancelMeetingIn(In):
    reason: Reason = Field(..., min_length=1, description="Why; every invitee is told.")
    version: int | None = Field(
        None, ge=1, description="The meeting's version you saw: a newer one answers 409."
    )


class CancelDecisionIn(In):
    reason: Note = Field(..., min_length=1, description="Why it is no longer to be done.")
    version: int | None = Field(
        None, ge=1, description="The item's version you saw: a newer one answers 409."
    )


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    place: PlaceRef
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    status: str
    status_label: str
    minutes_status: str
    version: int


class MeetingPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingOut]


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    notes: str
    cases: list[CaseRef] = Field(..., description="The matters it takes up.")


class DecisionOut(Schema):
    id: int
    meeting: int
    text: str
    owner: str = Field(..., description="The person's or organisation's name.")
    due_on: dt.date
    status: str
    status_label: str
    note: str
    version: int
    actions: list[str] = Field(..., description="What you may do with it now.")


class MeetingDetailOut(MeetingOut):
    purpose: str
    cancel_reason: str
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]
    checked_in: bool = Field(..., description="Whether you are recorded present.")
    present: int = Field(..., description="How many are recorded present.")
    expected: int = Field(..., description="How many the meeting expects.")
    to_mark: list[PersonRef] = Field(
        ...,
        description="The expected people not yet present, when you may mark them present now.",
    )
    minutes: str = Field(
        ..., description="The draft or approved minutes (phone and ID numbers masked)."
    )
    minutes_revision: int = Field(..., description="The draft's number: approve this one.")
    minutes_approvals: int = Field(..., description="Approvals of this draft so far.")
    minutes_approvals_needed: int = Field(
        ..., description="More than half of those present approve the draft to make it final."
    )
    actions: list[str] = Field(..., description="What you may do now (rules.available_actions).")


class AttendanceOut(Schema):
    meeting: int
    how: str
    at: dt.datetime
