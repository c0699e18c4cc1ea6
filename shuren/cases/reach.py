"""Where on the tier ladder a user may act: the subtrees per tier their posts give, and their teams.

Scope (access/scope.py) says what a user may *see*; reach says at which tier they *handle*. A
楼长 sees their building's cases at every tier but handles them only while they sit at tier 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shuren.people.models import Role

# The roles that handle a matter at each tier, over the place of their post.
TIER_ROLES: dict[int, frozenset[str]] = {
    1: frozenset({Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG}),
    2: frozenset({Role.WUYE, Role.YEWEIHUI, Role.ZIZHI_ZUZHANG}),
    3: frozenset({Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.WANGGEYUAN}),
    # Subdistrict staff also follow the referrals that left the subdistrict (tier 5).
    5: frozenset({Role.JIEDAO_STAFF}),
}


@dataclass(frozen=True)
class Reach:
    person_id: int | None = None
    # tier -> subtree roots (place paths) where this user handles cases up to that tier
    roots: dict[int, tuple[str, ...]] = field(default_factory=dict)
    team_ids: frozenset[int] = frozenset()

    def handles(self, place_path: str, tier: int, *, at_least: int = 1) -> bool:
        """True when a post of tier >= max(tier, at_least) covers the place."""
        return any(
            place_path.startswith(root)
            for t, roots in self.roots.items()
            if t >= tier and t >= at_least
            for root in roots
        )


EMPTY = Reach()


def compute_reach(user: Any) -> Reach:
    from shuren.people.models import Membership, Post
    from shuren.places.models import Place

    if user is None or not user.is_authenticated or not user.is_active or not user.person_id:
        return EMPTY
    posts = list(
        Post.objects.active()
        .filter(person_id=user.person_id)
        .select_related("place")
        .only("role", "team_id", "place__path")
    )
    roots: dict[int, set[str]] = {}
    company_ids: set[int] = set()
    team_ids: set[int] = {p.team_id for p in posts if p.team_id}
    for post in posts:
        if post.role == Role.WUYE and post.team_id:
            company_ids.add(post.team_id)
            continue
        for tier, roles in TIER_ROLES.items():
            if post.role in roles and post.place is not None:
                roots.setdefault(tier, set()).add(post.place.path)
    if company_ids:
        roots.setdefault(2, set()).update(
            Place.objects.filter(property_company_id__in=company_ids).values_list("path", flat=True)
        )
    team_ids.update(
        Membership.objects.active()
        .filter(person_id=user.person_id)
        .values_list("team_id", flat=True)
    )
    return Reach(
        person_id=user.person_id,
        roots={tier: tuple(sorted(paths)) for tier, paths in roots.items()},
        team_ids=frozenset(team_ids),
    )


def reach_of(user: Any) -> Reach:
    """The user's reach, computed once and kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY
    cached = getattr(user, "_shuren_case_reach", None)
    if cached is None:
        cached = compute_reach(user)
        user._shuren_case_reach = cached
    return cached


def forget_reach(user: Any) -> None:
    if hasattr(user, "_shuren_case_reach"):
        del user._shuren_case_reach
