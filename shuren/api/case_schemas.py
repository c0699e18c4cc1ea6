"""The shapes of the cases API: what a report and each action read, and what a case looks like."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from shuren.access.masking import mask_phone
from shuren.api.inputs import In
from shuren.api.schemas import ErrorOut, PageIn, PlaceRef, TeamRef
from shuren.cases.choices import EventKind, PartySide
from shuren.cases.models import (
    Case,
    CaseEvent,
    CaseParty,
    Category,
    Channel,
    OverdueFlag,
    RatingChannel,
    ResolutionMethod,
    RiskLevel,
    Status,
    Tier,
)

# The largest id a database column holds: a bigger one is simply not found, never an overflow.
MAX_ID = 2**63 - 1

# Leading and trailing blanks are dropped, so "   " counts as empty.
RequiredText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Categories ---------------------------------------------------------------------------------


class CategoryChildOut(Schema):
    code: str
    name: str = Field(..., description="In the caller's language.")
    may_be_public: bool = Field(
        ..., description="Whether such a matter may ever be shown publicly."
    )


class CategoryOut(CategoryChildOut):
    children: list[CategoryChildOut]


class CategoryPageOut(Schema):
    count: int = Field(..., description="How many top-level categories there are.")
    limit: int
    offset: int
    items: list[CategoryOut] = Field(
        ..., description="Top-level categories, each with its children."
    )


# --- Reading cases ------------------------------------------------------------------------------


class CategoryRef(Schema):
    code: str
    name: str

    @staticmethod
    def resolve_name(obj: Category) -> str:
        return obj.label


class PersonRef(Schema):
    id: int
    name: str


class ReporterOut(PersonRef):
    phone: str = Field(..., description="Masked (138****5678).")

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return mask_phone(obj.phone)


class CaseRef(Schema):
    id: int
    number: str


class CaseOut(Schema):
    id: int
    number: str = Field(..., description="Readable number, e.g. GC-2026-000123.")
    title: str
    status: Status
    status_label: str
    tier: Tier = Field(..., description="The tier that holds the case now (1 building … 5 beyond).")
    tier_label: str
    category: CategoryRef
    place: PlaceRef
    channel: Channel
    risk: RiskLevel
    overdue: OverdueFlag
    reported_at: dt.datetime
    current_due: dt.datetime | None = Field(..., description="The deadline of the current stage.")
    assignee_person: PersonRef | None
    assignee_team: TeamRef | None
    version: int = Field(..., description="Send back with every action; a stale one answers 409.")

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_tier(obj: Case) -> int:
        return obj.current_tier

    @staticmethod
    def resolve_tier_label(obj: Case) -> str:
        return str(obj.get_current_tier_display())


class CasePageOut(Schema):
    count: int = Field(..., description="How many cases match, up to 1,000.")
    count_capped: bool = Field(..., description="True when more than 1,000 match.")
    limit: int
    offset: int
    items: list[CaseOut]


class EventOut(Schema):
    id: int
    kind: EventKind
    kind_label: str
    at: dt.datetime
    actor: str | None = Field(
        ..., description="Who did it; null for the system; empty when it is not for the caller."
    )
    from_status: str
    to_status: str
    from_tier: int | None
    to_tier: int | None
    note: str
    data: dict[str, Any] = Field(..., description="Details of the step (method, team, …).")

    @staticmethod
    def resolve_kind_label(obj: CaseEvent) -> str:
        return str(obj.get_kind_display())

    # Whom the caller may be told of: the lens the detail view attached (cases.parties).
    @staticmethod
    def resolve_actor(obj: CaseEvent) -> str | None:
        return obj.api_lens.actor(obj)  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_data(obj: CaseEvent) -> dict[str, Any]:
        return obj.api_lens.event_data(obj)  # type: ignore[attr-defined, no-any-return]


class PartyOut(Schema):
    id: int = Field(..., description="The person's id.")
    name: str
    side: PartySide
    side_label: str

    @staticmethod
    def resolve_id(obj: CaseParty) -> int:
        return obj.person_id

    @staticmethod
    def resolve_name(obj: CaseParty) -> str:
        return obj.person.name

    @staticmethod
    def resolve_side_label(obj: CaseParty) -> str:
        return str(obj.get_side_display())


class ElsewhereOut(Schema):
    """Where another capability has the matter (a mediation organisation …): cases.links."""

    label: str = Field(..., description="Who has it: the mediation workshop's name.")
    status: str = Field(..., description="Where it stands there, in the caller's language: 调解中.")
    number: str = Field(..., description="Its number there, for those who may open it; else empty.")
    url: str = Field(..., description="Its page, for those who may open it; else empty.")


class CaseDetailOut(CaseOut):
    description: str
    channel_label: str
    risk_label: str
    warning_colour: str = Field(..., description="Early-warning colour of the risk: yellow…red.")
    reporter: ReporterOut | None = Field(
        ..., description="Null when nobody registered reported it, or it is not for the caller."
    )
    contact_name: str = Field(..., description="Someone not registered who reported it.")
    contact_phone: str = Field(..., description="Masked (138****5678).")
    parties: list[PartyOut] = Field(
        ...,
        description="Applicants, respondents and other parties. A caller who is a party is "
        "told only their own line and no one's name (docs/security.md).",
    )
    max_tier: int
    settled_tier: int | None
    resolution_method: str
    resolution_summary: str
    satisfied: bool | None
    reopened_count: int
    merged_into: CaseRef | None
    accepted_at: dt.datetime | None
    resolved_at: dt.datetime | None
    followed_up_at: dt.datetime | None
    closed_at: dt.datetime | None
    accept_due: dt.datetime | None
    resolve_due: dt.datetime | None
    follow_up_due: dt.datetime | None
    events: list[EventOut] = Field(..., description="The timeline, oldest first.")
    elsewhere: list[ElsewhereOut] = Field(
        ..., description="Where other capabilities have the matter (调解中 …)."
    )
    actions: list[str] = Field(
        ..., description="The actions the caller may take now (accept, assign, … follow-up)."
    )

    @staticmethod
    def resolve_elsewhere(obj: Case) -> list[Any]:
        return list(getattr(obj, "api_elsewhere", []))

    @staticmethod
    def resolve_channel_label(obj: Case) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_risk_label(obj: Case) -> str:
        return str(obj.get_risk_display())

    # The reporter, the contact and the parties as the caller may see them (cases.parties).
    @staticmethod
    def resolve_reporter(obj: Case) -> Any:
        return obj.api_lens.reporter(obj)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_contact_name(obj: Case) -> str:
        return obj.api_lens.contact_name(obj)  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_contact_phone(obj: Case) -> str:
        return obj.api_lens.contact_phone(obj)  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_parties(obj: Case) -> list[CaseParty]:
        return obj.api_parties  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_events(obj: Case) -> list[CaseEvent]:
        return obj.api_events  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_actions(obj: Case) -> list[str]:
        return obj.api_actions  # type: ignore[attr-defined, no-any-return]


class CaseConflictOut(ErrorOut):
    current_version: int | None = Field(
        None, description="With code conflict: the version the case has now."
    )


# --- Filters and inputs -------------------------------------------------------------------------


class CaseFiltersIn(PageIn):
    status: Status | None = Field(None, description="Only cases in this state.")
    category: str | None = Field(
        None, max_length=40, description="A category code; a parent code takes its children too."
    )
    tier: int | None = Field(None, ge=1, le=5, description="Only cases now at this tier.")
    overdue: bool | None = Field(None, description="true: only overdue cases; false: none of them.")
    place: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only cases at this place or below it."
    )
    q: str | None = Field(
        None,
        max_length=100,
        description="Words of the title or description (Chinese is segmented), or a case number.",
    )


class CaseIn(In):
    place: Id = Field(..., description="The place id (GET /api/v1/places).")
    category: str = Field(..., max_length=40, description="A category code (GET /categories).")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    channel: Channel = Field(
        Channel.ONLINE, description="How the matter came in; residents report online only."
    )
    contact_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    contact_phone: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=20, pattern=r"^[0-9+\- ]*$")
    ] = ""
    risk: RiskLevel | None = Field(None, description="Staff only; low when not given.")


class VersionIn(In):
    version: int = Field(..., ge=1, le=MAX_ID, description="The version the caller last read.")


class AcceptIn(VersionIn):
    note: OptionalText = ""


class AssignIn(VersionIn):
    person: Id | None = Field(None, description="A person id (a leader, a staff member).")
    team: Id | None = Field(None, description="A team id (property company, workshop, team).")
    note: OptionalText = ""


class NoteIn(VersionIn):
    note: RequiredText


class EscalateIn(VersionIn):
    reason: RequiredText
    to_tier: int | None = Field(
        None,
        ge=2,
        le=5,
        description="One of the tiers the caller may send to (a 楼长: within the community; "
        "community staff: the subdistrict or beyond); the lowest of them when not given.",
    )
    referred_to: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = Field(
        "", description="For tier 5, required: where the matter is referred (court, police …)."
    )


class ReasonIn(VersionIn):
    reason: RequiredText


class ResolveIn(VersionIn):
    method: ResolutionMethod
    summary: RequiredText


class FollowUpIn(VersionIn):
    satisfied: bool = Field(..., description="Not satisfied reopens the case (重办).")
    note: OptionalText = ""


class RateOnBehalfIn(VersionIn):
    satisfied: bool = Field(..., description="Not satisfied reopens the case (重办).")
    via: RatingChannel = Field(..., description="How the resident gave the answer (代居民评价).")
    note: OptionalText = ""


class CloseIn(VersionIn):
    note: OptionalText = ""


class MergeIn(VersionIn):
    into: Id = Field(..., description="The id of the open case this one repeats.")
    reason: OptionalText = ""
