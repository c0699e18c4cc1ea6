"""/api/v1/openapi.json documents every cases route: bodies, the idempotency header, each error."""

from __future__ import annotations

import pytest

ACTIONS = [
    "accept",
    "assign",
    "note",
    "escalate",
    "return",
    "resolve",
    "follow-up",
    "rate-on-behalf",
    "close",
    "merge",
    "reject",
]


@pytest.fixture
def openapi(client, world):
    return client.get("/api/v1/openapi.json").json()


def test_every_cases_route_is_documented(openapi):
    paths = openapi["paths"]
    assert set(paths["/api/v1/cases"]) == {"get", "post"}
    assert set(paths["/api/v1/categories"]) == {"get"}
    assert set(paths["/api/v1/cases/{case_id}"]) == {"get"}
    for action in ACTIONS:
        assert set(paths[f"/api/v1/cases/{{case_id}}/{action}"]) == {"post"}, action


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_documents_its_body_and_every_answer(openapi, action):
    operation = openapi["paths"][f"/api/v1/cases/{{case_id}}/{action}"]["post"]
    assert operation["operationId"] == f"case_{action.replace('-', '_')}"
    assert operation["requestBody"]["required"] is True
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "version" in body["required"]
    responses = operation["responses"]
    assert set(responses) == {"200", "400", "401", "403", "404", "409", "422"}
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CaseDetailOut"
    )
    assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CaseConflictOut"
    )


def test_reporting_documents_the_idempotency_key_and_both_successes(openapi):
    operation = openapi["paths"]["/api/v1/cases"]["post"]
    (header,) = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key"
    assert header["required"] is False
    assert {"200", "201"} <= set(operation["responses"])
    case_out = openapi["components"]["schemas"]["CaseOut"]
    assert {"id", "number", "status", "tier", "version"} <= set(case_out["required"])


def test_the_list_documents_its_filters(openapi):
    parameters = openapi["paths"]["/api/v1/cases"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {
        "limit",
        "offset",
        "status",
        "category",
        "tier",
        "overdue",
        "place",
        "q",
    }
