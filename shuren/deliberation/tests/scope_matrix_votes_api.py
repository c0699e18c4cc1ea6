"""The owners' votes API's routes in the scope matrix (access/tests/test_scope_matrix.py), on
the sample votes of scope_matrix_votes.py (each building's, opening in 16 days): its organisers
and electors see it, everyone else gets 404 exactly like a missing id."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shuren.access.tests.test_scope_matrix import ObjectRoute, PlainRoute
from shuren.deliberation.tests.scope_matrix_votes import ORGANISERS, VOTE_SEES, sample_vote

BASE = "api/v1/votes/<int:vote_id>"
ROUTES: dict[str, Any] = {
    # Everyone may ask; each list holds only the caller's votes (test_votes_api.py).
    "api/v1/votes": PlainRoute("/api/v1/votes"),
    BASE: ObjectRoute("/api/v1/votes/{pk}", sample_vote, sees=VOTE_SEES),
    # Not open yet: the elector's ballot is early (409); an organiser is no elector (403).
    f"{BASE}/ballots": ObjectRoute(
        "/api/v1/votes/{pk}/ballots",
        sample_vote,
        method="post",
        data={"choice": "agree"},
        ok=lambda role: 409 if role == "demo-resident" else 403,
        sees=VOTE_SEES,
    ),
    f"{BASE}/result": ObjectRoute("/api/v1/votes/{pk}/result", sample_vote, sees=VOTE_SEES),
    # Not counted: a recount is a conflict (409) for an organiser; anyone else may not (403).
    f"{BASE}/recount": ObjectRoute(
        "/api/v1/votes/{pk}/recount",
        sample_vote,
        method="post",
        data={"reason": "核对"},
        ok=lambda role: 409 if role in ORGANISERS else 403,
        sees=VOTE_SEES,
    ),
    # Adding a missed ballot is a recount too: a conflict (409) before the count for an
    # organiser, refused (403) to anyone else.
    f"{BASE}/recount/ballots": ObjectRoute(
        "/api/v1/votes/{pk}/recount/ballots",
        sample_vote,
        method="post",
        data={
            "choice": "agree",
            "origin": "paper",
            "owner_key": "developer",
            "received_at": "2026-03-20T10:00:00+08:00",
            "reason": "补录",
        },
        ok=lambda role: 409 if role in ORGANISERS else 403,
        sees=VOTE_SEES,
    ),
    # Calling off works for an organiser; an elector may not (403).
    f"{BASE}/cancel": ObjectRoute(
        "/api/v1/votes/{pk}/cancel",
        sample_vote,
        method="post",
        data={"reason": "方案需重新论证"},
        ok=lambda role: 200 if role in ORGANISERS else 403,
        sees=VOTE_SEES,
    ),
}

DETAIL = BASE
# The detail page walks every sample; its actions and sub-pages ask the same visibility
# (visible_to, then the rule), so they walk the sample of the role's own place, another
# community's and a missing id: out of scope still answers exactly as missing.
ROUTES = {
    route: replace(entry, samples=("b1", "t1", "missing"))
    if isinstance(entry, ObjectRoute) and route != DETAIL
    else entry
    for route, entry in ROUTES.items()
}
