"""Fixtures for the API tests: a bearer token for any named user of the shared world."""

from __future__ import annotations

import pytest

from shuren.accounts.models import ApiToken


@pytest.fixture
def token_for(world):
    """Issue a token for a named user and return the request headers that carry it."""

    def _token_for(username: str) -> dict[str, str]:
        _token, raw = ApiToken.issue(user=world.user(username), name="test")
        return {"Authorization": f"Bearer {raw}"}

    return _token_for


@pytest.fixture
def api_get(client, token_for):
    """GET an API path as a named user (by bearer token) and return the response."""

    def _get(username: str, path: str, **params: object):
        return client.get(f"/api/v1{path}", params, headers=token_for(username))

    return _get
