"""GET /api/v1/places…: the place tree, only within the caller's scope."""

from __future__ import annotations

import pytest

from shuren.api.v1 import api
from shuren.places.models import Place, PlaceKind
from shuren.testing import ROLE_USERS


def names(response):
    return [item["name"] for item in response.json()["items"]]


def test_a_building_leader_lists_only_their_building(api_get):
    response = api_get("demo-louzhang", "/places")
    assert response.status_code == 200
    assert names(response) == ["1栋", "1栋1单元"]
    assert response.json()["count"] == 2


def test_the_list_is_ordered_by_path_and_carries_the_tree_fields(api_get, world):
    items = api_get("demo-shequ", "/places").json()["items"]
    paths = [item["path"] for item in items]
    assert paths == sorted(paths)
    estate = next(item for item in items if item["code"] == "GC-JD-JYLW")
    assert estate["kind"] == "estate"
    assert estate["kind_label"] == str(PlaceKind.ESTATE.label)
    assert estate["parent_id"] == world.place("GC-JD").pk
    assert estate["has_property_company"] is True
    assert estate["depth"] == 2
    assert estate["version"] == 1


def test_community_staff_do_not_list_a_sibling_community(api_get):
    listed = names(api_get("demo-shequ", "/places", limit=200))
    assert "金域蓝湾" in listed
    assert "同成社区" not in listed
    assert "万科金域中央" not in listed
    assert "桂城街道" not in listed


def test_pages_follow_limit_and_offset(api_get):
    everything = names(api_get("demo-jiedao", "/places", limit=200))
    first = api_get("demo-jiedao", "/places", limit=5, offset=0).json()
    second = api_get("demo-jiedao", "/places", limit=5, offset=5).json()
    assert first["count"] == second["count"] == len(everything)
    assert [i["name"] for i in first["items"] + second["items"]] == everything[:10]
    beyond = api_get("demo-jiedao", "/places", offset=1000).json()
    assert beyond["items"] == []
    assert beyond["count"] == len(everything)


