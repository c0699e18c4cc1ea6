"""Closing a vote: the count by the tally, kept on the vote as the numbers behind its result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.deliberation import tally
from shuren.deliberation.votes.choices import EventKind, Status
from shuren.deliberation.votes.models import Ballot, Vote, VoteEvent, VoteOwner, VoteUnit
from shuren.kernel.action import change
from shuren.kernel.outbox import Tell

FRACTIONS = (
    "participating_area",
    "participating_headcount",
    "approving_area",
    "approving_headcount",
)
DECIMALS = (
    "total_area",
    "voted_area",
    "agree_area",
    "disagree_area",
    "abstain_area",
)
COUNTS = (
    "total_headcount",
    "voted_headcount",
    "agree_headcount",
    "disagree_headcount",
    "abstain_headcount",
)


def count(vote: Vote) -> tally.TallyResult:
    """The vote's tally over its electorate and the ballots it counts now, a voided ballot not
    among them (2 queries)."""
    units = [
        tally.Unit(u.household_id, u.owner_key, u.area, u.developer_unsold)
        for u in VoteUnit.objects.filter(vote=vote).only(
            "household_id", "owner_key", "area", "developer_unsold"
        )
    ]
    ballots = [
        tally.Ballot(owner_key, choice)  # type: ignore[arg-type]
        for owner_key, choice in Ballot.objects.filter(
            vote=vote, voided_at__isnull=True
        ).values_list("owner_key", "choice")
    ]
    return tally.tally(units, ballots, vote.matter)


def result_json(result: tally.TallyResult) -> dict[str, Any]:
    """The result as JSON: shares as [numerator, denominator], areas as decimal strings."""
    data: dict[str, Any] = {"quorum_met": result.quorum_met, "passed": result.passed}
    for name in FRACTIONS:
        share: Fraction = getattr(result, name)
        data[name] = [share.numerator, share.denominator]
    for name in DECIMALS:
        data[name] = str(getattr(result, name))
    for name in COUNTS:
        data[name] = getattr(result, name)
    return data


def result_from_json(matter: int, data: dict[str, Any]) -> tally.TallyResult:
    values: dict[str, Any] = {name: Fraction(*data[name]) for name in FRACTIONS}
    values.update({name: Decimal(data[name]) for name in DECIMALS})
    values.update({name: int(data[name]) for name in COUNTS})
    return tally.TallyResult(
        matter=matter, quorum_met=bool(data["quorum_met"]), passed=bool(data["passed"]), **values
    )


def stored_result(vote: Vote) -> tally.TallyResult | None:
    """The count kept when the vote closed (or last recounted); None before."""
    return result_from_json(vote.matter, vote.result) if vote.result else None


def close_vote(
    *, actor: Any, vote: Vote, expected_version: int | None = None, at: dt.datetime | None = None
) -> Vote:
    """Count the ballots once voting has closed and keep the result; the electors are told.
    `actor=None` is the system closing votes whose time is up."""
    with change(
        Vote.objects,
        vote.pk,
        actor=actor,
        perm="deliberation.close_vote",
        expected_version=expected_version,
        at=at,
    ) as act:
        vote = act.subject
        if vote.status != Status.ANNOUNCED:
            raise ValidationError(_("This vote is not open to be counted."), code="status")
        if act.at < vote.closes_at:
            raise ValidationError(
                _("Voting closes %(closes)s; the ballots are counted after that.")
                % {"closes": f"{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}"},
                code="still_open",
            )
        result = count(vote)
        vote.status = Status.CLOSED
        vote.quorum_met = result.quorum_met
        vote.passed = result.passed
        vote.result = result_json(result)
        vote.counted_at = act.at
        act.save(["status", "quorum_met", "passed", "result", "counted_at"])
        electors = get_user_model().objects.filter(
            person_id__in=VoteOwner.objects.filter(vote=vote).values("person_id"), is_active=True
        )
        act.record(
            VoteEvent(
                vote=vote,
                kind=EventKind.CLOSED,
                actor=actor,
                at=act.at,
                data={"passed": result.passed, "quorum_met": result.quorum_met},
            ),
            tell=Tell.users(
                "vote.counted",
                electors,
                actor=actor,
                title=vote.title,
                passed=result.passed,
                link=vote.get_absolute_url(),
            ),
        )
        return vote


def close_due_votes(at: dt.datetime | None = None) -> list[Vote]:
    """Count every vote whose voting time is up (the system acting; each its own action, so one
    that cannot be counted leaves the others counted)."""
    now = at or timezone.now()
    closed = []
    due = Vote.objects.filter(status=Status.ANNOUNCED, closes_at__lte=now).order_by("closes_at")
    for vote in due.only("pk"):
        try:
            closed.append(close_vote(actor=None, vote=vote, at=now))
        except ValidationError:
            continue  # counted or called off meanwhile by an organiser
    return closed
