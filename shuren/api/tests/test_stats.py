"""GET /api/v1/stats/report: the work report's figures of a place and period as JSON, with
their definitions; rates are shares 0-1 or null; out of the caller's scope a 404 like a missing
place; a period that cannot be counted is refused in words, never a 500."""

from __future__ import annotations

import pytest

from shuren.cases.tests.conftest import category, report, sh  # noqa: F401
from shuren.insights.report import DEFINITIONS
from shuren.insights.tests.test_tallies import settle

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
KEYS = {
    "neighbour_disputes",
    "sanitation",
    "security",
    "facilities",
    "safety",
    "parking",
    "elevator_stairwells",
    "elevator_estates",
    "leader_teams",
    "leaders",
    "party_member_leaders",
    "on_the_spot_rate",
    "within_community_rate",
    "within_subdistrict_rate",
    "never_escalated_out_rate",
    "on_time_rate",
    "satisfaction_rate",
}


@pytest.fixture
def march(report):  # noqa: F811
    settle(report(), at=sh(2026, 3, 3, 10))
    settle(report(title="楼上漏水"), satisfied=None, at=sh(2026, 3, 4, 10))
    settle(report(category_code="parking", title="车位被占"), at=sh(2026, 3, 5, 10))


def test_the_report_has_every_key_of_the_issue_and_their_definitions(api_get, world, march):
    body = api_get("demo-shequ", "/stats/report", place=world.place("GC-JD").pk, **MARCH).json()
    assert set(body) >= KEYS
    assert body["neighbour_disputes"] == 2
    assert body["parking"] == 1
    assert body["sanitation"] == 0
    assert body["elevator_stairwells"] == 0  # counted from the elevator projects
    assert body["elevator_estates"] == 0
    assert set(body["definitions"]) == {d.code for d in DEFINITIONS}
    assert set(body["definitions"]["parking"]) == {"label", "unit", "definition"}
    assert body["definitions"]["parking"]["unit"] == "起"


def test_rates_are_shares_between_0_and_1_or_null(api_get, world, march):
    body = api_get("demo-shequ", "/stats/report", place=world.place("GC-JD").pk, **MARCH).json()
    rates = [k for k in KEYS if k.endswith("_rate")]
    assert all(body[k] is None or 0 <= body[k] <= 1 for k in rates)
    assert body["on_the_spot_rate"] == 1.0


def test_nothing_to_count_is_null_not_zero(api_get, world):
    body = api_get("demo-shequ", "/stats/report", place=world.place("GC-JD").pk, **MARCH).json()
    assert body["on_the_spot_rate"] is None
    assert body["satisfaction_rate"] is None
    assert body["neighbour_disputes"] == 0


@pytest.mark.parametrize(
    ("user", "place"),
    [
        ("demo-resident", "GC-JD"),
        ("demo-tiaojie", "GC-JD"),
        ("demo-admin", "GC-JD"),
        ("demo-shequ", "GC-TC"),
        ("demo-louzhang", "GC-JD"),
    ],
)
def test_out_of_scope_is_the_404_of_a_missing_place(api_get, world, user, place):
    other = api_get(user, "/stats/report", place=world.place(place).pk, **MARCH)
    missing = api_get(user, "/stats/report", place=987_654_321, **MARCH)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


@pytest.mark.parametrize(
    "period",
    [{"start": "2026-02-30", "end": "2026-03-01"}, {"start": "2026-03-01"}],
)
def test_a_date_that_is_no_date_is_refused_in_words(api_get, world, period):
    response = api_get("demo-shequ", "/stats/report", place=world.place("GC-JD").pk, **period)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "期间的结束日期早于开始日期。"),
        ({"start": "1980-01-01", "end": "2026-03-01"}, "期间不能超过三十年。"),
    ],
)
def test_a_period_that_cannot_be_counted_says_why(api_get, world, period, words):
    response = api_get("demo-shequ", "/stats/report", place=world.place("GC-JD").pk, **period)
    assert response.status_code == 400
    assert response.json() == {"code": "bad_period", "message": words}
