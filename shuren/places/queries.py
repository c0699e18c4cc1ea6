"""The lists and counts shown on place pages and home pages: few queries, always in scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Substr

from shuren.access.masking import mask_phone
from shuren.people.models import Post, Role, Team
from shuren.places.models import Household, Place, PlaceKind, Relation, Resident, subtree_q

# The leaders counted on a place's card: the people who answer for a building, lane or street.
COUNTED_LEADER_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
AREA_KINDS = (PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET)
# Past this many branches one OR of ranges gets long; filter by the common ancestor instead.
MAX_OR_BRANCHES = 40


@dataclass(frozen=True)
class BranchCounts:
    """One place and what its subtree holds, as shown on a card."""

    place: Place
    buildings: int
    households: int
    leaders: int
    teams: int
    areas: int | None = None  # estates, lanes and streets; counted only where asked


def _common_prefix(paths: Sequence[str], step: int = 10) -> str:
    first = min(paths)
    last = max(paths)
    length = 0
    while (
        length + step <= min(len(first), len(last))
        and first[: length + step] == last[: length + step]
    ):
        length += step
    return first[:length]


def _count_by_branch(
    queryset: QuerySet[Any], path_field: str, branch_paths: Sequence[str], counted: str = "pk"
) -> dict[str, int]:
    """Count rows of the queryset under each branch, in one GROUP BY query per path length.

    Paths are fixed-width steps, so the branch a row falls under is the first len(branch)
    characters of its path: no join back to the place table is needed.
    """
    by_length: dict[int, list[str]] = defaultdict(list)
    for path in branch_paths:
        by_length[len(path)].append(path)
    counts: dict[str, int] = {}
    for length, paths in by_length.items():
        if len(paths) > MAX_OR_BRANCHES:
            where = subtree_q(_common_prefix(paths), path_field) if _common_prefix(paths) else Q()
        else:
            where = Q(pk__in=[])
            for path in paths:
                where |= subtree_q(path, path_field)
        rows = (
            queryset.filter(where)
            .annotate(branch=Substr(path_field, 1, length))
            .values("branch")
            .annotate(n=Count(counted, distinct=True))
            .order_by()
        )
        wanted = set(paths)
        counts.update({row["branch"]: row["n"] for row in rows if row["branch"] in wanted})
    return counts


def branch_counts(
    user: Any, branches: Iterable[Place], *, with_areas: bool = False
) -> list[BranchCounts]:
    """Buildings, households, leaders and teams under each place, in four or five queries."""
    branches = list(branches)
    if not branches:
        return []
    paths = [b.path for b in branches]
    buildings = _count_by_branch(
        Place.objects.visible_to(user).filter(kind=PlaceKind.BUILDING), "path", paths
    )
    households = _count_by_branch(Household.objects.visible_to(user), "place__path", paths)
    leaders = _count_by_branch(
        Post.objects.visible_to(user).active().filter(role__in=COUNTED_LEADER_ROLES),
        "place__path",
        paths,
        counted="person",
    )
    teams = _count_by_branch(
        Team.objects.visible_to(user).filter(dissolved_on__isnull=True), "place__path", paths
    )
    areas: dict[str, int] = {}
    if with_areas:
        areas = _count_by_branch(
            Place.objects.visible_to(user).filter(kind__in=AREA_KINDS), "path", paths
        )
    return [
        BranchCounts(
            place=b,
            buildings=buildings.get(b.path, 0),
            households=households.get(b.path, 0),
            leaders=leaders.get(b.path, 0),
            teams=teams.get(b.path, 0),
            areas=areas.get(b.path, 0) if with_areas else None,
        )
        for b in branches
    ]


def total(rows: Iterable[BranchCounts]) -> dict[str, int]:
    rows = list(rows)
    return {
        "buildings": sum(r.buildings for r in rows),
        "households": sum(r.households for r in rows),
        "leaders": sum(r.leaders for r in rows),
        "teams": sum(r.teams for r in rows),
        "areas": sum(r.areas or 0 for r in rows),
    }


@dataclass(frozen=True)
class HouseholdRow:
    """A household as a leader's list shows it; the phone is already masked."""

    pk: int
    room: str
    place_name: str
    head_name: str
    head_phone: str


def households_under(user: Any, places: Iterable[Place]) -> QuerySet[Household]:
    """Households in scope under any of the places, with the head of household's name and phone
    (the head, or else the first resident listed) annotated in the same query."""
    where = Q(pk__in=[])
    for place in places:
        where |= subtree_q(place.path, "place__path")
    head = (
        Resident.objects.current()
        .filter(household=OuterRef("pk"))
        .order_by(
            Case(When(relation=Relation.HEAD, then=0), default=1, output_field=IntegerField()),
            "pk",
        )
    )
    return (
        Household.objects.visible_to(user)
        .filter(where)
        .select_related("place")
        .annotate(
            head_name=Subquery(head.values("person__name")[:1]),
            head_phone=Subquery(head.values("person__phone")[:1]),
        )
        .order_by("place__path", "room", "pk")
    )


def household_rows(households: Iterable[Household]) -> list[HouseholdRow]:
    """Mask on the server: the template never receives a full phone number."""
    return [
        HouseholdRow(
            pk=h.pk,
            room=h.room,
            place_name=h.place.name,
            head_name=getattr(h, "head_name", None) or "",
            head_phone=mask_phone(getattr(h, "head_phone", None) or ""),
        )
        for h in households
    ]
