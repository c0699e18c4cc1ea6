"""The audit trail's routes in the scope matrix (access/tests/test_scope_matrix.py): the auditor
reads and exports it; everyone else gets a 404, as for a page that does not exist."""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import PlainRoute


def _auditor_only(role: str) -> int:
    return 200 if role == "demo-auditor" else 404


ROUTES: dict[str, Any] = {
    "audit/": PlainRoute("/audit/", _auditor_only),
    "audit/export/": PlainRoute("/audit/export/", _auditor_only, method="post"),
}
