"""The scope matrix: every URL of the site × every demo role × in scope, sibling, other, missing.

Each detail route is asked for four kinds of object: one in the role's own scope, one in a
sibling's (the next building), one in another community, and an id that does not exist. Out of
scope must answer exactly like the missing id (404) and change nothing. A URL pattern of the site
without an entry here fails `test_every_url_is_in_the_matrix` (as zulip does for its tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from shuren.access.models import AccessLog
from shuren.testing import ROLE_USERS, World

# Four places with a household and a resident each: building 1 and 2 of 金域蓝湾 (尖东), a tower of
# 万科金域中央 (同成, another community) and a house in a 江滨 lane (another community again).
SAMPLES: dict[str, tuple[str, str, str]] = {
    # sample: (place code, household code, person code)
    "b1": ("GC-JD-JYLW-B01", "H-B01-101", "P-WANG"),
    "b2": ("GC-JD-JYLW-B02", "H-B02-201", "P-ZHAO"),
    "t1": ("GC-TC-JYZY-T1", "H-T1-0801", "P-HUANG"),
    "lane": ("GC-JB-L01-B01", "H-JB-3", "P-HE"),
}
MISSING_ID = 987_654_321

# What each role may see, written out by hand (not derived from visible_to()).
SEES: dict[str, set[str]] = {
    "demo-resident": {"b1"},
    "demo-louzhang": {"b1"},
    "demo-louzhang2": {"b2"},
    "demo-xiangzhang": {"lane"},
    "demo-jiezhang": set(),
    "demo-shequ": {"b1", "b2"},
    "demo-shequ2": {"t1"},
    "demo-wangge": {"b1", "b2"},
    "demo-tiaojie": {"b1", "b2", "t1"},
    "demo-wuye": {"b1", "b2"},
    "demo-jiedao": {"b1", "b2", "t1", "lane"},
    "demo-admin": {"b1", "b2", "t1", "lane"},
    "demo-auditor": set(),
    "demo-secadmin": set(),
}
# 三员分立: the system administrator sees the places of the subtree (the place tree it keeps),
# never a household, a resident, a person living there or a matter (residents' data).
RESIDENT_SEES: dict[str, set[str]] = {**SEES, "demo-admin": set()}
# Roles that may unmask personal information inside their scope (each read logged).
UNMASKS = {"demo-shequ", "demo-shequ2", "demo-wangge", "demo-tiaojie", "demo-jiedao"}
PLACE_EDITORS = {"demo-shequ", "demo-shequ2", "demo-wangge", "demo-jiedao", "demo-admin"}
assert set(SEES) == set(ROLE_USERS)


def _place(world: World, sample: str) -> Any:
    return world.place(SAMPLES[sample][0])


def _household(world: World, sample: str) -> Any:
    return world.household(SAMPLES[sample][1])


def _person(world: World, sample: str) -> Any:
    return world.person(SAMPLES[sample][2])


@dataclass(frozen=True)
class ObjectRoute:
    """A route about one object: visible → `ok` status, out of scope or missing → 404."""

    url: str  # with {pk}
    fetch: Callable[[World, str], Any]
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)
    # the status (or the set of acceptable statuses) when the object is visible to the role
    ok: Callable[[str], int | set[int]] = lambda role: 200
    # who sees which sample's object, where it differs from the places' SEES (a matter)
    sees: dict[str, set[str]] | None = None
    # the samples walked (default: every one, and a missing id); fewer where what a role sees
    # does not depend on the place (a mediation case is its organisation's, wherever it is)
    samples: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PlainRoute:
    """A route with no object: the status each role gets (default 200)."""

    url: str
    status: Callable[[str], int] = lambda role: 200
    method: str = "get"


@dataclass(frozen=True)
class Exempt:
    reason: str


def _reveal_ok(role: str) -> int:
    return 200 if role in UNMASKS else 403


def _editors_only(role: str) -> int:
    return 200 if role in PLACE_EDITORS else 404


MATRIX: dict[str, ObjectRoute | PlainRoute | Exempt] = {
    "": PlainRoute("/"),
    "places/<int:pk>/": ObjectRoute("/places/{pk}/", _place),
    "places/households/<int:pk>/": ObjectRoute(
        "/places/households/{pk}/", _household, sees=RESIDENT_SEES
    ),
    "people/<int:pk>/": ObjectRoute("/people/{pk}/", _person, sees=RESIDENT_SEES),
    "people/<int:pk>/reveal/": ObjectRoute(
        "/people/{pk}/reveal/",
        _person,
        method="post",
        data={"field": "phone", "reason": "核实住户联系方式"},
        ok=_reveal_ok,
        sees=RESIDENT_SEES,
    ),
    "access/log/": PlainRoute("/access/log/", lambda role: 200 if role == "demo-auditor" else 404),
    "places/excel/template/": PlainRoute("/places/excel/template/", _editors_only),
    "places/excel/import/": PlainRoute("/places/excel/import/", _editors_only),
    "places/excel/export/": PlainRoute("/places/excel/export/", _editors_only),
    "api/v1/places/<int:place_id>": ObjectRoute("/api/v1/places/{pk}", _place),
    "api/v1/places/<int:place_id>/children": ObjectRoute("/api/v1/places/{pk}/children", _place),
    "api/v1/places": PlainRoute("/api/v1/places"),
    "api/v1/me": PlainRoute("/api/v1/me"),
    "api/v1/openapi.json": Exempt("the public description of the API; holds no data"),
    "api/v1/docs": Exempt("the interactive API documentation page; holds no data"),
    "api/v1/": Exempt("Ninja's root route; answers 404 for everyone"),
    "accounts/login/": Exempt("the login page; anonymous by nature"),
    "accounts/logout/": Exempt("ends the caller's own session"),
    "accounts/prefs/elder/": Exempt("changes the caller's own preference"),
    "accounts/prefs/language/": Exempt("changes the caller's own preference"),
    "admin/": Exempt("the admin scopes every changelist itself: shuren/*/tests/test_admin*.py"),
}


# Later apps add their routes from `shuren/<app>/tests/scope_matrix*.py` (a dict named ROUTES of
# the same entry types), so parallel work on different apps never edits this file. A module whose
# routes need objects of their own (cases) also has `build_samples(world)`, which makes them.
def _app_modules() -> list[Any]:
    import importlib
    from pathlib import Path

    return [
        importlib.import_module(f"shuren.{path.parent.parent.name}.tests.{path.stem}")
        for path in sorted(Path(__file__).resolve().parents[2].glob("*/tests/scope_matrix*.py"))
    ]


APP_MODULES = _app_modules()
for _module in APP_MODULES:
    MATRIX.update(_module.ROUTES)
SAMPLE_BUILDERS: list[Callable[[World], None]] = [
    module.build_samples for module in APP_MODULES if hasattr(module, "build_samples")
]


@pytest.fixture(scope="module")
def sample_objects(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The apps' sample objects (the cases of each sample place), made once for this module
    rather than in every one of its thousands of tests. Each test runs inside this transaction
    and rolls its own changes back, so every test meets them fresh; the transaction is rolled
    back when the module ends, so no other test ever sees them (the shared world is unchanged)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = World()
        for build in SAMPLE_BUILDERS:
            build(world)
        # Their deferred foreign keys are checked here once, not again at every test's end
        # (a rollback to a test's savepoint puts PostgreSQL's fired checks back in the queue).
        connection.check_constraints()
        yield
        transaction.set_rollback(True)


def site_routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) == "admin/":
                    yield "admin/"
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_is_in_the_matrix():
    missing = [route for route in site_routes() if route not in MATRIX]
    assert not missing, f"URL patterns with no entry in the scope matrix: {missing}"
    stale = [route for route in MATRIX if route not in site_routes()]
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


OBJECT_CASES = [
    (route, role, sample)
    for route, entry in MATRIX.items()
    if isinstance(entry, ObjectRoute)
    for role in ROLE_USERS
    for sample in (entry.samples or [*SAMPLES, "missing"])
]


def _state() -> tuple[int, ...]:
    """A fingerprint of everything a request could change."""
    from shuren.cases.models import Case, CaseEvent
    from shuren.kernel.models import Outbox
    from shuren.notify.models import Notification
    from shuren.people.models import Person
    from shuren.places.models import Household, Place

    return (
        AccessLog.objects.count(),
        sum(Place.objects.values_list("version", flat=True)),
        sum(Household.objects.values_list("version", flat=True)),
        sum(Person.objects.values_list("version", flat=True)),
        Case.objects.count(),
        sum(Case.objects.values_list("version", flat=True)),
        CaseEvent.objects.count(),
        Notification.objects.count(),
        Outbox.objects.count(),
    )


def _without_csrf(body: bytes) -> bytes:
    """CSRF tokens are masked afresh for every response; everything else must match."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", body)


