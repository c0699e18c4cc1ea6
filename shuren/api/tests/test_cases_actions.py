"""POST /api/v1/cases/{id}/{action}: each workflow step, its version check and its errors."""

from __future__ import annotations

import pytest

from shuren.cases.models import Case, CaseEvent, Category, Status
from shuren.kernel.models import Outbox
from shuren.notify.models import Notification
from shuren.people.models import Team


@pytest.fixture
def post(client, token_for):
    """POST JSON to an API path as a named user (by bearer token)."""

    def _post(username: str, path: str, body: dict):
        return client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=token_for(username)
        )

    return _post


@pytest.fixture
def fish(world):
    """The resident's fish-smell report on their own unit, fresh: reported, version 1."""
    from shuren.cases.actions import report_case

    return report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-odour"),
        title="楼下邻居晒咸鱼，气味很大",
    )


@pytest.fixture
def act(post, fish):
    """Take an action on the fish case as a named user, sending the case's current version."""

    def _act(username: str, action: str, case: Case | None = None, **body):
        case = case or fish
        version = body.pop("version", None) or Case.objects.get(pk=case.pk).version
        return post(username, f"/cases/{case.pk}/{action}", {"version": version, **body})

    return _act


def fingerprint(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.version,
        case.current_tier,
        CaseEvent.objects.count(),
        Outbox.objects.count(),
        Notification.objects.count(),
    )


# --- Each action --------------------------------------------------------------------------------


def test_the_leader_accepts_and_gets_the_case_back_with_its_new_version(act, fish):
    response = act("demo-louzhang", "accept", note="马上去看")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["version"]) == (fish.pk, "accepted", 2)
    assert [e["kind"] for e in body["events"]] == ["reported", "accepted"]
    assert body["events"][-1]["note"] == "马上去看"


def test_the_leader_settles_it_on_the_spot(act):
    response = act(
        "demo-louzhang", "resolve", method="on_the_spot", summary="已劝说邻居改到阳台晾晒"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "resolved"
    assert body["settled_tier"] == 1
    assert body["resolution_method"] == "on_the_spot"
    assert body["resolution_summary"] == "已劝说邻居改到阳台晾晒"
    assert body["follow_up_due"] is not None


def test_a_note_changes_no_state_but_the_version(act):
    body = act("demo-resident", "note", note="今天又有味道").json()
    assert (body["status"], body["version"]) == ("reported", 2)
    assert body["events"][-1]["kind"] == "noted"


def test_escalation_goes_one_tier_up_by_default_and_further_when_asked(act, fish):
    body = act("demo-louzhang", "escalate", reason="协商不成").json()
    assert body["tier"] == 2  # the estate has a property company
    body = act("demo-wuye", "escalate", reason="涉及多户，需社区调解", to_tier=3).json()
    assert body["tier"] == 3
    assert body["max_tier"] == 3
    assert body["events"][-1]["note"] == "涉及多户，需社区调解"


def test_staff_assign_to_the_property_company_which_returns_it_with_a_reason(act, world):
    company = world.place("GC-JD-JYLW").property_company
    body = act("demo-shequ", "assign", team=company.pk, note="请物业处理").json()
    assert body["status"] == "in_progress"
    assert body["assignee_team"] == {"id": company.pk, "name": company.name, "kind": company.kind}
    body = act("demo-wuye", "return", reason="不属于物业服务范围").json()
    # The answer is the case as the company left it, though it no longer sees the matter: not
    # assigned to it and never at the estate tier.
    assert body["status"] == "accepted"
    assert body["assignee_team"] is None
    assert body["events"][-1]["kind"] == "returned"


def test_staff_assign_to_a_leader_in_person(act, world):
    leader = world.person("P-LZ1")
    body = act("demo-shequ", "assign", person=leader.pk).json()
    assert body["assignee_person"] == {"id": leader.pk, "name": "刘楼长"}


def test_the_resident_follows_up_unsatisfied_and_the_case_reopens(act):
    act("demo-louzhang", "resolve", method="on_the_spot", summary="已劝说")
    body = act("demo-resident", "follow-up", satisfied=False, note="还是有味道").json()
    assert body["status"] == "in_progress"
    assert body["reopened_count"] == 1
    assert body["satisfied"] is False
    assert body["events"][-1]["kind"] == "reopened"


def test_a_satisfied_follow_up_and_then_the_close(act):
    act("demo-louzhang", "resolve", method="mediation", summary="双方达成一致")
    assert act("demo-resident", "follow-up", satisfied=True).json()["status"] == "followed_up"
    body = act("demo-shequ", "close", note="结案").json()
    assert body["status"] == "closed"
    assert body["closed_at"] is not None
    assert body["actions"] == ["note"]


def test_a_duplicate_is_merged_into_the_open_case(act, world, fish):
    from shuren.cases.actions import report_case

    again = report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=fish.category,
        title="又在晒咸鱼",
    )
    body = act("demo-shequ", "merge", case=again, into=fish.pk, reason="同一件事").json()
    assert body["status"] == "merged"
    assert body["merged_into"] == {"id": fish.pk, "number": fish.number}


