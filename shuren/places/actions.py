"""Every change to the place tree: create, rename, move a subtree; households and residents."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from shuren.places.models import ALLOWED_PARENTS, Place, PlaceKind
from shuren.places.paths import path_step, subtree_q
from shuren.places.signals import subtree_moved


def check_parent(kind: str, parent: Place | None) -> None:
    allowed = ALLOWED_PARENTS[PlaceKind(kind)]
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise ValidationError(
            _("A %(kind)s cannot stand under %(parent)s.")
            % {
                "kind": PlaceKind(kind).label,
                "parent": PlaceKind(parent_kind).label if parent_kind else _("nothing"),
            }
        )


@transaction.atomic
def create_place(
    *,
    kind: str,
    name: str,
    code: str,
    parent: Place | None,
    official_code: str = "",
    storeys: int | None = None,
    floor_from: int | None = None,
    floor_to: int | None = None,
    property_company_id: int | None = None,
    address: str = "",
) -> Place:
    check_parent(kind, parent)
    place = Place.objects.create(
        kind=kind,
        name=name,
        code=code,
        parent=parent,
        official_code=official_code,
        storeys=storeys,
        floor_from=floor_from,
        floor_to=floor_to,
        property_company_id=property_company_id,
        address=address,
        # A placeholder unique per insert; the real path needs the primary key.
        path=f"~{code}",
        depth=(parent.depth + 1) if parent else 0,
    )
    place.path = (parent.path if parent else "") + path_step(place.pk)
    Place.objects.filter(pk=place.pk).update(path=place.path)
    return place


@transaction.atomic
def move_place(*, place: Place, new_parent: Place) -> Place:
    """Move a place and its whole subtree under another parent, rewriting every path at once."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    new_parent = Place.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(place.path):
        raise ValidationError(_("A place cannot move under itself or one of its own places."))
    check_parent(place.kind, new_parent)
    if place.parent_id == new_parent.pk:
        return place
    old_prefix = place.path
    new_prefix = new_parent.path + path_step(place.pk)
    depth_shift = (new_parent.depth + 1) - place.depth
    # One UPDATE for the whole subtree: new prefix + the rest of the old path.
    Place.objects.filter(subtree_q(old_prefix)).update(
        path=Concat(
            Value(new_prefix),
            Substr("path", len(old_prefix) + 1, Length("path")),
        ),
        depth=F("depth") + depth_shift,
        version=F("version") + 1,
    )
    Place.objects.filter(pk=place.pk).update(parent=new_parent)
    subtree_moved.send(sender=Place, old_prefix=old_prefix, new_prefix=new_prefix)
    place.refresh_from_db()
    return place


@transaction.atomic
def rename_place(*, place: Place, name: str, expected_version: int | None = None) -> Place:
    from shuren.kernel.versions import check_version

    locked = Place.objects.select_for_update().get(pk=place.pk)
    check_version(locked, expected_version)
    if locked.name == name:
        return locked
    locked.name = name
    locked.version += 1
    locked.save(update_fields=["name", "version", "updated_at"])
    return locked
