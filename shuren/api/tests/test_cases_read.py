"""GET /api/v1/cases and /cases/{id}: the scoped list, its filters, one case and its timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.cases import actions
from shuren.cases.models import Case, Category, OverdueFlag
from shuren.people.models import Team
from shuren.testing import ROLE_USERS
from shuren.workdays.calendar import SHANGHAI

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def report(world):
    """Report a case through the action, as a named user at a named place."""

    def _report(
        username: str = "demo-resident",
        place: str = "GC-JD-JYLW-B01-U1",
        *,
        category: str = "neighbour-odour",
        title: str = "楼下邻居晒咸鱼，气味很大",
        at: dt.datetime = MONDAY,
        **extra,
    ) -> Case:
        return actions.report_case(
            actor=world.user(username),
            place=world.place(place),
            category=Category.objects.get(code=category),
            title=title,
            at=at,
            **extra,
        )

    return _report


@pytest.fixture
def corners(report):
    """One case in each corner of the world, reported a minute apart (b01 the oldest)."""
    made = {}
    for minute, (name, user, place, title, category) in enumerate(
        [
            ("b01", "demo-resident", "GC-JD-JYLW-B01-U1", "楼下晒咸鱼", "neighbour-odour"),
            ("b02", "demo-louzhang2", "GC-JD-JYLW-B02", "2栋电梯异响", "facilities"),
            ("jdxc", "demo-shequ", "GC-JD-JDXC-B01", "旧村下水道堵塞", "sanitation"),
            ("tc", "demo-shequ2", "GC-TC-JYZY-T1-F01", "T1栋外墙掉砖", "safety"),
            ("lane", "demo-xiangzhang", "GC-JB-L01-B01", "巷口积水", "sanitation"),
        ]
    ):
        made[name] = report(
            user, place, title=title, category=category, at=MONDAY + dt.timedelta(minutes=minute)
        )
    return made


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


# --- The list -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("demo-resident", ["楼下晒咸鱼"]),  # what they reported, not the neighbours' matters
        ("demo-louzhang", ["楼下晒咸鱼"]),
        ("demo-louzhang2", ["2栋电梯异响"]),
        ("demo-xiangzhang", ["巷口积水"]),
        ("demo-jiezhang", []),
        ("demo-shequ", ["旧村下水道堵塞", "2栋电梯异响", "楼下晒咸鱼"]),
        ("demo-shequ2", ["T1栋外墙掉砖"]),
        ("demo-wuye", []),  # none of them reached the estate tier or was given to it
        ("demo-tiaojie", ["T1栋外墙掉砖", "旧村下水道堵塞", "2栋电梯异响", "楼下晒咸鱼"]),
        (
            "demo-jiedao",
            ["巷口积水", "T1栋外墙掉砖", "旧村下水道堵塞", "2栋电梯异响", "楼下晒咸鱼"],
        ),
        ("demo-auditor", []),
        ("demo-secadmin", []),
        ("nobody", []),
    ],
)
def test_each_role_lists_its_cases_newest_first(api_get, corners, username, expected):
    response = api_get(username, "/cases")
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.json()["count"] == len(expected)


def test_a_list_item_carries_what_an_inbox_row_needs(api_get, corners, world):
    (item,) = api_get("demo-louzhang", "/cases").json()["items"]
    case = corners["b01"]
    assert item == {
        "id": case.pk,
        "number": case.number,
        "title": "楼下晒咸鱼",
        "status": "reported",
        "status_label": "待受理",
        "tier": 1,
        "tier_label": item["tier_label"],
        "category": {"code": "neighbour-odour", "name": "异味"},
        "place": {
            "id": world.place("GC-JD-JYLW-B01-U1").pk,
            "name": "1栋1单元",
            "kind": "unit",
            "path": world.place("GC-JD-JYLW-B01-U1").path,
        },
        "channel": "online",
        "risk": "low",
        "overdue": item["overdue"],
        "reported_at": item["reported_at"],
        "current_due": item["current_due"],
        "assignee_person": None,
        "assignee_team": None,
        "version": 1,
    }
    assert item["current_due"] is not None
    assert item["reported_at"].startswith("2026-03-02T02:00:00")  # stored and sent in UTC


def test_pages_follow_limit_and_offset_in_a_stable_order(api_get, report):
    # Reported at the same moment: the id breaks the tie, newest first.
    made = [report(title=f"第{i}件") for i in range(5)]
    first = api_get("demo-shequ", "/cases", limit=2).json()
    second = api_get("demo-shequ", "/cases", limit=2, offset=2).json()
    rest = api_get("demo-shequ", "/cases", limit=2, offset=4).json()
    assert first["count"] == second["count"] == rest["count"] == 5
    ids = [i["id"] for page in (first, second, rest) for i in page["items"]]
    assert ids == [case.pk for case in reversed(made)]
    assert api_get("demo-shequ", "/cases", offset=10).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"limit": 201}, "limit", "less_than_equal"),
        ({"limit": 0}, "limit", "greater_than_equal"),
        ({"offset": -1}, "offset", "greater_than_equal"),
        ({"status": "lost"}, "status", "enum"),
        ({"tier": 6}, "tier", "less_than_equal"),
        ({"overdue": "perhaps"}, "overdue", "bool_parsing"),
        ({"place": "x"}, "place", "int_parsing"),
    ],
)
def test_invalid_filters_are_422(api_get, params, field, code):
    response = api_get("demo-shequ", "/cases", **params)
    assert response.status_code == 422
    assert [(e["field"], e["location"], e["code"]) for e in response.json()["errors"]] == [
        (field, "query", code)
    ]


def test_filter_by_status(api_get, world, corners):
    actions.accept_case(actor=world.user("demo-louzhang"), case=corners["b01"])
    assert titles(api_get("demo-shequ", "/cases", status="accepted")) == ["楼下晒咸鱼"]
    assert api_get("demo-shequ", "/cases", status="reported").json()["count"] == 2
    assert api_get("demo-shequ", "/cases", status="closed").json()["count"] == 0


def test_filter_by_category_takes_a_parents_children_too(api_get, corners, report):
    report(title="楼上漏水", category="neighbour-leak")
    assert titles(api_get("demo-shequ", "/cases", category="neighbour")) == [
        "楼上漏水",
        "楼下晒咸鱼",
    ]
    assert titles(api_get("demo-shequ", "/cases", category="neighbour-leak")) == ["楼上漏水"]
    assert titles(api_get("demo-shequ", "/cases", category="sanitation")) == ["旧村下水道堵塞"]
    assert api_get("demo-shequ", "/cases", category="nonsense").json()["count"] == 0


def test_filter_by_tier(api_get, corners, world):
    actions.escalate_case(
        actor=world.user("demo-louzhang"), case=corners["b01"], reason="需社区协调", to_tier=3
    )
    assert titles(api_get("demo-shequ", "/cases", tier=3)) == ["旧村下水道堵塞", "楼下晒咸鱼"]
    assert titles(api_get("demo-shequ", "/cases", tier=1)) == ["2栋电梯异响"]


def test_filter_overdue(api_get, corners):
    Case.objects.filter(pk=corners["b02"].pk).update(overdue=OverdueFlag.RED)
    Case.objects.filter(pk=corners["b01"].pk).update(overdue=OverdueFlag.YELLOW)
    assert titles(api_get("demo-shequ", "/cases", overdue="true")) == ["2栋电梯异响"]
    assert titles(api_get("demo-shequ", "/cases", overdue="false")) == [
        "旧村下水道堵塞",
        "楼下晒咸鱼",
    ]


def test_filter_by_place_takes_its_subtree(api_get, corners, world):
    estate = world.place("GC-JD-JYLW").pk
    assert titles(api_get("demo-shequ", "/cases", place=estate)) == ["2栋电梯异响", "楼下晒咸鱼"]
    building = world.place("GC-JD-JYLW-B01").pk
    assert titles(api_get("demo-shequ", "/cases", place=building)) == ["楼下晒咸鱼"]


def test_filter_by_a_place_out_of_scope_finds_nothing(api_get, corners, world):
    assert api_get("demo-shequ", "/cases", place=world.place("GC-TC").pk).json()["count"] == 0
    assert api_get("demo-shequ", "/cases", place=987654321).json()["count"] == 0


def test_search_finds_a_chinese_word_inside_a_sentence(api_get, corners, report):
    report(title="楼上漏水到我家", description="天花板一直滴水")
    assert titles(api_get("demo-shequ", "/cases", q="漏水")) == ["楼上漏水到我家"]
    assert titles(api_get("demo-shequ", "/cases", q="滴水")) == ["楼上漏水到我家"]
    assert api_get("demo-shequ", "/cases", q="停电").json()["count"] == 0


def test_search_by_case_number(api_get, corners):
    number = corners["b02"].number
    assert titles(api_get("demo-shequ", "/cases", q=number)) == ["2栋电梯异响"]


def test_search_stays_within_scope(api_get, corners):
    assert api_get("demo-louzhang", "/cases", q="外墙").json()["count"] == 0
    assert titles(api_get("demo-shequ2", "/cases", q="外墙")) == ["T1栋外墙掉砖"]


def test_an_overlong_search_is_422(api_get):
    response = api_get("demo-shequ", "/cases", q="漏" * 101)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


def test_filters_combine(api_get, corners, world):
    community = world.place("GC-JD").pk
    tier = corners["jdxc"].current_tier
    response = api_get("demo-jiedao", "/cases", place=community, category="sanitation", tier=tier)
    assert titles(response) == ["旧村下水道堵塞"]


def test_a_case_assigned_to_a_team_is_listed_for_its_members_outside_their_scope(
    api_get, corners, world
):
    workshop = Team.objects.get(code="T-SZM")
    actions.assign_case(actor=world.user("demo-shequ"), case=corners["jdxc"], team=workshop)
    assert "旧村下水道堵塞" in titles(api_get("demo-tiaojie", "/cases"))


# --- One case -----------------------------------------------------------------------------------


def test_one_case_with_its_timeline(api_get, corners, world):
    case = corners["b01"]
    actions.accept_case(actor=world.user("demo-louzhang"), case=case, note="马上去看")
    actions.add_note(actor=world.user("demo-louzhang"), case=case, note="已上门沟通")
    body = api_get("demo-louzhang", f"/cases/{case.pk}").json()
    assert body["id"] == case.pk
    assert body["status"] == "accepted"
    assert body["version"] == 3
    assert body["reporter"] == {
        "id": world.person("P-WANG").pk,
        "name": "王秀英",
        "phone": "138****5678",
    }
    assert [(e["kind"], e["actor"], e["note"]) for e in body["events"]] == [
        ("reported", "王秀英", ""),
        ("accepted", "刘楼长", "马上去看"),
        ("noted", "刘楼长", "已上门沟通"),
    ]
    assert body["events"][1]["kind_label"] == "受理"
    assert (body["events"][1]["from_status"], body["events"][1]["to_status"]) == (
        "reported",
        "accepted",
    )
    assert "notified" not in body["events"][0]["data"]
    assert body["events"][0]["data"] == {"channel": "online", "photos": 0}


def test_the_detail_lists_what_the_caller_may_do_now(api_get, corners):
    pk = corners["b01"].pk
    # In the order every face offers them (cases.rules.CASE_ACTIONS): the usual next step first.
    assert api_get("demo-louzhang", f"/cases/{pk}").json()["actions"] == [
        "accept",
        "resolve",
        "escalate",
        "note",
    ]
    assert api_get("demo-resident", f"/cases/{pk}").json()["actions"] == ["note"]
    # The community dispatches, screens and notes a leader's matter; the leader takes it on.
    assert api_get("demo-shequ", f"/cases/{pk}").json()["actions"] == [
        "assign",
        "note",
        "merge",
        "reject",
    ]


def test_a_case_out_of_scope_is_404_exactly_like_a_missing_one(api_get, corners):
    out = api_get("demo-louzhang", f"/cases/{corners['tc'].pk}")
    missing = api_get("demo-louzhang", "/cases/987654321")
    huge = api_get("demo-louzhang", f"/cases/{10**30}")
    assert out.status_code == missing.status_code == huge.status_code == 404
    assert out.content == missing.content == huge.content
    assert out.json() == {"code": "not_found", "message": "找不到。"}


@pytest.mark.parametrize("username", ROLE_USERS)
def test_detail_answers_exactly_for_the_cases_the_list_shows(api_get, corners, username):
    listed = {item["id"] for item in api_get(username, "/cases").json()["items"]}
    for case in corners.values():
        status = api_get(username, f"/cases/{case.pk}").status_code
        assert status == (200 if case.pk in listed else 404), case.title


def test_an_anonymous_contacts_phone_is_masked(api_get, report):
    case = report(
        "demo-shequ",
        "GC-JD-JYLW-B02",
        channel="phone",
        contact_name="陈先生",
        contact_phone="13987654321",
    )
    response = api_get("demo-shequ", f"/cases/{case.pk}")
    body = response.json()
    assert body["reporter"] is None
    assert (body["contact_name"], body["contact_phone"]) == ("陈先生", "139****4321")
    assert "13987654321" not in response.content.decode()


def test_no_phone_or_id_number_leaves_the_cases_api(api_get, corners, world):
    from shuren.people.models import Person

    secrets = [s for pair in Person.objects.values_list("phone", "id_number") for s in pair if s]
    for username in ROLE_USERS:
        texts = [api_get(username, "/cases").content.decode()]
        texts += [api_get(username, f"/cases/{c.pk}").content.decode() for c in corners.values()]
        for text in texts:
            assert not any(secret in text for secret in secrets), username


def test_a_merged_case_names_the_case_it_joined(api_get, report, world):
    first = report(title="楼下晒咸鱼")
    second = report(title="又在晒咸鱼")
    actions.merge_case(actor=world.user("demo-shequ"), case=second, into=first)
    body = api_get("demo-resident", f"/cases/{second.pk}").json()
    assert body["status"] == "merged"
    assert body["merged_into"] == {"id": first.pk, "number": first.number}


def test_labels_follow_the_users_language(api_get, corners, world):
    type(world.user("demo-louzhang")).objects.filter(username="demo-louzhang").update(language="en")
    body = api_get("demo-louzhang", f"/cases/{corners['b01'].pk}").json()
    assert body["status_label"] == "Reported"
    assert body["category"]["name"] == "Odour"
    assert body["events"][0]["kind_label"] == "Report received"


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "queries"),
    [
        # token, token last-use, the standing (posts, memberships and homes for scope and
        # reach in one statement), the cases they are party to, the newest of their post
        # subtrees, the newest of their own cases, the newest of those they handled (经手的;
        # each counts itself when it is not longer than the page), the page's rows
        ("demo-louzhang", 8),
        ("demo-shequ", 8),
        ("demo-jiedao", 8),
        # no post: their own cases only (and what they handled)
        ("demo-resident", 7),
        # + the estates the company manages (once, for scope and reach), + the newest it holds
        # or held at the estate tier; none of these is its, so no rows to read
        ("demo-wuye", 8),
    ],
)
def test_listing_cases_costs_a_fixed_number_of_queries(
    client, token_for, report, django_assert_num_queries, username, queries
):
    for i in range(6):
        report(title=f"第{i}件")
    headers = token_for(username)
    with django_assert_num_queries(queries):
        response = client.get("/api/v1/cases", {"limit": 200}, headers=headers)
    assert response.status_code == 200


def test_each_filter_adds_no_query_but_the_place_lookup(
    client, token_for, report, world, django_assert_num_queries
):
    report()
    headers = token_for("demo-shequ")
    params = {
        "status": "reported",
        "category": "neighbour",
        "tier": 1,
        "overdue": "false",
        "place": world.place("GC-JD-JYLW").pk,
        "q": "咸鱼",
    }
    with django_assert_num_queries(10):  # 8 as above, + the category's ids and the place's path
        response = client.get("/api/v1/cases", params, headers=headers)
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("username", "queries"),
    [
        # token, token last-use, the standing, the case, its events, its parties, where else it is
        # (cases.links: its mediations, the meetings that took it up)
        ("demo-louzhang", 8),
        # + whether the leader of this tier-1 matter has a login (staff act for one who has not)
        ("demo-shequ", 9),
        ("demo-resident", 8),
    ],
)
def test_one_case_costs_a_fixed_number_of_queries(
    client, token_for, report, world, django_assert_num_queries, username, queries
):
    case = report()
    for i in range(5):
        case = actions.add_note(actor=world.user("demo-louzhang"), case=case, note=f"第{i}次")
    headers = token_for(username)
    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/cases/{case.pk}", headers=headers)
    assert response.status_code == 200
    assert len(response.json()["events"]) == 6


def test_an_id_that_is_not_a_number_gets_the_apis_json_404(api_get, client):
    response = api_get("demo-shequ", "/cases/abc")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == api_get("demo-shequ", "/cases/987654321").content
    # Outside the API the friendly page stays.
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
