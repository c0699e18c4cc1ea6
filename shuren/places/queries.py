"""The lists and counts shown on place pages and home pages: few queries, always in scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Substr

from shuren import rawsql
from shuren.access.masking import mask_phone
from shuren.people.models import Post, Team
from shuren.people.roles import Role
from shuren.places.models import Household, Place, PlaceKind, Relation, Resident
from shuren.places.paths import STEP_LEN, subtree_q

# The leaders counted on a place's card: the people who answer for a building, lane or street.
COUNTED_LEADER_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
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
    estates: int | None = None  # counted only where asked (the subdistrict view)
    # The leaders by post, which the community's and the subdistrict's homes show apart.
    louzhang: int = 0
    xiangzhang: int = 0
    jiezhang: int = 0


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
    queryset: QuerySet[Any],
    path_field: str,
    roots: Sequence[str],
    *,
    below: int = 0,
    counted: str = "pk",
) -> dict[str, int]:
    """Count rows of the queryset under the roots, grouped by branch: a row's path cut to
    `below` steps deeper than its root. One GROUP BY query per root path length.

    Paths are fixed-width steps, so the cut is a plain SUBSTR and needs no join back to the
    place table. With below=1, rows on a root itself land in the root's own group.
    """
    counts: dict[str, int] = {}
    for branch, _kind, n in _grouped(queryset, path_field, roots, below=below, counted=counted):
        counts[branch] = counts.get(branch, 0) + n
    return counts


def _grouped(
    queryset: QuerySet[Any],
    path_field: str,
    roots: Sequence[str],
    *,
    below: int,
    counted: str,
    split: str = "",
) -> list[tuple[str, str, int]]:
    """(branch, value of `split` or "", count) for _count_by_branch and the counts by kind."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for path in roots:
        by_length[len(path)].append(path)
    found: list[tuple[str, str, int]] = []
    for length, paths in by_length.items():
        if len(paths) > MAX_OR_BRANCHES:
            prefix = _common_prefix(paths)
            where = subtree_q(prefix, path_field) if prefix else Q()
        else:
            where = Q(pk__in=[])
            for path in paths:
                where |= subtree_q(path, path_field)
        groups = ("branch", split) if split else ("branch",)
        rows = (
            queryset.filter(where)
            .annotate(branch=Substr(path_field, 1, length + below * STEP_LEN))
            .values(*groups)
            .annotate(n=Count(counted, distinct=True))
            .order_by()
        )
        wanted = set(paths)
        found.extend(
            (row["branch"], row[split] if split else "", row["n"])
            for row in rows
            if row["branch"][:length] in wanted
        )
    return found


def _counts(
    user: Any, roots: Sequence[str], *, below: int, with_estates: bool
) -> dict[str, dict[str, int]]:
    """Each kind of count by branch (the leaders also by role): four queries, five with
    estates."""
    counts = {
        "buildings": _count_by_branch(
            Place.objects.visible_to(user).filter(kind=PlaceKind.BUILDING),
            "path",
            roots,
            below=below,
        ),
        "households": _count_by_branch(
            Household.objects.visible_to(user), "place__path", roots, below=below
        ),
        **_leaders_by_role(user, roots, below=below),
        "teams": _count_by_branch(
            Team.objects.visible_to(user).filter(dissolved_on__isnull=True),
            "place__path",
            roots,
            below=below,
        ),
    }
    if with_estates:
        counts["estates"] = _count_by_branch(
            Place.objects.visible_to(user).filter(kind=PlaceKind.ESTATE),
            "path",
            roots,
            below=below,
        )
    return counts


def _leaders_by_role(user: Any, roots: Sequence[str], *, below: int) -> dict[str, dict[str, int]]:
    """The 楼长, 巷长 and 街长 of each branch, and all three as "leaders", in one query. A
    person is counted once per role and branch (one holding two of these posts in a branch
    counts under both, and twice among the leaders)."""
    counts: dict[str, dict[str, int]] = {
        "leaders": {},
        **{r.value: {} for r in COUNTED_LEADER_ROLES},
    }
    posts = Post.objects.visible_to(user).active().filter(role__in=COUNTED_LEADER_ROLES)
    rows = _grouped(posts, "place__path", roots, below=below, counted="person", split="role")
    for branch, role, n in rows:
        counts[role][branch] = counts[role].get(branch, 0) + n
        counts["leaders"][branch] = counts["leaders"].get(branch, 0) + n
    return counts


