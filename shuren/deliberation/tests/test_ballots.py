"""Ballots from the opening to the close: an owner online, an organiser's paper and proxy
ballots, one per owner (the constraint), late and outsiders refused; closing counts them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.deliberation.actions import call_vote, cast_ballot, close_vote, enter_ballot
from shuren.deliberation.models import Ballot
from shuren.deliberation.tests.files import scan
from shuren.deliberation.votes.choices import Matter, Status
from shuren.deliberation.votes.counting import stored_result
from shuren.kernel.models import Outbox
from shuren.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

NOTICE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
OPENS = NOTICE + dt.timedelta(days=15)
CLOSES = NOTICE + dt.timedelta(days=22)
DURING = OPENS + dt.timedelta(days=1)


@pytest.fixture
def vote(world):
    return call_vote(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        matter=Matter.REBUILD,
        title="1栋1单元加装电梯",
        opens_at=OPENS,
        closes_at=CLOSES,
        at=NOTICE,
    )


def _key(world, code):
    return f"p{world.person(code).pk}"


def test_an_owner_votes_online_once(world, vote):
    resident = world.user("demo-resident")
    ballot = cast_ballot(actor=resident, vote=vote, choice="agree", at=DURING)
    assert (ballot.origin, ballot.owner_key) == ("web", _key(world, "P-WANG"))
    with pytest.raises(ValidationError) as again:
        cast_ballot(actor=resident, vote=vote, choice="disagree", at=DURING)
    assert again.value.code == "already_voted"
    assert Ballot.objects.get(vote=vote).choice == "agree"


def test_a_ballot_before_the_opening_or_after_the_close_is_refused(world, vote):
    resident = world.user("demo-resident")
    for at, code in ((OPENS - dt.timedelta(minutes=1), "not_open"), (CLOSES, "late")):
        with pytest.raises(ValidationError) as refused:
            cast_ballot(actor=resident, vote=vote, choice="agree", at=at)
        assert refused.value.code == code
    assert not Ballot.objects.exists()


def test_someone_outside_the_electorate_cannot_vote(world, vote):
    with pytest.raises(PermissionDenied):
        cast_ballot(actor=world.user("demo-louzhang2"), vote=vote, choice="agree", at=DURING)


def test_staff_enter_a_paper_ballot_and_the_owner_is_told(world, vote):
    ballot = enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=_key(world, "P-WANG"),
        choice="disagree",
        origin="paper",
        person=world.person("P-WANG"),
        paper=scan(),
        at=DURING,
    )
    assert (ballot.owner_name, ballot.origin) == ("王秀英", "paper")
    row = Outbox.objects.filter(kind="vote.ballot_entered").get()
    assert list(row.recipients) == [world.user("demo-resident").pk]
    with pytest.raises(ValidationError) as again:
        cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=DURING)
    assert again.value.code == "already_voted"


def test_a_proxy_ballot_names_its_proxy(world, vote):
    with pytest.raises(ValidationError) as refused:
        enter_ballot(
            actor=world.user("demo-shequ"),
            vote=vote,
            owner_key=_key(world, "P-CHEN"),
            choice="agree",
            origin="proxy",
            person=world.person("P-CHEN"),
            authorisation=scan("authorisation.jpg"),
            at=DURING,
        )
    assert refused.value.code == "proxy_name"
    ballot = enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=_key(world, "P-CHEN"),
        choice="agree",
        origin="proxy",
        person=world.person("P-CHEN"),
        proxy_name="陈小明",
        authorisation=scan("authorisation.jpg"),
        at=DURING,
    )
    assert ballot.proxy_name == "陈小明"


def test_a_ballot_for_someone_not_in_the_electorate_is_refused(world, vote):
    with pytest.raises(ValidationError) as refused:
        enter_ballot(
            actor=world.user("demo-shequ"),
            vote=vote,
            owner_key=_key(world, "P-ZHAO"),
            choice="agree",
            origin="paper",
            person=world.person("P-ZHAO"),
            paper=scan(),
            at=DURING,
        )
    assert refused.value.code == "not_elector"


def test_closing_counts_the_ballots_and_keeps_the_numbers(world, vote):
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=DURING)
    enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=_key(world, "P-CHEN"),
        choice="agree",
        origin="paper",
        person=world.person("P-CHEN"),
        paper=scan(),
        at=DURING,
    )
    with pytest.raises(ValidationError) as early:
        close_vote(actor=world.user("demo-shequ"), vote=vote, at=DURING)
    assert early.value.code == "still_open"
    closed = close_vote(actor=world.user("demo-shequ"), vote=vote, at=CLOSES)
    assert (closed.status, closed.quorum_met, closed.passed) == (Status.CLOSED, True, True)
    result = stored_result(closed)
    assert result is not None
    assert (result.voted_headcount, result.approving_area) == (2, 1)
    assert Outbox.objects.filter(kind="vote.counted").get().params["passed"] is True


def test_a_vote_with_too_few_ballots_is_counted_as_not_passed(world, vote):
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=DURING)
    closed = close_vote(actor=None, vote=vote, at=CLOSES)
    assert (closed.quorum_met, closed.passed) == (False, False)


def test_a_unit_without_a_registered_owner_takes_no_registered_person_as_its_signer(world):
    # The ballot would record as its owner someone who is not one (any person, in any scope).
    household = world.household("H-B01-102")
    household.owners.clear()
    unowned = call_vote(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        matter=Matter.REBUILD,
        title="1栋1单元加装电梯",
        opens_at=OPENS,
        closes_at=CLOSES,
        at=NOTICE,
    )
    with pytest.raises(ValidationError) as refused:
        enter_ballot(
            actor=world.user("demo-shequ"),
            vote=unowned,
            owner_key=f"h{household.pk}",
            choice="agree",
            origin="paper",
            person=world.person("P-WANG"),
            owner_name="赵六",
            paper=scan(),
            at=DURING,
        )
    assert refused.value.code == "person"
    assert not Ballot.objects.exists()
