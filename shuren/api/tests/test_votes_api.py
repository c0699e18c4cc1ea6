"""The owners' votes API: an organiser calls a vote (a retry with the same Idempotency-Key does
not call a second), an owner casts their own ballot once, late and outsiders are refused with a
code and words, an organiser enters a paper ballot with its scan as multipart, the result holds
both tests; another's vote answers 404 exactly like a missing id."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.deliberation.actions import close_vote
from shuren.deliberation.models import Ballot, BallotPaper, Vote
from shuren.deliberation.tests.conftest import open_vote
from shuren.deliberation.tests.files import scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def post(client, token_for):
    def _post(username, path, data=None, **extra):
        return client.post(
            f"/api/v1{path}",
            data or {},
            content_type="application/json",
            headers={**token_for(username), **extra.pop("headers", {})},
            **extra,
        )

    return _post


def _call_body(world, days=16):
    now = timezone.now()
    return {
        "place": world.place("GC-JD-JYLW-B01").pk,
        "matter": 4,
        "title": "续聘物业服务企业",
        "opens_at": (now + dt.timedelta(days=days)).isoformat(),
        "closes_at": (now + dt.timedelta(days=days + 7)).isoformat(),
    }


def test_an_organiser_calls_a_vote_and_a_retry_returns_the_same(world, post):
    first = post("demo-shequ", "/votes", _call_body(world), headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    body = first.json()
    assert (body["matter"], body["status"], body["units"] > 0) == (4, "announced", True)
    again = post("demo-shequ", "/votes", _call_body(world), headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Vote.objects.count() == 1


def test_times_without_an_offset_are_guicheng_s_not_a_server_error(world, post):
    body = _call_body(world)
    body["opens_at"] = "2099-01-01T09:00"
    body["closes_at"] = "2099-01-08T09:00"
    called = post("demo-shequ", "/votes", body)
    assert called.status_code == 201
    assert called.json()["opens_at"].startswith("2099-01-01T01:00")  # 09:00 in Guicheng


def test_a_short_notice_and_a_place_not_theirs_are_refused(world, post):
    short = post("demo-shequ", "/votes", _call_body(world, days=5))
    assert short.status_code == 422
    assert short.json()["errors"][0]["code"] == "notice_period"
    assert "15" in short.json()["errors"][0]["message"]
    other = post("demo-shequ2", "/votes", _call_body(world))
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "place"
    resident = post("demo-resident", "/votes", _call_body(world))
    assert resident.status_code == 422
    assert not Vote.objects.exists()


def test_an_owner_casts_their_ballot_once(world, post, api_get):
    vote = open_vote(world)
    listed = api_get("demo-resident", "/votes").json()
    assert [v["id"] for v in listed["items"]] == [vote.pk]
    assert api_get("demo-resident", f"/votes/{vote.pk}").json()["actions"] == ["cast_ballot"]
    cast = post("demo-resident", f"/votes/{vote.pk}/ballots", {"choice": "agree"})
    assert cast.status_code == 201
    assert (cast.json()["origin"], cast.json()["choice_label"]) == ("web", "同意")
    again = post("demo-resident", f"/votes/{vote.pk}/ballots", {"choice": "disagree"})
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "already_voted"
    mine = api_get("demo-resident", f"/votes/{vote.pk}").json()["my_ballots"]
    assert [b["choice"] for b in mine] == ["agree"]


def test_a_late_ballot_is_a_conflict_in_words(world, post):
    vote = open_vote(world, closes_in=-1)
    late = post("demo-resident", f"/votes/{vote.pk}/ballots", {"choice": "agree"})
    assert late.status_code == 409
    assert late.json()["code"] == "late"
    assert "不予计入" in late.json()["message"]


def test_another_s_vote_is_404_like_a_missing_one(world, post, api_get):
    vote = open_vote(world)
    outsider = post("demo-louzhang2", f"/votes/{vote.pk}/ballots", {"choice": "agree"})
    missing = post("demo-louzhang2", "/votes/987654321/ballots", {"choice": "agree"})
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json() == missing.json()
    assert api_get("demo-louzhang2", f"/votes/{vote.pk}/result").status_code == 404
    assert api_get("demo-louzhang2", "/votes").json()["count"] == 0


def test_an_organiser_enters_a_paper_ballot_with_its_scan(world, client, token_for):
    vote = open_vote(world)
    key = f"p{world.person('P-CHEN').pk}"
    data = {"choice": "disagree", "origin": "paper", "owner_key": key}
    data["person"] = str(world.person("P-CHEN").pk)
    without = client.post(f"/api/v1/votes/{vote.pk}/ballots", data, headers=token_for("demo-shequ"))
    assert without.status_code == 422
    assert without.json()["errors"][0]["code"] == "paper_missing"
    entered = client.post(
        f"/api/v1/votes/{vote.pk}/ballots",
        {**data, "paper": scan()},
        headers=token_for("demo-shequ"),
    )
    assert entered.status_code == 201
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.origin, ballot.person) == ("paper", world.person("P-CHEN"))
    assert BallotPaper.objects.filter(ballot=ballot, kind="scan").exists()


def test_the_result_shows_both_tests_with_their_numbers(world, post, api_get):
    vote = open_vote(world)
    assert api_get("demo-resident", f"/votes/{vote.pk}/result").json()["counted"] is False
    post("demo-resident", f"/votes/{vote.pk}/ballots", {"choice": "agree"})
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    close_vote(actor=None, vote=vote)
    result = api_get("demo-resident", f"/votes/{vote.pk}/result").json()
    assert result["counted"] is True
    assert [t["key"] for t in result["tests"]] == ["participation", "approval"]
    participation = result["tests"][0]
    assert participation["met"] is False
    assert [m["by"] for m in participation["measures"]] == ["按专有部分面积", "按业主人数"]
    assert participation["measures"][1]["numerator"] == "1"
    assert "未通过" in result["outcome"]


def test_the_list_takes_a_pinned_number_of_queries(world, api_get, django_assert_max_num_queries):
    for n in range(4):
        open_vote(world, title=f"表决{n}")
    with django_assert_max_num_queries(10):
        body = api_get("demo-shequ", "/votes").json()
    assert body["count"] == 4
