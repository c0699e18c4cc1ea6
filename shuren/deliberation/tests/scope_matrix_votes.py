"""The owners' vote pages in the scope matrix (access/tests/test_scope_matrix.py).

Each sample place (a building) has a vote over it, called by the system with the notice 15 days
before it opens. Its organisers (the community staff over the place, the subdistrict staff) and
its electors (the owners of its households at the notice) see it; everyone else, the building's
leader and the property company included, gets 404 as for a missing id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute
from shuren.deliberation.actions import call_vote
from shuren.deliberation.models import Vote
from shuren.deliberation.votes.choices import Matter
from shuren.testing import ROLE_USERS, World

TITLE = "样本表决：改选业委会"
# Who sees each sample's vote: organisers over the place, and its owners with an account.
VOTE_SEES: dict[str, set[str]] = {role: set() for role in ROLE_USERS}
VOTE_SEES["demo-shequ"] = {"b1", "b2"}
VOTE_SEES["demo-shequ2"] = {"t1"}
VOTE_SEES["demo-jiedao"] = set(SAMPLES)
VOTE_SEES["demo-resident"] = {"b1"}  # 王秀英 owns 1栋101


def build_samples(world: World) -> None:
    now = timezone.now()
    for place_code, _household, _person in SAMPLES.values():
        call_vote(
            actor=None,
            place=world.place(place_code),
            matter=Matter.COMMITTEE,
            title=TITLE,
            opens_at=now + dt.timedelta(days=16),
            closes_at=now + dt.timedelta(days=30),
        )


def sample_vote(world: World, sample: str) -> Vote:
    return Vote.objects.get(place__code=SAMPLES[sample][0], title=TITLE)


ROUTES: dict[str, Any] = {
    "deliberation/votes/<int:pk>/": ObjectRoute(
        "/deliberation/votes/{pk}/", sample_vote, sees=VOTE_SEES
    ),
}
