"""Reading a vote's electorate for its pages: each owner with their rooms, names and ballot (the
organisers' roll), the electorate's size, and the owners still to vote (the entry forms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shuren.deliberation.votes.choices import Status
from shuren.deliberation.votes.models import Ballot, Vote, VoteOwner, VoteUnit


@dataclass
class RollLine:
    """One owner of the electorate (an owner key): their units, registered owners, ballot."""

    owner_key: str
    rooms: list[str] = field(default_factory=list)
    area: Decimal = Decimal(0)
    owners: list[tuple[int, str]] = field(default_factory=list)  # (person id, name)
    ballot: Ballot | None = None

    @property
    def label(self) -> str:
        names = "、".join(name for _pk, name in self.owners)
        rooms = "、".join(self.rooms)
        return f"{rooms} {names}".strip()


def roll(vote: Vote, *, with_ballots: bool = True) -> list[RollLine]:
    """Every owner of the electorate in room order (3 queries; 2 without the ballots)."""
    lines: dict[str, RollLine] = {}
    for key, room, area in VoteUnit.objects.filter(vote=vote).values_list(
        "owner_key", "room", "area"
    ):
        line = lines.setdefault(key, RollLine(key))
        line.rooms.append(room)
        line.area += area
    for key, pk, name in (
        VoteOwner.objects.filter(vote=vote)
        .order_by("owner_key", "person_id")
        .values_list("owner_key", "person_id", "person__name")
    ):
        if key in lines:
            lines[key].owners.append((pk, name))
    if with_ballots:
        for ballot in (
            Ballot.objects.filter(vote=vote)
            .select_related("entered_by__person")
            .prefetch_related("papers")
        ):
            if ballot.owner_key in lines:
                lines[ballot.owner_key].ballot = ballot
    return list(lines.values())


def size(vote: Vote) -> tuple[int, int]:
    """The electorate's units and owners (1 query)."""
    keys = list(VoteUnit.objects.filter(vote=vote).values_list("owner_key", flat=True))
    return len(keys), len(set(keys))


def announced_to(person_id: int | None, now: dt.datetime, limit: int = 5) -> list[Vote]:
    """The votes not yet closed in which this person is an owner (the home page; 1 query)."""
    if not person_id:
        return []
    return list(
        Vote.objects.filter(
            status=Status.ANNOUNCED,
            closes_at__gt=now,
            pk__in=VoteOwner.objects.filter(person_id=person_id).values("vote_id"),
        )
        .select_related("place")
        .order_by("closes_at", "pk")[:limit]
    )
