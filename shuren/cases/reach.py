"""Where on the tier ladder a user may act: the subtrees per tier their posts give, and their teams.

Scope (access/scope.py) says what a user may *see*; reach says at which tier they *handle*. A
楼长 sees their building's cases at every tier but handles them only while they sit at tier 1.
A property company's staff handle no subtree: only the matters their company holds at the
estate tier (Case.estate_company, set by cases/estate.py) while they sit there, and what is
assigned to the company or to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shuren.access.context import context_of
from shuren.access.standing import Standing, read_standing
from shuren.cases.choices import Tier
from shuren.people.roles import Role

# The roles that handle a matter at each tier, over the place of their post (a property
# company's staff: see Reach.holds_for_company).
TIER_ROLES: dict[int, frozenset[str]] = {
    1: frozenset({Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG}),
    2: frozenset({Role.YEWEIHUI, Role.ZIZHI_ZUZHANG}),
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
    company_ids: frozenset[int] = frozenset()  # the property companies of their posts
    company_paths: tuple[str, ...] = ()  # the estates those companies manage

    def handles(self, place_path: str, tier: int, *, at_least: int = 1) -> bool:
        """True when a post of tier >= max(tier, at_least) covers the place."""
        return any(
            place_path.startswith(root)
            for t, roots in self.roots.items()
            if t >= tier and t >= at_least
            for root in roots
        )

    def holds_for_company(self, case: Any) -> bool:
        """The case sits at the estate tier with the user's company, in one of its estates."""
        return (
            case.current_tier == Tier.ESTATE
            and case.estate_company_id in self.company_ids
            and any(case.place_path.startswith(path) for path in self.company_paths)
        )


EMPTY = Reach()


def compute_reach(user: Any, standing: Standing | None = None) -> Reach:
    """The reach from the user's standing (read afresh unless given): no further query."""
    if user is None or not user.is_authenticated or not user.is_active or not user.person_id:
        return EMPTY
    held = standing if standing is not None else read_standing(user)
    roots: dict[int, set[str]] = {}
    for post in held.posts:
        for tier, roles in TIER_ROLES.items():
            if post.role in roles and post.place_path is not None:
                roots.setdefault(tier, set()).add(post.place_path)
    return Reach(
        person_id=held.person_id,
        roots={tier: tuple(sorted(paths)) for tier, paths in roots.items()},
        team_ids=frozenset({p.team_id for p in held.posts if p.team_id} | held.member_of),
        company_ids=frozenset(p.team_id for p in held.posts if p.role == Role.WUYE and p.team_id),
        company_paths=held.company_paths,
    )


def reach_of(user: Any) -> Reach:
    """The user's reach, computed once per request from their standing (access.context)."""
    return context_of(user).derived(compute_reach)
