"""After the close a ballot changes only through a recount: a wrong choice corrected, a ballot
received on time added with its proof, a ballot voided; one event holds each ballot before and
after and the reason, the result is counted again and the electors are told. Organisers only.
A vote not yet counted can be called off, saying why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.deliberation.actions import (
    AddBallot,
    ChangeChoice,
    VoidBallot,
    call_vote,
    cancel_vote,
    cast_ballot,
    close_vote,
    enter_ballot,
    recount_vote,
)
from shuren.deliberation.models import Ballot, BallotPaper, VoteEvent
from shuren.deliberation.tests.files import scan
from shuren.deliberation.votes.choices import Matter, Status
from shuren.deliberation.votes.counting import stored_result
from shuren.deliberation.votes.rules import available_actions
from shuren.kernel.models import Outbox
from shuren.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

NOTICE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
OPENS = NOTICE + dt.timedelta(days=15)
CLOSES = NOTICE + dt.timedelta(days=22)
DURING = OPENS + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(days=1)


def _key(world, code):
    return f"p{world.person(code).pk}"


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


@pytest.fixture
def counted(world, vote):
    """王秀英 agreed online; 陈美玲's paper ballot was entered as disagree: not passed."""
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=DURING)
    enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=_key(world, "P-CHEN"),
        choice="disagree",
        origin="paper",
        person=world.person("P-CHEN"),
        paper=scan(),
        at=DURING,
    )
    closed = close_vote(actor=world.user("demo-shequ"), vote=vote, at=CLOSES)
    assert closed.passed is False
    return closed


def test_a_choice_entered_wrongly_is_corrected_and_the_vote_counted_again(world, counted):
    ballot = Ballot.objects.get(vote=counted, owner_key=_key(world, "P-CHEN"))
    recounted = recount_vote(
        actor=world.user("demo-shequ"),
        vote=counted,
        corrections=[ChangeChoice(ballot=ballot.pk, choice="agree")],
        reason="纸质表决票写的是同意，录入有误",
        expected_version=counted.version,
        at=AFTER,
    )
    assert (recounted.status, recounted.passed) == (Status.CLOSED, True)
    assert stored_result(recounted).agree_headcount == 2
    event = VoteEvent.objects.get(vote=counted, kind="recounted")
    assert event.note == "纸质表决票写的是同意，录入有误"
    [changed] = event.data["changes"]
    assert (changed["before"]["choice"], changed["after"]["choice"]) == ("disagree", "agree")
    assert (event.data["before"]["passed"], event.data["after"]["passed"]) == (False, True)
    told = Outbox.objects.get(kind="vote.recounted")
    assert set(told.recipients) >= {world.user("demo-resident").pk}


def test_an_owners_online_ballot_is_never_rewritten_only_voided(world, counted):
    ballot = Ballot.objects.get(vote=counted, owner_key=_key(world, "P-WANG"))
    with pytest.raises(ValidationError) as refused:
        recount_vote(
            actor=world.user("demo-shequ"),
            vote=counted,
            corrections=[ChangeChoice(ballot=ballot.pk, choice="disagree")],
            reason="业主来电说投错了",
            at=AFTER,
        )
    assert refused.value.code == "web_ballot"
    ballot.refresh_from_db()
    assert ballot.choice == "agree"
    assert not VoteEvent.objects.filter(vote=counted, kind="recounted").exists()


def test_the_electors_read_that_the_count_was_corrected_and_the_organisers_read_why(
    world, counted, client, login
):
    ballot = Ballot.objects.get(vote=counted, owner_key=_key(world, "P-CHEN"))
    recount_vote(
        actor=world.user("demo-shequ"),
        vote=counted,
        corrections=[VoidBallot(ballot=ballot.pk)],
        reason="陈美玲的签名系他人代签",
        at=AFTER,
    )
    url = f"/deliberation/votes/{counted.pk}/result/"
    login("demo-resident")
    page = client.get(url).content.decode()
    assert "陈美玲的签名系他人代签" not in page
    assert "组织者已更正计票" in page
    login("demo-shequ")
    assert "陈美玲的签名系他人代签" in client.get(url).content.decode()