def test_community_staff_reject_with_a_reason(act):
    body = act("demo-shequ", "reject", reason="属于家庭内部事务").json()
    assert body["status"] == "rejected"
    assert body["events"][-1]["note"] == "属于家庭内部事务"


def test_actions_accept_form_encoded_fields(client, token_for, fish):
    response = client.post(
        f"/api/v1/cases/{fish.pk}/resolve",
        {"version": "1", "method": "on_the_spot", "summary": "已处理"},
        headers=token_for("demo-louzhang"),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "resolved"


# --- Version, transitions, permission -----------------------------------------------------------


def test_a_stale_version_is_409_with_the_current_version_and_changes_nothing(act, fish):
    act("demo-louzhang", "note", note="先记一笔")  # now version 2
    before = fingerprint(fish)
    response = act("demo-louzhang", "accept", version=1)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["current_version"] == 2
    assert "2" in body["message"]
    assert fingerprint(fish) == before


def test_the_version_is_required(act, post, fish):
    response = post("demo-louzhang", f"/cases/{fish.pk}/accept", {})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "version", "location": "body", "code": "missing", "message": "必填。"}
    ]
    assert Case.objects.get(pk=fish.pk).status == Status.REPORTED


def test_an_illegal_transition_is_409_with_a_chinese_message(act, fish):
    before = fingerprint(fish)
    response = act("demo-shequ", "close")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["message"] == "不能结案状态为“待受理”的事项。"
    assert "current_version" not in body
    assert fingerprint(fish) == before


@pytest.mark.parametrize(
    ("username", "action", "body"),
    [
        ("demo-resident", "accept", {}),  # the reporter does not handle their own matter
        ("demo-resident", "resolve", {"method": "on_the_spot", "summary": "好了"}),
        ("demo-louzhang", "assign", {"person": "P-LZ1"}),  # leaders settle, they do not dispatch
        ("demo-louzhang", "reject", {"reason": "不管"}),  # screening is community work
        ("demo-tiaojie", "accept", {}),  # a mediator sees the community's matters, no more
    ],
)
def test_a_refused_step_is_403_and_changes_nothing(act, world, fish, username, action, body):
    if "person" in body:
        body = {"person": world.person(body["person"]).pk}
    before = fingerprint(fish)
    response = act(username, action, **body)
    assert response.status_code == 403
    # The action says why in words (its own refusal), not a generic line.
    assert response.json() == {"code": "forbidden", "message": "您无权对此事项进行这项操作。"}
    assert fingerprint(fish) == before


ACTION_BODIES = {
    "accept": {},
    "assign": {"team": 1},
    "note": {"note": "看过了"},
    "escalate": {"reason": "需上报"},
    "return": {"reason": "退回"},
    "resolve": {"method": "on_the_spot", "summary": "已处理"},
    "follow-up": {"satisfied": True},
    "rate-on-behalf": {"satisfied": True, "via": "phone"},
    "close": {},
    "merge": {"into": 1},
    "reject": {"reason": "不予受理"},
}


@pytest.mark.parametrize("action", ACTION_BODIES)
def test_every_action_on_a_case_out_of_scope_is_404_exactly_like_a_missing_one(
    post, world, fish, action
):
    from shuren.cases.actions import report_case

    elsewhere = report_case(
        actor=world.user("demo-shequ2"),
        place=world.place("GC-TC-JYZY-T1"),
        category=Category.objects.get(code="safety"),
        title="T1栋外墙掉砖",
    )
    before = fingerprint(elsewhere)
    body = {"version": 1, **ACTION_BODIES[action]}
    out = post("demo-shequ", f"/cases/{elsewhere.pk}/{action}", body)
    missing = post("demo-shequ", f"/cases/987654321/{action}", body)
    assert out.status_code == missing.status_code == 404
    assert out.content == missing.content
    assert fingerprint(elsewhere) == before


