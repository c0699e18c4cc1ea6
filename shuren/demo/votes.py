"""The demo's owners' votes in 金域蓝湾 building 1, called by demo-shequ through the actions: one
counted and passed (stairwell 1's access gates, demo-resident voted online, most neighbours on
paper), and one open now over the whole building in which demo-resident has still to vote (the
building maintenance fund for the leaking outer walls). The papers' scans are a small PDF."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from shuren.deliberation import actions
from shuren.deliberation.models import Vote
from shuren.deliberation.votes.choices import Matter
from shuren.deliberation.votes.roll import roll
from shuren.demo import data
from shuren.people.models import Person
from shuren.places.models import Place

CLOSED = "1栋1单元加装单元门禁系统"
OPEN = "使用专项维修资金维修1栋外墙渗水"
SCAN = b"%PDF-1.4\n% demo: the scanned paper ballot\n"


def load_demo_votes(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Both votes, unless they are there (found by title and place)."""
    users = get_user_model().objects.filter(username__in=("demo-shequ", "demo-resident"))
    by_name = {u.username: u for u in users}
    staff, resident = by_name.get("demo-shequ"), by_name.get("demo-resident")
    places = Place.objects.in_bulk(
        [f"{data.JYLW[0]}-B01", f"{data.JYLW[0]}-B01-U1"], field_name="code"
    )
    if staff is None or resident is None or len(places) < 2:
        return {"votes": 0}
    now = now or timezone.now()
    rng = random.Random(data.SEED + 278)
    made = 0
    stairwell = places[f"{data.JYLW[0]}-B01-U1"]
    if not Vote.objects.filter(place=stairwell, title=CLOSED).exists():
        _closed(staff, resident, stairwell, now, rng)
        made += 1
    building = places[f"{data.JYLW[0]}-B01"]
    if not Vote.objects.filter(place=building, title=OPEN).exists():
        _open(staff, resident, building, now, rng)
        made += 1
    return {"votes": made}


def _papers(
    staff: Any,
    vote: Vote,
    at: dt.datetime,
    rng: random.Random,
    share: float,
    agree: float,
    skip: set[str],
) -> None:
    """Paper ballots of `share` of the owners (not those in `skip`), `agree` of them agreeing."""
    for line in roll(vote, with_ballots=False):
        if line.owner_key in skip or not line.owners or rng.random() > share:
            continue
        choice = "agree" if rng.random() < agree else rng.choice(("disagree", "abstain"))
        actions.enter_ballot(
            actor=staff,
            vote=vote,
            owner_key=line.owner_key,
            choice=choice,
            origin="paper",
            person=Person.objects.get(pk=line.owners[0][0]),
            paper=ContentFile(SCAN, name="scan.pdf"),
            at=at,
        )


def _closed(
    staff: Any, resident: Any, stairwell: Place, now: dt.datetime, rng: random.Random
) -> None:
    opens = now - dt.timedelta(days=25)
    vote = actions.call_vote(
        actor=staff,
        place=stairwell,
        matter=Matter.OTHER,
        title=CLOSED,
        description="在1单元大堂及地下车库入口加装人脸识别门禁，费用由物业公共收益支出。",
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=7),
        at=opens - dt.timedelta(days=15, hours=2),
    )
    mine = actions.cast_ballot(
        actor=resident, vote=vote, choice="agree", at=opens + dt.timedelta(days=1)
    )
    _papers(staff, vote, opens + dt.timedelta(days=3), rng, 0.85, 0.8, {mine.owner_key})
    actions.close_vote(actor=None, vote=vote, at=opens + dt.timedelta(days=7))


def _open(staff: Any, resident: Any, building: Place, now: dt.datetime, rng: random.Random) -> None:
    opens = now - dt.timedelta(days=2)
    vote = actions.call_vote(
        actor=staff,
        place=building,
        matter=Matter.USE_FUND,
        title=OPEN,
        description="1栋东、西两侧外墙多处渗水，拟使用专项维修资金约18.6万元维修，按专有部分面积分摊。",
        opens_at=opens,
        closes_at=now + dt.timedelta(days=12),
        at=opens - dt.timedelta(days=16),
    )
    keys = {
        line.owner_key
        for line in roll(vote, with_ballots=False)
        if any(pk == resident.person_id for pk, _name in line.owners)
    }
    _papers(staff, vote, now - dt.timedelta(days=1), rng, 0.3, 0.7, keys)
