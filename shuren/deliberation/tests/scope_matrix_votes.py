"""The owners' vote pages in the scope matrix (access/tests/test_scope_matrix.py).

Each sample place (a building) has a vote over it, called by the system with the notice 15 days
before it opens. Its organisers (the community staff over the place, the subdistrict staff) and
its electors (the owners of its households at the notice) see it; everyone else, the building's
leader and the property company included, gets 404 as for a missing id."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.utils import timezone

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
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


def _organisers(ok: int | set[int]) -> Any:
    """An organiser's action: `ok` for the vote's organisers, 403 for its electors."""
    return lambda role: ok if role in ORGANISERS else 403


ORGANISERS = {"demo-shequ", "demo-shequ2", "demo-jiedao"}
VOTE = "deliberation/votes/<int:pk>"
# The sample votes open in 16 days: a ballot is refused as early (409), an organiser's entry
# lacks the owner's papers (422), the count is early (409), a recount needs a counted vote and
# its ballot (422), the notice of a result not counted is not there (404); calling off works.
ROUTES.update(
    {
        "deliberation/votes/": PlainRoute("/deliberation/votes/"),
        "deliberation/votes/new/": PlainRoute(
            "/deliberation/votes/new/", lambda role: 200 if role in ORGANISERS else 404
        ),
        f"{VOTE}/ballot/": ObjectRoute(
            "/deliberation/votes/{pk}/ballot/",
            sample_vote,
            method="post",
            data={"choice": "agree", "confirm": "on"},
            ok=lambda role: 409 if role == "demo-resident" else 403,
            sees=VOTE_SEES,
        ),
        f"{VOTE}/enter/": ObjectRoute(
            "/deliberation/votes/{pk}/enter/",
            sample_vote,
            method="post",
            data={"origin": "paper", "choice": "agree"},
            ok=_organisers(422),
            sees=VOTE_SEES,
        ),
        f"{VOTE}/close/": ObjectRoute(
            "/deliberation/votes/{pk}/close/",
            sample_vote,
            method="post",
            ok=_organisers(409),
            sees=VOTE_SEES,
        ),
        f"{VOTE}/recount/": ObjectRoute(
            "/deliberation/votes/{pk}/recount/",
            sample_vote,
            method="post",
            data={"correction": "agree", "reason": "核对"},
            ok=_organisers(422),
            sees=VOTE_SEES,
        ),
        f"{VOTE}/cancel/": ObjectRoute(
            "/deliberation/votes/{pk}/cancel/",
            sample_vote,
            method="post",
            data={"reason": "方案需重新论证"},
            ok=_organisers(302),
            sees=VOTE_SEES,
        ),
        f"{VOTE}/result/": ObjectRoute(
            "/deliberation/votes/{pk}/result/", sample_vote, sees=VOTE_SEES
        ),
        f"{VOTE}/notice.pdf": ObjectRoute(
            "/deliberation/votes/{pk}/notice.pdf", sample_vote, ok=lambda role: 404, sees=VOTE_SEES
        ),
        # A paper that is not the vote's: 404 for all (test_vote_pages.py opens a real one:
        # its organisers only).
        f"{VOTE}/papers/<int:paper_pk>/": ObjectRoute(
            "/deliberation/votes/{pk}/papers/987654321/",
            sample_vote,
            ok=lambda role: 404,
            sees=VOTE_SEES,
        ),
    }
)

DETAIL = "deliberation/votes/<int:pk>/"
# The detail page walks every sample; its actions and sub-pages ask the same visibility
# (visible_to, then the rule), so they walk the sample of the role's own place, another
# community's and a missing id: out of scope still answers exactly as missing.
ROUTES = {
    route: replace(entry, samples=("b1", "t1", "missing"))
    if isinstance(entry, ObjectRoute) and route != DETAIL
    else entry
    for route, entry in ROUTES.items()
}