# --- Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "body", "field", "code"),
    [
        ("note", {"note": "   "}, "note", "string_too_short"),
        ("note", {}, "note", "missing"),
        ("escalate", {}, "reason", "missing"),
        ("escalate", {"reason": "需上报", "to_tier": 1}, "to_tier", "greater_than_equal"),
        ("escalate", {"reason": "需上报", "to_tier": 6}, "to_tier", "less_than_equal"),
        ("resolve", {"method": "magic", "summary": "好了"}, "method", "enum"),
        ("resolve", {"method": "on_the_spot"}, "summary", "missing"),
        ("follow-up", {"satisfied": "maybe"}, "satisfied", "bool_parsing"),
        ("reject", {"reason": ""}, "reason", "string_too_short"),
        ("merge", {}, "into", "missing"),
        ("assign", {"team": "x"}, "team", "int_parsing"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(act, fish, action, body, field, code):
    before = fingerprint(fish)
    response = act("demo-shequ", action, **body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["code"] == "invalid"
    assert [(e["field"], e["location"], e["code"]) for e in payload["errors"]] == [
        (field, "body", code)
    ]
    assert fingerprint(fish) == before


def test_assigning_needs_a_person_or_a_team(act):
    response = act("demo-shequ", "assign")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "",
            "location": "body",
            "code": "required",
            "message": "请选择派给哪个人或哪支队伍。",
        }
    ]


def test_assigning_to_a_person_out_of_scope_reads_like_a_missing_one(act, world):
    out = act("demo-shequ", "assign", person=world.person("P-HUANG").pk)  # lives in 同成
    missing = act("demo-shequ", "assign", person=987654321)
    assert out.status_code == missing.status_code == 422
    assert out.json() == missing.json()
    assert out.json()["errors"][0]["field"] == "person"


def test_a_team_that_does_not_serve_the_place_reads_like_a_missing_one(act):
    other_company = Team.objects.get(code="WY-JYZY")  # manages an estate of 同成
    out = act("demo-shequ", "assign", team=other_company.pk)
    missing = act("demo-shequ", "assign", team=987654321)
    assert out.status_code == missing.status_code == 422
    assert out.json() == missing.json()
    assert out.json()["errors"][0]["field"] == "team"
    assert other_company.name not in out.content.decode()


def test_merging_into_a_case_out_of_scope_reads_like_a_missing_one(act, world):
    from shuren.cases.actions import report_case

    elsewhere = report_case(
        actor=world.user("demo-shequ2"),
        place=world.place("GC-TC-JYZY-T1"),
        category=Category.objects.get(code="safety"),
        title="T1栋外墙掉砖",
    )
    out = act("demo-shequ", "merge", into=elsewhere.pk)
    missing = act("demo-shequ", "merge", into=987654321)
    assert out.status_code == missing.status_code == 422
    assert out.json() == missing.json()
    assert out.json()["errors"][0]["field"] == "into"


def test_a_case_is_not_merged_into_itself(act, fish):
    response = act("demo-shequ", "merge", into=fish.pk)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "same_case"


def test_escalating_to_a_tier_not_above_the_current_one_is_422(act):
    act("demo-louzhang", "escalate", reason="需社区", to_tier=3)
    response = act("demo-shequ", "escalate", reason="再上", to_tier=3)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_higher"


def test_messages_follow_the_users_language(act, world):
    type(world.user("demo-shequ")).objects.filter(username="demo-shequ").update(language="en")
    body = act("demo-shequ", "close").json()
    assert body["message"] == "You cannot close a case that is Reported."


# --- A whole journey through the API ------------------------------------------------------------


def test_escalated_dispatched_resolved_rated_unsatisfied_and_reopened(client, token_for, world):
    """The issue's second journey, through nothing but the API."""

    def call(username, path, body=None):
        headers = token_for(username)
        if body is None:
            return client.get(f"/api/v1{path}", headers=headers).json()
        return client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=headers
        ).json()

    case = call(
        "demo-resident",
        "/cases",
        {
            "place": world.place("GC-JD-JYLW-B01-U1").pk,
            "category": "neighbour-leak",
            "title": "楼上漏水到我家",
        },
    )
    pk = case["id"]
    leader_view = call("demo-louzhang", f"/cases/{pk}")
    assert "escalate" in leader_view["actions"]
    case = call(
        "demo-louzhang",
        f"/cases/{pk}/escalate",
        {"version": leader_view["version"], "reason": "楼上不配合", "to_tier": 3},
    )
    assert case["tier"] == 3
    company = world.place("GC-JD-JYLW").property_company
    case = call(
        "demo-shequ", f"/cases/{pk}/assign", {"version": case["version"], "team": company.pk}
    )
    assert case["status"] == "in_progress"
    assert pk in [item["id"] for item in call("demo-wuye", "/cases", None)["items"]]
    case = call(
        "demo-wuye",
        f"/cases/{pk}/resolve",
        {"version": case["version"], "method": "property_repair", "summary": "已更换楼上水管"},
    )
    assert (case["status"], case["settled_tier"]) == ("resolved", 3)
    case = call(
        "demo-resident",
        f"/cases/{pk}/follow-up",
        {"version": case["version"], "satisfied": False, "note": "天花板还在滴水"},
    )
    assert case["status"] == "in_progress"
    assert case["reopened_count"] == 1
    assert [e["kind"] for e in call("demo-shequ", f"/cases/{pk}")["events"]] == [
        "reported",
        "escalated",
        "assigned",
        "resolved",
        "reopened",
    ]
