"""GET /api/v1/categories and POST /api/v1/cases: the tree, and reporting a matter."""

from __future__ import annotations

import pytest

from shuren.cases.models import Case, CaseEvent, Channel, IdempotencyKey, Status


@pytest.fixture
def post(client, token_for):
    """POST JSON to an API path as a named user (by bearer token); extra headers allowed."""

    def _post(username: str, path: str, body: dict, **headers: str):
        return client.post(
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers={**token_for(username), **headers},
        )

    return _post


@pytest.fixture
def fish(world):
    """A resident's report on their own unit."""
    return {
        "place": world.place("GC-JD-JYLW-B01-U1").pk,
        "category": "neighbour-odour",
        "title": "楼下邻居晒咸鱼，气味很大",
        "description": "每天下午都晒，窗户不敢开。",
    }


# --- Categories ---------------------------------------------------------------------------------


def test_the_category_tree_reads_in_chinese_with_children_under_their_parent(api_get):
    response = api_get("demo-resident", "/categories")
    assert response.status_code == 200
    tree = response.json()["items"]
    assert response.json()["count"] == 9
    assert [c["name"] for c in tree] == [
        "邻里纠纷",
        "物业纠纷",
        "环境卫生",
        "治安",
        "公共设施",
        "安全隐患",
        "停车",
        "加装电梯",
        "其他",
    ]
    neighbour = tree[0]
    assert neighbour["code"] == "neighbour"
    assert [c["name"] for c in neighbour["children"]] == [
        "噪音",
        "漏水",
        "异味",
        "杂物堆放",
        "宠物",
        "装修",
        "其他",
    ]
    assert neighbour["children"][0] == {
        "code": "neighbour-noise",
        "name": "噪音",
        "may_be_public": False,
    }
    assert all(c["children"] == [] for c in tree[1:])


def test_each_category_says_whether_it_may_ever_be_public(api_get):
    public = {
        c["code"]: c["may_be_public"] for c in api_get("demo-shequ", "/categories").json()["items"]
    }
    assert public["neighbour"] is False  # disputes name private people
    assert public["security"] is False
    assert public["sanitation"] is True
    assert public["parking"] is True


def test_category_names_follow_the_users_language(api_get, world):
    type(world.user("demo-shequ")).objects.filter(username="demo-shequ").update(language="en")
    tree = api_get("demo-shequ", "/categories").json()["items"]
    assert tree[0]["name"] == "Neighbour dispute"
    assert tree[0]["children"][2]["name"] == "Odour"


def test_an_inactive_category_is_not_offered(api_get):
    from shuren.cases.models import Category

    Category.objects.filter(code="elevator").update(active=False)
    codes = [c["code"] for c in api_get("demo-resident", "/categories").json()["items"]]
    assert "elevator" not in codes


def test_the_category_tree_pages_over_its_top_level_with_children_whole(api_get):
    second = api_get("demo-resident", "/categories?limit=2&offset=0").json()
    assert (second["count"], second["limit"], len(second["items"])) == (9, 2, 2)
    assert len(second["items"][0]["children"]) == 7
    rest = api_get("demo-resident", "/categories?limit=50&offset=8").json()["items"]
    assert [c["code"] for c in rest] == ["other"]


def test_the_category_tree_is_one_query_after_authentication(
    client, token_for, django_assert_num_queries
):
    headers = token_for("demo-resident")
    # token, token last-use, categories
    with django_assert_num_queries(3):
        assert client.get("/api/v1/categories", headers=headers).status_code == 200


# --- Reporting ----------------------------------------------------------------------------------


def test_a_resident_reports_on_their_own_unit_and_gets_201_with_the_new_case(post, world, fish):
    response = post("demo-resident", "/cases", fish)
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["number"] == case.number
    assert body["number"].startswith("GC-")
    assert body["status"] == "reported"
    assert body["status_label"] == "待受理"
    assert body["tier"] == 1  # the building has a leader
    assert body["version"] == 1
    assert body["category"] == {"code": "neighbour-odour", "name": "异味"}
    assert body["place"]["name"] == "1栋1单元"
    assert body["channel"] == "online"
    assert case.reporter == world.person("P-WANG")
    assert case.recorded_by == world.user("demo-resident")
    assert case.description == "每天下午都晒，窗户不敢开。"


