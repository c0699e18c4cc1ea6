"""Every change to the place tree and what stands in it: places (create, rename, change, move a
subtree), households with their owners, residents moving in and out, shops. The Excel import
is one bulk action of its own (places/excel/actions.py).

Each runs on the kernel (shuren/kernel/action.py): atomic, on the locked row, with the
permission of access/rules.py checked (a role that edits places, inside its scope; `actor=None`
is the system), the version the client saw checked where the model has one (StaleVersion, 409),
and exactly one kernel Event with its outbox row (places keep no timeline of their own; nobody
is told: these are the editors' own records). Bad input raises ValidationError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from shuren.access.context import forget
from shuren.kernel.action import authorize, change, create, required
from shuren.people.models import Person
from shuren.places.models import (
    Household,
    Place,
    PlaceKind,
    Relation,
    Resident,
    Shop,
    ShopKind,
)
from shuren.places.paths import path_step
from shuren.places.tree import (
    check_household_place,
    check_move,
    check_parent,
    check_place_details,
    rewrite_subtree,
)

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.people.models import Team

DENIED = "You may not change places there."


def _unique(
    queryset: models.QuerySet[Any] | models.Manager[Any],
    code: str,
    message: str,
    pk: int | None = None,
) -> None:
    if queryset.filter(code=code).exclude(pk=pk).exists():
        raise ValidationError(message % {"code": code}, code="code_taken")


def _seen(actor: User | None, person_ids: set[int]) -> set[int]:
    """Those of these people the actor may see (the system sees everyone)."""
    if actor is None or not person_ids:
        return set(person_ids)
    visible = Person.objects.visible_to(actor).filter(pk__in=person_ids)
    return set(visible.values_list("pk", flat=True))


def _visible_people(actor: User | None, people: Iterable[Person]) -> list[Person]:
    """The people, each one the actor may see: nobody is linked to a place by someone who
    cannot see them (what the admin's choices and autocomplete already offer)."""
    people = list(people)
    ids = {p.pk for p in people}
    if ids - _seen(actor, ids):
        raise PermissionDenied(_("You may not see this person."))
    return people


def _begin(
    queryset: models.QuerySet[Any] | models.Manager[Any],
    obj: models.Model,
    actor: User | None,
    perm: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Any:
    return change(
        queryset,
        obj.pk,
        actor=actor,
        perm=perm,
        expected_version=expected_version,
        at=at,
        denied=_(DENIED),
    )


# --- The tree -----------------------------------------------------------------------------------


def create_place(
    *,
    actor: User | None,
    kind: str,
    name: str,
    code: str,
    parent: Place | None,
    official_code: str = "",
    storeys: int | None = None,
    floor_from: int | None = None,
    floor_to: int | None = None,
    property_company: Team | None = None,
    address: str = "",
    at: dt.datetime | None = None,
) -> Place:
    """A new place under a parent the actor may edit (a new top of the tree: the system only)."""
    name = required(name, _("Write the name of the place."))
    code = required(code, _("Write the code of the place."))
    check_parent(kind, parent)
    check_place_details(
        kind=kind, floor_from=floor_from, floor_to=floor_to, property_company=property_company
    )
    with create(actor=actor, perm="places.add_place", on=parent, at=at, denied=_(DENIED)) as act:
        _unique(Place.objects, code, _("The code %(code)s is already used by another place."))
        place = Place.objects.create(
            kind=kind,
            name=name,
            code=code,
            parent=parent,
            official_code=official_code.strip(),
            storeys=storeys,
            floor_from=floor_from,
            floor_to=floor_to,
            property_company=property_company,
            address=address.strip(),
            # A placeholder unique per insert; the real path needs the primary key.
            path=f"~{code}",
            depth=(parent.depth + 1) if parent else 0,
        )
        place.path = (parent.path if parent else "") + path_step(place.pk)
        Place.objects.filter(pk=place.pk).update(path=place.path)
        act.created(place)
        act.record_change(
            "place.created",
            data={
                "kind": kind,
                "name": name,
                "code": code,
                "parent": parent.pk if parent else None,
            },
        )
        return place


def rename_place(
    *,
    actor: User | None,
    place: Place,
    name: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Place:
    name = required(name, _("Write the name of the place."))
    with _begin(Place.objects, place, actor, "places.change_place", expected_version, at) as act:
        place = act.subject
        if place.name == name:
            act.unchanged()
            return place
        old_name, place.name = place.name, name
        act.save(["name"])
        act.record_change("place.renamed", data={"from": old_name, "to": name})
        return place


# What change_place writes: the attributes without a rule beyond their own (name and position
# in the tree have their actions).
PLACE_DETAILS = (
    "code",
    "official_code",
    "storeys",
    "floor_from",
    "floor_to",
    "property_company",
    "address",
)


def change_place(
    *,
    actor: User | None,
    place: Place,
    code: str,
    official_code: str,
    storeys: int | None,
    floor_from: int | None,
    floor_to: int | None,
    property_company: Team | None,
    address: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Place:
    """A place's details, as a form shows them all: code, official code, storeys, floors, the
    property company of an estate, address."""
    code = required(code, _("Write the code of the place."))
    with _begin(Place.objects, place, actor, "places.change_place", expected_version, at) as act:
        place = act.subject
        check_place_details(
            kind=place.kind,
            floor_from=floor_from,
            floor_to=floor_to,
            property_company=property_company,
        )
        _unique(
            Place.objects,
            code,
            _("The code %(code)s is already used by another place."),
            place.pk,
        )
        values = {
            "code": code,
            "official_code": official_code.strip(),
            "storeys": storeys,
            "floor_from": floor_from,
            "floor_to": floor_to,
            "property_company": property_company,
            "address": address.strip(),
        }
        changed = [f for f in PLACE_DETAILS if getattr(place, f) != values[f]]
        if not changed:
            act.unchanged()
            return place
        for field_name in changed:
            setattr(place, field_name, values[field_name])
        act.save(changed)
        act.record_change("place.changed", data={"fields": changed})
        return place


def move_place(
    *,
    actor: User | None,
    place: Place,
    new_parent: Place,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Place:
    """Move a place and its whole subtree under another parent (the actor edits both ends):
    one UPDATE rewrites every path below it, and `subtree_moved` lets cases follow."""
    with _begin(Place.objects, place, actor, "places.change_place", expected_version, at) as act:
        place = act.subject
        new_parent = Place.objects.get(pk=new_parent.pk)
        authorize(actor, "places.change_place", new_parent, _(DENIED))
        check_move(place, new_parent)
        if place.parent_id == new_parent.pk:
            act.unchanged()
            return place
        old_parent_id, old_path = place.parent_id, place.path
        moved = rewrite_subtree(place, new_parent)
        # The rewrite moved the version on with the whole subtree; read what it wrote.
        place.refresh_from_db(fields=["parent", "path", "depth", "version"])
        act.record_change(
            "place.moved",
            note=reason.strip(),
            data={
                "from_parent": old_parent_id,
                "to_parent": new_parent.pk,
                "from_path": old_path,
                "to_path": place.path,
                "places": moved,
            },
        )
    # The actor's scope holds paths, which may just have changed.
    forget(actor)
    return place


# --- Households and residents -------------------------------------------------------------------


def _check_room(place: Place, room: str, pk: int | None = None) -> None:
    taken = Household.objects.filter(place=place, room=room).exclude(pk=pk).first()
    if taken is not None:
        raise ValidationError(
            _("Room %(room)s of this place already belongs to household %(code)s.")
            % {"room": room, "code": taken.code},
            code="room_taken",
        )


def _check_area(area: Decimal | None) -> None:
    if area is not None and area <= 0:
        raise ValidationError(_("The area must be greater than 0."), code="area")


def create_household(
    *,
    actor: User | None,
    place: Place,
    code: str,
    room: str,
    floor: int | None = None,
    exclusive_area: Decimal | None = None,
    owners: Iterable[Person] = (),
    at: dt.datetime | None = None,
) -> Household:
    """户: a dwelling in a building, stairwell or floor band, with its exclusive area (民法典
    Art. 278 counts owners' votes by it) and its owners."""
    code = required(code, _("Write the code of the household."))
    room = required(room, _("Write the room number."))
    check_household_place(place)
    _check_area(exclusive_area)
    with create(actor=actor, perm="places.add_household", on=place, at=at, denied=_(DENIED)) as act:
        owners = _visible_people(actor, owners)
        _unique(
            Household.objects, code, _("The code %(code)s is already used by another household.")
        )
        _check_room(place, room)
        household = Household.objects.create(
            place=place, code=code, room=room, floor=floor, exclusive_area=exclusive_area
        )
        household.owners.set(owners)
        act.created(household)
        act.record_change(
            "household.created",
            data={"place": place.pk, "room": room, "owners": sorted(p.pk for p in owners)},
        )
        return household


def change_household(
    *,
    actor: User | None,
    household: Household,
    place: Place,
    code: str,
    room: str,
    floor: int | None,
    exclusive_area: Decimal | None,
    owners: Iterable[Person] | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Household:
    """A household's place, room, floor and area, and its owners (None keeps them). Owners the
    actor cannot see stay owners: what you cannot see, you cannot change."""
    code = required(code, _("Write the code of the household."))
    room = required(room, _("Write the room number."))
    _check_area(exclusive_area)
    with _begin(
        Household.objects.select_related("place"),
        household,
        actor,
        "places.change_household",
        expected_version,
        at,
    ) as act:
        household = act.subject
        if place.pk != household.place_id:
            authorize(actor, "places.add_household", place, _(DENIED))
            check_household_place(place)
        _unique(
            Household.objects,
            code,
            _("The code %(code)s is already used by another household."),
            household.pk,
        )
        _check_room(place, room, household.pk)
        values: dict[str, Any] = {
            "place_id": place.pk,
            "code": code,
            "room": room,
            "floor": floor,
            "exclusive_area": exclusive_area,
        }
        changed = [f for f in values if getattr(household, f) != values[f]]
        added: list[int] = []
        removed: list[int] = []
        if owners is not None:
            wanted = {p.pk for p in _visible_people(actor, owners)}
            current = set(household.owners.values_list("pk", flat=True))
            hidden = current - _seen(actor, current)
            added = sorted(wanted - current)
            removed = sorted(current - wanted - hidden)
        if not (changed or added or removed):
            act.unchanged()
            return household
        for field_name in changed:
            setattr(household, field_name, values[field_name])
        act.save([f.removesuffix("_id") for f in changed])
        if added:
            household.owners.add(*added)
        if removed:
            household.owners.remove(*removed)
        act.record_change(
            "household.changed",
            data={
                "fields": [f.removesuffix("_id") for f in changed],
                "owners_added": added,
                "owners_removed": removed,
            },
        )
        return household


def _check_relation(relation: str) -> None:
    if relation not in Relation.values:
        raise ValidationError(_("Write the relation to the head of household."), code="relation")


def _forget_if_own(actor: User | None, person_id: int) -> None:
    # A user whose own home changed must not keep the scope read earlier in this request.
    if actor is not None and actor.person_id == person_id:
        forget(actor)


def move_in(
    *,
    actor: User | None,
    household: Household,
    person: Person,
    relation: str = Relation.HEAD,
    moved_in_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Resident:
    """A person comes to live in a household (or back to one they had left)."""
    _check_relation(relation)
    with create(
        actor=actor, perm="places.change_household", on=household, at=at, denied=_(DENIED)
    ) as act:
        _visible_people(actor, [person])
        resident = Resident.objects.filter(household=household, person=person).first()
        if resident is not None and resident.moved_out_on is None:
            raise ValidationError(
                _("%(person)s already lives in this household.") % {"person": person.name},
                code="already_resident",
            )
        if resident is None:
            resident = Resident(household=household, person=person)
        resident.relation = relation
        resident.moved_in_on = moved_in_on
        resident.moved_out_on = None
        resident.save()
        act.created(resident)
        act.record_change(
            "resident.moved_in",
            data={
                "household": household.pk,
                "person": person.pk,
                "relation": relation,
                "on": moved_in_on.isoformat() if moved_in_on else None,
            },
        )
    _forget_if_own(actor, person.pk)
    return resident


def _begin_residence(resident: Resident, actor: User | None, at: dt.datetime | None) -> Any:
    residents = Resident.objects.select_related("household__place", "person")
    return _begin(residents, resident, actor, "places.change_resident", at=at)


def move_out(
    *,
    actor: User | None,
    resident: Resident,
    moved_out_on: dt.date,
    note: str = "",
    at: dt.datetime | None = None,
) -> Resident:
    """A person no longer lives in the household; the row stays, dated, for the record."""
    with _begin_residence(resident, actor, at) as act:
        resident = act.subject
        if resident.moved_out_on is not None:
            raise ValidationError(
                _("%(person)s moved out on %(date)s already.")
                % {"person": resident.person.name, "date": resident.moved_out_on.isoformat()},
                code="already_moved_out",
            )
        if resident.moved_in_on is not None and moved_out_on < resident.moved_in_on:
            raise ValidationError(
                _("Moving out cannot come before moving in (%(date)s).")
                % {"date": resident.moved_in_on.isoformat()},
                code="dates",
            )
        resident.moved_out_on = moved_out_on
        act.save(["moved_out_on"])
        act.record_change(
            "resident.moved_out",
            note=note.strip(),
            data={
                "household": resident.household_id,
                "person": resident.person_id,
                "on": moved_out_on.isoformat(),
            },
        )
    _forget_if_own(actor, resident.person_id)
    return resident


def change_resident(
    *,
    actor: User | None,
    resident: Resident,
    relation: str,
    moved_in_on: dt.date | None,
    at: dt.datetime | None = None,
) -> Resident:
    """Correct how a resident is related to the household, or when they moved in."""
    _check_relation(relation)
    with _begin_residence(resident, actor, at) as act:
        resident = act.subject
        values = {"relation": relation, "moved_in_on": moved_in_on}
        changed = [f for f in values if getattr(resident, f) != values[f]]
        if not changed:
            act.unchanged()
            return resident
        for field_name in changed:
            setattr(resident, field_name, values[field_name])
        act.save(changed)
        act.record_change("resident.changed", data={"fields": changed})
        return resident


# --- Shops --------------------------------------------------------------------------------------


def _check_shop(place: Place, name: str, kind: str) -> str:
    if place.kind != PlaceKind.STREET:
        raise ValidationError(_("A shop stands on a street."), code="shop_place")
    if kind not in ShopKind.values:
        raise ValidationError(_("Choose the kind of shop."), code="shop_kind")
    return required(name, _("Write the name of the shop."))


def create_shop(
    *,
    actor: User | None,
    place: Place,
    code: str,
    name: str,
    kind: str,
    address: str = "",
    contact: Person | None = None,
    at: dt.datetime | None = None,
) -> Shop:
    """A shop or workshop on a street, under the street leader's care (街长制)."""
    code = required(code, _("Write the code of the shop."))
    name = _check_shop(place, name, kind)
    with create(actor=actor, perm="places.add_shop", on=place, at=at, denied=_(DENIED)) as act:
        if contact is not None:
            _visible_people(actor, [contact])
        _unique(Shop.objects, code, _("The code %(code)s is already used by another shop."))
        shop = Shop.objects.create(
            place=place, code=code, name=name, kind=kind, address=address.strip(), contact=contact
        )
        act.created(shop)
        act.record_change("shop.created", data={"place": place.pk, "name": name, "kind": kind})
        return shop


def change_shop(
    *,
    actor: User | None,
    shop: Shop,
    place: Place,
    code: str,
    name: str,
    kind: str,
    address: str,
    contact: Person | None,
    at: dt.datetime | None = None,
) -> Shop:
    code = required(code, _("Write the code of the shop."))
    name = _check_shop(place, name, kind)
    with _begin(
        Shop.objects.select_related("place"), shop, actor, "places.change_shop", at=at
    ) as act:
        shop = act.subject
        if place.pk != shop.place_id:
            authorize(actor, "places.add_shop", place, _(DENIED))
        if contact is not None and contact.pk != shop.contact_id:
            _visible_people(actor, [contact])
        _unique(
            Shop.objects, code, _("The code %(code)s is already used by another shop."), shop.pk
        )
        values: dict[str, Any] = {
            "place_id": place.pk,
            "code": code,
            "name": name,
            "kind": kind,
            "address": address.strip(),
            "contact_id": contact.pk if contact else None,
        }
        changed = [f for f in values if getattr(shop, f) != values[f]]
        if not changed:
            act.unchanged()
            return shop
        for field_name in changed:
            setattr(shop, field_name, values[field_name])
        names = [f.removesuffix("_id") for f in changed]
        act.save(names)
        act.record_change("shop.changed", data={"fields": names})
        return shop
