"""A user's scope: the places, households and people their active posts let them see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from shuren.access.standing import Standing, read_standing
from shuren.people.models import Membership, Post
from shuren.people.roles import ADMIN_ROLES, Role
from shuren.places.models import Resident
from shuren.places.paths import ancestor_paths, drop_nested, subtree_q

# Where a resident without a post may look and report: their own household's place and the
# places above it up to the estate (or lane or street), never the community or higher.
RESIDENT_PLACE_KINDS = ("estate", "lane", "street", "building", "unit", "floor_band")
# Roles that may unmask phone and ID numbers inside their scope (each read is logged).
UNMASK_ROLES = frozenset(
    {
        Role.SHEQU_STAFF,
        Role.SHEQU_SHUJI,
        Role.WANGGEYUAN,
        Role.TIAOJIEYUAN,
        Role.JIEDAO_STAFF,
    }
)


def _nothing() -> Q:
    return Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """What one user may see. Built once per request by scope_of(); cheap to test against."""

    roots: tuple[str, ...] = ()  # subtree roots, as place paths, none inside another
    # The subtrees of posts held over a place: the roots without the estates seen only because
    # a property company the user works for manages them. A capability's own records of a place
    # (matters) open to these; the company sees only what it handles (cases.models).
    place_roots: tuple[str, ...] = ()
    # single places outside the roots, by path: a resident's home and the places above it
    home_paths: frozenset[str] = frozenset()
    households: frozenset[int] = frozenset()  # households outside the roots (their own)
    person_id: int | None = None
    roles: frozenset[str] = frozenset()
    unmask_roots: tuple[str, ...] = ()  # subtrees where this user may unmask personal info
    # 三员分立: the system administrator's subtrees. They open the places, the teams and the
    # posts (the organisation the administrator keeps), never a household, a resident or a
    # matter: residents' personal data is not theirs to read.
    structure_roots: tuple[str, ...] = ()
    reads_audit: bool = False
    is_resident: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.roots or self.structure_roots or self.home_paths or self.households)

    @property
    def place_tree_roots(self) -> tuple[str, ...]:
        """Where the place tree and its organisation (teams, posts) open: every root, the
        system administrator's too."""
        if not self.structure_roots:
            return self.roots
        return drop_nested(set(self.roots) | set(self.structure_roots))

    def _subtrees(self, field_name: str, roots: tuple[str, ...] | None = None) -> Q:

        q = _nothing()
        for root in self.roots if roots is None else roots:
            q |= subtree_q(root, field_name)
        return q

    def place_q(self, prefix: str = "") -> Q:
        q = self._subtrees(f"{prefix}path", self.place_tree_roots)
        if self.home_paths:
            q |= Q(**{f"{prefix}path__in": sorted(self.home_paths)})
        return q

    def household_q(self, prefix: str = "") -> Q:
        q = self._subtrees(f"{prefix}place__path")
        if self.households:
            q |= Q(**{f"{prefix}pk__in": sorted(self.households)})
        return q

    def team_q(self, prefix: str = "") -> Q:
        return self._subtrees(f"{prefix}place__path", self.place_tree_roots)

    def post_q(self, prefix: str = "") -> Q:
        roots = self.place_tree_roots
        return self._subtrees(f"{prefix}place__path", roots) | self._subtrees(
            f"{prefix}team__place__path", roots
        )

    def person_q(self) -> Q:
        """People living in visible households, holding posts or memberships in scope, or me."""
        q = Q(pk__in=Resident.objects.filter(self.household_q("household__")).values("person_id"))
        if self.place_tree_roots:
            q |= Q(pk__in=Post.objects.filter(self.post_q()).values("person_id"))
            q |= Q(pk__in=Membership.objects.filter(self.team_q("team__")).values("person_id"))
        if self.person_id:
            q |= Q(pk=self.person_id)
        return q

    def contains_path(self, path: str) -> bool:
        """The place at this path opens for the user (the system administrator's too)."""
        return any(path.startswith(root) for root in self.roots) or any(
            path.startswith(root) for root in self.structure_roots
        )

    def holds_data_at(self, path: str) -> bool:
        """The residents' data of this place is the user's to see: a post over it that is not
        the system administrator's, or a home there."""
        return any(path.startswith(root) for root in self.roots) or path in self.home_paths

    def contains_place(self, place: Any) -> bool:
        return self.contains_path(place.path) or place.path in self.home_paths

    def unmask_scope(self) -> Scope:
        """The part of this scope where personal information may be unmasked."""
        return replace(
            self,
            roots=self.unmask_roots,
            home_paths=frozenset(),
            households=frozenset(),
            person_id=None,
        )

    def may_unmask_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self.unmask_roots)


EMPTY = Scope()


def resident_place_paths(home_path: str) -> list[str]:
    """The places a resident sees above their home: its own place up to the estate, lane or
    street (depth 3), never the community or the subdistrict. The tree's shape fixes the kinds
    by depth (places.models.ALLOWED_PARENTS: subdistrict at 1, community at 2, only
    RESIDENT_PLACE_KINDS below), so the paths alone say which places these are."""
    return ancestor_paths(home_path, from_depth=3)


def compute_scope(user: Any, standing: Standing | None = None) -> Scope:
    """The scope from the user's standing (read afresh unless given): no further query."""
    if user is None or not user.is_authenticated or not user.is_active or not user.person_id:
        return EMPTY
    held = standing if standing is not None else read_standing(user)
    company: set[str] = set(held.company_paths)
    places: set[str] = set()
    unmask: set[str] = set()
    structure: set[str] = set()
    for post in held.posts:
        if post.role in ADMIN_ROLES:
            # 三员分立: the auditor and the security administrator see no place at all; the
            # system administrator sees the place tree and its organisation, no residents.
            if post.role == Role.SYSADMIN and post.place_path is not None:
                structure.add(post.place_path)
            continue
        if post.place_path is not None:
            # A property company's post names the company; a place it also names is seen
            # as the company's estates are.
            (company if post.role == Role.WUYE else places).add(post.place_path)
            if post.role in UNMASK_ROLES:
                unmask.add(post.place_path)
    root_paths = drop_nested(places | company)

    def covered(path: str) -> bool:
        return any(path.startswith(root) for root in root_paths)

    # What the post roots already cover is left out, so the visible_to() filters stay pure
    # range scans for leaders who live in the building they lead.
    households = frozenset(hid for hid, path in held.homes if not covered(path))
    home_paths = frozenset(
        p for _hid, path in held.homes for p in resident_place_paths(path) if not covered(p)
    )
    roles = held.roles
    return Scope(
        roots=root_paths,
        place_roots=drop_nested(places),
        home_paths=home_paths,
        households=households,
        person_id=held.person_id,
        roles=roles,
        unmask_roots=drop_nested(unmask),
        structure_roots=drop_nested(structure),
        reads_audit=Role.AUDITOR in roles,
        is_resident=bool(held.homes),
    )
