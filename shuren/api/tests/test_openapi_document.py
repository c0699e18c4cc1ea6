"""/api/v1/openapi.json is an OpenAPI 3.1 document (as Django Ninja emits it) with the
meetings' routes and their Idempotency-Key; /api/v1/docs names no script or style but this
site's own (the offline rendering itself is test_docs_browser.py)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client, world):
    return client.get("/api/v1/openapi.json").json()


def test_the_document_is_openapi_3_1(openapi):
    assert openapi["openapi"] == "3.1.0"
    assert openapi["info"]["version"] == "1"


def test_the_meetings_routes_are_documented_with_the_idempotency_key(openapi):
    paths = openapi["paths"]
    assert {
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/check-in",
        "/api/v1/meetings/{meeting_id}/decisions",
        "/api/v1/meetings/{meeting_id}/agenda",
        "/api/v1/meetings/{meeting_id}/attendance",
        "/api/v1/meetings/{meeting_id}/minutes",
        "/api/v1/meetings/{meeting_id}/minutes/approve",
        "/api/v1/meetings/{meeting_id}/cancel",
        "/api/v1/decisions/{decision_id}/complete",
        "/api/v1/decisions/{decision_id}/cancel",
    } <= set(paths)
    headers = [p["name"] for p in paths["/api/v1/meetings"]["post"]["parameters"]]
    assert "Idempotency-Key" in headers
    assert {"200", "201", "409", "422"} <= set(paths["/api/v1/meetings"]["post"]["responses"])


def test_the_docs_page_loads_only_this_site_s_files(client, world):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "<script>" not in html.replace('<script type="application/json"', "")
