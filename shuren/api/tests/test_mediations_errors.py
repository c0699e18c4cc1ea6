"""The mediators' API refuses in the project's error shapes: what the law or a field forbids is a
422 saying why in the caller's language, a stale version and a step the state does not allow
are 409s, registering for someone else's organisation is a 403, and a case of another
organisation is, for everyone on every endpoint, exactly the 404 of a missing id. The register
is read in a fixed number of queries, however long."""

from __future__ import annotations

import pytest

from shuren.api.mediations import PAGE_ONLY, ROUTES
from shuren.kernel.models import Outbox
from shuren.mediation import law
from shuren.mediation.actions import register_mediation
from shuren.mediation.choices import Consent, DisputeType, Source
from shuren.mediation.models import Mediation, MediationEvent, Party
from shuren.mediation.tests.conftest import PARTIES, REGISTERED_AT
from shuren.people.models import Team

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321
OUTSIDERS = ("demo-shequ", "demo-jiedao", "demo-resident", "demo-admin")
# A body each action accepts the shape of (the domain then decides).
BODIES: dict[str, dict] = {
    "parties": {"role": "third_party", "name": "李建国"},
    "consent": {"party": 1, "consent": "given"},
    "mediators": {"mediators": [1]},
    "session": {
        "held_at": "2026-03-05T10:00:00+08:00",
        "venue": "调解室",
        "parties": [1],
        "record": "记录",
    },
    "extend": {"days": 10, "parties_consented": True, "reason": "双方同意延期"},
    "agreement": {"form": "oral", "agreed_content": "赔偿", "performance_manner": "转账"},
    "close": {"outcome": "withdrawn", "note": "申请人撤回"},
    "confirmation": {"confirmation": "applied"},
    "follow-up": {"performance": "full", "satisfaction": "satisfied"},
    "risk": {"note": "扬言报复", "police_informed": True},
    "prevention": {"criminal_persons": 1, "petition_persons": 0},
    "archive": {},
}


@pytest.fixture
def workshop() -> Team:
    return Team.objects.get(code="T-SZM")


@pytest.fixture
def register(world, workshop):
    """A dispute before the workshop, registered by its mediator (as the domain's tests do)."""

    def _register(**extra) -> Mediation:
        values = {
            "organisation": workshop,
            "place": world.place("GC-JD-JYLW-B01"),
            "source": Source.APPLICATION,
            "dispute_type": DisputeType.NEIGHBOURS,
            "title": "楼上漏水纠纷",
            "summary": "101室天花板渗水。",
            "parties": PARTIES,
            "at": REGISTERED_AT,
            **extra,
        }
        return register_mediation(actor=world.user("demo-tiaojie"), **values)

    return _register


@pytest.fixture
def send(client, token_for):
    def _send(username: str, path: str, body: dict | None = None, **headers: str):
        auth = {**token_for(username), **headers}
        if body is None:
            return client.get(f"/api/v1{path}", headers=auth)
        return client.post(f"/api/v1{path}", body, content_type="application/json", headers=auth)

    return _send


def state() -> tuple:
    return (
        sum(Mediation.objects.values_list("version", flat=True)),
        MediationEvent.objects.count(),
        Party.objects.count(),
        Outbox.objects.count(),
    )


def test_every_action_of_the_domain_has_its_route_or_is_the_pages():
    assert set(ROUTES) | PAGE_ONLY == set(law.ACTIONS)
    assert not set(ROUTES) & PAGE_ONLY


@pytest.mark.parametrize("username", OUTSIDERS)
def test_another_organisations_case_is_the_missing_ids_404_on_every_endpoint(
    send, register, username
):
    m = register()
    before = state()
    for route, body in [("", None), *((f"/{name}", b) for name, b in BODIES.items())]:
        payload = None if body is None else {"version": m.version, **body}
        out = send(username, f"/mediations/{m.pk}{route}", payload)
        missing = send(username, f"/mediations/{MISSING_ID}{route}", payload)
        assert (out.status_code, missing.status_code) == (404, 404), (username, route)
        assert out.content == missing.content
    assert state() == before
    assert send(username, "/mediations").json() == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }


