"""The shapes of the elevator projects API (加装电梯): registering one, a step on, stopping, and a
project with its cost table as its owners see it on the page (rooms and shares, no names)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from shuren.api.inputs import In
from shuren.api.schemas import PageIn, PlaceRef

ProjectTitle = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
StepNote = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
ElectorateIn = Literal["place", "building"]


class ProjectIn(In):
    place: int = Field(
        ..., ge=1, description="The stairwell served (or a building without stairwells)."
    )
    title: ProjectTitle = Field("", description="By default 「<place>: adding an elevator」.")
    matter: int = Field(6, ge=1, le=9, description="民法典 Art. 278 item of its vote (6: rebuild).")
    electorate: ElectorateIn = "place"
    notice_days: int = Field(10, ge=1, le=60, description="Days of public notice.")


class ProjectListIn(PageIn):
    pass


class AdvanceIn(In):
    note: StepNote = ""
    version: int | None = Field(
        None, ge=1, description="The project's version you saw: a newer one answers 409."
    )


class StopIn(In):
    reason: StepNote = Field(..., min_length=1, description="Why the project stops.")
    version: int | None = Field(
        None, ge=1, description="The project's version you saw: a newer one answers 409."
    )


class ProjectOut(Schema):
    id: int
    title: str
    place: PlaceRef
    stage: str
    stage_label: str
    stage_changed_at: dt.datetime
    version: int


class ProjectPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectOut]


class CostRowOut(Schema):
    room: str
    floor: int
    weight: Decimal
    share: Decimal


class ProjectDetailOut(ProjectOut):
    matter: int
    electorate: str
    notice_days: int
    notice_starts_on: dt.date | None
    notice_ends_on: dt.date | None
    survey_asked: int | None
    survey_in_favour: int | None
    vote: int | None = Field(None, description="Its owners' vote (GET /votes/{id}).")
    total_cost: Decimal | None
    costs: list[CostRowOut] = Field(
        ..., description="Each flat's share of the agreed total, top floor first (empty before)."
    )
    stop_reason: str
    actions: list[str] = Field(..., description="What you may do now (rules.available_actions).")
