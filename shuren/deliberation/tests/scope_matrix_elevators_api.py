"""The elevator projects API's routes in the scope matrix (access/tests/test_scope_matrix.py), on
the sample projects of scope_matrix_elevators.py (each sample's stairwell, at the survey stage):
its staff and its flats' owners see it, everyone else gets 404 exactly like a missing id."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shuren.access.tests.test_scope_matrix import ObjectRoute, PlainRoute
from shuren.deliberation.tests.scope_matrix_elevators import (
    ELEVATOR_SEES,
    MANAGERS,
    sample_project,
)

BASE = "api/v1/elevators/<int:project_id>"
ROUTES: dict[str, Any] = {
    # Everyone may ask; each list holds only the caller's projects (test_elevators_api.py).
    "api/v1/elevators": PlainRoute("/api/v1/elevators"),
    BASE: ObjectRoute("/api/v1/elevators/{pk}", sample_project, sees=ELEVATOR_SEES),
    # At the survey stage with no survey recorded: the step is refused in words (409); an
    # owner may not take it (403).
    f"{BASE}/advance": ObjectRoute(
        "/api/v1/elevators/{pk}/advance",
        sample_project,
        method="post",
        data={"note": ""},
        ok=lambda role: 409 if role in MANAGERS else 403,
        sees=ELEVATOR_SEES,
    ),
    f"{BASE}/stop": ObjectRoute(
        "/api/v1/elevators/{pk}/stop",
        sample_project,
        method="post",
        data={"reason": "业主放弃"},
        ok=lambda role: 200 if role in MANAGERS else 403,
        sees=ELEVATOR_SEES,
    ),
}

DETAIL = BASE
ROUTES = {
    route: replace(entry, samples=("b1", "t1", "missing"))
    if isinstance(entry, ObjectRoute) and route != DETAIL
    else entry
    for route, entry in ROUTES.items()
}
