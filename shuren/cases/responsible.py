"""Who answers for a place at each tier of the ladder, found from posts and team memberships.

Tier 1: the 楼长/巷长/街长 of the building, lane or street containing the place.
Tier 2: the estate's property company, its 自治小组长 and 业委会委员, and the leads of its
        self-governance group, homeowners' committee and mutual-aid association, as far as
        the category's policy gives the estate tier the matter (cases/estate.py): a complaint
        about the property service only the committee and the group, public security nobody.
Tier 3: the community's staff, secretary and grid workers.
Tier 4: the subdistrict's staff. Tier 5 (a referral outside) is followed by them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from shuren import rawsql
from shuren.access.context import scope_of
from shuren.cases.choices import EstateTier, Tier
from shuren.cases.estate import ESTATE_KINDS, estate_of, estate_tier_of
from shuren.cases.models import Case
from shuren.cases.on_behalf import case_leaders
from shuren.cases.reach import reach_of
from shuren.people.models import (
    Membership,
    MembershipRole,
    Person,
    Post,
    Team,
    TeamKind,
    active_q,
    today,
)
from shuren.people.roles import Role
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import STEP_LEN, ancestor_paths, path_successor, subtree_q
from shuren.places.queries import Above

TIER1_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
TIER2_PLACE_ROLES = (Role.ZIZHI_ZUZHANG, Role.YEWEIHUI)
TIER2_TEAM_KINDS = (
    TeamKind.SELF_GOVERNANCE,
    TeamKind.HOMEOWNERS_COMMITTEE,
    TeamKind.MUTUAL_AID,
)
# Who takes a complaint about the property service at the estate tier: the owners' own bodies.
TIER2_OWNER_TEAM_KINDS = (TeamKind.SELF_GOVERNANCE, TeamKind.HOMEOWNERS_COMMITTEE)
TIER3_ROLES = (Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.WANGGEYUAN)
TIER4_ROLES = (Role.JIEDAO_STAFF,)
BUILDING_KINDS = (PlaceKind.BUILDING, PlaceKind.UNIT, PlaceKind.FLOOR_BAND)
LEAD_ROLES = (MembershipRole.LEAD, MembershipRole.DEPUTY)


def _post_q(roles: tuple[str, ...], **where: Any) -> Q:
    return Q(posts__role__in=roles, **where) & active_q(prefix="posts__")


def _team_users_q(team_ids: list[int]) -> Q:
    """Post holders for the team (a property company's staff) and its leads and deputies."""
    return (_post_q((Role.WUYE, Role.TIAOJIEYUAN), posts__team_id__in=team_ids)) | (
        Q(memberships__team_id__in=team_ids, memberships__role__in=LEAD_ROLES)
        & active_q(prefix="memberships__")
    )


def _person_q(place: Place, tier: int, category: Any) -> Q | None:
    """A filter on Person for those who answer for the place at the tier for a matter of the
    category; None if nobody can."""
    ancestors = ancestor_paths(place.path)
    if tier == 1:
        q = _post_q(TIER1_ROLES, posts__place__path__in=ancestors)
        if place.kind in BUILDING_KINDS:
            # A tower split into floor bands has its leaders below the building itself.
            q |= _post_q(TIER1_ROLES) & subtree_q(place.path, "posts__place__path")
        return q
    if tier == 2:
        policy = estate_tier_of(category)
        estate = estate_of(place) if policy != EstateTier.SKIP else None
        if estate is None:
            return None
        with_company = policy == EstateTier.ALL
        kinds = TIER2_TEAM_KINDS if with_company else TIER2_OWNER_TEAM_KINDS
        q = _post_q(TIER2_PLACE_ROLES, posts__place_id=estate.pk)
        q |= Q(
            memberships__team__place_id=estate.pk,
            memberships__team__kind__in=kinds,
            memberships__team__dissolved_on__isnull=True,
            memberships__role__in=LEAD_ROLES,
        ) & active_q(prefix="memberships__")
        if with_company and estate.property_company_id:
            q |= _team_users_q([estate.property_company_id])
        return q
    if tier == 3:
        return _post_q(
            TIER3_ROLES, posts__place__path__in=ancestors, posts__place__kind=PlaceKind.COMMUNITY
        )
    return _post_q(
        TIER4_ROLES, posts__place__path__in=ancestors, posts__place__kind=PlaceKind.SUBDISTRICT
    )


def responsible_users(place: Place, tier: int, *, category: Any) -> QuerySet[Any]:
    """Active users who answer for the place at the tier for a matter of the category (a
    Category or its id; None: one the estate tier handles in full). One query; two for tier 2."""
    User = get_user_model()
    q = _person_q(place, tier, category)
    if q is None:
        return User.objects.none()
    persons = Person.objects.filter(q).values("pk")
    return User.objects.filter(is_active=True, person__in=persons).order_by("pk")


def tier_users(place: Place, tier: int, *, category: Any) -> list[Any]:
    """Who is told of a matter at the tier: those who answer there (the subdistrict for 5); at
    tier 1 where no leader has a login, the community's staff, who act for the leader."""
    users = list(responsible_users(place, min(tier, Tier.SUBDISTRICT), category=category))
    if not users and tier == Tier.BUILDING:
        users = list(responsible_users(place, Tier.COMMUNITY, category=category))
    return users


def next_tier_up(place: Place, current: int, category: Any) -> tuple[int, list[Any]]:
    """Where an escalation goes by default, and who is told: one tier up, skipping tiers where
    nobody answers for the place and the estate tier where it does not handle the category
    (cases/estate.py); never implicitly to 5."""
    for candidate in range(current + 1, Tier.SUBDISTRICT + 1):
        users = list(responsible_users(place, candidate, category=category))
        if users:
            return candidate, users
    target = min(current + 1, Tier.BEYOND)
    if target == Tier.ESTATE and estate_tier_of(category) != EstateTier.ALL:
        target = Tier.COMMUNITY
    return target, list(responsible_users(place, min(target, Tier.SUBDISTRICT), category=category))


def building_leaders(place: Place) -> list[Any]:
    """responsible_users(place, 1) as one hand-written statement: most reports enter at tier 1,
    so intake runs it on every report (shuren/rawsql.py says why). The users carry only their
    id, person, language and active flag, which is what a notification needs.
    tests/test_responsible.py checks it against responsible_users for every place."""
    User = get_user_model()
    # A path is its places' primary keys, so the places above are known without a look-up.
    place_ids = {int(path[-STEP_LEN:]) for path in ancestor_paths(place.path)}
    if place.kind in BUILDING_KINDS and place.kind != PlaceKind.FLOOR_BAND:
        # A tower split into floor bands has its leaders below the building itself.
        place_ids.update(
            pk
            for (pk,) in rawsql.rows(
                rawsql.sql(
                    "SELECT {p.id} FROM {p} WHERE {p.path} >= %s AND {p.path} < %s", p=Place
                ),
                [place.path, path_successor(place.path)],
            )
        )
    on = rawsql.date_param(today())
    # Plain index look-ups with no OR, so PostgreSQL's plan for the prepared statement stays
    # good for any place; only placeholders are formatted in.
    statement = rawsql.sql(
        "SELECT DISTINCT {u.id}, {u.person}, {u.language}, {u.is_active} "
        "FROM {po} JOIN {u} ON {u.person} = {po.person} "
        "WHERE {u.is_active} = %s AND {po.role} IN ({{roles}}) "
        "AND {po.starts_on} <= %s AND ({po.ends_on} IS NULL OR {po.ends_on} >= %s) "
        "AND {po.place} IN ({{places}}) ORDER BY {u.id}",
        u=User,
        po=Post,
    )
    found = rawsql.rows(
        statement.format(
            roles=", ".join(["%s"] * len(TIER1_ROLES)), places=", ".join(["%s"] * len(place_ids))
        ),
        [True, *(r.value for r in TIER1_ROLES), on, on, *sorted(place_ids)],
    )
    fields = ("id", "person_id", "language", "is_active")
    return [rawsql.instance(User, fields, row) for row in found]


def team_users(team_ids: list[int]) -> list[Any]:
    """Active users who act for a team: its post holders, leads and deputies; for a team
    without any of those, every active member."""
    User = get_user_model()
    users = list(
        User.objects.filter(
            is_active=True, person__in=Person.objects.filter(_team_users_q(team_ids)).values("pk")
        ).order_by("pk")
    )
    if users:
        return users
    members = Person.objects.filter(
        Q(memberships__team_id__in=team_ids) & active_q(prefix="memberships__")
    ).values("pk")
    return list(User.objects.filter(is_active=True, person__in=members).order_by("pk"))


def teams_serving(place_path: str) -> QuerySet[Team]:
    """Active teams that may take a case at this place: homed at it or above, or managing it."""
    ancestors = ancestor_paths(place_path)
    return (
        Team.objects.filter(dissolved_on__isnull=True)
        .filter(Q(place__path__in=ancestors) | Q(managed_places__path__in=ancestors))
        .distinct()
    )


def teams_to_dispatch(
    place_paths: Iterable[str], *, above: dict[int, Above] | None = None
) -> list[Team]:
    """The teams that serve any of these places (teams_serving), in the order a dispatch list
    offers them: the property company that manages the estate first, then the teams homed
    nearest the place (the estate's own groups before the community's, the community's before
    the subdistrict's), then by kind and name. One query; with `above` (the places above them,
    places.queries.places_above, which the inbox reads once for the names too), a plainer one."""
    # A path is its places' primary keys: each place above, with how deep it lies.
    depth_of = {
        int(path[i : i + STEP_LEN]): i + STEP_LEN
        for path in set(place_paths)
        for i in range(0, len(path), STEP_LEN)
    }
    if not depth_of:
        return []
    ids = sorted(depth_of)
    if above is None:
        managing = Place.objects.filter(pk__in=ids, property_company__isnull=False)
        active = Team.objects.filter(dissolved_on__isnull=True).only("pk", "name", "kind", "place")
        teams = list(
            active.filter(Q(place_id__in=ids) | Q(pk__in=managing.values("property_company")))
            .annotate(manages=Exists(managing.filter(property_company=OuterRef("pk"))))
            .order_by()  # ordered below, without joining the home places for it
        )
        managers = {team.pk for team in teams if getattr(team, "manages", False)}
    else:
        managers = {
            place.property_company_id
            for pk, place in above.items()
            if pk in depth_of and place.property_company_id
        }
        teams = _teams_at(ids, sorted(managers))
    return sorted(
        teams,
        key=lambda t: (t.pk not in managers, -depth_of.get(t.place_id, 0), t.kind, t.name, t.pk),
    )


# The teams homed at some places or managing them, for every desk page of community and
# subdistrict staff: the ORM spent 1.5-2 ms of Python on it (docs/performance.md, issue 9), so
# it is written out (shuren/rawsql.py); tests/test_desk_dispatch.py checks it against
# teams_serving. Only placeholders are formatted in.
TEAMS_AT_SQL = (
    "SELECT {t.id}, {t.name}, {t.kind}, {t.place} FROM {t} "
    "WHERE {t.dissolved_on} IS NULL AND ({t.place} IN ({{places}}){{managing}})"
)


def _teams_at(place_ids: list[int], managers: list[int]) -> list[Team]:
    statement = rawsql.sql(TEAMS_AT_SQL, t=Team)
    managing = rawsql.sql(" OR {t.id} IN ({{teams}})", t=Team) if managers else ""
    found = rawsql.rows(
        statement.format(
            places=", ".join(["%s"] * len(place_ids)),
            managing=managing.format(teams=", ".join(["%s"] * len(managers))),
        ),
        [*place_ids, *managers],
    )
    return [rawsql.instance(Team, ("id", "name", "kind", "place_id"), row) for row in found]


def reporter_users(case: Case) -> list[Any]:
    """The reporter's own login, if they have one (told when their matter is settled)."""
    if case.reporter_id is None:
        return []
    return list(get_user_model().objects.filter(person_id=case.reporter_id, is_active=True))


def assignee_users(case: Case) -> list[Any]:
    """Whoever the case is assigned to: the person's login and the team's people."""
    users: list[Any] = []
    if case.assignee_person_id:
        users += list(
            get_user_model().objects.filter(person_id=case.assignee_person_id, is_active=True)
        )
    if case.assignee_team_id:
        users += list(team_users([case.assignee_team_id]))
    return users


def holders_or_tier(case: Case) -> list[Any]:
    """The assignees, or else whoever answers at the case's tier (tier_users)."""
    return assignee_users(case) or tier_users(
        case.place, case.current_tier, category=case.category_id
    )


# Who answers for a place and may be dispatched to: leaders, estate and community roles.
DISPATCH_ROLES = (
    Role.LOUZHANG,
    Role.XIANGZHANG,
    Role.JIEZHANG,
    Role.YEWEIHUI,
    Role.ZIZHI_ZUZHANG,
    Role.WANGGEYUAN,
    Role.SHEQU_STAFF,
    Role.SHEQU_SHUJI,
    Role.TIAOJIEYUAN,
)


def _company_staff(person_ids: list[int]) -> list[int]:
    return list(
        Post.objects.filter(active_q(), person_id__in=person_ids, role=Role.WUYE).values_list(
            "person_id", flat=True
        )
    )


def dispatch_choices(user: Any, case: Case) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Whom this user may dispatch the case to: the post holders at the case's place or above
    it inside the user's scope, the people of the user's own teams (a property company's staff),
    and the teams that serve the place (as assign_case checks). Three queries."""
    ancestors = ancestor_paths(case.place_path)
    scope = scope_of(user)
    team_ids = sorted(reach_of(user).team_ids)
    posts = (
        Post.objects.filter(active_q())
        .filter(
            (Q(role__in=DISPATCH_ROLES, place__path__in=ancestors) & scope.place_q("place__"))
            | Q(team_id__in=team_ids)
        )
        .select_related("person", "place", "team")
        .order_by("place__path", "role", "person__name")
    )
    people: dict[int, str] = {}
    for post in posts:
        where = post.place.name if post.place else (post.team.name if post.team else "")
        people.setdefault(
            post.person_id, f"{post.person.name} · {post.get_role_display()} · {where}"
        )
    members = (
        Membership.objects.filter(active_q(), team_id__in=team_ids)
        .exclude(person_id__in=list(people))
        .select_related("person", "team")
        .order_by("person__name")
    )
    for membership in members:
        people.setdefault(
            membership.person_id, f"{membership.person.name} · {membership.team.name}"
        )
    teams = teams_to_dispatch([case.place_path])
    if estate_tier_of(case.category_id) == EstateTier.WITHOUT_COMPANY:
        # A complaint about the property service is not given to a company (estate.py).
        teams = [t for t in teams if t.kind != TeamKind.PROPERTY_COMPANY]
        staff = set(_company_staff(list(people)))
        people = {pk: label for pk, label in people.items() if pk not in staff}
    return list(people.items()), [(t.pk, f"{t.name} · {t.get_kind_display()}") for t in teams]


@dataclass(frozen=True)
class Handler:
    """Someone who handles a matter, as its page names them."""

    name: str
    is_person: bool  # a person (named only to those who may see the matter's people)


def handling_now(case: Case, *, referred_to: str = "") -> list[Handler]:
    """Who handles the matter now, by name, for the people who follow it: whoever holds it (a
    person, a team); else those who answer for its place at its tier: the 楼长 (巷长, 街长) by
    name and post, the estate's property company or self-governance teams, the community,
    the subdistrict, or where it was referred to beyond. One query at most."""
    holders = [Handler(p.name, True) for p in [case.assignee_person] if p is not None]
    holders += [Handler(t.name, False) for t in [case.assignee_team] if t is not None]
    if holders:
        return holders
    place = case.place
    ancestors = ancestor_paths(place.path)
    tier = case.current_tier
    if tier == Tier.BUILDING:
        # The leaders the case's rules already read (on_behalf.case_leaders, kept on the case):
        # the page names them without asking again.
        leaders = sorted(case_leaders(case), key=lambda leader: (leader.place_path, leader.name))
        return [Handler(f"{x.name}（{x.role_label}）", True) for x in leaders]
    if tier == Tier.ESTATE:
        # The category's policy says who answers at the estate tier: a complaint about the
        # property service never names the company complained about.
        bodies = Q(
            place__path__in=ancestors, kind__in=TIER2_TEAM_KINDS, place__kind__in=ESTATE_KINDS
        )
        if estate_tier_of(case.category_id) == EstateTier.ALL:
            bodies |= Q(managed_places__path__in=ancestors, kind=TeamKind.PROPERTY_COMPANY)
        teams = (
            Team.objects.filter(dissolved_on__isnull=True)
            .filter(bodies)
            .distinct()
            .order_by("kind", "name")
        )
        return [Handler(team.name, False) for team in teams]
    if tier == Tier.BEYOND and referred_to:
        return [Handler(referred_to, False)]
    kind = PlaceKind.COMMUNITY if tier == Tier.COMMUNITY else PlaceKind.SUBDISTRICT
    names = Place.objects.filter(path__in=ancestors, kind=kind).values_list("name", flat=True)
    return [Handler(name, False) for name in names[:1]]
