"""The fuzz of every API operation: each parameter and each property of each body, as the
OpenAPI document lists them (so a new operation is fuzzed without a word here), is sent hostile
values (NUL and control characters, lone surrogates, a megabyte, ten megabytes, huge and
negative numbers, booleans and nulls and lists and objects where they do not belong, zero-width
and right-to-left characters, HTML and SQL) as a named user who may use it. No answer is a 500,
a refusal is a 4xx with the API's JSON error body, and a refused request writes no row.

schemathesis (shuren/api/tests/test_schemathesis.py) explores the same document at random; this
test sends the values known to have broken it, every time, to every field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from shuren.access.tests.test_scope_matrix import sample_objects
from shuren.accounts.models import ApiToken
from shuren.api.v1 import api
from shuren.cases.models import Case, Category
from shuren.cases.tests.scope_matrix_inbox import sample_case
from shuren.deliberation.tests.scope_matrix_elevators import sample_project
from shuren.deliberation.tests.scope_matrix_meetings import sample_meeting
from shuren.deliberation.tests.scope_matrix_meetings_api import sample_decision
from shuren.deliberation.tests.scope_matrix_votes import sample_vote
from shuren.insights.tests.scope_matrix_alerts import sample_alert
from shuren.mediation.tests.scope_matrix_mediation_api import sample_mediation
from shuren.people.models import Team
from shuren.testing import World
from shuren.tests.hostile import ONE_MB, TEN_MB, grown, row_counts
from shuren.tests.test_hostile_pages import _accepted, _dispatched, _resolved

__all__ = ["sample_objects"]  # the scope matrix's sample matters, made once for this module

DOCUMENT = api.get_openapi_schema()
OPERATIONS = [
    (method, path, operation)
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
]

# Who sends each operation, and the step the sample matter is brought to first, so that the
# request passes the permission check and meets the action itself (default: community staff).
ACTORS: dict[str, tuple[str, Callable[[World], None] | None]] = {
    "case_accept": ("demo-louzhang", None),
    "case_escalate": ("demo-louzhang", None),
    "case_resolve": ("demo-louzhang", _accepted),
    "case_follow_up": ("demo-resident", _resolved),
    "case_rate_on_behalf": ("demo-louzhang", _resolved),
    "case_close": ("demo-shequ", _resolved),
    "case_return": ("demo-wuye", _dispatched),
    # A mediation case is its organisation's: every operation on one is sent by its mediator.
    **{
        operation["operationId"]: ("demo-tiaojie", None)
        for _method, path, operation in OPERATIONS
        if path.startswith("/api/v1/mediations")
    },
    # An owner's own ballot, by the sample vote's elector (it is not open: 409, fuzzed first).
    **{
        operation["operationId"]: ("demo-resident", None)
        for _method, path, operation in OPERATIONS
        if path == "/api/v1/votes/{vote_id}/ballots"
    },
}

# What a string is sent; a number; anything is also sent the wrong JSON types.
STRING_VALUES: dict[str, object] = {
    "nul": "前\x00后",
    "control": "响铃\x07\x1b[31m红",
    "lone_surrogate": "半\ud800",
    "zero_width": "\u200b\u200c\u200d\u2060\ufeff",
    "exotic": "\u202eexe.txt <script>alert(1)</script> ' OR 1=1; --",
    "long": ONE_MB,
}
NUMBER_VALUES: dict[str, object] = {
    "huge": 10**20,
    "negative": -(10**20),
    "minus_one": -1,
    "fraction": 1.5,
    "text_number": "1\x00",
}
WRONG_TYPES: dict[str, object] = {
    "boolean": True,
    "null": None,
    "list": ["1", "2"],
    "object": {"a": 1},
    "number_for_text": 10**20,
}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in schema:
        return _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return schema


def _kind(schema: dict[str, Any]) -> str:
    return str(_resolve(schema).get("type", "string"))


def _values_for(schema: dict[str, Any]) -> dict[str, object]:
    kind = _kind(schema)
    if kind == "integer":
        return {**NUMBER_VALUES, **WRONG_TYPES}
    if kind == "string" and "enum" not in _resolve(schema):
        return {**STRING_VALUES, **WRONG_TYPES}
    return {**STRING_VALUES, **NUMBER_VALUES, **WRONG_TYPES}  # enums, booleans, arrays


def _valid(name: str, schema: dict[str, Any], world: World) -> object:
    """A value the operation accepts: a real id for an id, the current version …"""
    case = sample_case(world, "b1")
    real: dict[str, Callable[[], object]] = {
        "case_id": lambda: case.pk,
        "mediation_id": lambda: sample_mediation(world, "b1").pk,
        "organisation": lambda: Team.objects.get(code="T-SZM").pk,
        "alert_id": lambda: sample_alert(world, "b1").pk,
        "vote_id": lambda: sample_vote(world, "b1").pk,
        "meeting_id": lambda: sample_meeting(world, "b1").pk,
        "decision_id": lambda: sample_decision(world, "b1").pk,
        "project_id": lambda: sample_project(world, "b1").pk,
        "place_id": lambda: world.place("GC-JD-JYLW-B01").pk,
        "place": lambda: world.place("GC-JD-JYLW-B01").pk,
        "parent": lambda: world.place("GC-JD-JYLW").pk,
        "version": lambda: Case.objects.get(pk=case.pk).version,
        "category": lambda: Category.objects.get(code="neighbour-leak").code,
        "team": lambda: Team.objects.get(code="WY-JYLW").pk,
        "into": lambda: sample_case(world, "b2").pk,
        "to_tier": lambda: 3,
        "method": lambda: "on_the_spot",
        "via": lambda: "phone",
        "satisfied": lambda: True,
        "ids": lambda: [1],
        "Idempotency-Key": lambda: "fuzz-key-1",
        "start": lambda: "2026-01-01",
        "end": lambda: "2026-12-31",
    }
    if name in real:
        return real[name]()
    resolved = _resolve(schema)
    if "enum" in resolved:
        return resolved["enum"][0]
    return {"integer": 1, "boolean": True, "array": []}.get(resolved.get("type", ""), "楼道灯坏了")


def _body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    return _resolve(content["application/json"]["schema"]) if content else None


def _request(
    client: Client,
    method: str,
    path: str,
    params: dict[str, Any],
    body: dict[str, Any] | None,
    headers: dict[str, str],
) -> tuple[int, str, list[str]]:
    """One request in a savepoint rolled back after it: status, content type, tables changed."""
    url = path
    for name, value in params.get("path", {}).items():
        url = url.replace("{" + name + "}", str(value))
    query = {
        name: value
        if isinstance(value, list)
        else json.dumps(value).strip('"')
        if not isinstance(value, str)
        else value
        for name, value in params.get("query", {}).items()
    }
    sent_headers = {**headers, **{k: str(v) for k, v in params.get("header", {}).items()}}
    with transaction.atomic():
        before = row_counts()
        if method == "get":
            response = client.get(url, query, headers=sent_headers)
        else:
            response = client.post(
                url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                json.dumps(body) if body is not None else "",
                content_type="application/json",
                headers=sent_headers,
            )
        changed = grown(before, row_counts())
        transaction.set_rollback(True)
    return response.status_code, response.get("Content-Type", ""), changed


def _check(what: str, status: int, content_type: str, changed: list[str]) -> None:
    assert status < 500, f"{what}: {status}"
    if status >= 400:
        assert content_type.startswith("application/json"), f"{what}: {content_type}"
        assert not changed, f"{what} was refused ({status}) but wrote rows: {changed}"


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    OPERATIONS,
    ids=[f"{m.upper()} {p}" for m, p, _o in OPERATIONS],
)
def test_every_operation_refuses_hostile_values_cleanly(
    sample_objects, world, method, path, operation
):
    username, prepare = ACTORS.get(operation["operationId"], ("demo-shequ", None))
    if prepare is not None:
        prepare(world)
    _token, raw = ApiToken.issue(user=world.user(username), name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()

    def valid_params() -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
        for p in operation.get("parameters", []):
            if p["required"] or p["in"] == "path":
                out[p["in"]][p["name"]] = _valid(p["name"], p["schema"], world)
        return out

    body_schema = _body_schema(operation)

    def valid_body() -> dict[str, Any] | None:
        if body_schema is None:
            return None
        return {
            name: _valid(name, prop, world)
            for name, prop in body_schema.get("properties", {}).items()
            if name in body_schema.get("required", []) or name in ("team",)
        }

    status, _type, _changed = _request(client, method, path, valid_params(), valid_body(), headers)
    # The valid request passes authentication and scope: a 401 or 404 would leave it unfuzzed.
    assert status not in (401, 404, 405), (path, status)

    for p in operation.get("parameters", []):
        for what, value in _values_for(p["schema"]).items():
            if p["in"] == "path" and what != "huge":
                continue  # a path's int converter matches digits only: the rest never routes
            if p["in"] == "header" and not isinstance(value, str):
                continue
            if p["in"] != "path" and what == "lone_surrogate":
                continue  # no URL or header carries one (UTF-8 cannot encode it)
            params = valid_params()
            params[p["in"]][p["name"]] = value
            status, content_type, changed = _request(
                client, method, path, params, valid_body(), headers
            )
            _check(f"{method.upper()} {path} {p['name']}={what}", status, content_type, changed)

    if body_schema is None:
        return
    properties = body_schema.get("properties", {})
    for name, prop in properties.items():
        for what, value in _values_for(prop).items():
            body = valid_body() or {}
            body[name] = value
            status, content_type, changed = _request(
                client, method, path, valid_params(), body, headers
            )
            _check(f"{method.upper()} {path} {name}={what}", status, content_type, changed)
    # Once per operation: ten megabytes in its first text property; a body that is a list, a
    # number, not JSON at all.
    texts = [n for n, p in properties.items() if _kind(p) == "string"]
    bodies: list[Any] = [[None, None], 10**20, "\x00"]
    if texts:
        bodies.append({**(valid_body() or {}), texts[0]: TEN_MB})
    for body in bodies:
        status, content_type, changed = _request(
            client, method, path, valid_params(), body, headers
        )
        _check(f"{method.upper()} {path} body={str(body)[:20]}", status, content_type, changed)


def test_an_idempotency_key_sent_again_with_another_report_is_refused(
    sample_objects, world, client
):
    _token, raw = ApiToken.issue(user=world.user("demo-resident"), name="fuzz")
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "report-1"}
    report = {
        "place": world.place("GC-JD-JYLW-B01").pk,
        "category": "neighbour-leak",
        "title": "楼上漏水",
    }
    first = client.post("/api/v1/cases", report, content_type="application/json", headers=headers)
    assert first.status_code == 201
    again = client.post("/api/v1/cases", report, content_type="application/json", headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    other = client.post(
        "/api/v1/cases",
        {**report, "title": "楼道堆放杂物"},
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": True, "note": "电话联系了住户"}, "version"),
        ({"version": 1, "note": "\u200b\u200d\ufeff"}, "note"),
        ({"version": 1, "note": "电话\x00联系"}, "note"),
    ],
    ids=["version true", "only zero-width", "NUL"],
)
def test_a_boolean_version_invisible_or_nul_text_is_a_422_naming_the_field(
    sample_objects, world, client, body, field
):
    _token, raw = ApiToken.issue(user=world.user("demo-shequ"), name="fuzz")
    case = sample_case(world, "b1")
    response = client.post(
        f"/api/v1/cases/{case.pk}/note",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize(
    "query", ["offset=99999999999999999999", "parent=99999999999999999999", "q=%00"]
)
def test_huge_numbers_and_nul_in_a_list_s_query_are_a_422(sample_objects, world, client, query):
    _token, raw = ApiToken.issue(user=world.user("demo-shequ"), name="fuzz")
    response = client.get(f"/api/v1/places?{query}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"]


def test_every_text_the_api_reads_carries_the_text_rule():
    """Each schema the API reads derives from api/inputs.py In, which publishes the rule of
    shuren/text.py as a pattern: a text input without one was read by a schema that does not."""
    missing = []
    for method, path, operation in OPERATIONS:
        inputs = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
        body = _body_schema(operation)
        inputs.update((body or {}).get("properties", {}))
        for name, schema in inputs.items():
            options = [schema, *schema.get("anyOf", [])]
            free_text = [
                o for o in options if o.get("type") == "string" and not {"enum", "format"} & set(o)
            ]
            if any("pattern" not in o for o in free_text):
                missing.append(f"{method.upper()} {path} {name}")
    assert missing == []
