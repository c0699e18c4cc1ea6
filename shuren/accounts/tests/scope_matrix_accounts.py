"""The accounts routes in the scope matrix (access/tests/test_scope_matrix.py): my account page
and my password page, which show and change only the caller's own choices."""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import PlainRoute

ROUTES: dict[str, Any] = {
    "accounts/me/": PlainRoute("/accounts/me/"),
    "accounts/password/": PlainRoute("/accounts/password/"),
}