def _call(client: Any, method: str, url: str, data: dict[str, str]) -> Any:
    if method == "post":
        return client.post(url, data)
    return client.get(url, data)


@pytest.mark.one_database
@pytest.mark.parametrize(("route", "role", "sample"), OBJECT_CASES)
def test_object_route_answers_by_scope(sample_objects, client, world, route, role, sample):
    entry = MATRIX[route]
    assert isinstance(entry, ObjectRoute)
    client.force_login(world.user(role))
    pk = MISSING_ID if sample == "missing" else entry.fetch(world, sample).pk
    before = _state()
    response = _call(client, entry.method, entry.url.format(pk=pk), entry.data)
    visible = sample in (entry.sees or SEES)[role]
    expected = entry.ok(role) if visible else 404
    allowed = expected if isinstance(expected, set) else {expected}
    assert response.status_code in allowed, (route, role, sample, response.status_code)
    if not visible:
        assert _state() == before, "an out-of-scope request changed data"


@pytest.mark.parametrize("route", [r for r, e in MATRIX.items() if isinstance(e, ObjectRoute)])
def test_out_of_scope_answer_is_the_missing_answer(sample_objects, client, world, route):
    """The body for someone else's object is byte-for-byte the body for a missing id."""
    entry = MATRIX[route]
    assert isinstance(entry, ObjectRoute)
    client.force_login(world.user("demo-louzhang"))
    other = entry.fetch(world, "t1").pk
    out = _call(client, entry.method, entry.url.format(pk=other), entry.data)
    missing = _call(client, entry.method, entry.url.format(pk=MISSING_ID), entry.data)
    assert out.status_code == missing.status_code == 404
    # The page echoes the requested path (the language switch returns to it); that is the
    # caller's own input, so it is the one difference allowed.
    out_url, missing_url = entry.url.format(pk=other), entry.url.format(pk=MISSING_ID)
    out_body = _without_csrf(out.content).replace(out_url.encode(), b"URL")
    missing_body = _without_csrf(missing.content).replace(missing_url.encode(), b"URL")
    assert out_body == missing_body


