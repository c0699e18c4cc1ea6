"""The notification routes in the scope matrix (access/tests/test_scope_matrix.py).

A notification belongs to its recipient alone, not to a place, so the matrix's place samples do
not apply: every role has its own list, "mark all read" touches only the caller's own, and an id
that is not the caller's answers 404 like a missing one. That last rule is tested per recipient
in cases/tests/test_notifications.py (someone else's notification: 404, left unread). The API's
"mark read" takes a JSON body, so it is tested there too, not here."""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import MISSING_ID, Exempt, ObjectRoute, PlainRoute
from shuren.testing import ROLE_USERS, World

# A team's WeCom robot page: for the staff who keep the team (its home place lies where they
# give posts); anyone else gets 404, as for a missing team. b1: 金域蓝湾楼长队 (in 尖东);
# t1: the mediation workshop at the subdistrict.
ROBOT_TEAMS = {"b1": "T-JYLW-LZ", "t1": "T-SZM"}
ROBOT_KEEPERS = {
    "b1": {"demo-shequ", "demo-jiedao", "demo-admin"},
    "t1": {"demo-jiedao", "demo-admin"},
}


def _robot_team(world: World, sample: str) -> Any:
    from shuren.people.models import Team

    return Team.objects.get(code=ROBOT_TEAMS[sample])


ROUTES = {
    "notifications/": PlainRoute("/notifications/"),
    "notifications/<int:pk>/": PlainRoute(f"/notifications/{MISSING_ID}/", lambda role: 404),
    "notifications/read/": PlainRoute("/notifications/read/", lambda role: 302, method="post"),
    "notifications/settings/": PlainRoute("/notifications/settings/"),
    "notifications/teams/<int:pk>/robot/": ObjectRoute(
        "/notifications/teams/{pk}/robot/",
        _robot_team,
        samples=("b1", "t1"),
        sees={
            role: {s for s, keepers in ROBOT_KEEPERS.items() if role in keepers}
            for role in ROLE_USERS
        },
    ),
    "api/v1/notifications": PlainRoute("/api/v1/notifications"),
    "api/v1/notifications/read": Exempt(
        "marks only the caller's own notifications read (JSON body): "
        "cases/tests/test_notifications.py"
    ),
}
