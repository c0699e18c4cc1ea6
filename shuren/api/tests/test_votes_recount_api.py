"""Recounting and calling off an owners' vote through the API: an organiser corrects a paper
ballot entered wrongly and the result answers counted again; an elector may not; a vote not
counted is a conflict to recount and is called off, saying why, once."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.deliberation.actions import call_vote, cast_ballot, close_vote, enter_ballot
from shuren.deliberation.models import Ballot, Vote
from shuren.deliberation.tests.files import scan
from shuren.deliberation.votes.choices import Matter
from shuren.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

NOTICE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
OPENS = NOTICE + dt.timedelta(days=15)
CLOSES = NOTICE + dt.timedelta(days=22)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def post(client, token_for):
    def _post(username, path, data=None):
        return client.post(
            f"/api/v1{path}",
            data or {},
            content_type="application/json",
            headers=token_for(username),
        )

    return _post


def _vote(world):
    return call_vote(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        matter=Matter.REBUILD,
        title="1栋1单元加装电梯",
        opens_at=OPENS,
        closes_at=CLOSES,
        at=NOTICE,
    )


@pytest.fixture
def counted(world):
    """王秀英 agreed online; 陈美玲's paper ballot was entered as disagree: not passed."""
    vote = _vote(world)
    during = OPENS + dt.timedelta(days=1)
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=during)
    enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=f"p{world.person('P-CHEN').pk}",
        choice="disagree",
        origin="paper",
        person=world.person("P-CHEN"),
        paper=scan(),
        at=during,
    )
    return close_vote(actor=world.user("demo-shequ"), vote=vote, at=CLOSES)


def test_an_organiser_corrects_a_paper_ballot_and_the_result_is_counted_again(world, post, counted):
    ballot = Ballot.objects.get(vote=counted, owner_key=f"p{world.person('P-CHEN').pk}")
    body = {
        "corrections": [{"kind": "change_choice", "ballot": ballot.pk, "choice": "agree"}],
        "reason": "纸质票实为同意，录入有误",
    }
    assert post("demo-resident", f"/votes/{counted.pk}/recount", body).status_code == 403
    recounted = post("demo-shequ", f"/votes/{counted.pk}/recount", body)
    assert recounted.status_code == 200
    assert recounted.json()["counted"] is True
    ballot.refresh_from_db()
    assert ballot.choice == "agree"


def test_a_change_without_the_choice_is_refused_in_words(world, post, counted):
    ballot = Ballot.objects.filter(vote=counted).first()
    body = {"corrections": [{"kind": "change_choice", "ballot": ballot.pk}], "reason": "核对"}
    refused = post("demo-shequ", f"/votes/{counted.pk}/recount", body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"] == "请说明纸质表决票上的选择。"


def test_a_vote_not_counted_is_a_conflict_to_recount_and_is_called_off_once(world, post):
    vote = _vote(world)
    early = post("demo-shequ", f"/votes/{vote.pk}/recount", {"reason": "核对"})
    assert early.status_code == 409
    assert early.json()["code"] == "not_counted"
    assert post("demo-resident", f"/votes/{vote.pk}/cancel", {"reason": "不要"}).status_code == 403
    off = post("demo-shequ", f"/votes/{vote.pk}/cancel", {"reason": "方案需重新论证"})
    assert off.status_code == 200
    assert (off.json()["status"], off.json()["actions"]) == ("cancelled", [])
    again = post("demo-shequ", f"/votes/{vote.pk}/cancel", {"reason": "方案需重新论证"})
    assert again.status_code == 409
    assert again.json()["code"] == "status"
    assert Vote.objects.get(pk=vote.pk).status == "cancelled"


@pytest.fixture
def one_short(world):
    """Only 王秀英 voted (online): counted without a quorum; 陈美玲's paper ballot was missed."""
    vote = _vote(world)
    cast_ballot(
        actor=world.user("demo-resident"),
        vote=vote,
        choice="agree",
        at=OPENS + dt.timedelta(days=1),
    )
    return close_vote(actor=world.user("demo-shequ"), vote=vote, at=CLOSES)


def _missed(world, **extra):
    chen = world.person("P-CHEN")
    return {
        "choice": "agree",
        "origin": "paper",
        "owner_key": f"p{chen.pk}",
        "person": str(chen.pk),
        "received_at": (OPENS + dt.timedelta(days=2)).isoformat(),
        "reason": "信箱中漏收的纸质票",
        **extra,
    }


def test_an_organiser_adds_a_paper_ballot_missed_with_its_scan_and_the_vote_passes(
    world, client, token_for, one_short
):
    path = f"/api/v1/votes/{one_short.pk}/recount/ballots"
    assert one_short.passed is False
    without = client.post(path, _missed(world), headers=token_for("demo-shequ"))
    assert without.status_code == 422
    assert without.json()["errors"][0]["code"] == "paper_missing"
    resident = client.post(path, _missed(world, paper=scan()), headers=token_for("demo-resident"))
    assert resident.status_code == 403
    added = client.post(path, _missed(world, paper=scan()), headers=token_for("demo-shequ"))
    assert added.status_code == 200
    assert (added.json()["counted"], added.json()["passed"]) == (True, True)
    ballot = Ballot.objects.get(vote=one_short, owner_key=f"p{world.person('P-CHEN').pk}")
    assert (ballot.origin, ballot.choice) == ("paper", "agree")
    assert ballot.cast_at == OPENS + dt.timedelta(days=2)


def test_a_ballot_received_after_the_close_is_not_added(world, client, token_for, one_short):
    late = client.post(
        f"/api/v1/votes/{one_short.pk}/recount/ballots",
        _missed(world, received_at=CLOSES.isoformat(), paper=scan()),
        headers=token_for("demo-shequ"),
    )
    assert late.status_code == 409
    assert late.json()["code"] == "late"
    assert Ballot.objects.filter(vote=one_short).count() == 1


def test_a_vote_not_counted_is_a_conflict_to_add_a_ballot_to(world, client, token_for):
    vote = _vote(world)
    early = client.post(
        f"/api/v1/votes/{vote.pk}/recount/ballots",
        _missed(world, paper=scan()),
        headers=token_for("demo-shequ"),
    )
    assert early.status_code == 409
    assert early.json()["code"] == "not_counted"
