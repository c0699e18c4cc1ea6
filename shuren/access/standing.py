"""What a user holds today (active posts, team memberships, homes), read once per request.

Scope (what they see), reach (where they handle cases) and their inboxes are all built from
this one read, so a request pays for the user's posts once: one statement, plus one for the
estates of their property company when they hold a post for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shuren import rawsql
from shuren.people.models import Membership, Post, today
from shuren.people.roles import Role
from shuren.places.models import Household, Place, Resident


@dataclass(frozen=True)
class HeldPost:
    role: str
    place_path: str | None
    team_id: int | None


@dataclass(frozen=True)
class Standing:
    person_id: int | None = None
    posts: tuple[HeldPost, ...] = ()
    member_of: frozenset[int] = frozenset()  # teams with an active membership
    homes: tuple[tuple[int, str], ...] = ()  # (household id, its place's path), current
    company_paths: tuple[str, ...] = ()  # estates managed by the companies of WUYE posts

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(p.role for p in self.posts)


NOBODY = Standing()


# Three kinds of row in one statement: 'p' post (role, place path, team), 'm' membership
# (team), 'h' home (household id, its place's path). tests/test_standing.py checks it against
# the ORM's own queries on both databases.
STANDING_SQL = (
    "SELECT 'p', {po.role}, {pl.path}, {po.team} FROM {po} "
    "LEFT JOIN {pl} ON {pl.id} = {po.place} "
    "WHERE {po.person} = %s AND {po.starts_on} <= %s "
    "AND ({po.ends_on} IS NULL OR {po.ends_on} >= %s) "
    "UNION ALL SELECT 'm', NULL, NULL, {me.team} FROM {me} "
    "WHERE {me.person} = %s AND {me.starts_on} <= %s "
    "AND ({me.ends_on} IS NULL OR {me.ends_on} >= %s) "
    "UNION ALL SELECT 'h', NULL, {hp.path}, {re.household} FROM {re} "
    "JOIN {ho} ON {ho.id} = {re.household} "
    "JOIN {hp} ON {hp.id} = {ho.place} "
    "WHERE {re.person} = %s AND {re.moved_out_on} IS NULL"
)


def standing_sql() -> str:
    """STANDING_SQL with the names of the tables and columns from the models' _meta."""
    return rawsql.sql(
        STANDING_SQL, po=Post, pl=Place, me=Membership, re=Resident, ho=Household, hp=Place
    )


def read_standing(user: Any) -> Standing:
    """Read the user's standing from the database now (no cache)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    person_id = user.person_id
    if not person_id:
        return NOBODY
    on = rawsql.date_param(today())
    posts: list[HeldPost] = []
    member_of: set[int] = set()
    homes: list[tuple[int, str]] = []
    for kind, role, path, ref in rawsql.rows(standing_sql(), [person_id, on, on] * 2 + [person_id]):
        if kind == "p":
            posts.append(HeldPost(role=role, place_path=path, team_id=ref))
        elif kind == "m":
            member_of.add(ref)
        else:
            homes.append((ref, path))
    company_paths: tuple[str, ...] = ()
    company_ids = sorted({p.team_id for p in posts if p.role == Role.WUYE and p.team_id})
    if company_ids:
        company_paths = tuple(
            Place.objects.filter(property_company_id__in=company_ids)
            .order_by("path")
            .values_list("path", flat=True)
        )
    posts.sort(key=lambda p: (p.role, p.place_path or "", p.team_id or 0))
    return Standing(
        person_id=person_id,
        posts=tuple(posts),
        member_of=frozenset(member_of),
        homes=tuple(sorted(homes)),
        company_paths=company_paths,
    )
