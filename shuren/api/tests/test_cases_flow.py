"""The API asks the same domain as the case page: the tiers a role may send to, the rating a
leader records for a resident, 结案 after the rating, and the matters a person handled."""

from __future__ import annotations

import pytest

from shuren.cases import actions
from shuren.cases.models import Case, CaseEvent, Category, Status, Tier
from shuren.cases.tests.conftest import MONDAY, sh
from shuren.cases.workflow.rating import rating_window_ends
from shuren.workdays.calendar import SHANGHAI


@pytest.fixture
def post(client, token_for):
    def _post(username: str, case: Case, action: str, **body):
        version = Case.objects.get(pk=case.pk).version
        return client.post(
            f"/api/v1/cases/{case.pk}/{action}",
            {"version": version, **body},
            content_type="application/json",
            headers=token_for(username),
        )

    return _post


@pytest.fixture
def report(world):
    """Report a matter as a named user at a named place on Monday 2 March 2026."""

    def _report(
        username: str = "demo-resident",
        place: str = "GC-JD-JYLW-B01-U1",
        *,
        category_code: str = "neighbour-odour",
        title: str = "楼下邻居晒咸鱼，气味很大",
        **extra,
    ) -> Case:
        return actions.report_case(
            actor=world.user(username),
            place=world.place(place),
            category=Category.objects.get(code=category_code),
            title=title,
            at=MONDAY,
            **extra,
        )

    return _report


@pytest.fixture
def fish(report):
    return report()


def test_a_building_leader_asking_for_the_subdistrict_is_told_where_they_may_send_it(post, fish):
    response = post("demo-louzhang", fish, "escalate", reason="需街道协调", to_tier=4)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("to_tier", "tier_not_allowed")
    assert error["message"] == "您可以把这件事项上报到：小区、社区。"
    assert Case.objects.get(pk=fish.pk).current_tier == Tier.BUILDING


def test_a_building_leader_sends_it_to_the_community(post, fish):
    response = post("demo-louzhang", fish, "escalate", reason="需社区协调", to_tier=3)
    assert response.status_code == 200
    assert response.json()["tier"] == Tier.COMMUNITY


def test_a_referral_beyond_the_subdistrict_names_where(post, report, world):
    case = report("demo-shequ", tier=Tier.COMMUNITY)
    response = post("demo-shequ", case, "escalate", reason="涉嫌违法", to_tier=5)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["message"]) == ("referred_to", "请填写转交单位。")
    response = post(
        "demo-shequ", case, "escalate", reason="涉嫌违法", to_tier=5, referred_to="桂城派出所"
    )
    assert response.status_code == 200
    assert response.json()["tier"] == Tier.BEYOND


def test_a_property_company_given_a_community_matter_hands_it_back_rather_than_up(
    post, report, world
):
    case = report("demo-shequ", tier=Tier.COMMUNITY)
    company = world.place("GC-JD-JYLW").property_company
    actions.assign_case(actor=world.user("demo-shequ"), case=case, team=company)
    detail = post("demo-wuye", case, "note", note="已看过").json()
    assert "escalate" not in detail["actions"]
    assert "return" in detail["actions"]
    response = post("demo-wuye", case, "escalate", reason="需街道协调")
    assert response.status_code == 403


def _resolved(world, report, **kwargs) -> Case:
    return actions.resolve_case(
        actor=world.user("demo-louzhang"),
        case=report(**kwargs),
        method="on_the_spot",
        summary="已上门劝说，不再晾晒。",
        at=sh(2026, 3, 2, 15),
    )


def test_the_leader_records_the_rating_the_resident_gave_in_person(post, report, world):
    case = _resolved(world, report)
    response = post("demo-louzhang", case, "rate-on-behalf", satisfied=True, via="in_person")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["satisfied"]) == ("followed_up", True)
    assert body["events"][-1]["kind"] == "rated_behalf"
    assert body["events"][-1]["kind_label"] == "代居民评价"
    assert body["events"][-1]["data"] == {"satisfied": True, "via": "in_person"}


def test_the_resident_rates_for_themselves_not_on_their_own_behalf(post, report, world):
    case = _resolved(world, report)
    refused = post("demo-resident", case, "rate-on-behalf", satisfied=True, via="phone")
    assert refused.status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
    response = post("demo-resident", case, "follow-up", satisfied=True)
    assert response.status_code == 200
    assert response.json()["events"][-1]["kind_label"] == "居民评价"


def test_an_unknown_way_of_hearing_is_refused(post, report, world):
    case = _resolved(world, report)
    response = post("demo-shequ", case, "rate-on-behalf", satisfied=True, via="telepathy")
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_closing_waits_for_the_rating_and_the_api_says_until_when(post, report, world, api_get):
    case = actions.resolve_case(
        actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="已劝说"
    )
    ends = rating_window_ends(Case.objects.get(pk=case.pk))
    assert "close" not in api_get("demo-shequ", f"/cases/{case.pk}").json()["actions"]
    response = post("demo-shequ", case, "close")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["code"] == "awaiting_rating"
    assert f"{ends.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" in error["message"]
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_closing_is_offered_once_the_rating_window_has_passed(post, report, world, api_get):
    case = _resolved(world, report)  # on 2 March: the three working days ran out on 5 March
    assert rating_window_ends(Case.objects.get(pk=case.pk)) == sh(2026, 3, 5, 15)
    assert "close" in api_get("demo-shequ", f"/cases/{case.pk}").json()["actions"]
    assert post("demo-shequ", case, "close").json()["status"] == "closed"


def test_a_leader_keeps_a_matter_they_were_given_outside_their_building(
    post, report, world, api_get
):
    # The estate's gate: outside 刘楼长's building. Staff give it to him, he looks at it, and
    # then it goes up to the subdistrict without him.
    gate = report("demo-shequ", "GC-JD-JYLW", category_code="facilities", title="小区大门坏了")
    actions.assign_case(
        actor=world.user("demo-shequ"), case=gate, person=world.person("P-LZ1"), at=MONDAY
    )
    actions.escalate_case(actor=world.user("demo-shequ"), case=gate, reason="需街道协调")
    listed = api_get("demo-louzhang", "/cases").json()["items"]
    assert gate.number in {item["number"] for item in listed}
    detail = api_get("demo-louzhang", f"/cases/{gate.pk}").json()
    assert detail["actions"] == ["note"]
    assert post("demo-louzhang", gate, "note", note="门卫说周一来修").status_code == 200
    assert CaseEvent.objects.filter(case=gate, kind="noted").count() == 1
    # 张楼长 of building 2 never had it.
    assert api_get("demo-louzhang2", f"/cases/{gate.pk}").status_code == 404