def _row(place: Place, counts: dict[str, dict[str, int]]) -> BranchCounts:
    return BranchCounts(
        place=place,
        buildings=counts["buildings"].get(place.path, 0),
        households=counts["households"].get(place.path, 0),
        leaders=counts["leaders"].get(place.path, 0),
        teams=counts["teams"].get(place.path, 0),
        estates=counts["estates"].get(place.path, 0) if "estates" in counts else None,
        louzhang=counts[Role.LOUZHANG].get(place.path, 0),
        xiangzhang=counts[Role.XIANGZHANG].get(place.path, 0),
        jiezhang=counts[Role.JIEZHANG].get(place.path, 0),
    )


def branch_counts(
    user: Any, branches: Iterable[Place], *, with_estates: bool = False
) -> list[BranchCounts]:
    """Buildings, households, leaders and teams under each place, in four or five queries."""
    branches = list(branches)
    if not branches:
        return []
    counts = _counts(user, [b.path for b in branches], below=0, with_estates=with_estates)
    return [_row(b, counts) for b in branches]


def area_counts(
    user: Any, parents: Sequence[Place], *, with_estates: bool = False
) -> tuple[list[BranchCounts], dict[str, int]]:
    """The places directly under the parents with their counts, and the parents' totals,
    which also count what stands on the parents themselves (a property company's team on
    the community, say). One query for the places, then four or five for the counts.

    A leader posted in two of the places counts once in each, and so twice in the totals.
    """
    if not parents:
        return [], total([])
    children = list(
        Place.objects.visible_to(user).filter(parent__in=list(parents)).order_by("path")
    )
    counts = _counts(user, [p.path for p in parents], below=1, with_estates=with_estates)
    totals = {kind: sum(by_branch.values()) for kind, by_branch in counts.items()}
    return [_row(c, counts) for c in children], {**total([]), **totals}


def total(rows: Iterable[BranchCounts]) -> dict[str, int]:
    rows = list(rows)
    return {
        "buildings": sum(r.buildings for r in rows),
        "households": sum(r.households for r in rows),
        "leaders": sum(r.leaders for r in rows),
        "teams": sum(r.teams for r in rows),
        "estates": sum(r.estates or 0 for r in rows),
        "louzhang": sum(r.louzhang for r in rows),
        "xiangzhang": sum(r.xiangzhang for r in rows),
        "jiezhang": sum(r.jiezhang for r in rows),
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


CHAIN_SEPARATOR = " › "


@dataclass(frozen=True)
class Above:
    """A place above some rows of a list: what their chains and their dispatch lists need."""

    name: str
    property_company_id: int | None


# Every inbox page reads the places above its rows; the ORM spent 1.5 ms of Python on this
# one-table statement at a desk (docs/performance.md, issue 9), so it is written out
# (shuren/rawsql.py); tests/test_chains.py checks it against the ORM.
ABOVE_SQL = "SELECT {p.id}, {p.name}, {p.property_company} FROM {p} WHERE {p.id} IN ({{keys}})"


def places_above(paths: Iterable[str]) -> dict[int, Above]:
    """Every place above these places and the places themselves, by primary key, in one query
    for a whole page of rows (a path is its places' primary keys, so they are read by key)."""
    wanted = sorted({key for path in set(paths) for key in _keys(path)})
    if not wanted:
        return {}
    statement = rawsql.sql(ABOVE_SQL, p=Place).format(keys=", ".join(["%s"] * len(wanted)))
    return {pk: Above(name, company) for pk, name, company in rawsql.rows(statement, wanted)}


def place_chains(
    paths: Iterable[str], *, from_depth: int = 2, above: dict[int, Above] | None = None
) -> dict[str, str]:
    """Each place named by the places above it, from `from_depth` down to itself (2: 社区 › 小区 ›
    楼栋): in a list above a building, "5栋" alone could be in any estate. A name the next one
    starts with is left out ("1栋 › 1栋1单元" reads "1栋1单元"); a place above `from_depth` is
    named alone. One query for a whole page (places_above), none when `above` is given. Names of
    the places above are not personal information, and the rows' own scope decides what is
    listed."""
    paths = set(paths)
    if above is None:
        above = places_above(paths)
    labels: dict[str, str] = {}
    for path in paths:
        keys = _keys(path)[from_depth - 1 :] or _keys(path)[-1:]
        parts = [above[key].name for key in keys if key in above]
        nexts = [*parts[1:], ""]
        kept = [
            name for name, after in zip(parts, nexts, strict=True) if not after.startswith(name)
        ]
        labels[path] = CHAIN_SEPARATOR.join(kept)
    return labels


def _keys(path: str) -> list[int]:
    """The primary keys of the places from the top of the tree down to this one."""
    return [int(path[i : i + STEP_LEN]) for i in range(0, len(path), STEP_LEN)]