def test_a_voided_ballot_stays_with_its_reason_and_is_not_counted(world, counted):
    ballot = Ballot.objects.get(vote=counted, owner_key=_key(world, "P-CHEN"))
    recount_vote(
        actor=world.user("demo-shequ"),
        vote=counted,
        corrections=[VoidBallot(ballot=ballot.pk)],
        reason="签名非业主本人",
        at=AFTER,
    )
    ballot.refresh_from_db()
    assert ballot.voided_at is not None
    assert ballot.void_reason == "签名非业主本人"
    assert stored_result(counted.__class__.objects.get(pk=counted.pk)).voted_headcount == 1


def test_a_ballot_received_on_time_is_added_with_its_proof(world, vote):
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=DURING)
    closed = close_vote(actor=None, vote=vote, at=CLOSES)
    assert closed.quorum_met is False
    add = AddBallot(
        owner_key=_key(world, "P-CHEN"),
        choice="agree",
        origin="paper",
        received_at=DURING,
        person=world.person("P-CHEN"),
        paper=scan(),
    )
    recounted = recount_vote(
        actor=world.user("demo-shequ"), vote=closed, corrections=[add], reason="投票箱漏录一张"
    )
    assert (recounted.quorum_met, recounted.passed) == (True, True)
    added = Ballot.objects.get(vote=vote, owner_key=_key(world, "P-CHEN"))
    assert added.cast_at == DURING
    assert BallotPaper.objects.filter(ballot=added, kind="scan").exists()


def test_a_ballot_received_after_the_close_cannot_be_added(world, counted):
    late = AddBallot(
        owner_key="developer",
        choice="agree",
        origin="paper",
        received_at=CLOSES,
        owner_name="开发商",
        paper=scan(),
    )
    with pytest.raises(ValidationError) as refused:
        recount_vote(
            actor=world.user("demo-shequ"), vote=counted, corrections=[late], reason="补录"
        )
    assert refused.value.code == "late"
    assert not VoteEvent.objects.filter(kind="recounted").exists()


def test_a_recount_needs_a_counted_vote_a_reason_and_an_organiser(world, vote, counted):
    ballot = Ballot.objects.filter(vote=counted).first()
    fix = [ChangeChoice(ballot=ballot.pk, choice="abstain")]
    with pytest.raises(ValidationError) as no_reason:
        recount_vote(actor=world.user("demo-shequ"), vote=counted, corrections=fix, reason=" ")
    assert no_reason.value.code == "reason"
    with pytest.raises(PermissionDenied):
        recount_vote(actor=world.user("demo-resident"), vote=counted, corrections=fix, reason="x")
    assert Ballot.objects.get(pk=ballot.pk).choice == ballot.choice


def test_a_vote_not_yet_counted_is_not_recounted_but_may_be_called_off(world, vote):
    with pytest.raises(ValidationError) as refused:
        recount_vote(
            actor=world.user("demo-shequ"),
            vote=vote,
            corrections=[VoidBallot(ballot=1)],
            reason="x",
        )
    assert refused.value.code == "not_counted"
    cancelled = cancel_vote(actor=world.user("demo-shequ"), vote=vote, reason="方案需重新论证")
    assert cancelled.status == Status.CANCELLED
    assert Outbox.objects.get(kind="vote.cancelled").params["reason"] == "方案需重新论证"
    with pytest.raises(ValidationError) as closed:
        cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree", at=DURING)
    assert closed.value.code == "cancelled"


def test_each_user_is_offered_what_they_may_do_now(world, vote):
    resident, staff = world.user("demo-resident"), world.user("demo-shequ")
    assert available_actions(resident, vote, NOTICE) == []
    assert available_actions(resident, vote, DURING) == ["cast_ballot"]
    assert available_actions(staff, vote, DURING) == ["enter_ballot", "cancel_vote"]
    assert available_actions(staff, vote, CLOSES) == ["close_vote", "cancel_vote"]
    cast_ballot(actor=resident, vote=vote, choice="agree", at=DURING)
    assert available_actions(resident, vote, DURING) == []
    close_vote(actor=staff, vote=vote, at=CLOSES)
    vote.refresh_from_db()
    assert available_actions(staff, vote, AFTER) == ["recount_vote"]
