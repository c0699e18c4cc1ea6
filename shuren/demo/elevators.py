"""The demo's elevator retrofits: the article's 65 stairwells in 24 old estates, with elevators
in service (written in bulk from the records), and five projects of 尖东新村 under way, entered
through the elevator actions as demo-shequ would (one in each of the survey, the vote with its
vote open now, the public notice with an objection sent to mediation, construction, and one
put in service this month).

Where they are: the article says "成功在24个老旧小区，65条楼道成功加装了电梯". The demo's old
estates are its 39 estates without a property company (guicheng.py), whose buildings of 6-8
storeys are registered without stairwells (only their leaders' flats are on the register), so
each building stands for its one stairwell here (the elevator projects allow a building
without stairwells). The 24 are the old estates with the most buildings (尖东新村 kept aside
for the projects under way), 65 of their buildings spread over them, two or more each.

Why the history goes straight into the tables: like the matters' and the mediation history
(cases/intake/history.py, mediation_history.py), it is the record of what was done in
2016-2019, before Shuren; nobody is to be told of it today, and its owners' votes were on
paper (no vote, no cost table: "kept on paper" on the page). Each project is drawn along the
ladder in order (law.next_stage), with an event per stage dated in order and marked
`from_records`; the HISTORY event carries DEMO_SOURCE, so a second load adds nothing.
Elevator projects have no keeper (kernel.action.keep), so there is nothing to hand over."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from shuren.deliberation import actions
from shuren.deliberation.elevators import law
from shuren.deliberation.elevators.choices import EventKind, Stage
from shuren.deliberation.elevators.models import ElevatorEvent, ElevatorProject
from shuren.deliberation.elevators.queries import households_by_floor
from shuren.deliberation.models import VoteOwner
from shuren.demo import data
from shuren.demo.case_facts import DEMO_SOURCE
from shuren.places.models import Place, PlaceKind
from shuren.workdays.calendar import SHANGHAI

STAIRWELLS, ESTATES = 65, 24
LIVE_ESTATE = "GC-JD-JDXC"  # 尖东新村, in demo-shequ's 尖东社区
# Days each stage took in the records (low, high), survey of intent to service.
STAGE_DAYS = {
    Stage.SURVEY: (30, 90),
    Stage.VOTE: (20, 60),
    Stage.NOTICE: (10, 10),
    Stage.DESIGN: (45, 120),
    Stage.CONSTRUCTION: (60, 150),
    Stage.ACCEPTANCE: (10, 30),
}
FIRST, LAST = dt.date(2016, 3, 1), dt.date(2019, 6, 30)


def load_demo_elevators(*, now: dt.datetime | None = None) -> dict[str, int]:
    marker = ElevatorEvent.objects.filter(kind=EventKind.HISTORY, data__origin=DEMO_SOURCE)
    if marker.exists():
        return {"elevators": 0}
    now = now or timezone.now()
    before = ElevatorProject.objects.count()
    rng = random.Random(data.SEED + 65)
    _write_history(_buildings(), rng)
    shequ = get_user_model().objects.filter(username="demo-shequ").first()
    if shequ is not None:
        enter_live(shequ, now)
    return {"elevators": ElevatorProject.objects.count() - before}


def _buildings() -> list[tuple[Place, Place]]:
    """(estate, building) for the 65 stairwells: 24 old estates, two or more buildings each."""
    old = Place.objects.filter(kind=PlaceKind.ESTATE, property_company__isnull=True).exclude(
        code=LIVE_ESTATE
    )
    buildings: dict[int, list[Place]] = {}
    for b in Place.objects.filter(kind=PlaceKind.BUILDING, parent__in=old).order_by("code"):
        buildings.setdefault(b.parent_id or 0, []).append(b)
    estates = sorted(old, key=lambda e: (-len(buildings.get(e.pk, [])), e.code))[:ESTATES]
    taken = {e.pk: 2 for e in estates if len(buildings.get(e.pk, [])) >= 2}
    if len(taken) < ESTATES:
        return []  # not the demo's plan: nothing to place honestly
    while sum(taken.values()) < STAIRWELLS:
        spare = [e for e in estates if taken[e.pk] < len(buildings[e.pk])]
        if not spare:
            return []
        taken[max(spare, key=lambda e: (len(buildings[e.pk]) - taken[e.pk], e.code)).pk] += 1
    return [(e, b) for e in estates for b in buildings[e.pk][: taken[e.pk]]]


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 30))), SHANGHAI)


def _write_history(chosen: list[tuple[Place, Place]], rng: random.Random) -> None:
    projects: list[ElevatorProject] = []
    steps: list[list[tuple[str, str, dt.datetime]]] = []
    for estate, building in chosen:
        took = {stage: rng.randint(*span) for stage, span in STAGE_DAYS.items()}
        start = FIRST + dt.timedelta(days=rng.randint(0, (LAST - FIRST).days - sum(took.values())))
        stage, day = Stage.SURVEY.value, start
        trail = [(EventKind.CREATED.value, stage, _at(day, rng))]
        while (following := law.next_stage(stage)) is not None:
            day += dt.timedelta(days=took[Stage(stage)])
            trail.append((EventKind.ADVANCED.value, following, _at(day, rng)))
            stage = following
        asked = rng.randint(10, 16)
        projects.append(
            ElevatorProject(
                place=building,
                estate=estate,
                title=f"{estate.name}{building.name}加装电梯",
                stage=Stage.IN_SERVICE,
                stage_changed_at=trail[-1][2],
                survey_asked=asked,
                survey_in_favour=rng.randint(asked - 3, asked),
                surveyed_on=start + dt.timedelta(days=20),
                in_service_on=day,
                from_records=True,
                created_at=trail[0][2],
            )
        )
        steps.append(trail)
    ElevatorProject.objects.bulk_create(projects, batch_size=500)
    events = []
    for project, trail in zip(projects, steps, strict=True):
        previous = Stage.SURVEY.value
        for kind, stage, at in trail:
            events.append(
                ElevatorEvent(
                    project=project,
                    kind=kind,
                    from_stage=previous,
                    to_stage=stage,
                    at=at,
                    data={"from_records": True},
                )
            )
            previous = stage
        events.append(
            ElevatorEvent(
                project=project,
                kind=EventKind.HISTORY,
                from_stage=Stage.IN_SERVICE,
                to_stage=Stage.IN_SERVICE,
                at=trail[-1][2],
                note="据街道加装电梯档案录入",
                data={"origin": DEMO_SOURCE},
            )
        )
    ElevatorEvent.objects.bulk_create(events, batch_size=1000)


def _weights(place: Place) -> dict[int, Decimal]:
    """The usual Guicheng agreement: nothing for the ground floor, then 1.0 rising 0.2 a floor."""
    by_floor, _unknown = households_by_floor(place)
    weights = {
        f: Decimal(0) if f <= 1 else Decimal("1.0") + Decimal("0.2") * (f - 2) for f in by_floor
    }
    if not any(weights.values()):
        weights = {f: Decimal(1) for f in weights}
    return weights


# The paper ballots' scans are a small PDF (as the demo votes').
SCAN = b"%PDF-1.4\n% demo: the scanned paper ballot\n"


def _passed_vote(user: Any, project: ElevatorProject, start: dt.datetime) -> ElevatorProject:
    """The vote called at `start`, every owner agreeing on paper, counted after it closed."""
    project = actions.call_project_vote(
        actor=user,
        project=project,
        opens_at=start + dt.timedelta(days=15),
        closes_at=start + dt.timedelta(days=22),
        at=start,
    )
    vote = project.vote
    assert vote is not None
    for key in sorted(set(VoteOwner.objects.filter(vote=vote).values_list("owner_key", flat=True))):
        signer = VoteOwner.objects.filter(vote=vote, owner_key=key).select_related("person").first()
        assert signer is not None
        actions.enter_ballot(
            actor=user,
            vote=vote,
            owner_key=key,
            choice="agree",
            origin="paper",
            person=signer.person,
            paper=ContentFile(SCAN, name="scan.pdf"),
            at=start + dt.timedelta(days=16),
        )
    actions.close_vote(actor=user, vote=vote, at=start + dt.timedelta(days=23))
    project.refresh_from_db()
    return project


def enter_live(user: Any, now: dt.datetime) -> None:
    """尖东新村's five projects under way, each through the actions with its own dates."""
    buildings = list(
        Place.objects.filter(parent__code=LIVE_ESTATE, kind=PlaceKind.BUILDING).order_by("code")
    )
    if len(buildings) < 5:
        return

    def ago(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def begun(place: Place, days: float) -> ElevatorProject:
        project = actions.create_project(actor=user, place=place, at=ago(days))
        asked = place.households.count()
        project = actions.record_survey(
            actor=user,
            project=project,
            asked=asked,
            in_favour=asked,
            note="入户征询，全部同意",
            at=ago(days - 5),
        )
        return project

    # 1. The survey of intent is in.
    begun(buildings[0], 12)
    # 2. The vote is open now: called 17 days ago, open since yesterday, closing in a week.
    project = actions.advance_project(actor=user, project=begun(buildings[1], 40), at=ago(18))
    actions.call_project_vote(
        actor=user, project=project, opens_at=ago(2), closes_at=ago(-7), at=ago(17)
    )
    # 3. The public notice runs, and a neighbour's objection went to mediation.
    project = actions.advance_project(actor=user, project=begun(buildings[2], 70), at=ago(60))
    project = _passed_vote(user, project, ago(55))
    project = actions.advance_project(actor=user, project=project, at=ago(3))
    actions.file_objection(
        actor=user,
        project=project,
        name="相邻楼住户",
        text="电梯井离我家窗户太近，担心采光和噪音。",
        at=ago(2),
    )
    # 4. Under construction, the costs agreed.
    for place, started, in_service in ((buildings[3], 200, None), (buildings[4], 260, 8)):
        project = actions.advance_project(
            actor=user, project=begun(place, started), at=ago(started - 10)
        )
        project = _passed_vote(user, project, ago(started - 12))
        project = actions.advance_project(actor=user, project=project, at=ago(started - 40))
        project = actions.advance_project(actor=user, project=project, at=ago(started - 60))
        project = actions.agree_costs(
            actor=user,
            project=project,
            total=Decimal("560000.00"),
            weights=_weights(place),
            at=ago(started - 70),
        )
        project = actions.advance_project(actor=user, project=project, at=ago(started - 110))
        # 5. The other one passed its acceptance and is in service.
        if in_service is not None:
            project = actions.advance_project(actor=user, project=project, at=ago(in_service + 20))
            actions.advance_project(actor=user, project=project, at=ago(in_service))
