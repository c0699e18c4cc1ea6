"""A seven-storey stairwell for the elevator tests: 1栋1单元 of 金域蓝湾 gets flats on floors 2-7
(one owner each), beside 王秀英's 101 and 陈美玲's 102; and a project brought to a passed vote
through the real actions (survey, the vote called 30 days ago, paper ballots, the count)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from shuren.deliberation.actions import (
    advance_project,
    call_project_vote,
    close_vote,
    create_project,
    enter_ballot,
    name_affected_owner,
    record_consent,
    record_survey,
)
from shuren.deliberation.models import ElevatorProject, VoteOwner
from shuren.deliberation.tests.files import scan
from shuren.people.models import Person
from shuren.places.models import Household, Resident
from shuren.testing import World

STAIRWELL = "GC-JD-JYLW-B01-U1"
WEIGHTS = {1: Decimal(0), 2: Decimal("1.0"), 3: Decimal("1.2"), 4: Decimal("1.4")}
WEIGHTS |= {5: Decimal("1.6"), 6: Decimal("1.8"), 7: Decimal("2.0")}


def add_upper_floors(world: World) -> list[Household]:
    """Flats 201-701 in the stairwell, each with an owner and an area (idempotent)."""
    place = world.place(STAIRWELL)
    flats = []
    for floor in range(2, 8):
        room = f"{floor}01"
        household, created = Household.objects.get_or_create(
            code=f"H-B01-{room}",
            defaults={
                "place": place,
                "room": room,
                "floor": floor,
                "exclusive_area": Decimal("88.00"),
            },
        )
        if created:
            owner = Person.objects.create(code=f"P-B01-{room}", name=f"{room}业主", phone="")
            Resident.objects.create(household=household, person=owner, relation="head")
            household.owners.add(owner)
        flats.append(household)
    return flats


def project_with_passed_vote(world: World, *, affected: bool = True) -> ElevatorProject:
    """The stairwell's project in the vote stage, its vote closed and passed (every owner
    agreed on paper), 101's owner (whose garden the shaft takes) consenting."""
    add_upper_floors(world)
    staff = world.user("demo-shequ")
    now = timezone.now()
    start = now - dt.timedelta(days=30)
    project = create_project(actor=staff, place=world.place(STAIRWELL), at=start)
    project = record_survey(actor=staff, project=project, asked=8, in_favour=8, at=start)
    project = advance_project(actor=staff, project=project, at=start)
    if affected:
        wang = world.household("H-B01-101")
        name_affected_owner(
            actor=staff, project=project, household=wang, how="电梯井占用101窗前花园", at=start
        )
        record_consent(
            actor=staff,
            project=project,
            household=wang,
            given=True,
            person=world.person("P-WANG"),
            at=start,
        )
    project = call_project_vote(
        actor=staff,
        project=project,
        opens_at=start + dt.timedelta(days=15),
        closes_at=start + dt.timedelta(days=25),
        at=start,
    )
    vote = project.vote
    assert vote is not None
    voting = start + dt.timedelta(days=16)
    for key in sorted(set(VoteOwner.objects.filter(vote=vote).values_list("owner_key", flat=True))):
        signer = VoteOwner.objects.filter(vote=vote, owner_key=key).first()
        assert signer is not None
        enter_ballot(
            actor=staff,
            vote=vote,
            owner_key=key,
            choice="agree",
            origin="paper",
            person=signer.person,
            paper=scan(),
            at=voting,
        )
    close_vote(actor=staff, vote=vote, at=start + dt.timedelta(days=26))
    project.refresh_from_db()
    return project


def staff_of(world: World) -> Any:
    return world.user("demo-shequ")
