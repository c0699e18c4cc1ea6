"""Writing a checked import in bulk: new rows by bulk_create, changed rows by bulk_update.

The importer has already checked everything; this module only turns the plan into a bounded
number of statements. Runs inside the transaction of the action places.actions.import_places,
which records the import's one event (on the place import_subject() finds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.core.exceptions import ValidationError

from shuren.crypto import with_indexes
from shuren.people.models import Person
from shuren.places.excel.reading import HouseholdRow, PlaceRow, ResidentRow
from shuren.places.models import Household, Place, Resident
from shuren.places.paths import common_root, path_step
from shuren.places.tree import check_move, rewrite_subtree

BATCH = 500
PLACE_FIELDS = [
    "name",
    "official_code",
    "storeys",
    "floor_from",
    "floor_to",
    "property_company_id",
    "address",
]
HOUSEHOLD_FIELDS = ["place_id", "room", "floor", "exclusive_area"]
PERSON_FIELDS = ["name", "phone", "id_number", "party_member", "leader_sees_phone"]


class MoveRejected(Exception):
    """move_place refused a move (a loop in the tree); the row and reason go to the report."""

    def __init__(self, row: PlaceRow, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


@dataclass
class Plan:
    """Everything the import will write, decided while checking."""

    db_places: dict[str, Place] = field(default_factory=dict)
    team_pks: dict[str, int] = field(default_factory=dict)
    new_places: list[tuple[int, PlaceRow]] = field(default_factory=list)  # (final depth, row)
    changed_places: list[Place] = field(default_factory=list)
    moves: list[tuple[int, PlaceRow, Place]] = field(default_factory=list)  # final depth first
    person_pks: dict[str, int] = field(default_factory=dict)
    new_persons: list[ResidentRow] = field(default_factory=list)
    changed_persons: list[Person] = field(default_factory=list)
    household_pks: dict[str, int] = field(default_factory=dict)
    new_households: list[HouseholdRow] = field(default_factory=list)
    changed_households: list[tuple[Household, HouseholdRow]] = field(default_factory=list)
    owner_adds: list[tuple[str, str]] = field(default_factory=list)  # (household, person) codes
    owner_removals: list[int] = field(default_factory=list)  # through-table primary keys
    new_residents: list[tuple[str, str, str]] = field(default_factory=list)  # hh, person, rel
    changed_residents: list[Resident] = field(default_factory=list)


def _create_places(plan: Plan) -> dict[str, int]:
    """Create new places one tree level at a time, so each level knows its parents' keys.

    A path needs the row's own primary key, so rows go in with a unique placeholder path and
    get their real path in one bulk_update at the end.
    """
    pks = {code: place.pk for code, place in plan.db_places.items()}
    paths = {code: place.path for code, place in plan.db_places.items()}
    depths = {code: place.depth for code, place in plan.db_places.items()}
    created: list[Place] = []
    ordered = sorted(plan.new_places, key=lambda item: item[0])
    for _depth, level in groupby(ordered, key=lambda item: item[0]):
        rows = [row for _d, row in level]
        objs = [
            Place(
                kind=row.kind,
                name=row.name,
                code=row.code,
                parent_id=pks[row.parent_code] if row.parent_code else None,
                official_code=row.official_code,
                storeys=row.storeys,
                floor_from=row.floor_from,
                floor_to=row.floor_to,
                property_company_id=plan.team_pks.get(row.company_code),
                address=row.address,
                path=f"~{row.code}",
                depth=depths[row.parent_code] + 1 if row.parent_code else 0,
            )
            for row in rows
        ]
        Place.objects.bulk_create(objs, batch_size=BATCH)
        for row, obj in zip(rows, objs, strict=True):
            obj.path = (paths[row.parent_code] if row.parent_code else "") + path_step(obj.pk)
            pks[row.code], paths[row.code], depths[row.code] = obj.pk, obj.path, obj.depth
        created.extend(objs)
    if created:
        Place.objects.bulk_update(created, ["path"], batch_size=BATCH)
    return pks


def _stamp(objs: Iterable[Place | Person | Household], now: dt.datetime) -> None:
    for obj in objs:
        obj.version += 1
        obj.updated_at = now


def _write_places(plan: Plan, now: dt.datetime) -> dict[str, int]:
    place_pks = _create_places(plan)
    _stamp(plan.changed_places, now)
    Place.objects.bulk_update(
        plan.changed_places, [*PLACE_FIELDS, "version", "updated_at"], batch_size=BATCH
    )
    # Moves last: each rewrites a whole subtree, including places created above. Going from the
    # top down, each new parent already stands where it will end up. The moves are part of the
    # import's one event, so they use the tree's rewrite rather than the move_place action.
    for _depth, row, place in sorted(plan.moves, key=lambda item: item[0]):
        current = Place.objects.select_for_update().get(pk=place.pk)  # an earlier move's path
        new_parent = Place.objects.get(pk=place_pks[row.parent_code])
        try:
            check_move(current, new_parent)
        except ValidationError as exc:
            raise MoveRejected(row, exc.messages[0]) from None
        if current.parent_id != new_parent.pk:
            rewrite_subtree(current, new_parent)
    return place_pks


def _write_persons(plan: Plan, now: dt.datetime) -> dict[str, int]:
    person_pks = dict(plan.person_pks)
    objs = [
        Person(
            code=row.person_code,
            name=row.name,
            phone=row.phone,
            id_number=row.id_number,
            party_member=row.party_member,
            leader_sees_phone=bool(row.leader_sees_phone),
        )
        for row in plan.new_persons
    ]
    Person.objects.bulk_create(objs, batch_size=BATCH)
    person_pks.update({obj.code: obj.pk for obj in objs if obj.code})
    _stamp(plan.changed_persons, now)
    # The blind indexes follow the phone and ID number (shuren/crypto.py).
    Person.objects.bulk_update(
        plan.changed_persons,
        with_indexes(Person, [*PERSON_FIELDS, "version", "updated_at"]),
        batch_size=BATCH,
    )
    return person_pks


def _write_households(
    plan: Plan, now: dt.datetime, place_pks: dict[str, int], person_pks: dict[str, int]
) -> dict[str, int]:
    household_pks = dict(plan.household_pks)
    changed = []
    for household, row in plan.changed_households:
        household.place_id = place_pks[row.place_code]
        household.room, household.floor, household.exclusive_area = row.room, row.floor, row.area
        changed.append(household)
    _stamp(changed, now)
    # Changed rows first: a new household may take a room another one moves out of.
    Household.objects.bulk_update(
        changed, [*HOUSEHOLD_FIELDS, "version", "updated_at"], batch_size=BATCH
    )
    objs = [
        Household(
            code=row.code,
            place_id=place_pks[row.place_code],
            room=row.room,
            floor=row.floor,
            exclusive_area=row.area,
        )
        for row in plan.new_households
    ]
    Household.objects.bulk_create(objs, batch_size=BATCH)
    household_pks.update({obj.code: obj.pk for obj in objs})

    owners = Household.owners.through
    if plan.owner_removals:
        for start in range(0, len(plan.owner_removals), BATCH):
            owners.objects.filter(pk__in=plan.owner_removals[start : start + BATCH]).delete()
    owners.objects.bulk_create(
        [
            owners(household_id=household_pks[hh], person_id=person_pks[person])
            for hh, person in plan.owner_adds
        ],
        batch_size=BATCH,
    )
    return household_pks


def _write_residents(plan: Plan, household_pks: dict[str, int], person_pks: dict[str, int]) -> None:
    Resident.objects.bulk_update(plan.changed_residents, ["relation"], batch_size=BATCH)
    Resident.objects.bulk_create(
        [
            Resident(household_id=household_pks[hh], person_id=person_pks[person], relation=rel)
            for hh, person, rel in plan.new_residents
        ],
        batch_size=BATCH,
    )


def apply_plan(plan: Plan, now: dt.datetime) -> list[int]:
    """Write the plan; returns the primary keys of the places the file names (its places, their
    parents and the households' places)."""
    place_pks = _write_places(plan, now)
    person_pks = _write_persons(plan, now)
    household_pks = _write_households(plan, now, place_pks, person_pks)
    _write_residents(plan, household_pks, person_pks)
    return sorted(set(place_pks.values()))


def import_subject(place_pks: list[int], before: Iterable[str] = ()) -> Place | None:
    """The lowest place holding every place the import wrote or wrote under, where the import's
    event is kept (`before`: the paths its places had, so a place moved away counts where it
    was too); None when the file names no place or places of separate trees."""
    paths: list[str] = list(before)
    for start in range(0, len(place_pks), BATCH):
        chunk = place_pks[start : start + BATCH]
        paths += Place.objects.filter(pk__in=chunk).values_list("path", flat=True)
    root = common_root(paths)
    return Place.objects.filter(path=root).first() if root else None
