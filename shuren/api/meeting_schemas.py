"""The shapes of the meetings API: calling a meeting, checking in, a decision and its
follow-through. The check-in code is read from the organiser's phone in the room and never
leaves through the API; invitees are named by id among the candidates the calling page offers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from shuren.api.inputs import In
from shuren.api.schemas import PageIn, PlaceRef

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Venue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
DecisionText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
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
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]
    checked_in: bool = Field(..., description="Whether you are recorded present.")
    actions: list[str] = Field(..., description="What you may do now (rules.available_actions).")


class AttendanceOut(Schema):
    meeting: int
    how: str
    at: dt.datetime
