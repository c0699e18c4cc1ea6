"""Who may read the figures of a place: the staff and leaders whose posts cover it (least
privilege: not a resident, a mediator, a property company or an administrator)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from shuren.access.context import standing_of
from shuren.people.roles import Role
from shuren.places.models import Place
from shuren.places.paths import drop_nested

FIGURE_ROLES = frozenset(
    {
        Role.LOUZHANG,
        Role.XIANGZHANG,
        Role.JIEZHANG,
        Role.WANGGEYUAN,
        Role.SHEQU_STAFF,
        Role.SHEQU_SHUJI,
        Role.JIEDAO_STAFF,
    }
)


@rules.predicate
def reads_figures_of(user: Any, place: Any) -> bool:
    """The place lies under one of the user's posts of a role that reads figures."""
    return place is not None and any(place.path.startswith(r) for r in figure_roots(user))


def readable_place(user: Any, place_id: int) -> Place | None:
    """The place, if this user reads its figures; None otherwise, as for a missing id (the
    pages' twin of api/stats.py figures_place)."""
    place: Place | None = Place.objects.visible_to(user).filter(pk=place_id).first()
    if place is None or not user.has_perm("insights.view_figures", place):
        return None
    return place


def figure_roots(user: Any) -> tuple[str, ...]:
    """The places whose figures this user reads (their posts of a figure role), outermost."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "person_id", None):
        return ()
    return drop_nested(
        {
            post.place_path
            for post in standing_of(user).posts
            if post.role in FIGURE_ROLES and post.place_path
        }
    )


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("insights.view_figures", reads_figures_of)
