"""What the project pages and the work report read: the households by floor and the cost table,
the counts of stairwells and estates by stage, and the projects that entered service."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.elevators.costs import CostError, floor_of, share_costs
from shuren.deliberation.elevators.models import ElevatorProject, FloorWeight
from shuren.places.models import Household, Place
from shuren.places.paths import subtree_q


def households_by_floor(place: Place) -> tuple[dict[int, list[int]], list[str]]:
    """The households under the place by floor, and the rooms whose floor is unknown."""
    by_floor: dict[int, list[int]] = defaultdict(list)
    unknown: list[str] = []
    rows = Household.objects.filter(subtree_q(place.path, "place__path")).values_list(
        "pk", "room", "floor"
    )
    for pk, room, floor in rows.order_by("floor", "room", "pk"):
        found = floor_of(room, floor)
        if found is None:
            unknown.append(room)
        else:
            by_floor[found].append(pk)
    return dict(by_floor), unknown


@dataclass(frozen=True)
class CostRow:
    room: str
    floor: int
    weight: Decimal
    share: Decimal

    @property
    def weight_text(self) -> str:
        """The weight as agreed, without trailing zeros ("1.8", "2")."""
        return format(self.weight.normalize(), "f")


def cost_table(project: ElevatorProject) -> list[CostRow]:
    """Each household's share of the agreed total, top floor first ([] until agreed)."""
    if project.total_cost is None:
        return []
    weights = dict(FloorWeight.objects.filter(project=project).values_list("floor", "weight"))
    by_floor, _unknown = households_by_floor(project.place)
    try:
        shares = share_costs(project.total_cost, by_floor, weights)
    except CostError:
        return []  # the register changed since the agreement (a floor with no weight)
    rooms = dict(Household.objects.filter(pk__in=shares).values_list("pk", "room"))
    floors = {h: f for f, ids in by_floor.items() for h in ids}
    rows = [CostRow(rooms[h], floors[h], weights[floors[h]], s) for h, s in shares.items()]
    return sorted(rows, key=lambda r: (-r.floor, r.room))


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    stairwells: int
    estates: int


def stage_counts(path: str) -> list[StageCount]:
    """Stairwells (projects) and estates with a project at each stage, at the place or below;
    the stopped ones last, in a row of their own (the ladder's rows count only the live ones)."""
    rows = (
        ElevatorProject.objects.filter(subtree_q(path, "place__path"))
        .values("stage")
        .annotate(n=Count("pk"), estates=Count("estate", distinct=True))
    )
    found = {r["stage"]: (r["n"], r["estates"]) for r in rows}
    return [
        StageCount(stage.value, str(stage.label), *found.get(stage.value, (0, 0)))
        for stage in Stage
    ]


@dataclass(frozen=True)
class CommunityRow:
    place: Place
    under_way: int
    in_service: int
    estates_in_service: int


def by_community(path: str) -> list[CommunityRow]:
    """For each community at or under the place: projects under way, in service, and the
    estates with an elevator in service (stopped projects are in neither)."""
    communities = list(
        Place.objects.filter(subtree_q(path), kind="community")
        .order_by("path")
        .only("pk", "name", "path")
    )
    rows = []
    projects = ElevatorProject.objects.filter(subtree_q(path, "place__path")).values_list(
        "place__path", "stage", "estate_id"
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    estates: dict[str, set[int]] = defaultdict(set)
    # Communities lie at one depth: a project's community is the prefix of its path that long.
    by_path = {c.path: c for c in communities}
    for place_path, stage, estate_id in projects:
        c = next(
            (by_path[p] for p in {place_path[: len(k)] for k in by_path} if p in by_path), None
        )
        if c is None:
            continue
        if stage == Stage.STOPPED:
            continue  # neither under way nor in service: counted in stage_counts' own row
        counts[c.path][stage == Stage.IN_SERVICE] += 1
        if stage == Stage.IN_SERVICE and estate_id:
            estates[c.path].add(estate_id)
    for c in communities:
        under_way, in_service = counts[c.path]
        rows.append(CommunityRow(c, under_way, in_service, len(estates[c.path])))
    return rows


def in_service_counts(path: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    """The work report's two figures: stairwells whose elevator entered service in the days
    start..end at the place or below, and the estates they are in (each once)."""
    found = ElevatorProject.objects.in_service_between(path, start, end).aggregate(
        stairwells=Count("pk"), estates=Count("estate", distinct=True)
    )
    return found["stairwells"], found["estates"]
