"""What every writer of the tree checks (its shape, a place's details, where a household may
stand) and its one-statement subtree rewrite, shared by the place actions, their admin forms
and the bulk import (which writes many moves under one event of its own: no move_place).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from shuren.people.models import Team, TeamKind
from shuren.places.models import ALLOWED_PARENTS, HOUSEHOLD_PLACE_KINDS, Place, PlaceKind
from shuren.places.paths import path_step, subtree_q
from shuren.places.signals import subtree_moved


def check_parent(kind: str, parent: Place | None) -> None:
    """A ValidationError when a place of this kind may not stand under this parent."""
    allowed = ALLOWED_PARENTS[PlaceKind(kind)]
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise ValidationError(
            _("A %(kind)s cannot stand under %(parent)s.")
            % {
                "kind": PlaceKind(kind).label,
                "parent": PlaceKind(parent_kind).label if parent_kind else _("nothing"),
            },
            code="wrong_parent",
        )


def check_move(place: Place, new_parent: Place) -> None:
    """A ValidationError when the place may not move under this parent."""
    if new_parent.path.startswith(place.path):
        raise ValidationError(
            _("A place cannot move under itself or one of its own places."), code="loop"
        )
    check_parent(place.kind, new_parent)


def check_place_details(
    *,
    kind: str,
    floor_from: int | None,
    floor_to: int | None,
    property_company: Team | None,
) -> None:
    """The rules a place's details follow, whoever writes them (the action and the admin form)."""
    if property_company is not None:
        if kind != PlaceKind.ESTATE:
            raise ValidationError(_("Only an estate has a property company."), code="company")
        if property_company.kind != TeamKind.PROPERTY_COMPANY:
            raise ValidationError(
                _("%(team)s is not a property company.") % {"team": property_company.name},
                code="company",
            )
    if floor_from is not None and floor_to is not None and floor_from > floor_to:
        raise ValidationError(_("The last floor is below the first floor."), code="floors")


def check_household_place(place: Place) -> None:
    if place.kind not in HOUSEHOLD_PLACE_KINDS:
        raise ValidationError(
            _("A household stands in a building, stairwell or floor band, not in a %(kind)s.")
            % {"kind": PlaceKind(place.kind).label},
            code="household_place",
        )


def rewrite_subtree(place: Place, new_parent: Place) -> int:
    """Put the place and everything under it below `new_parent`: one UPDATE rewrites every path
    (new prefix + the rest of the old path) and depth, and bumps every version; then the
    `subtree_moved` signal lets copies of paths (cases) follow in the same transaction.

    The caller has locked the place and checked the move; returns how many places moved."""
    old_prefix = place.path
    new_prefix = new_parent.path + path_step(place.pk)
    depth_shift = (new_parent.depth + 1) - place.depth
    moved = Place.objects.filter(subtree_q(old_prefix)).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1, Length("path"))),
        depth=F("depth") + depth_shift,
        version=F("version") + 1,
    )
    Place.objects.filter(pk=place.pk).update(parent=new_parent)
    subtree_moved.send(sender=Place, old_prefix=old_prefix, new_prefix=new_prefix)
    return moved