@pytest.mark.parametrize(
    ("params", "field", "code", "message"),
    [
        ({"limit": 201}, "limit", "less_than_equal", "不能大于 200。"),
        ({"limit": 0}, "limit", "greater_than_equal", "不能小于 1。"),
        ({"offset": -1}, "offset", "greater_than_equal", "不能小于 0。"),
        ({"limit": "many"}, "limit", "int_parsing", "请输入整数。"),
        ({"parent": "x"}, "parent", "int_parsing", "请输入整数。"),
        ({"q": "长" * 51}, "q", "string_too_long", "最多 50 个字符。"),
    ],
)
def test_invalid_parameters_are_422_in_chinese(api_get, params, field, code, message):
    response = api_get("demo-jiedao", "/places", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "部分数据不正确。"
    assert body["errors"] == [
        {"field": field, "location": "query", "code": code, "message": message}
    ]


def test_an_unknown_kind_is_422_and_names_the_choices(api_get):
    body = api_get("demo-jiedao", "/places", kind="castle").json()
    (error,) = body["errors"]
    assert error["field"] == "kind"
    assert error["code"] == "enum"
    assert error["message"].startswith("请从以下选项中选择：")
    assert "'building'" in error["message"]


def test_filters_by_kind_parent_and_name(api_get, world):
    assert names(api_get("demo-shequ", "/places", kind="building")) == [
        "1栋",
        "2栋",
        "尖东新村1座",
    ]
    estate = world.place("GC-JD-JYLW")
    assert names(api_get("demo-shequ", "/places", parent=estate.pk)) == ["1栋", "2栋"]
    assert names(api_get("demo-shequ", "/places", q="新村")) == ["尖东新村", "尖东新村1座"]
    assert names(api_get("demo-shequ", "/places", kind="building", q="2")) == ["2栋"]


def test_filtering_by_a_parent_outside_scope_finds_nothing(api_get, world):
    other = world.place("GC-TC-JYZY")
    response = api_get("demo-shequ", "/places", parent=other.pk)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_one_place_in_scope(api_get, world):
    building = world.place("GC-JD-JYLW-B01")
    response = api_get("demo-louzhang", f"/places/{building.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "1栋"


def test_a_place_out_of_scope_is_404_exactly_like_a_missing_one(api_get, world):
    sibling = world.place("GC-JD-JYLW-B02")
    out_of_scope = api_get("demo-louzhang", f"/places/{sibling.pk}")
    missing = api_get("demo-louzhang", "/places/999999999")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert out_of_scope.json() == {"code": "not_found", "message": "找不到。"}


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_role_gets_404_for_a_place_of_another_subdistrict(api_get, username):
    # A place no demo role covers: the same answer as an id that never existed.
    from shuren.places.actions import create_place

    elsewhere = create_place(actor=None, kind="subdistrict", name="大沥镇", code="DL", parent=None)
    assert api_get(username, f"/places/{elsewhere.pk}").status_code == 404
    assert api_get(username, f"/places/{elsewhere.pk}/children").status_code == 404
    assert "大沥镇" not in names(api_get(username, "/places", limit=200))


def test_children_of_a_place_in_scope(api_get, world):
    estate = world.place("GC-JD-JYLW")
    response = api_get("demo-shequ", f"/places/{estate.pk}/children")
    assert response.status_code == 200
    assert names(response) == ["1栋", "2栋"]


def test_children_are_limited_to_scope_too(api_get, world):
    # The resident sees their estate but only their own building under it.
    estate = world.place("GC-JD-JYLW")
    assert names(api_get("demo-resident", f"/places/{estate.pk}/children")) == ["1栋"]


def test_children_of_a_place_out_of_scope_is_404(api_get, world):
    community = world.place("GC-TC")
    response = api_get("demo-shequ", f"/places/{community.pk}/children")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_out_of_scope_reads_change_nothing(api_get, world):
    before = list(Place.objects.values_list("pk", "path", "version", "name"))
    api_get("demo-louzhang2", f"/places/{world.place('GC-JD-JYLW-B01').pk}")
    assert list(Place.objects.values_list("pk", "path", "version", "name")) == before


def test_the_auditor_and_the_security_admin_list_no_places(api_get):
    for username in ("demo-auditor", "demo-secadmin", "nobody"):
        assert api_get(username, "/places").json() == {
            "count": 0,
            "limit": 50,
            "offset": 0,
            "items": [],
        }


def test_the_place_api_never_shows_personal_information(api_get, world):
    from shuren.people.models import Person

    secrets = [p for pair in Person.objects.values_list("phone", "id_number") for p in pair if p]
    for username in ROLE_USERS:
        texts = [api_get(username, "/places", limit=200).content.decode()]
        for item in api_get(username, "/places", limit=200).json()["items"]:
            texts.append(api_get(username, f"/places/{item['id']}").content.decode())
            texts.append(api_get(username, f"/places/{item['id']}/children").content.decode())
        for text in texts:
            assert not any(secret in text for secret in secrets)


@pytest.mark.parametrize(
    ("username", "queries"),
    [
        # token, token last-use, the standing, count, page
        ("demo-louzhang", 5),
        ("demo-jiedao", 5),
        ("demo-resident", 5),
    ],
)
def test_listing_places_costs_a_fixed_number_of_queries(
    client, token_for, django_assert_num_queries, username, queries
):
    headers = token_for(username)
    with django_assert_num_queries(queries):
        response = client.get("/api/v1/places", {"limit": 200}, headers=headers)
    assert response.status_code == 200


def test_the_children_cost_a_fixed_number_of_queries(
    client, token_for, world, django_assert_num_queries
):
    headers = token_for("demo-shequ")
    estate = world.place("GC-JD-JYLW")
    # token, token last-use, the standing, the parent, count, page
    with django_assert_num_queries(6):
        client.get(f"/api/v1/places/{estate.pk}/children", headers=headers)


def test_openapi_schema_is_served_at_api_v1_openapi_json(client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Shuren API"
    assert {"/api/v1/me", "/api/v1/places", "/api/v1/places/{place_id}"} <= set(schema["paths"])
    assert "ApiTokenAuth" in schema["components"]["securitySchemes"]


def test_a_stale_version_is_answered_409_conflict(rf):
    from shuren.kernel.versions import StaleVersion

    response = api.on_exception(rf.get("/api/v1/places/1"), StaleVersion(4))
    assert response.status_code == 409
    import json

    body = json.loads(response.content)
    assert body["code"] == "conflict"
    assert body["current_version"] == 4
    assert "4" in body["message"]