def test_registering_for_an_organisation_one_does_not_mediate_for_is_403(send, workshop, world):
    body = {
        "organisation": workshop.pk,
        "place": world.place("GC-JD-JYLW-B01").pk,
        "source": "application",
        "dispute_type": "neighbours",
        "title": "噪音",
        "summary": "楼上夜间噪音",
        "parties": [{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    }
    response = send("demo-shequ", "/mediations", body, **{"Accept-Language": "zh-hans"})
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您不是该调解组织的调解员。"}
    # Not a mediation organisation at all, or a place outside the mediator's posts: the field.
    other = send("demo-tiaojie", "/mediations", {**body, "organisation": MISSING_ID})
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "organisation"
    lane = send("demo-tiaojie", "/mediations", {**body, "place": world.place("GC-JB-L01-B01").pk})
    assert lane.status_code == 422
    assert lane.json()["errors"][0]["field"] == "place"
    assert not Mediation.objects.exists()


def test_what_the_law_refuses_is_a_422_in_the_callers_language(send, workshop, world, register):
    body = {
        "organisation": workshop.pk,
        "place": world.place("GC-JD-JYLW-B01").pk,
        "source": "application",
        "dispute_type": "neighbours",
        "title": "噪音",
        "summary": "楼上夜间噪音",
        "parties": [{"role": "applicant", "name": "甲"}],
    }
    zh = {"Accept-Language": "zh-hans"}
    one_side = send("demo-tiaojie", "/mediations", body, **zh)
    assert one_side.status_code == 422
    assert one_side.json()["errors"][0]["message"] == "纠纷至少需要一名申请人和一名被申请人。"
    blank = send("demo-tiaojie", "/mediations", {**body, "title": "   "}, **zh)
    assert blank.status_code == 422
    assert blank.json()["errors"] == [
        {
            "field": "title",
            "location": "body",
            "code": "string_too_short",
            "message": "必填。",
        }
    ]

    m = register()
    party = m.parties.first()
    no_consent = send(
        "demo-tiaojie",
        f"/mediations/{m.pk}/session",
        {**BODIES["session"], "version": m.version, "parties": [party.pk]},
        **zh,
    )
    assert no_consent.status_code == 422
    error = no_consent.json()["errors"][0]
    assert error["code"] == "no_consent"
    assert "第十七条" in error["message"]
    assert party.name in error["message"]
    stranger = send(
        "demo-tiaojie",
        f"/mediations/{m.pk}/mediators",
        {"version": m.version, "mediators": [world.person("P-SQ").pk]},
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "mediators"
    assert "尖东社工" not in stranger.content.decode()  # whoever the id names stays unnamed


def test_a_stale_version_is_a_409_with_the_current_one(send, register):
    m = register()
    applicant, respondent = m.parties.all()
    first = send(
        "demo-tiaojie",
        f"/mediations/{m.pk}/consent",
        {"version": m.version, "party": applicant.pk, "consent": "given"},
    )
    assert first.status_code == 200
    stale = send(
        "demo-tiaojie",
        f"/mediations/{m.pk}/consent",
        {"version": m.version, "party": respondent.pk, "consent": "given"},
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["current_version"] == first.json()["version"]
    assert Party.objects.get(pk=respondent.pk).consent == Consent.PENDING


def test_a_step_the_state_does_not_allow_is_a_409_illegal_transition(send, register):
    m = register()
    response = send(
        "demo-tiaojie",
        f"/mediations/{m.pk}/agreement",
        {"version": m.version, **BODIES["agreement"]},
        **{"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_transition",
        "message": "案件当前状态为“已登记”，不能进行此操作。",
    }
    assert Mediation.objects.get(pk=m.pk).version == m.version


def test_the_register_lists_the_callers_cases_filters_by_status_and_pages(send, register):
    first, second = register(), register()
    Mediation.objects.filter(pk=second.pk).update(status="mediating")
    body = send("demo-tiaojie", "/mediations").json()
    assert body["count"] == 2
    assert [i["id"] for i in body["items"]] == [second.pk, first.pk]
    item = body["items"][0]
    assert item["organisation"]["name"] == "苏志敏创熟调解工作室"
    assert set(item) == {
        "id",
        "number",
        "organisation",
        "title",
        "dispute_type",
        "dispute_type_label",
        "source",
        "source_label",
        "status",
        "status_label",
        "registered_on",
        "due_on",
        "days_left",
        "at_risk",
        "version",
    }
    registered = send("demo-tiaojie", "/mediations?status=registered").json()
    assert [i["id"] for i in registered["items"]] == [first.pk]
    paged = send("demo-tiaojie", "/mediations?limit=1&offset=1").json()
    assert (paged["count"], [i["id"] for i in paged["items"]]) == (2, [first.pk])


@pytest.mark.parametrize(("username", "queries"), [("demo-tiaojie", 5), ("demo-shequ", 3)])
def test_the_register_takes_the_same_queries_however_long(
    client, token_for, register, django_assert_num_queries, username, queries
):
    for i in range(8):
        register(title=f"第{i}宗")
    headers = token_for(username)
    # The token and its user, its last use, the standing (one statement); then the count and
    # the page for a mediator, nothing for anyone else (no organisation: no query).
    with django_assert_num_queries(queries):
        response = client.get("/api/v1/mediations", {"limit": 200}, headers=headers)
    assert response.status_code == 200
