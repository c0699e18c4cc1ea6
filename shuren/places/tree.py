"""The tree's shape and its one-statement subtree rewrite, shared by the place actions and the
bulk import (which writes many moves under one event of its own, so it cannot call move_place).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from shuren.places.models import ALLOWED_PARENTS, Place, PlaceKind
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
