"""The demo's owners' votes: in 金域蓝湾 building 1, one open now in which demo-resident is an
elector who has not voted yet, and one counted and passed in which she voted online."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from shuren.deliberation.models import Ballot, Vote
from shuren.deliberation.votes.counting import stored_result
from shuren.deliberation.votes.electorate import owner_keys_of
from shuren.deliberation.votes.rules import available_actions
from shuren.demo.votes import CLOSED, OPEN, load_demo_votes

pytestmark = [pytest.mark.django_db, pytest.mark.early]


def test_demo_resident_may_vote_in_the_open_vote(demo):
    resident = get_user_model().objects.get(username="demo-resident")
    vote = Vote.objects.get(title=OPEN)
    assert vote.is_open(timezone.now())
    assert owner_keys_of(vote, resident.person_id)
    assert available_actions(resident, vote) == ["cast_ballot"]
    assert Ballot.objects.filter(vote=vote).exists()  # some neighbours voted on paper


def test_the_closed_vote_passed_with_her_ballot_online(demo):
    resident = get_user_model().objects.get(username="demo-resident")
    vote = Vote.objects.get(title=CLOSED)
    assert (vote.status, vote.quorum_met, vote.passed) == ("closed", True, True)
    result = stored_result(vote)
    assert result is not None
    assert result.voted_headcount >= result.total_headcount * 2 / 3
    mine = Ballot.objects.get(vote=vote, owner_key__in=owner_keys_of(vote, resident.person_id))
    assert mine.origin == "web"


def test_loading_again_adds_no_vote(demo):
    assert load_demo_votes() == {"votes": 0}
