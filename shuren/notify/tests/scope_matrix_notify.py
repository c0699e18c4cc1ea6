"""The notification routes in the scope matrix (access/tests/test_scope_matrix.py).

A notification belongs to its recipient alone, not to a place, so the matrix's place samples do
not apply: every role has its own list, "mark all read" touches only the caller's own, and an id
that is not the caller's answers 404 like a missing one. That last rule is tested per recipient
in cases/tests/test_notifications.py (someone else's notification: 404, left unread). The API's
"mark read" takes a JSON body, so it is tested there too, not here."""

from __future__ import annotations

from shuren.access.tests.test_scope_matrix import MISSING_ID, Exempt, PlainRoute

ROUTES = {
    "notifications/": PlainRoute("/notifications/"),
    "notifications/<int:pk>/": PlainRoute(f"/notifications/{MISSING_ID}/", lambda role: 404),
    "notifications/read/": PlainRoute("/notifications/read/", lambda role: 302, method="post"),
    "api/v1/notifications": PlainRoute("/api/v1/notifications"),
    "api/v1/notifications/read": Exempt(
        "marks only the caller's own notifications read (JSON body): "
        "cases/tests/test_notifications.py"
    ),
}
