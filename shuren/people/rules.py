"""Who may appoint and end posts and keep teams and their members (django-rules); the people
actions (people/actions.py) check these, so the admin and every later page agree.

Posts decide what every user sees and does, so the rules are narrow:

- a post is given (and ended) only by someone whose own post *of a giving role* covers the
  post's place, and the post's team when it has one (a property company's post: every estate
  the company manages too); a role's other posts lend it nothing;
- each giving role gives only the roles in GIVES: no one gives what they do not hold. The system
  administrator gives no post and adds no team member: it reads no residents' data (三员分立),
  so choosing a person is not its work; only the subdistrict appoints community secretaries
  and its own staff;
- nobody appoints themselves, or ends their own post;
- the three administrators (系统管理员, 安全管理员, 审计员) are not appointed through the
  application at all (people.actions refuses them), and the security administrator and the
  auditor hold no place, so they give nothing.

Teams (and their memberships) are kept by the same giving roles inside their subtrees; nobody
adds themselves to a team (a team can hand its members cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules

from shuren.access.context import context_of
from shuren.access.standing import Standing
from shuren.people.roles import LEADER_ROLES, Role
from shuren.places.models import Place
from shuren.places.paths import drop_nested, within

# Volunteer leaders and the property company's staff: recorded by anyone who gives posts.
_VOLUNTEERS = LEADER_ROLES | {Role.WUYE}
# Community staff also record the grid workers and mediators who work in their community.
_COMMUNITY = _VOLUNTEERS | {Role.WANGGEYUAN, Role.TIAOJIEYUAN}
GIVES: dict[str, frozenset[str]] = {
    # 三员分立: the system administrator keeps the place tree and the teams, and reads no
    # residents' data, so it cannot pick a resident for a post or a team: it gives nothing,
    # and adds no members (the community's and subdistrict's staff do).
    Role.SYSADMIN: frozenset(),
    Role.SHEQU_STAFF: frozenset(_COMMUNITY),
    Role.SHEQU_SHUJI: frozenset(_COMMUNITY | {Role.SHEQU_STAFF}),
    Role.JIEDAO_STAFF: frozenset(
        _COMMUNITY | {Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.JIEDAO_STAFF}
    ),
}


@dataclass(frozen=True)
class Giving:
    """What one user may give: per role, the subtrees where they may give it; and the subtrees
    where they keep teams."""

    person_id: int | None = None
    roots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    team_roots: tuple[str, ...] = ()
    # Where they add and end members: the team roots of the staff who see the residents.
    member_roots: tuple[str, ...] = ()

    def gives(self, role: str, paths: list[str]) -> bool:
        roots = self.roots.get(role, ())
        return bool(paths) and all(within(path, roots) for path in paths)


def compute_giving(user: Any, standing: Standing) -> Giving:
    """From the user's posts today (access.standing), with no further query."""
    by_role: dict[str, set[str]] = {}
    team_roots: set[str] = set()
    member_roots: set[str] = set()
    for post in standing.posts:
        if post.place_path is None or post.role not in GIVES:
            continue
        team_roots.add(post.place_path)
        if post.role != Role.SYSADMIN:
            member_roots.add(post.place_path)
        for role in GIVES[post.role]:
            by_role.setdefault(role, set()).add(post.place_path)
    return Giving(
        person_id=standing.person_id,
        roots={role: drop_nested(paths) for role, paths in by_role.items()},
        team_roots=drop_nested(team_roots),
        member_roots=drop_nested(member_roots),
    )


def giving_of(user: Any) -> Giving:
    """Computed once per request, and forgotten with the user's scope (access.context)."""
    return context_of(user).derived(compute_giving)


def post_paths(post: Any) -> list[str]:
    """Every place a post reaches: its place, its team's home place, and for a property
    company's post the estates the company manages."""
    paths = []
    if post.place_id:
        paths.append(post.place.path)
    if post.team_id:
        paths.append(post.team.place.path)
        if post.role == Role.WUYE:
            managed = Place.objects.filter(property_company_id=post.team_id)
            paths += managed.values_list("path", flat=True)
    return paths


@rules.predicate
def gives_post(user: Any, post: Any) -> bool:
    """The user may appoint this post (a Post not yet saved) or end it."""
    if post is None or not getattr(user, "is_authenticated", False):
        return False
    giving = giving_of(user)
    if giving.person_id is None or post.person_id == giving.person_id:
        return False
    return giving.gives(post.role, post_paths(post))


@rules.predicate
def gives_any_post(user: Any) -> bool:
    """The user gives some post somewhere (the admin shows them the posts' add page)."""
    return getattr(user, "is_authenticated", False) and bool(giving_of(user).roots)


@rules.predicate
def keeps_team(user: Any, team: Any) -> bool:
    """The user keeps this team (a Team not yet saved, or a stored one): its home place lies in
    a subtree where they give posts."""
    if team is None or not getattr(user, "is_authenticated", False):
        return False
    return within(team.place.path, giving_of(user).team_roots)


@rules.predicate
def keeps_teams(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and bool(giving_of(user).team_roots)


@rules.predicate
def keeps_membership(user: Any, membership: Any) -> bool:
    """The user keeps the membership's team with the staff who see its members (not the system
    administrator alone), and the member is someone else."""
    if membership is None or not keeps_team(user, membership.team):
        return False
    if not within(membership.team.place.path, giving_of(user).member_roots):
        return False
    return membership.person_id != giving_of(user).person_id


rules.add_perm("people.appoint_post", gives_post)
rules.add_perm("people.end_post", gives_post)
rules.add_perm("people.add_team", keeps_team)
rules.add_perm("people.change_team", keeps_team)
rules.add_perm("people.add_membership", keeps_membership)
rules.add_perm("people.change_membership", keeps_membership)
