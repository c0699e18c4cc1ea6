"""The shapes the API reads and writes; personal information is never among them unmasked."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from shuren.api.inputs import Id, In, Offset
from shuren.places.models import Place, PlaceKind

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class ErrorOut(Schema):
    code: str = Field(..., description="Machine-readable: not_found, unauthorized, conflict …")
    message: str = Field(..., description="For people, in the caller's language (Chinese first).")


class FieldErrorOut(Schema):
    field: str
    location: str = Field(..., description="query, path or body")
    code: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


class ConflictOut(ErrorOut):
    current_version: int


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class PageIn(In):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
    offset: Offset = Field(0, description="How many items to skip.")


class PlaceFiltersIn(PageIn):
    kind: PlaceKind | None = Field(None, description="Only places of this kind.")
    parent: Id | None = Field(None, description="Only the children of this place id.")
    q: str | None = Field(None, max_length=50, description="Name contains this text.")


class PlaceRef(Schema):
    id: int
    name: str
    kind: str
    path: str


class PlaceOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    code: str
    official_code: str
    parent_id: int | None
    path: str = Field(..., description="Materialized path: ten digits per level, root first.")
    depth: int
    has_property_company: bool
    storeys: int | None
    floor_from: int | None
    floor_to: int | None
    address: str
    version: int = Field(..., description="Send back with edits; a stale one answers 409.")

    @staticmethod
    def resolve_kind_label(obj: Place) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_has_property_company(obj: Place) -> bool:
        return obj.property_company_id is not None


class PlacePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PlaceOut]


class TeamRef(Schema):
    id: int
    name: str
    kind: str


class RoleOut(Schema):
    role: str
    role_label: str
    title: str
    place: PlaceRef | None
    team: TeamRef | None
    starts_on: dt.date
    ends_on: dt.date | None


class UserOut(Schema):
    id: int
    username: str
    name: str
    elder_mode: bool
    language: str = Field(..., description="The user's language, or the site's when unset.")


class ScopeOut(Schema):
    roots: list[PlaceRef] = Field(..., description="Whole subtrees the user's posts cover.")
    resident_places: list[PlaceRef] = Field(
        ..., description="Places above the user's own household, up to the estate."
    )
    household_count: int = Field(..., description="Households outside the roots (their own).")
    reads_audit: bool


class MeOut(Schema):
    user: UserOut
    roles: list[RoleOut]
    scope: ScopeOut
