"""The alert pages and API in the scope matrix (shuren/access/tests/test_scope_matrix.py).

Each sample place has one alert, of a level that makes the hand-written ALERT_SEES hold:
building 1 a red one (the community's staff and the subdistrict's answer for it), building 2
an orange one (the community's staff), the tower of 同成 and the lane house yellow ones (their
leaders and their community's staff; 同成 has no leader of the tower, 江滨 no staff). Nobody
else sees any of them: a grid worker, a mediator, a property company, a resident, the
administrators. An alert out of sight answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.insights.alert_actions import raise_alert
from shuren.insights.alert_choices import AlertKind, AlertLevel
from shuren.insights.models.alerts import Alert
from shuren.testing import ROLE_USERS, World

LEVELS = {
    "b1": AlertLevel.RED,
    "b2": AlertLevel.ORANGE,
    "t1": AlertLevel.YELLOW,
    "lane": AlertLevel.YELLOW,
}
ALERT_SEES: dict[str, set[str]] = {
    **{role: set() for role in ROLE_USERS},
    "demo-louzhang": set(),  # building 1's alert is red: not the leader's
    "demo-louzhang2": set(),  # building 2's is orange
    "demo-xiangzhang": {"lane"},
    "demo-shequ": {"b1", "b2"},
    "demo-shequ2": {"t1"},
    "demo-jiedao": {"b1"},
}


def build_samples(world: World) -> None:
    for sample, (place_code, _household, _person) in SAMPLES.items():
        raise_alert(
            kind=AlertKind.RISKY_WORDS,
            level=LEVELS[sample],
            place=world.place(place_code),
            key=f"scope-matrix:{sample}",
            data={"words": ["堵门"], "number": "GC-2026-999999", "cases": []},
        )


def sample_alert(world: World, sample: str) -> Alert:
    return Alert.objects.get(key=f"scope-matrix:{sample}")


def _sees(role: str) -> bool:
    return bool(ALERT_SEES[role])


def _post(url: str, data: dict[str, str]) -> ObjectRoute:
    # Each test meets the sample alert fresh (open, version 1): it is done (302 on the page,
    # 200 in the API) by whoever sees it.
    ok = {302, 200}
    return ObjectRoute(
        url, sample_alert, method="post", data=data, ok=lambda role: ok, sees=ALERT_SEES
    )


ROUTES: dict[str, Any] = {
    "insights/alerts/": PlainRoute("/insights/alerts/"),
    "insights/alerts/<int:pk>/": ObjectRoute(
        "/insights/alerts/{pk}/", sample_alert, sees=ALERT_SEES
    ),
    "insights/alerts/<int:pk>/acknowledge/": _post(
        "/insights/alerts/{pk}/acknowledge/", {"version": "1"}
    ),
    "insights/alerts/<int:pk>/close/": _post(
        "/insights/alerts/{pk}/close/", {"version": "1", "note": "已上门核实，误报"}
    ),
    "api/v1/alerts": PlainRoute("/api/v1/alerts"),
    "api/v1/alerts/<int:alert_id>": ObjectRoute(
        "/api/v1/alerts/{pk}", sample_alert, sees=ALERT_SEES
    ),
    "api/v1/alerts/<int:alert_id>/acknowledge": _post(
        "/api/v1/alerts/{pk}/acknowledge", {"version": "1"}
    ),
    "api/v1/alerts/<int:alert_id>/close": _post(
        "/api/v1/alerts/{pk}/close", {"version": "1", "note": "已上门核实，误报"}
    ),
}
