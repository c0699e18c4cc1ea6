"""The rules around an owners' vote that are not the count (物业管理条例, rules-cn.md §1), as pure
functions: the notice period, where a vote may be held, how the register becomes an electorate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

# 物业管理条例 Art. 14: the owners are told at least 15 days before the meeting (the vote opens).
NOTICE_DAYS = 15
# An estate, a building or a stairwell: whose owners decide (an elevator: that stairwell's).
VOTE_PLACE_KINDS = ("estate", "building", "unit")
DEVELOPER_KEY = "developer"


def earliest_opening(notice_at: dt.datetime) -> dt.datetime:
    return notice_at + dt.timedelta(days=NOTICE_DAYS)


def notice_long_enough(notice_at: dt.datetime, opens_at: dt.datetime) -> bool:
    return opens_at >= earliest_opening(notice_at)


@dataclass(frozen=True)
class RegisteredUnit:
    """A household as the register has it at the notice."""

    household_id: int
    room: str
    floor: int | None
    area: Decimal | None
    developer_unsold: bool
    owner_ids: tuple[int, ...]


@dataclass(frozen=True)
class ElectorUnit:
    household_id: int
    room: str
    floor: int | None
    area: Decimal
    developer_unsold: bool
    owner_key: str
    owner_ids: tuple[int, ...]


def owner_key(unit: RegisteredUnit) -> str:
    """Whose the unit's vote is. One buyer of several units is one person (the same key); the
    co-owners of a unit are together one person; every unsold developer unit is the developer's;
    a unit with no registered owner still counts in the denominators, under its own key."""
    if unit.developer_unsold:
        return DEVELOPER_KEY
    if unit.owner_ids:
        return "+".join(f"p{pk}" for pk in sorted(set(unit.owner_ids)))
    return f"h{unit.household_id}"


def missing_area(units: Iterable[RegisteredUnit]) -> list[RegisteredUnit]:
    """Units whose exclusive area is not on the register: the count cannot be made without it."""
    return [u for u in units if u.area is None or u.area <= 0]


def electorate(units: Sequence[RegisteredUnit]) -> list[ElectorUnit]:
    """The electorate of the units (each with an area: check `missing_area` first)."""
    return [
        ElectorUnit(
            household_id=u.household_id,
            room=u.room,
            floor=u.floor,
            area=u.area if u.area is not None else Decimal(0),
            developer_unsold=u.developer_unsold,
            owner_key=owner_key(u),
            owner_ids=() if u.developer_unsold else tuple(sorted(set(u.owner_ids))),
        )
        for u in units
    ]