def test_a_resident_may_report_on_their_building_and_estate(post, world, fish):
    for code in ("GC-JD-JYLW-B01", "GC-JD-JYLW"):
        response = post("demo-resident", "/cases", {**fish, "place": world.place(code).pk})
        assert response.status_code == 201, code


@pytest.mark.parametrize(
    "code",
    [
        "GC-JD-JYLW-B02",  # the next building
        "GC-JD",  # their community
        "GC-TC-JYZY-T1",  # another community
    ],
)
def test_a_resident_may_not_report_where_they_do_not_live(post, world, fish, code):
    response = post("demo-resident", "/cases", {**fish, "place": world.place(code).pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "place",
            "location": "body",
            "code": "not_found",
            "message": "在您的范围内找不到这个地点。",
        }
    ]
    assert not Case.objects.exists()


def test_a_missing_place_reads_exactly_like_one_out_of_scope(post, world, fish):
    out = post("demo-resident", "/cases", {**fish, "place": world.place("GC-TC").pk})
    missing = post("demo-resident", "/cases", {**fish, "place": 987654321})
    assert out.status_code == missing.status_code == 422
    assert out.content == missing.content


def test_residents_report_online_only(post, fish):
    response = post("demo-resident", "/cases", {**fish, "channel": "phone"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "居民请在线上报；只有工作人员可以登记来源渠道。",
    }
    assert not Case.objects.exists()


def test_residents_do_not_set_the_risk_level(post, fish):
    response = post("demo-resident", "/cases", {**fish, "risk": "high"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert post("demo-resident", "/cases", {**fish, "risk": "low"}).status_code == 201


def test_a_leader_records_a_patrol_finding_with_its_risk(post, world):
    response = post(
        "demo-louzhang",
        "/cases",
        {
            "place": world.place("GC-JD-JYLW-B01").pk,
            "category": "safety",
            "title": "三楼楼道电动车充电",
            "channel": "patrol",
            "risk": "high",
        },
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.channel == Channel.PATROL
    assert case.risk == "high"
    assert case.reporter == world.person("P-LZ1")  # found it themselves


def test_staff_record_a_phone_call_for_an_anonymous_caller(post, world):
    response = post(
        "demo-shequ",
        "/cases",
        {
            "place": world.place("GC-JD-JYLW-B02").pk,
            "category": "neighbour-noise",
            "title": "深夜装修噪音",
            "channel": "phone",
            "contact_name": "陈先生",
            "contact_phone": "13987654321",
        },
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.reporter is None
    assert (case.contact_name, case.contact_phone) == ("陈先生", "13987654321")
    assert "13987654321" not in response.content.decode()


def test_a_residents_contact_details_do_not_make_them_anonymous(post, world, fish):
    response = post("demo-resident", "/cases", {**fish, "contact_phone": "13900001111"})
    case = Case.objects.get(pk=response.json()["id"])
    assert case.reporter == world.person("P-WANG")


def test_staff_may_not_report_outside_their_scope(post, world, fish):
    response = post("demo-shequ2", "/cases", fish)  # 同成 staff, a 尖东 place
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "place"


def test_the_auditor_reports_nowhere(post, fish):
    assert post("demo-auditor", "/cases", fish).status_code == 422


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"category": "ghosts"}, "category", "not_found"),
        ({"title": "   "}, "title", "string_too_short"),
        ({"title": "长" * 201}, "title", "string_too_long"),
        ({"channel": "pigeon"}, "channel", "enum"),
        ({"risk": "apocalyptic"}, "risk", "enum"),
        ({"place": "here"}, "place", "int_parsing"),
        ({"contact_phone": "call me"}, "contact_phone", "string_pattern_mismatch"),
    ],
)
def test_invalid_reports_are_422_naming_the_field(post, fish, change, field, code):
    response = post("demo-resident", "/cases", {**fish, **change})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "部分数据不正确。"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, code)]
    assert not Case.objects.exists()


def test_a_report_without_a_title_names_the_missing_field(post, fish):
    del fish["title"]
    body = post("demo-resident", "/cases", fish).json()
    assert body["errors"] == [
        {"field": "title", "location": "body", "code": "missing", "message": "必填。"}
    ]


def test_an_inactive_category_is_refused(post, fish):
    from shuren.cases.models import Category

    Category.objects.filter(code="neighbour-odour").update(active=False)
    response = post("demo-resident", "/cases", fish)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"


