"""The electorate of a place read from the household register, and who may cast which ballot."""

from __future__ import annotations

from typing import Any

from shuren.deliberation.votes.law import RegisteredUnit
from shuren.deliberation.votes.models import Vote, VoteOwner
from shuren.places.models import Household, Place
from shuren.places.paths import subtree_q


def registered_units(place: Place) -> list[RegisteredUnit]:
    """Every household under the place as the register has it now, with its owners (2 queries)."""
    households = list(
        Household.objects.filter(subtree_q(place.path, "place__path"))
        .order_by("floor", "room", "pk")
        .values("pk", "room", "floor", "exclusive_area", "developer_unsold")
    )
    owners: dict[int, list[int]] = {}
    for household_id, person_id in Household.owners.through.objects.filter(
        household_id__in=[h["pk"] for h in households]
    ).values_list("household_id", "person_id"):
        owners.setdefault(household_id, []).append(person_id)
    return [
        RegisteredUnit(
            household_id=h["pk"],
            room=h["room"],
            floor=h["floor"],
            area=h["exclusive_area"],
            developer_unsold=h["developer_unsold"],
            owner_ids=tuple(sorted(owners.get(h["pk"], ()))),
        )
        for h in households
    ]


def owner_keys_of(vote: Vote, person_id: int | None) -> list[str]:
    """The owner keys this person may cast a ballot for in the vote (usually one)."""
    if not person_id:
        return []
    return sorted(
        set(
            VoteOwner.objects.filter(vote=vote, person_id=person_id).values_list(
                "owner_key", flat=True
            )
        )
    )


def is_elector(user: Any, vote: Vote) -> bool:
    return bool(owner_keys_of(vote, getattr(user, "person_id", None)))
