"""The shapes of the owners' votes API: calling a vote, a ballot, a vote and its result. A vote's
roll (who voted how) is the organisers' page's and never leaves through the API; a result is
counts only, as its public notice."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from shuren.api.inputs import In
from shuren.api.schemas import PageIn, PlaceRef

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
OwnerKey = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
BallotChoiceIn = Literal["agree", "disagree", "abstain"]
BallotOriginIn = Literal["web", "paper", "proxy"]


class VoteIn(In):
    place: int = Field(..., ge=1, description="An estate, building or stairwell under your posts.")
    matter: int = Field(..., ge=1, le=9, description="民法典 Art. 278 item, 1-9.")
    title: Title
    description: Description = ""
    opens_at: dt.datetime = Field(..., description="At least 15 days after now (the notice).")
    closes_at: dt.datetime


class VoteListIn(PageIn):
    pass


class BallotIn(In):
    choice: BallotChoiceIn
    origin: BallotOriginIn = Field(
        "web",
        description="web: your own ballot. paper or proxy: an organiser enters an owner's "
        "ballot; send it multipart with the files `paper` (the scan, required on paper) and "
        "`authorisation` (the written authorisation, required by proxy).",
    )
    owner_key: OwnerKey = Field(
        "",
        description="Whose ballot: for your own, only if you hold several in this vote; for "
        "an entered ballot, the owner's key in the electorate.",
    )
    person: int | None = Field(None, ge=1, description="Entered: the registered owner who signed.")
    owner_name: Name = ""
    proxy_name: Name = ""


class VoteOut(Schema):
    id: int
    title: str
    description: str
    matter: int
    matter_label: str
    place: PlaceRef
    status: str
    status_label: str
    notice_at: dt.datetime
    opens_at: dt.datetime
    closes_at: dt.datetime
    passed: bool | None
    version: int


class VotePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[VoteOut]


class VoteBallotOut(Schema):
    id: int
    owner_key: str
    choice: str
    choice_label: str
    origin: str
    origin_label: str
    proxy_name: str
    cast_at: dt.datetime
    voided: bool


class VoteDetailOut(VoteOut):
    units: int = Field(..., description="Units in the electorate fixed at the notice.")
    owners: int = Field(..., description="Owners (persons) in the electorate.")
    voted: int | None = Field(None, description="Owners who have voted (organisers only).")
    my_ballots: list[VoteBallotOut]
    actions: list[str] = Field(..., description="What you may do now (rules.available_actions).")


class VoteMeasureOut(Schema):
    by: str
    numerator: str
    denominator: str
    unit: str
    percent: str
    met: bool


class VoteTestOut(Schema):
    key: str = Field(..., description="participation or approval")
    name: str
    rule: str
    met: bool
    measures: list[VoteMeasureOut]


class VoteResultOut(Schema):
    vote: int
    status: str
    counted: bool
    counted_at: dt.datetime | None
    quorum_met: bool | None
    passed: bool | None
    outcome: str = Field(..., description="The outcome in words (empty before the count).")
    tests: list[VoteTestOut]


Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class CorrectionIn(In):
    kind: Literal["change_choice", "void"] = Field(
        ..., description="change_choice: the choice was entered wrongly; void: it must not count."
    )
    ballot: int = Field(..., ge=1, description="The ballot's id (from the organisers' page).")
    choice: BallotChoiceIn | None = Field(None, description="For change_choice: what it says.")


class RecountIn(In):
    corrections: list[CorrectionIn] = Field(
        default_factory=list,
        max_length=200,
        description="The corrections, applied together; a missed paper or proxy ballot, which "
        "comes with its scans, is added by `POST /votes/{id}/recount/ballots`.",
    )
    reason: Reason = Field(..., description="Why (shown to the organisers and kept in the record).")
    version: int | None = Field(
        None, ge=1, description="The vote's version you saw: a newer one answers 409."
    )


class AddBallotIn(In):
    choice: BallotChoiceIn
    origin: Literal["paper", "proxy"] = Field(
        ...,
        description="paper or proxy; send it multipart with the files `paper` (the scan, "
        "required on paper) and `authorisation` (the written authorisation, required by proxy).",
    )
    owner_key: OwnerKey = Field(..., description="The owner's key in the electorate.")
    received_at: dt.datetime = Field(
        ..., description="When the ballot was received: between the opening and the close."
    )
    person: int | None = Field(None, ge=1, description="The registered owner who signed.")
    owner_name: Name = ""
    proxy_name: Name = ""
    reason: Reason = Field(..., description="Why it was missed (kept in the record).")
    version: int | None = Field(
        None, ge=1, description="The vote's version you saw: a newer one answers 409."
    )


class CancelVoteIn(In):
    reason: Reason = Field(..., description="Why the vote is called off (its electors are told).")
    version: int | None = Field(
        None, ge=1, description="The vote's version you saw: a newer one answers 409."
    )
