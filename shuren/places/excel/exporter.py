"""Exporting the places, households and residents a user can see, in the template's format.

Phone and ID numbers are masked unless the caller asks to unmask and the user may unmask in
that scope; an unmasked export writes one access-log row (never the values). A masked value
(with *) means "keep the stored value" when the file is imported again, so exports round-trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied

from shuren.access.actions import log_unmasked_export
from shuren.access.context import scope_of
from shuren.access.masking import mask_id_number, mask_phone
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.people.models import Person
from shuren.places.excel.template import (
    HOUSEHOLDS,
    KIND_LABELS,
    NO,
    PLACES,
    RELATION_LABELS,
    RESIDENTS,
    YES,
    write_workbook,
)
from shuren.places.models import Household, Place, Resident
from shuren.places.paths import subtree_q

CHUNK = 500


def _chunks(items: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(items)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _visible(user: Any, root: Place | None) -> tuple[Any, Any, Any]:
    places = Place.objects.visible_to(user)
    households = Household.objects.visible_to(user)
    residents = Resident.objects.visible_to(user).current()
    if root is not None:
        if not places.filter(pk=root.pk).exists():
            raise PermissionDenied
        places = places.filter(subtree_q(root.path))
        households = households.filter(subtree_q(root.path, "place__path"))
        residents = residents.filter(subtree_q(root.path, "household__place__path"))
    return places, households, residents


def _place_rows(user: Any, places: Any) -> list[list[Any]]:
    rows = list(
        places.order_by("path").values_list(
            "pk",
            "code",
            "kind",
            "name",
            "parent_id",
            "parent__code",
            "official_code",
            "storeys",
            "floor_from",
            "floor_to",
            "property_company__code",
            "address",
        )
    )
    exported = {row[0] for row in rows}
    # A parent outside the export is written only if the user can see it; an empty parent
    # code keeps a place where it is on import.
    outside = {row[4] for row in rows if row[4] is not None and row[4] not in exported}
    seen = set(Place.objects.visible_to(user).filter(pk__in=outside).values_list("pk", flat=True))
    return [
        [
            code,
            KIND_LABELS[kind][0],
            name,
            parent_code if parent_id in exported or parent_id in seen else "",
            official_code,
            storeys,
            floor_from,
            floor_to,
            company or "",
            address,
        ]
        for (
            _pk,
            code,
            kind,
            name,
            parent_id,
            parent_code,
            official_code,
            storeys,
            floor_from,
            floor_to,
            company,
            address,
        ) in rows
    ]


def _owners(households: Any) -> dict[int, list[tuple[int, str]]]:
    """Owners with a code of each household, in a stable order."""
    owners: dict[int, list[tuple[int, str]]] = {}
    through = Household.owners.through.objects.filter(
        household__in=households, person__code__gt=""
    ).order_by("household_id", "person__code")
    for household_id, person_id, code in through.values_list(
        "household_id", "person_id", "person__code"
    ):
        owners.setdefault(household_id, []).append((person_id, code or ""))
    return owners


def _person_cells(person: dict[str, Any], unmasked: set[int]) -> list[Any]:
    phone, id_number = person["phone"], person["id_number"]
    if person["pk"] not in unmasked:
        phone, id_number = mask_phone(phone), mask_id_number(id_number)
    return [person["code"], person["name"], phone, id_number, YES if person["party_member"] else NO]


def _consent(person: dict[str, Any]) -> str:
    return YES if person["leader_sees_phone"] else NO


def _unmasked_people(user: Any, person_pks: set[int]) -> set[int]:
    unmask_q = scope_of(user).unmask_scope().person_q()
    found: set[int] = set()
    for chunk in _chunks(person_pks):
        found.update(Person.objects.filter(unmask_q, pk__in=chunk).values_list("pk", flat=True))
    return found


def _check_unmask(user: Any, root: Place | None, reason: str) -> None:
    scope = scope_of(user)
    if not reason.strip():
        raise ValueError("a reason is required to export unmasked personal information")
    if not scope.unmask_roots or (root is not None and not scope.may_unmask_path(root.path)):
        raise PermissionDenied


def export_workbook(
    *,
    user: Any,
    root: Place | None = None,
    unmask: bool = False,
    reason: str = "",
    ip_address: str | None = None,
) -> bytes:
    """The user's visible places, households and residents (under root, if given) as .xlsx."""
    if unmask:
        _check_unmask(user, root, reason)
    places, households, residents = _visible(user, root)

    household_rows = list(
        households.order_by("place__path", "room").values_list(
            "pk", "code", "place__code", "room", "floor", "exclusive_area"
        )
    )
    owners = _owners(households)
    resident_rows = list(
        residents.filter(person__code__gt="")
        .order_by("household__place__path", "household__room", "pk")
        .values_list("household__code", "person_id", "relation")
    )
    resident_pks = {person_id for _hh, person_id, _rel in resident_rows}
    owner_only = {pk for owned in owners.values() for pk, _code in owned} - resident_pks
    people: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(resident_pks | owner_only):
        for person in Person.objects.filter(pk__in=chunk).values(
            "pk", "code", "name", "phone", "id_number", "party_member", "leader_sees_phone"
        ):
            people[person["pk"]] = dict(person)
    unmasked: set[int] = set()
    if unmask:
        unmasked = _unmasked_people(user, set(people))
        log_unmasked_export(
            user=user,
            object_type="person",
            fields=["phone", "id_number"],
            count=len(unmasked),
            reason=reason.strip(),
            ip_address=ip_address,
        )

    record(
        Kind.EXPORT,
        actor=user,
        ip=ip_address,
        target=root if root is not None else ("places.place", "", ""),
        detail={"file": "places", "households": len(household_rows), "people": len(people)},
    )
    return write_workbook(
        {
            PLACES.key: _place_rows(user, places),
            HOUSEHOLDS.key: (
                [code, place_code, room, floor, area, "、".join(c for _pk, c in owners.get(pk, []))]
                for pk, code, place_code, room, floor, area in household_rows
            ),
            RESIDENTS.key: [
                *(
                    [
                        *_person_cells(people[person_id], unmasked),
                        hh,
                        RELATION_LABELS[rel][0],
                        _consent(people[person_id]),
                    ]
                    for hh, person_id, rel in resident_rows
                ),
                *(
                    [*_person_cells(people[pk], unmasked), "", "", _consent(people[pk])]
                    for pk in sorted(owner_only, key=lambda pk: people[pk]["code"])
                ),
            ],
        }
    )