def test_a_body_that_is_not_json_is_400(client, token_for):
    response = client.post(
        "/api/v1/cases", "{not json", content_type="application/json", headers=token_for("nobody")
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_the_same_fields_may_come_form_encoded(client, token_for, world, fish):
    response = client.post("/api/v1/cases", fish, headers=token_for("demo-resident"))
    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["id"]).title == fish["title"]


# --- Idempotency --------------------------------------------------------------------------------


def test_a_retried_report_with_the_same_key_returns_the_same_case_with_200(post, fish):
    first = post("demo-resident", "/cases", fish, **{"Idempotency-Key": "a1b2c3"})
    again = post("demo-resident", "/cases", fish, **{"Idempotency-Key": "a1b2c3"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_a_retry_returns_the_case_as_it_is_now(post, fish, world):
    from shuren.cases.actions import accept_case

    first = post("demo-resident", "/cases", fish, **{"Idempotency-Key": "k"}).json()
    accept_case(actor=world.user("demo-louzhang"), case=Case.objects.get(pk=first["id"]))
    again = post("demo-resident", "/cases", fish, **{"Idempotency-Key": "k"}).json()
    assert (again["status"], again["version"]) == (Status.ACCEPTED, 2)


def test_different_keys_and_no_key_create_new_cases(post, fish):
    assert post("demo-resident", "/cases", fish, **{"Idempotency-Key": "one"}).status_code == 201
    assert post("demo-resident", "/cases", fish, **{"Idempotency-Key": "two"}).status_code == 201
    assert post("demo-resident", "/cases", fish).status_code == 201
    assert post("demo-resident", "/cases", fish).status_code == 201
    assert Case.objects.count() == 4


def test_keys_belong_to_one_user(post, world, fish):
    mine = post("demo-resident", "/cases", fish, **{"Idempotency-Key": "shared"})
    theirs = post(
        "demo-louzhang",
        "/cases",
        {**fish, "place": world.place("GC-JD-JYLW-B01").pk},
        **{"Idempotency-Key": "shared"},
    )
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]


def test_an_overlong_key_is_refused(post, fish):
    response = post("demo-resident", "/cases", fish, **{"Idempotency-Key": "k" * 101})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert response.json()["errors"][0]["location"] == "header"


def test_reporting_tells_the_building_leader(post, world, fish):
    from shuren.notify.models import Notification
    from shuren.testing import deliver

    post("demo-resident", "/cases", fish)
    deliver()
    assert Notification.objects.filter(recipient=world.user("demo-louzhang")).count() == 1


def test_a_form_body_that_does_not_match_its_header_is_400(client, token_for):
    response = client.post(
        "/api/v1/cases",
        b'{"place": 1}',
        content_type="multipart/form-data",  # no boundary
        headers=token_for("demo-resident"),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_reporting_costs_a_fixed_number_of_queries(
    client, token_for, world, fish, django_assert_num_queries
):
    from shuren.cases import reference
    from shuren.workdays.current import current_calendar, invalidate_calendar

    headers = {**token_for("demo-resident"), "Idempotency-Key": "once"}
    # The holiday table is read once per process, this year's counter row made once a year.
    # The categories and the calendar are kept per process for a minute: forgotten here, so
    # the first report reads them and the minute does not end between it and the counted ones
    # (it did, on a loaded machine, for a copy an earlier test had read).
    reference.forget()
    invalidate_calendar()
    current_calendar()
    client.post(
        "/api/v1/cases", fish, content_type="application/json", headers=token_for("demo-resident")
    )
    # token, token last-use, the place, the user's standing (posts and homes in one), and
    # the action's 9 (savepoint, the stairwell's subtree and its leaders, … event, outbox row,
    # release); the category is kept per process; and the tallies' one upsert
    with django_assert_num_queries(14):
        response = client.post(
            "/api/v1/cases", fish, content_type="application/json", headers=headers
        )
    assert response.status_code == 201
    # A retry: the token, the place, the standing, the attempt until its key is refused
    # (savepoint, subtree, leaders, counter, case, key, rollback, release), the key with its
    # case, and that case's category and place for the answer. Rare, so the first submission
    # is the one kept cheap.
    with django_assert_num_queries(14):
        again = client.post("/api/v1/cases", fish, content_type="application/json", headers=headers)
    assert again.status_code == 200
