"""The counts the scorecard's marks are computed from, for every estate, lane and street of a
community at once: a fixed number of queries whatever its size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from shuren.cases.metrics import SETTLED, Rate
from shuren.cases.models import Case
from shuren.insights.scorecard import UnitCounts
from shuren.people.models import Membership, Post, Team, TeamKind, active_q
from shuren.people.roles import Role
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import STEP_LEN, subtree_q

# 楼栋有楼长: a building is led by its 楼长, a lane's or street's houses by its 巷长 or 街长.
LEADER_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
UNIT_KINDS = (PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET)
TEAM_KINDS = (
    TeamKind.PARTY_GROUP,
    TeamKind.LEADER_TEAM,
    TeamKind.SELF_GOVERNANCE,
    TeamKind.MUTUAL_AID,
)
GOVERNANCE = {TeamKind.LEADER_TEAM, TeamKind.SELF_GOVERNANCE}


def _unit_of(path: str, depth: int) -> str:
    return path[:depth]


def community_units(community: Place, on: dt.date) -> list[tuple[Place, UnitCounts]]:
    """Each estate, lane and street right under the community with its counts on a day."""
    depth = len(community.path) + STEP_LEN
    units = list(Place.objects.filter(parent=community, kind__in=UNIT_KINDS).order_by("path"))
    within = subtree_q(community.path)

    buildings: dict[str, set[str]] = defaultdict(set)
    for path in Place.objects.filter(within, kind=PlaceKind.BUILDING).values_list(
        "path", flat=True
    ):
        buildings[_unit_of(path, depth)].add(path)

    led_paths: set[str] = set()
    party_leaders: dict[str, set[int]] = defaultdict(set)
    posts = Post.objects.filter(
        active_q(on), subtree_q(community.path, "place__path"), role__in=LEADER_ROLES
    ).values_list("place__path", "person_id", "person__party_member")
    for path, person_id, party in posts:
        led_paths.add(path)
        if party:
            party_leaders[_unit_of(path, depth)].add(person_id)

    active_team = (Q(founded_on__isnull=True) | Q(founded_on__lte=on)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
    )
    teams = (
        Team.objects.filter(
            active_team, subtree_q(community.path, "place__path"), kind__in=TEAM_KINDS
        )
        .order_by()
        .values("pk", "kind", "place__path")
        .annotate(
            members=Count("memberships", filter=active_q(on, "memberships__"), distinct=True),
            holders=Count("posts", filter=active_q(on, "posts__"), distinct=True),
        )
    )
    team_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    mutual_aid: dict[str, set[int]] = defaultdict(set)
    mutual_aid_ids: dict[int, str] = {}
    for team in teams:
        unit = _unit_of(team["place__path"], depth)
        kind = team["kind"]
        counts = team_counts[unit]
        if kind == TeamKind.PARTY_GROUP:
            counts["party_groups"] += 1
        elif kind in GOVERNANCE:
            counts["governance"] += 1
            counts["staffed"] += bool(team["members"] or team["holders"])
        else:
            counts["mutual_aid"] += 1
            mutual_aid_ids[team["pk"]] = unit
    for team_id, person_id in (
        Membership.objects.filter(active_q(on), team_id__in=list(mutual_aid_ids))
        .values_list("team_id", "person_id")
        .distinct()
    ):
        mutual_aid[mutual_aid_ids[team_id]].add(person_id)

    # A building is led when a leader's post is on it or on a place inside it (a stairwell).
    building_len = depth + STEP_LEN
    led_buildings = {p[:building_len] for p in led_paths if len(p) >= building_len}
    company = _company_rates(community, depth)
    out = []
    for unit in units:
        own = buildings.get(unit.path, set())
        if own:
            # A lane's or street's leader leads its houses; an estate's buildings need their own.
            whole = unit.kind != PlaceKind.ESTATE and unit.path in led_paths
            led = len(own) if whole else len(own & led_buildings)
            total = len(own)
        else:  # a lane or street with no buildings entered: led if it has its leader
            total, led = 1, int(unit.path in led_paths)
        counts = team_counts.get(unit.path, {})
        settled, on_time, satisfaction = company.get(
            (unit.path, unit.property_company_id), (0, Rate(0, 0), Rate(0, 0))
        )
        out.append(
            (
                unit,
                UnitCounts(
                    code=unit.code,
                    name=unit.name,
                    party_groups=counts.get("party_groups", 0),
                    party_member_leaders=len(party_leaders.get(unit.path, ())),
                    buildings=total,
                    buildings_led=led,
                    governance_teams=counts.get("governance", 0),
                    governance_teams_staffed=counts.get("staffed", 0),
                    mutual_aid_teams=counts.get("mutual_aid", 0),
                    mutual_aid_members=len(mutual_aid.get(unit.path, ())),
                    has_company=unit.property_company_id is not None,
                    company_settled=settled,
                    company_on_time=on_time,
                    company_satisfaction=satisfaction,
                ),
            )
        )
    return out


def _company_rates(community: Place, depth: int) -> dict[tuple[str, int], tuple[int, Rate, Rate]]:
    """Per unit and property company: the settled matters the company handled there (held at
    the estate tier: Case.estate_company), those settled on time of those with a deadline, and
    those satisfied of those followed up. All time: a company's record is its whole record."""
    rows = (
        Case.objects.filter(
            subtree_q(community.path, "place_path"),
            estate_company__isnull=False,
            status__in=sorted(SETTLED),
        )
        .annotate(unit=Substr("place_path", 1, depth))
        .order_by()
        .values("unit", "estate_company_id")
        .annotate(
            settled=Count("pk"),
            known=Count("pk", filter=Q(resolve_due__isnull=False, resolved_at__isnull=False)),
            on_time=Count("pk", filter=Q(resolved_at__lte=F("resolve_due"))),
            followed=Count("pk", filter=Q(satisfied__isnull=False)),
            satisfied=Count("pk", filter=Q(satisfied=True)),
        )
    )
    return {
        (row["unit"], row["estate_company_id"]): (
            row["settled"],
            Rate(row["on_time"], row["known"]),
            Rate(row["satisfied"], row["followed"]),
        )
        for row in rows
    }