@pytest.mark.one_database
@pytest.mark.parametrize(
    ("route", "role"),
    [(r, role) for r, e in MATRIX.items() if isinstance(e, PlainRoute) for role in ROLE_USERS],
)
def test_plain_route_answers_by_role(client, world, route, role):
    entry = MATRIX[route]
    assert isinstance(entry, PlainRoute)
    client.force_login(world.user(role))
    response = _call(client, entry.method, entry.url, {})
    assert response.status_code == entry.status(role)


@pytest.mark.parametrize("role", ROLE_USERS)
def test_api_place_list_holds_exactly_the_visible_samples(client, world, role):
    client.force_login(world.user(role))
    response = client.get("/api/v1/places", {"kind": "building", "limit": 200})
    assert response.status_code == 200
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    codes = {item["code"] for item in items}
    for sample, (place_code, _h, _p) in SAMPLES.items():
        assert (place_code in codes) == (sample in SEES[role]), (role, sample)


@pytest.mark.one_database
@pytest.mark.parametrize("route", [r for r, e in MATRIX.items() if not isinstance(e, Exempt)])
def test_anonymous_is_sent_to_login_or_refused(client, route):
    entry = MATRIX[route]
    assert not isinstance(entry, Exempt)
    url = entry.url.format(pk=1)
    response = _call(client, entry.method, url, getattr(entry, "data", {}))
    if url.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLE_USERS)
def test_querysets_hold_exactly_the_visible_samples(world, role):
    """Place, Household, Resident and Person lists agree with the hand-written table."""
    from shuren.people.models import Person
    from shuren.places.models import Household, Place, Resident

    user = world.user(role)
    places = set(Place.objects.visible_to(user).values_list("code", flat=True))
    households = set(Household.objects.visible_to(user).values_list("code", flat=True))
    residents = set(Resident.objects.visible_to(user).values_list("household__code", flat=True))
    people = set(Person.objects.visible_to(user).values_list("code", flat=True))
    for sample, (place_code, household_code, person_code) in SAMPLES.items():
        sees, data = sample in SEES[role], sample in RESIDENT_SEES[role]
        assert (place_code in places) == sees, ("place", role, sample)
        assert (household_code in households) == data, ("household", role, sample)
        assert (household_code in residents) == data, ("resident", role, sample)
        assert (person_code in people) == data, ("person", role, sample)
