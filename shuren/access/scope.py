"""A user's scope: the places, households and people their active posts let them see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from shuren.people.models import ADMIN_ROLES, Role

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
    places: frozenset[int] = frozenset()  # single places outside the roots (a resident's)
    households: frozenset[int] = frozenset()  # households outside the roots (their own)
    person_id: int | None = None
    roles: frozenset[str] = frozenset()
    unmask_roots: tuple[str, ...] = ()  # subtrees where this user may unmask personal info
    reads_audit: bool = False
    is_resident: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.roots or self.places or self.households)

    def _subtrees(self, field_name: str, roots: tuple[str, ...] | None = None) -> Q:
        from shuren.places.models import subtree_q

        q = _nothing()
        for root in self.roots if roots is None else roots:
            q |= subtree_q(root, field_name)
        return q

    def place_q(self, prefix: str = "") -> Q:
        q = self._subtrees(f"{prefix}path")
        if self.places:
            q |= Q(**{f"{prefix}pk__in": sorted(self.places)})
        return q

    def household_q(self, prefix: str = "") -> Q:
        q = self._subtrees(f"{prefix}place__path")
        if self.households:
            q |= Q(**{f"{prefix}pk__in": sorted(self.households)})
        return q

    def team_q(self, prefix: str = "") -> Q:
        return self._subtrees(f"{prefix}place__path")

    def post_q(self, prefix: str = "") -> Q:
        return self._subtrees(f"{prefix}place__path") | self._subtrees(f"{prefix}team__place__path")

    def person_q(self) -> Q:
        """People living in visible households, holding posts or memberships in scope, or me."""
        from shuren.people.models import Membership, Post
        from shuren.places.models import Resident

        q = Q(pk__in=Resident.objects.filter(self.household_q("household__")).values("person_id"))
        if self.roots:
            q |= Q(pk__in=Post.objects.filter(self.post_q()).values("person_id"))
            q |= Q(pk__in=Membership.objects.filter(self.team_q("team__")).values("person_id"))
        if self.person_id:
            q |= Q(pk=self.person_id)
        return q

    def contains_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self.roots)

    def contains_place(self, place: Any) -> bool:
        return self.contains_path(place.path) or place.pk in self.places

    def unmask_scope(self) -> Scope:
        """The part of this scope where personal information may be unmasked."""
        return replace(
            self,
            roots=self.unmask_roots,
            places=frozenset(),
            households=frozenset(),
            person_id=None,
        )

    def may_unmask_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self.unmask_roots)


EMPTY = Scope()


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop every root that lies inside another root."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def compute_scope(user: Any) -> Scope:
    from shuren.people.models import Post
    from shuren.places.models import Place, Resident

    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY
    person_id = user.person_id
    if not person_id:
        return EMPTY
    posts = list(
        Post.objects.active()
        .filter(person_id=person_id)
        .select_related("place")
        .only("role", "place__path", "team_id")
    )
    roles = frozenset(p.role for p in posts)
    roots: set[str] = set()
    unmask: set[str] = set()
    company_ids = {p.team_id for p in posts if p.role == Role.WUYE and p.team_id}
    for post in posts:
        if post.role in ADMIN_ROLES and post.role != Role.SYSADMIN:
            continue  # 三员分立: the auditor and the security admin see no residents' data
        if post.place is not None:
            roots.add(post.place.path)
            if post.role in UNMASK_ROLES:
                unmask.add(post.place.path)
    if company_ids:
        roots.update(
            Place.objects.filter(property_company_id__in=company_ids).values_list("path", flat=True)
        )
    root_paths = _minimal(roots)

    # A resident sees their own household(s) and the places above them up to the estate.
    residences = list(
        Resident.objects.current()
        .filter(person_id=person_id)
        .select_related("household__place")
        .only("household_id", "household__place__path")
    )

    def covered(path: str) -> bool:
        return any(path.startswith(root) for root in root_paths)

    # What the post roots already cover is left out, so the visible_to() filters stay pure
    # range scans for leaders who live in the building they lead.
    households = frozenset(
        r.household_id for r in residences if not covered(r.household.place.path)
    )
    prefixes: set[str] = set()
    for residence in residences:
        place_path = residence.household.place.path
        prefixes.update(
            p
            for p in (place_path[:i] for i in range(10, len(place_path) + 1, 10))
            if not covered(p)
        )
    places: frozenset[int] = frozenset()
    if prefixes:
        places = frozenset(
            Place.objects.filter(path__in=prefixes, kind__in=RESIDENT_PLACE_KINDS).values_list(
                "pk", flat=True
            )
        )
    return Scope(
        roots=root_paths,
        places=places,
        households=households,
        person_id=person_id,
        roles=roles,
        unmask_roots=_minimal(unmask),
        reads_audit=Role.AUDITOR in roles,
        is_resident=bool(residences),
    )


def scope_of(user: Any) -> Scope:
    """The user's scope, computed once and kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY
    cached = getattr(user, "_shuren_scope", None)
    if cached is None:
        cached = compute_scope(user)
        user._shuren_scope = cached
    return cached


def forget_scope(user: Any) -> None:
    if hasattr(user, "_shuren_scope"):
        del user._shuren_scope
