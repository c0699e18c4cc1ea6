"""GET /api/v1/me: the caller's account, active posts and scope."""

from __future__ import annotations

import pytest

from shuren.people.roles import Role
from shuren.testing import ROLE_USERS


def test_a_building_leader_sees_their_post_and_their_building_as_scope(api_get):
    body = api_get("demo-louzhang", "/me").json()
    assert body["user"] == {
        "id": body["user"]["id"],
        "username": "demo-louzhang",
        "name": "刘楼长",
        "elder_mode": False,
        "language": "zh-hans",
    }
    assert [(r["role"], r["role_label"], r["place"]["name"]) for r in body["roles"]] == [
        ("louzhang", str(Role.LOUZHANG.label), "1栋")
    ]
    assert [(p["name"], p["kind"]) for p in body["scope"]["roots"]] == [("1栋", "building")]
    assert body["scope"]["resident_places"] == []
    assert body["scope"]["reads_audit"] is False


def test_a_resident_sees_the_places_above_their_household(api_get):
    body = api_get("demo-resident", "/me").json()
    assert body["roles"] == []
    assert body["scope"]["roots"] == []
    assert [p["name"] for p in body["scope"]["resident_places"]] == ["金域蓝湾", "1栋", "1栋1单元"]
    assert body["scope"]["household_count"] == 1


def test_the_property_company_sees_the_estates_it_manages(api_get):
    body = api_get("demo-wuye", "/me").json()
    assert [(r["role"], r["team"]["name"], r["place"]) for r in body["roles"]] == [
        ("wuye", "金域蓝湾物业服务中心", None)
    ]
    assert [p["name"] for p in body["scope"]["roots"]] == ["金域蓝湾"]


def test_the_auditor_reads_the_audit_log_and_no_places(api_get):
    body = api_get("demo-auditor", "/me").json()
    assert [(r["role"], r["place"], r["team"]) for r in body["roles"]] == [("auditor", None, None)]
    assert body["scope"] == {
        "roots": [],
        "resident_places": [],
        "household_count": 0,
        "reads_audit": True,
    }


def test_a_user_without_a_person_has_no_roles_and_no_scope(api_get):
    body = api_get("nobody", "/me").json()
    assert body["user"]["name"] == "nobody"
    assert body["roles"] == []
    assert body["scope"]["roots"] == []
    assert body["scope"]["resident_places"] == []


def test_elder_mode_and_language_are_reported(api_get, world):
    user = world.user("demo-louzhang")
    user.elder_mode = True
    user.language = "en"
    user.save(update_fields=["elder_mode", "language"])
    body = api_get("demo-louzhang", "/me").json()
    assert body["user"]["elder_mode"] is True
    assert body["user"]["language"] == "en"
    assert body["roles"][0]["role_label"] == "Building leader"


def test_me_never_shows_phone_or_id_numbers(api_get, world):
    for username in ROLE_USERS:
        text = api_get(username, "/me").content.decode()
        user = world.user(username)
        assert user.person.phone not in text
        assert "phone" not in text
        assert "id_number" not in text


@pytest.mark.parametrize(
    ("username", "queries"),
    [
        # token, token last-use, person, the standing, posts for roles, places
        ("demo-louzhang", 6),
        ("demo-shequ", 6),
        ("demo-resident", 6),
        # + the estates the company manages
        ("demo-wuye", 7),
    ],
)
def test_me_costs_a_fixed_number_of_queries(
    client, token_for, django_assert_num_queries, username, queries
):
    headers = token_for(username)
    with django_assert_num_queries(queries):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
